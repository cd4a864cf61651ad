"""``decalque export`` and ``decalque import`` run as a user runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import DATA, SMALL, assert_one_line_error, run_cli

EXCHANGE = DATA / "exchange"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    shutil.copy(SMALL, tmp_path / "terms.csv")
    return tmp_path


def test_export_each_format_by_extension_and_import_back_unchanged(workdir: Path) -> None:
    original = (workdir / "terms.csv").read_bytes()
    for name in ("g.tbx", "g.csv", "g.xlsx", "g.json", "g.html", "g.utf8"):
        result = run_cli("export", "-o", name, cwd=workdir)
        assert result.returncode == 0, result.stderr
        assert "exported 8 of 8 concepts" in result.stderr
    for name in ("g.tbx", "g.csv", "g.xlsx"):
        result = run_cli("import", name, cwd=workdir)
        assert result.returncode == 0, result.stderr
        assert "0 added, 0 changed, 8 unchanged; terms.csv unchanged" in result.stderr
    assert (workdir / "terms.csv").read_bytes() == original


def test_export_to_stdout_with_filters(workdir: Path) -> None:
    result = run_cli("export", "--format", "omegat", "--status", "proposed,rejected",
                     cwd=workdir)
    assert result.returncode == 0, result.stderr
    lines = [x for x in result.stdout.splitlines() if not x.startswith("#")]
    assert [x.split("\t")[0] for x in lines] == ["铁拳", "人肉搜索"]


def test_conflicts_are_listed_and_not_written_without_force(workdir: Path) -> None:
    run_cli("export", "-o", "g.csv", cwd=workdir)
    sheet = workdir / "g.csv"
    sheet.write_bytes(sheet.read_bytes().replace(b"predatory loan scam", b"loan trap scam"))
    original = (workdir / "terms.csv").read_bytes()
    result = run_cli("import", "g.csv", cwd=workdir)
    assert result.returncode == 1
    assert "g.csv:4: conflict: 'routine-loan' (terms.csv:4)" in result.stdout
    assert "'predatory loan scam' -> 'loan trap scam'" in result.stdout
    assert "nothing written" in result.stderr
    dry = run_cli("import", "g.csv", "--dry-run", cwd=workdir)
    assert dry.returncode == 1
    assert "-routine-loan,套路贷,predatory loan scam" in dry.stdout
    assert "+routine-loan,套路贷,loan trap scam" in dry.stdout
    assert (workdir / "terms.csv").read_bytes() == original
    forced = run_cli("import", "g.csv", "--force", cwd=workdir)
    assert forced.returncode == 0, forced.stderr
    after = (workdir / "terms.csv").read_bytes()
    assert after == original.replace(b"predatory loan scam", b"loan trap scam")


def test_import_into_a_new_glossary(workdir: Path) -> None:
    result = run_cli("import", str(EXCHANGE / "vendor-termbase.tbx"), "--into", "new.csv",
                     cwd=workdir)
    assert result.returncode == 0, result.stderr
    text = (workdir / "new.csv").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "id,zh,preferred,admitted,deprecated,status,category,note"
    assert "pig-butchering-scam,杀猪盘,pig-butchering scam" in text
    check = run_cli("glossary", "validate", "new.csv", cwd=workdir)
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize("name", ["billion-laughs.tbx", "external-entity.tbx",
                                  "external-dtd.tbx"])
def test_hostile_tbx_one_line_error_exit_2(workdir: Path, name: str) -> None:
    original = (workdir / "terms.csv").read_bytes()
    result = run_cli("import", str(EXCHANGE / name), cwd=workdir)
    assert_one_line_error(result, name, "refused")
    assert (workdir / "terms.csv").read_bytes() == original


@pytest.mark.parametrize(("args", "needles"), [
    (("import", "missing.tbx"), ("missing.tbx", "no such file")),
    (("import", "terms.csv", "--max-size", "100"), ("terms.csv", "over the import limit")),
    (("import", "notes.txt"), ("notes.txt", "pass --format")),
    (("import", "terms.csv", "--max-size", "lots"), ("--max-size",)),
    (("export",), ("--format",)),
    (("export", "-o", "g.docx"), ("g.docx", "--format")),
    (("export", "--format", "tbx", "--lang", "fr"), ("unknown language 'fr'",)),
    (("export", "--format", "json", "--per-term"), ("--per-term",)),
])
def test_usage_errors_are_one_line(workdir: Path, args: tuple[str, ...],
                                   needles: tuple[str, ...]) -> None:
    (workdir / "notes.txt").write_text("x", encoding="utf-8")
    assert_one_line_error(run_cli(*args, cwd=workdir), *needles)


def test_bad_row_in_import_names_file_and_line(workdir: Path) -> None:
    (workdir / "bad.csv").write_text("ID,Chinese,English (preferred),Status\n"
                                     "modem-pool,猫池,modem pool,approved\n"
                                     "new-term,新词,new word,done\n", encoding="utf-8")
    assert_one_line_error(run_cli("import", "bad.csv", cwd=workdir), "bad.csv:3:",
                          "unknown status 'done'")
