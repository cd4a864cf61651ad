"""``decalque score`` run as a user runs it: output formats, the JSON schema in docs/score.md,
the HTML report, mismatched line counts and one-line errors for bad input."""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

import jsonschema
import pytest
from helpers import DATA, ROOT, assert_one_line_error, run_cli, run_cli_on_terminal

FIX = DATA / "score"
GLOSSARY = str(FIX / "glossary.csv")
HYP, REF, SRC = str(FIX / "hyp.en.txt"), str(FIX / "ref.en.txt"), str(FIX / "src.zh.txt")


def schema() -> dict:
    """The JSON schema block of docs/score.md (the ```json schema fence)."""
    text = (ROOT / "docs" / "score.md").read_text(encoding="utf-8")
    block = re.search(r"```json schema\n(.*?)\n```", text, re.DOTALL)
    assert block, "docs/score.md has no ```json schema block"
    return json.loads(block.group(1))


def score(*args: str, cwd: Path | None = None):
    return run_cli("score", *args, cwd=cwd)


def test_json_report_follows_the_documented_schema(tmp_path: Path) -> None:
    result = score(HYP, "--ref", REF, "--src", SRC, "-g", GLOSSARY, "--format", "json",
                   "--compare-fix", "--sentence", "--baseline", REF, "--bootstrap", "100",
                   "--metrics", "bleu,chrf,chrf++,ter,term")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    jsonschema.validate(report, schema())
    assert set(report["corpus"]) == {"bleu", "chrf", "chrf++", "ter", "term_accuracy",
                                     "deprecated_per_1k", "consistency"}
    assert report["documents"][0]["path"] == HYP
    assert report["corpus"]["term_accuracy"] == pytest.approx(400 / 9)
    assert report["fixed"]["corpus"]["term_accuracy"] == pytest.approx(800 / 9)
    assert report["delta"]["corpus"]["term_accuracy"] == pytest.approx(400 / 9)
    assert report["fixed"]["fixes"] == 4
    assert report["baseline"]["corpus"]["bleu"] == pytest.approx(100.0)
    assert report["baseline"]["significance"]["metrics"]["bleu"]["p_value"] < 0.05
    assert report["signature"]["bleu"].startswith("nrefs:1|case:mixed|eff:no|tok:13a")
    assert report["signature"]["term"].startswith("nrefs:1|from:src|glossary:")
    # minimal run: no glossary needed, schema still holds
    plain = score(HYP, "--ref", REF, "--metrics", "bleu", "--format", "json", cwd=tmp_path)
    assert plain.returncode == 0, plain.stderr
    report = json.loads(plain.stdout)
    jsonschema.validate(report, schema())
    assert list(report["corpus"]) == ["bleu"] and report["glossary"] is None


def test_table_output_with_signatures_and_deltas() -> None:
    result = score(HYP, "--ref", REF, "--src", SRC, "-g", GLOSSARY, "--compare-fix")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for needle in ("BLEU", "chrF2", "TER", "TermAcc%", "Dep/1k", "Consist%", "fixed (4 fixes)",
                   "delta", "corpus", "44.44", "88.89", "+44.44"):
        assert needle in out, needle
    assert "signature: BLEU|nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:" in out
    assert "signature: TermAcc|nrefs:1|from:src|glossary:" in out
    assert "note:" not in out


def test_several_values_after_one_flag_are_expanded() -> None:
    from glossary.cli.score_cmd import expand_multi

    assert expand_multi(["h1", "h2", "--ref", "r1", "r2", "--format", "json"]) == [
        "h1", "h2", "--ref", "r1", "--ref", "r2", "--format", "json"]
    assert expand_multi(["h", "--src", "s", "--ref", "r", "--", "--odd"]) == [
        "h", "--src", "s", "--ref", "r", "--", "--odd"]
    assert expand_multi(["h", "--ref=r", "--ref"]) == ["h", "--ref=r", "--ref"]


def test_several_files_after_one_flag(tmp_path: Path) -> None:
    for name in ("a", "b"):
        shutil.copy(HYP, tmp_path / f"{name}.hyp")
        shutil.copy(REF, tmp_path / f"{name}.ref")
    result = score("a.hyp", "b.hyp", "--ref", "a.ref", "b.ref", "--metrics", "bleu",
                   "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert [(d["path"], d["ref"]) for d in report["documents"]] == [("a.hyp", "a.ref"),
                                                                    ("b.hyp", "b.ref")]
    assert report["counts"]["segments"] == 10


