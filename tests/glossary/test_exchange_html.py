"""The HTML page: structure without a browser, and searching and filtering in headless
Chromium (Debian's chromium + chromium-driver, driven by selenium)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import TERMS
from lxml import html as lxml_html

from glossary import exchange, terms
from glossary.exchange import html_page, model


@pytest.fixture(scope="module")
def glossary() -> terms.Glossary:
    return terms.load(str(TERMS))


@pytest.fixture(scope="module")
def page(glossary: terms.Glossary, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "glossary.html"
    path.write_bytes(exchange.export(model.select(glossary), "html"))
    return path


def test_page_has_one_row_per_concept_with_every_form(glossary: terms.Glossary,
                                                      page: Path) -> None:
    tree = lxml_html.fromstring(page.read_bytes())
    rows = tree.xpath("//table[@id='glossary']/tbody/tr")
    assert [row.get("id") for row in rows] == [c.id for c in glossary]
    for row, concept in zip(rows, glossary, strict=True):
        text = row.text_content()
        assert all(term in text for term in concept.zh)
        assert all(form in text for form, _ in concept.forms())
        assert concept.note in text
        assert row.get("data-category") == concept.category
        assert [li.text for li in row.xpath(".//li[@class='deprecated']")] == list(
            concept.deprecated)
    options = tree.xpath("//select[@id='category']/option/@value")
    assert options == ["", *sorted({c.category for c in glossary})]
    assert tree.xpath("//input[@id='search']")


def test_page_loads_nothing_from_the_network(page: Path) -> None:
    tree = lxml_html.fromstring(page.read_bytes())
    assert not tree.xpath("//script[@src] | //link | //img | //iframe | //*[@style and "
                          "contains(@style, 'url(')]")
    assert "url(" not in page.read_text(encoding="utf-8").split("<style>")[1].split("</style>")[0]
    csp = tree.xpath("//meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0]


def test_page_escapes_markup_in_notes(tmp_path: Path) -> None:
    concept = terms.Concept(id="x-y", preferred="<b>bold</b>", zh=("新",),
                            note='<script>alert("x")</script>', category="other")
    page = exchange.export(model.select(terms.build([concept])), "html").decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


def _driver() -> object:
    """A headless Chromium driver, or a skip that says what is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        pytest.skip("headless Chromium not available: apt-get install chromium "
                    "chromium-driver (Debian) to run the browser test")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.skip("selenium not installed (pip install -e '.[test]')")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-extensions", "--no-first-run"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)


def _expected(glossary: terms.Glossary, query: str, category: str = "") -> list[str]:
    """Concept ids whose zh, forms, note, id or category contain every query word."""
    view = model.select(glossary)
    words = query.lower().split()
    return [c.id for c in glossary
            if (not category or c.category == category)
            and all(w in html_page.search_text(c, view) for w in words)]


def test_typing_in_search_filters_rows_in_chromium(glossary: terms.Glossary, page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    driver = _driver()
    try:
        driver.get(page.as_uri())  # type: ignore[attr-defined]

        def visible() -> list[str]:
            return [row.get_attribute("id") for row in driver.find_elements(  # type: ignore
                By.CSS_SELECTOR, "#glossary tbody tr") if row.is_displayed()]

        assert visible() == [c.id for c in glossary]
        search = driver.find_element(By.ID, "search")  # type: ignore[attr-defined]
        search.send_keys("navy")
        navy = _expected(glossary, "navy")
        assert 0 < len(navy) < len(glossary)
        assert visible() == navy
        count = driver.find_element(By.ID, "count").text  # type: ignore[attr-defined]
        assert count == f"{len(navy)} of {len(glossary)} concepts"
        search.clear()
        search.send_keys("水军")
        assert visible() == _expected(glossary, "水军") != []
        search.clear()
        search.send_keys("x")  # clear() sends no input event; a key does
        search.send_keys("\b")
        Select(driver.find_element(By.ID, "category")).select_by_value(  # type: ignore
            "campaign")
        assert visible() == _expected(glossary, "", "campaign") != []
        search.send_keys("clean network")
        assert visible() == _expected(glossary, "clean network", "campaign") != []
    finally:
        driver.quit()  # type: ignore[attr-defined]
