"""The on-disk cache of compiled scanners: used when present, rebuilt when damaged, pruned,
and never a reason for a run to fail."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossary import cache, terms
from glossary import match as match_module
from glossary.match import Matcher

hyperscan = pytest.importorskip("hyperscan")

GLOSSARY = terms.parse(
    "id,zh,preferred,admitted,deprecated,status,category,note\n"
    "water-army,网络水军,paid online posters,,network water army|water army,approved,slang,\n"
    "modem-pool,猫池,modem pool,,cat pool,approved,slang,\n", "g.csv")
TEXT = "A network water army ran a cat pool; the water army was paid."


def spans(matcher: Matcher) -> list[tuple[int, int, str]]:
    return [(m.start, m.end, m.concept) for m in matcher.find(TEXT)]


@pytest.fixture
def cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("DECALQUE_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(match_module, "CACHE_MIN_KEYS", 1)  # cache even this small glossary
    return tmp_path


def test_a_cached_database_is_loaded_instead_of_compiled(cached: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    first = Matcher(GLOSSARY)
    [entry] = cached.glob("hyperscan-*")

    def no_database(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled although cached")

    monkeypatch.setattr(hyperscan, "Database", no_database)
    second = Matcher(GLOSSARY)
    assert spans(second) == spans(first) == [(2, 20, "water-army"), (27, 35, "modem-pool"),
                                             (41, 51, "water-army")]
    assert list(cached.glob("hyperscan-*")) == [entry]


def test_a_damaged_entry_is_compiled_again_and_replaced(cached: Path) -> None:
    expected = spans(Matcher(GLOSSARY))
    [entry] = cached.glob("hyperscan-*")
    entry.write_bytes(b"not a database")
    assert spans(Matcher(GLOSSARY)) == expected
    assert entry.read_bytes() != b"not a database"


def test_old_entries_are_pruned(cached: Path) -> None:
    for index in range(cache.KEEP + 3):
        extra = terms.parse("id,zh,preferred,admitted,deprecated,status,category,note\n"
                            f"c{index},词{index},term {index},,old form {index},approved,slang,\n",
                            "g.csv")
        Matcher(extra)
    assert len(list(cached.glob("hyperscan-*"))) == cache.KEEP


@pytest.mark.parametrize("setting", ["off", "file"])
def test_no_cache_or_an_unusable_one_changes_nothing(tmp_path: Path, setting: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("DECALQUE_CACHE_DIR", "off" if setting == "off" else str(blocker / "sub"))
    monkeypatch.setattr(match_module, "CACHE_MIN_KEYS", 1)
    assert spans(Matcher(GLOSSARY)) == [(2, 20, "water-army"), (27, 35, "modem-pool"),
                                        (41, 51, "water-army")]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_small_glossaries_are_not_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DECALQUE_CACHE_DIR", str(tmp_path))
    Matcher(GLOSSARY)  # a few keys compile in microseconds: nothing worth a file
    assert list(tmp_path.iterdir()) == []