def test_mismatched_line_counts_are_aligned_and_said(tmp_path: Path) -> None:
    hyp = tmp_path / "hyp.txt"
    hyp.write_text("CCTV News\n\n" + Path(HYP).read_text(encoding="utf-8"), encoding="utf-8")
    table = score(str(hyp), "--ref", REF, "-g", GLOSSARY)
    assert table.returncode == 0, table.stderr
    assert "note: " in table.stdout
    assert "7 hypothesis lines vs 5 reference lines" in table.stdout
    data = json.loads(score(str(hyp), "--ref", REF, "-g", GLOSSARY, "--format", "json").stdout)
    assert data["documents"][0]["alignment"]["method"] == "dp"
    assert data["documents"][0]["alignment"]["segments"] == 5
    assert data["notes"]


def test_html_report_is_self_contained(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = score(HYP, "--ref", REF, "--src", SRC, "-g", GLOSSARY, "--compare-fix",
                   "--html", str(out), "--format", "json")
    assert result.returncode == 0, result.stderr
    json.loads(result.stdout)  # stdout stays pure JSON; the "wrote" line is on stderr
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "</html>" in page
    assert page.count("<svg") >= 3 and "after check --fix" in page
    assert "<script" not in page and "<link" not in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "water-army" in page and "44.44" in page and "88.89" in page
    assert not list(tmp_path.glob(".report.html.*"))  # atomic write left no temp file


@pytest.mark.parametrize(("content", "needle"), [
    (b"", "empty file"),
    (b" \n\n\t\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary file"),
    (b"Paid posters \xff\xfe\xfd\x80\x81 text\n" * 3, "cannot detect the text encoding"),
], ids=["empty", "blank", "binary", "undecodable"])
def test_bad_files_give_one_line_error(tmp_path: Path, content: bytes, needle: str) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    assert_one_line_error(score(str(bad), "--ref", REF, "-g", GLOSSARY), "bad.txt", needle)
    assert_one_line_error(score(HYP, "--ref", str(bad), "-g", GLOSSARY), "bad.txt", needle)


def test_usage_errors_are_one_line(tmp_path: Path) -> None:
    assert_one_line_error(score(HYP, HYP, "--ref", REF, "-g", GLOSSARY),
                          "2 hypothesis file(s) but 1 reference file(s)")
    assert_one_line_error(score(HYP, "--ref", REF, "--src", SRC, SRC, "-g", GLOSSARY),
                          "1 hypothesis file(s) but 2 source file(s)")
    assert_one_line_error(score(HYP, "--ref", REF, "--metrics", "bleu,meteor"),
                          "unknown metric 'meteor'")
    assert_one_line_error(score(HYP, "--ref", str(tmp_path / "missing.txt"), "-g", GLOSSARY),
                          "missing.txt", "no such file")
    assert_one_line_error(score(HYP, "--ref", REF, "--metrics", "term", cwd=tmp_path),
                          "glossary not found")
    assert_one_line_error(score(HYP, "--ref", REF, "--compare-fix", cwd=tmp_path),
                          "glossary not found")


def test_default_metrics_without_a_glossary_skip_term_metrics(tmp_path: Path) -> None:
    result = score(HYP, "--ref", REF, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "term metrics skipped" in result.stderr
    report = json.loads(result.stdout)
    assert report["metrics"] == ["bleu", "chrf", "ter"] and "term_accuracy" not in report["corpus"]
    assert "term metrics skipped" in report["notes"][0]


def test_ter_is_skipped_for_huge_segments(tmp_path: Path) -> None:
    huge = tmp_path / "huge.txt"
    huge.write_text("the cat pool and the network water army " * 2000 + "\n", encoding="utf-8")
    result = score(str(huge), "--ref", REF, "-g", GLOSSARY, "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["corpus"]["ter"] is None and report["corpus"]["bleu"] is not None
    assert any("TER not computed" in note for note in report["notes"])
    jsonschema.validate(report, schema())


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("quiet", [False, True])
def test_scoring_shows_a_progress_bar_on_a_terminal_unless_told_not_to(
        tmp_path: Path, quiet: bool) -> None:
    """A few hundred distinct segments take seconds: a bar on a terminal's stderr, and
    --no-progress (logs, CI) turns it off as for check and extract."""
    lines = (ROOT / "seeds" / "000-clean-network-2021-results-2022.txt").read_text(
        encoding="utf-8").splitlines()
    hyp = [f"{line} {i}" for i in range(16) for line in lines if line.strip()]
    ref = [line.replace("network", "online") for line in hyp]
    (tmp_path / "hyp.txt").write_text("\n".join(hyp) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("\n".join(ref) + "\n", encoding="utf-8")
    code, out, err = run_cli_on_terminal(
        "score", str(tmp_path / "hyp.txt"), "--ref", str(tmp_path / "ref.txt"), "--metrics",
        "bleu,chrf,ter", "--format", "json", *(["--no-progress"] if quiet else []),
        tmp=tmp_path)
    assert code == 0, err
    assert json.loads(out)["counts"]["segments"] == len(hyp)
    assert ("scoring" in err) is not quiet
