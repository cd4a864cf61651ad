"""The glossary commands and the top-level CLI, run as a user runs them (subprocess)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT, SMALL, TERMS, assert_one_line_error, run_cli

from glossary import __version__


def test_version_and_module_entry_point() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"decalque {__version__}"
    console = Path(sys.executable).with_name("decalque")
    if console.exists():
        out = subprocess.run([str(console), "--version"], capture_output=True, text=True,
                             check=False)
        assert out.stdout.strip() == f"decalque {__version__}"


def commands() -> list[list[str]]:
    """Every command and subcommand the CLI has, discovered from click."""
    from glossary.cli import main

    found: list[list[str]] = []

    def walk(group: object, prefix: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            found.append(prefix + [name])
            walk(command, prefix + [name])

    walk(main, [])
    return found


@pytest.mark.parametrize("command", commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = run_cli(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "Example" in result.stdout, result.stdout


def test_validate_shipped_glossary() -> None:
    result = run_cli("glossary", "validate")
    assert result.returncode == 0
    assert "terms.csv: " in result.stderr and "concepts, valid" in result.stderr


def test_validate_reports_every_problem_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("id,zh,preferred,admitted,deprecated,status,category,note\n"
                   "a-a,甲,alpha,,cat pool,approved,other,\n"
                   "a-a,乙,,,cat pool,done,misc,\n", encoding="utf-8")
    result = run_cli("glossary", "validate", str(bad))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert all(line.startswith(f"{bad}:3: ") for line in lines)
    assert len(lines) == 4  # duplicate id, empty preferred, unknown status, unknown category


@pytest.mark.parametrize("content,needle", [
    (b"", "empty glossary file"),
    (b"\x00\x01\x02binary\x00", "binary file"),
    (b"id;zh;preferred\n", "semicolon-separated"),
    ('id,zh,preferred,admitted,deprecated,status,category,note\nx,"甲\n'.encode(),
     "unterminated quoted field"),
])
def test_validate_refuses_non_glossaries_in_one_line(tmp_path: Path, content: bytes,
                                                     needle: str) -> None:
    path = tmp_path / "terms.csv"
    path.write_bytes(content)
    assert_one_line_error(run_cli("glossary", "validate", str(path)), str(path), needle)


def test_validate_missing_file() -> None:
    assert_one_line_error(run_cli("glossary", "validate", "no/such.csv"), "no/such.csv")


@pytest.mark.parametrize("query,expected", [
    ("water-army", "water-army"), ("网络水军", "water-army"), ("INTERNET NAVY", "water-army"),
    ("cat-pool", "modem-pool"), ("Sogou Images", "sogou-images"),
])
def test_show_finds_by_id_zh_and_any_english_form(query: str, expected: str) -> None:
    result = run_cli("glossary", "show", query, "--json")
    assert result.returncode == 0, result.stderr
    assert expected in [c["id"] for c in json.loads(result.stdout)]


def test_show_text_and_no_match() -> None:
    result = run_cli("glossary", "show", "cat pool")
    assert result.stdout.startswith("modem-pool  [approved, slang]")
    assert "deprecated: cat pool" in result.stdout
    missing = run_cli("glossary", "show", "no such concept anywhere")
    assert missing.returncode == 1 and "no concept matches" in missing.stderr


def test_stats_counts_by_status_and_category() -> None:
    result = run_cli("glossary", "stats", "--json")
    data = json.loads(result.stdout)
    from glossary import terms

    glossary = terms.load(str(TERMS))
    assert data["concepts"] == len(glossary) > 60
    assert sum(data["category"].values()) == len(glossary)
    assert data["status"]["approved"] == sum(c.status == "approved" for c in glossary)
    table = run_cli("glossary", "stats", "--glossary", str(SMALL))
    assert "by category" in table.stdout and "campaign" in table.stdout


def test_no_traceback_on_directory_as_glossary(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("glossary", "stats", "--glossary", str(tmp_path)), "directory")


def test_cli_runs_from_a_fresh_directory_with_config(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(f'[tool.decalque]\nglossary = "{TERMS}"\n',
                                             encoding="utf-8")
    result = run_cli("glossary", "show", "water army", cwd=tmp_path)
    assert result.returncode == 0 and "water-army" in result.stdout
    assert ROOT.exists()
