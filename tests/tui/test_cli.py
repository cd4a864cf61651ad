"""``decalque review`` on the command line: help, and one-line errors before any TUI starts."""

from __future__ import annotations

from pathlib import Path

from helpers import assert_one_line_error, run_cli

DATA = Path(__file__).resolve().parents[1] / "data" / "tui"


def test_help() -> None:
    result = run_cli("review", "--help")
    assert result.returncode == 0, result.stderr
    for needle in ("--candidates", "--source", "--glossary", "ctrl+z", "Examples"):
        assert needle in result.stdout


def test_missing_glossary(tmp_path: Path) -> None:
    result = run_cli("review", "--glossary", str(tmp_path / "nope.csv"), cwd=tmp_path)
    assert_one_line_error(result, "nope.csv", "glossary not found")


def test_invalid_glossary(tmp_path: Path) -> None:
    bad = tmp_path / "terms.csv"
    bad.write_text("id;zh;preferred;admitted;deprecated;status;category;note\n",
                   encoding="utf-8")
    assert_one_line_error(run_cli("review", "-g", str(bad), cwd=tmp_path), "terms.csv",
                          "delimiter")
    bad.write_text("id,zh,preferred,admitted,deprecated,status,category,note\n"
                   "x,,,,,approved,other,\n", encoding="utf-8")
    assert_one_line_error(run_cli("review", "-g", str(bad), cwd=tmp_path), "empty preferred")


def test_bad_candidates_and_sources(tmp_path: Path) -> None:
    glossary = str(DATA / "terms.csv")
    bad = tmp_path / "candidates.csv"
    bad.write_text("key,score\nx,1\n", encoding="utf-8")
    assert_one_line_error(run_cli("review", "-g", glossary, "--candidates", str(bad),
                                  cwd=tmp_path), "not a candidates file")
    source = tmp_path / "other.txt"
    source.write_text("一。\n", encoding="utf-8")
    assert_one_line_error(run_cli("review", "-g", glossary, str(DATA / "en"), "--source",
                                  str(source), cwd=tmp_path), "no English file")
