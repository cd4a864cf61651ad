"""The scorer's core: sacrebleu-identical numbers, hand-computed term metrics, line alignment,
--compare-fix and significance (CLI behaviour is in test_score_cli.py)."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import DATA, ROOT

from aligner.score import (
    DEFAULT_METRICS,
    Bead,
    DocumentInput,
    ScoreRun,
    TermMetrics,
    align_lines,
    coarsen,
    fixed_text,
    parse_metrics,
    segments,
)
from glossary import terms

FIX = DATA / "score"
GLOSSARY = terms.load_valid(str(FIX / "glossary.csv"))
HYP, REF, SRC = FIX / "hyp.en.txt", FIX / "ref.en.txt", FIX / "src.zh.txt"


def lines(path: Path) -> list[str]:
    return segments(path.read_text(encoding="utf-8"))


def fixture_doc(src: bool = True, hyp: list[str] | None = None) -> DocumentInput:
    return DocumentInput(str(HYP), hyp if hyp is not None else lines(HYP), lines(REF), str(REF),
                         lines(SRC) if src else None, str(SRC) if src else None)


def sacrebleu_cli(ref: Path, hyp: Path, *metric_args: str) -> dict[str, dict]:
    """``sacrebleu REF -i HYP -m ... -w 4 -f json`` -> {metric name: entry}."""
    out = subprocess.run([sys.executable, "-m", "sacrebleu", str(ref), "-i", str(hyp),
                          *metric_args, "-w", "4", "-f", "json"],
                         capture_output=True, text=True, check=True, timeout=120)
    data = json.loads(out.stdout)
    return {entry["name"]: entry for entry in (data if isinstance(data, list) else [data])}


# -- segments -----------------------------------------------------------------------------------
def test_segments_are_lines_as_sacrebleu_reads_them() -> None:
    assert segments("") == []
    assert segments("a\nb\n") == ["a", "b"]
    assert segments("a\nb") == ["a", "b"]
    assert segments("a\r\nb  \t\n") == ["a", "b"]
    assert segments("\n") == [""]
    assert segments("a\n\n b\n") == ["a", "", " b"]  # leading space kept, as sacrebleu does
    assert segments("a\rb\n") == ["a\rb"]  # a lone CR is not a line break for sacrebleu


# -- term metrics, computed by hand -------------------------------------------------------------
# The fixture (tests/data/score), glossary water-army / clean-network / modem-pool /
# routine-loan (+ the rejected human-flesh-search, which never counts):
#
# line  source (zh)                          expected          hypothesis renders           ok
#  1    "净网2021"专项行动                    clean-network 1   "net net 2021" (deprecated)   0
#  2    网络水军 和 猫池                      water-army 1      network water army (dep.)     0
#                                            modem-pool 1      cat pool (deprecated)         0
#  3    水军 ... 猫池                         water-army 1      paid posters (admitted)       1
#                                            modem-pool 1      modem pool (preferred)        1
#  4    套路贷                                routine-loan 1    Routine loan (deprecated)     0
#  5    净网 ... 水军 ... 人肉搜索 ... 水军   clean-network 1   Clean Network                 1
#                                            water-army 2      paid online posters (once)    1
#                                            (人肉搜索: rejected concept, not counted)
# expected 1+2+2+1+3 = 9, correct 0+0+2+0+2 = 4  ->  term accuracy 400/9 = 44.444...
#
# Without the source, expected = matcher hits in the reference: line 1 Clean Network (1),
# line 2 paid online posters + modem pools (2), line 3 Paid online posters + modem pools (2),
# line 4 Predatory loan scam (1), line 5 Clean Network + paid online posters (2; "doxxing" is
# the rejected concept's form): 8 expected, same 4 correct -> 50.0.
#
# Deprecated hits in the hypothesis: net net, network water army, cat pool, Routine loan = 4.
# Words (whitespace tokens) per line: 10 + 11 + 14 + 4 + 16 = 55 -> 4000/55 = 72.7272...
# Consistency: concepts matched 2+ times: clean-network (net net, Clean Network), water-army
# (network water army, paid posters, paid online posters), modem-pool (cat pool, modem pool):
# 3 repeated, none in one form -> 0.0.
def test_term_metrics_by_hand_with_source() -> None:
    result = ScoreRun(("term",), GLOSSARY, "src").score([fixture_doc()])
    corpus, counts = result["corpus"], result["counts"]
    assert (counts["term_occurrences"], counts["term_correct"]) == (9, 4)
    assert corpus["term_accuracy"] == pytest.approx(400 / 9)
    assert (counts["deprecated"], counts["hyp_words"]) == (4, 55)
    assert corpus["deprecated_per_1k"] == pytest.approx(4000 / 55)
    assert (counts["concepts_repeated"], counts["concepts_consistent"]) == (3, 0)
    assert corpus["consistency"] == 0.0
    by_concept = {row["concept"]: row for row in result["terms"]}
    assert by_concept["water-army"]["expected"] == 4 and by_concept["water-army"]["correct"] == 2
    assert "human-flesh-search" not in by_concept


def test_term_metrics_by_hand_from_reference() -> None:
    result = ScoreRun(("term",), GLOSSARY, "ref").score([fixture_doc(src=False)])
    assert (result["counts"]["term_occurrences"], result["counts"]["term_correct"]) == (8, 4)
    assert result["corpus"]["term_accuracy"] == pytest.approx(50.0)


def test_repeated_occurrences_are_clipped() -> None:
    term = TermMetrics(GLOSSARY, "src")
    # expected twice (水军 x2), rendered once -> 1 of 2
    assert term.sentence_score("paid online posters", ["水军和水军"]).score == 50.0
    # expected once, rendered three times -> 1 of 1, no bonus
    assert term.sentence_score("paid posters, paid posters, paid posters",
                               ["水军"]).score == 100.0
    # 网络水军 is one occurrence (leftmost-longest), not 网络水军 + 水军
    assert term.sentence_score("paid posters", ["网络水军"]).score == 100.0
    # nothing expected: undefined, not 0 or 100
    assert math.isnan(term.sentence_score("hello", ["你好"]).score)


def test_term_metrics_are_a_sacrebleu_metric() -> None:
    term = TermMetrics(GLOSSARY, "src")
    score = term.corpus_score(lines(HYP), [lines(SRC)])
    assert score.accuracy == pytest.approx(400 / 9)
    assert score.deprecated_per_1k == pytest.approx(4000 / 55)
    assert score.consistency == 0.0
    sig = term.get_signature().format()
    assert sig.startswith("nrefs:1|from:src|glossary:") and "version:decalque-" in sig
    assert GLOSSARY.sha256[:12] in sig


# -- --compare-fix on the fixture ---------------------------------------------------------------
# After DQ101 fixes: net net 2021 -> Clean Network 2021, network water army -> paid online
# posters, cat pool -> modem pool, Routine loan -> Predatory loan scam. Line 5 still renders
# water-army once for two occurrences: 8 of 9 -> 88.89. Consistency: clean-network (Clean
# Network x2) and modem-pool (modem pool x2) are consistent, water-army (paid online posters x2,
# paid posters x1) is not: 2/3.
def test_compare_fix_on_fixture() -> None:
    text = HYP.read_text(encoding="utf-8")
    new_text, count = fixed_text(text, GLOSSARY, str(HYP))
    assert count == 4
    assert "Predatory loan scam cases decreased." in new_text
    run = ScoreRun(DEFAULT_METRICS, GLOSSARY, "src")
    before = run.score([fixture_doc()])["corpus"]
    after = run.score([fixture_doc(hyp=segments(new_text))])["corpus"]
    assert after["term_accuracy"] == pytest.approx(800 / 9)
    assert after["deprecated_per_1k"] == 0.0
    assert after["consistency"] == pytest.approx(200 / 3)
    assert after["term_accuracy"] > before["term_accuracy"]
    assert after["chrf"] >= before["chrf"] and after["bleu"] >= before["bleu"]


# -- equality with the sacrebleu command --------------------------------------------------------
def test_scores_equal_sacrebleu_cli_on_fixture() -> None:
    run = ScoreRun(("bleu", "chrf", "chrf++", "ter"))
    ours = run.score([fixture_doc(src=False)])["corpus"]
    cli = sacrebleu_cli(REF, HYP, "-m", "bleu", "chrf", "ter")
    assert round(ours["bleu"], 4) == cli["BLEU"]["score"]
    assert round(ours["chrf"], 4) == cli["chrF2"]["score"]
    assert round(ours["ter"], 4) == cli["TER"]["score"]
    plus = sacrebleu_cli(REF, HYP, "-m", "chrf", "--chrf-word-order", "2")
    assert round(ours["chrf++"], 4) == plus["chrF2++"]["score"]
    sigs = run.signatures()
    assert sigs["bleu"] == cli["BLEU"]["signature"]
    assert sigs["chrf"] == cli["chrF2"]["signature"]
    assert sigs["ter"] == cli["TER"]["signature"]
    assert sigs["chrf++"] == plus["chrF2++"]["signature"]


def test_corpus_equals_sacrebleu_on_concatenated_documents(tmp_path: Path) -> None:
    hyp_a, ref_a = lines(HYP), lines(REF)
    hyp_b = ["The modem pool was seized.", "", "Paid online posters were arrested."]
    ref_b = ["Police seized the modem pool.", "", "Paid online posters were detained."]
    (tmp_path / "hyp.txt").write_text("\n".join(hyp_a + hyp_b) + "\n", encoding="utf-8")
    (tmp_path / "ref.txt").write_text("\n".join(ref_a + ref_b) + "\n", encoding="utf-8")
    run = ScoreRun(("bleu", "chrf", "ter"))
    result = run.score([DocumentInput("a", hyp_a, ref_a), DocumentInput("b", hyp_b, ref_b)])
    cli = sacrebleu_cli(tmp_path / "ref.txt", tmp_path / "hyp.txt", "-m", "bleu", "chrf", "ter")
    assert round(result["corpus"]["bleu"], 4) == cli["BLEU"]["score"]
    assert round(result["corpus"]["chrf"], 4) == cli["chrF2"]["score"]
    assert round(result["corpus"]["ter"], 4) == cli["TER"]["score"]
    assert result["counts"]["segments"] == len(hyp_a) + len(hyp_b)


# -- alignment ----------------------------------------------------------------------------------
def test_alignment_by_position_when_counts_match() -> None:
    alignment = align_lines(["a", "b"], ["x", "y"])
    assert alignment.method == "identity"
    assert alignment.beads == (Bead(0, 1, 0, 1), Bead(1, 2, 1, 2))


def test_alignment_ignores_extra_blank_lines() -> None:
    alignment = align_lines(["one two three", "", "", "four five six"],
                            ["one two three", "", "four five six"])
    assert alignment.method == "nonblank"
    assert alignment.shapes() == {"1-1": 2}
    assert alignment.beads == (Bead(0, 3, 0, 2), Bead(3, 4, 2, 3))


def test_alignment_merges_a_split_paragraph_and_absorbs_an_extra_title() -> None:
    ref = lines(REF)
    hyp = lines(HYP)
    # the MT split reference line 3 in two, and added a title line at the top
    split = hyp[2].split(" and the ")
    hyp_changed = ["CCTV News", hyp[0], hyp[1], split[0] + ",", "and the " + split[1], *hyp[3:]]
    alignment = align_lines(hyp_changed, ref)
    assert alignment.method == "dp"
    groups = [(b.a_start, b.a_end, b.b_start, b.b_end) for b in alignment.beads]
    assert (3, 5, 2, 3) in groups  # the two halves go with reference line 3
    assert groups[0] == (0, 2, 0, 1)  # the title joins the first sentence
    assert groups[-2:] == [(5, 6, 3, 4), (6, 7, 4, 5)]


def test_coarsen_gives_segments_no_alignment_crosses() -> None:
    system = [Bead(0, 1, 0, 1), Bead(1, 2, 1, 3), Bead(2, 3, 3, 4)]  # 1-2 on ref lines 2-3
    other = [Bead(0, 2, 0, 2), Bead(2, 3, 2, 3), Bead(3, 4, 3, 4)]  # 2-2 on ref lines 1-2
    cut = coarsen(4, [system, other])
    assert cut.groups == ((0, 3), (3, 4))
    assert cut.sides == (((0, 2), (2, 3)), ((0, 3), (3, 4)))
    # a hypothesis line with no reference line joins the group before it
    cut = coarsen(2, [[Bead(0, 1, 0, 1), Bead(1, 2, 1, 1), Bead(2, 3, 1, 2)]])
    assert cut.sides == (((0, 2), (2, 3)),)


def test_mismatched_line_counts_are_scored_and_reported() -> None:
    hyp = ["Breaking news", *lines(HYP)]
    result = ScoreRun(("bleu", "term"), GLOSSARY, "src").score([fixture_doc(hyp=hyp)],
                                                               sentence=True)
    doc = result["documents"][0]
    assert doc["alignment"]["method"] == "dp"
    assert doc["alignment"]["hyp_lines"] == 6 and doc["alignment"]["ref_lines"] == 5
    assert result["notes"] and "6 hypothesis lines vs 5 reference lines" in result["notes"][0]
    assert doc["segments"][0]["hyp_lines"] == [1, 2]
    # source (5 lines) pairs with the reference by position; the extra title changes nothing
    assert doc["alignment"]["src_method"] == "identity"
    assert result["counts"]["term_correct"] == 4 and result["counts"]["term_occurrences"] == 9


def test_source_with_another_line_count_goes_through_the_zh_en_aligner() -> None:
    src = lines(SRC)
    # source lines 1 and 2 merged: 4 source lines vs 5 reference and 5 hypothesis lines
    doc = DocumentInput("h", lines(HYP), lines(REF), "r", [src[0] + src[1], *src[2:]], "s")
    result = ScoreRun(("term",), GLOSSARY, "src").score([doc], sentence=True)
    alignment = result["documents"][0]["alignment"]
    assert alignment["src_method"] == "aligner" and alignment["term_unit"] == "segment"
    assert any("source paired by aligner" in note for note in result["notes"])
    # the same occurrences and hits as line by line: reference lines 1-2 form one segment
    assert (result["counts"]["term_occurrences"], result["counts"]["term_correct"]) == (9, 4)


def test_source_without_text_is_counted_per_document() -> None:
    doc = DocumentInput("h", lines(HYP), lines(REF), "r", ["", ""], "s")
    result = ScoreRun(("term",), GLOSSARY, "src").score([doc])
    assert result["documents"][0]["alignment"]["term_unit"] == "document"
    assert result["counts"]["term_occurrences"] == 0 and result["corpus"]["term_accuracy"] is None


# -- significance -------------------------------------------------------------------------------
def test_paired_bootstrap_against_a_baseline() -> None:
    run = ScoreRun(("bleu", "chrf", "term"), GLOSSARY, "src")
    fixed = segments(fixed_text(HYP.read_text(encoding="utf-8"), GLOSSARY)[0])
    sig = run.significance([fixture_doc(hyp=fixed)], [lines(HYP)], n_samples=200)
    assert sig["test"] == "paired-bootstrap" and sig["seed"] == "12345"
    term = sig["metrics"]["term_accuracy"]
    assert term["system"] == pytest.approx(800 / 9) and term["baseline"] == pytest.approx(400 / 9)
    assert 0 < term["p_value"] <= 1
    same = run.significance([fixture_doc()], [lines(HYP)], n_samples=100)
    assert same["metrics"]["bleu"]["delta"] == 0.0  # sacrebleu still gives p = 1/(n+1) here


def test_parse_metrics() -> None:
    assert parse_metrics(None) == DEFAULT_METRICS
    assert parse_metrics("term, bleu,chrfpp") == ("bleu", "chrf++", "term")
    with pytest.raises(ValueError, match="unknown metric 'meteor'"):
        parse_metrics("bleu,meteor")


# -- the bilingual sample (seeds/zh, seeds/ref, machine translations seeds/000, seeds/002) ------
SAMPLE = ["000-clean-network-2021-results-2022.txt", "002-cat-pool-and-cyber-violence-2023.txt"]


def sample_docs() -> list[DocumentInput]:
    from glossary.encoding import read_text

    docs = []
    for name in SAMPLE:
        hyp, ref, src = (str(ROOT / "seeds" / p) for p in (name, f"ref/{name}", f"zh/{name}"))
        docs.append(DocumentInput(hyp, segments(read_text(hyp).text), segments(
            read_text(ref).text), ref, segments(read_text(src).text), src))
    return docs


def test_sample_equals_sacrebleu_cli() -> None:
    run = ScoreRun(("bleu", "chrf"))
    for doc in sample_docs():
        if len(doc.hyp) != len(doc.ref):
            continue  # aligned documents are not what the sacrebleu command scores
        ours = run.score([doc])["corpus"]
        cli = sacrebleu_cli(Path(doc.ref_path), Path(doc.path), "-m", "bleu", "chrf")
        assert round(ours["bleu"], 4) == cli["BLEU"]["score"]
        assert round(ours["chrf"], 4) == cli["chrF2"]["score"]


def test_sample_ter_and_chrf_plus_plus_equal_sacrebleu_cli(tmp_path: Path) -> None:
    # TER is slow on paragraphs (seconds each): the first 5 lines of the first document
    doc = sample_docs()[0]
    hyp, ref = tmp_path / "hyp.txt", tmp_path / "ref.txt"
    hyp.write_text("\n".join(doc.hyp[:5]) + "\n", encoding="utf-8")
    ref.write_text("\n".join(doc.ref[:5]) + "\n", encoding="utf-8")
    ours = ScoreRun(("chrf++", "ter")).score([DocumentInput("h", doc.hyp[:5], doc.ref[:5])])
    cli = sacrebleu_cli(ref, hyp, "-m", "chrf", "ter", "--chrf-word-order", "2")
    assert round(ours["corpus"]["ter"], 4) == cli["TER"]["score"]
    assert round(ours["corpus"]["chrf++"], 4) == cli["chrF2++"]["score"]


def test_sample_compare_fix_raises_term_accuracy_and_keeps_chrf() -> None:
    from glossary.encoding import read_text

    glossary = terms.load_valid(str(ROOT / "terms.csv"))
    run = ScoreRun(("bleu", "chrf", "term"), glossary, "src")
    docs = sample_docs()
    fixed = [DocumentInput(d.path, segments(fixed_text(read_text(d.path).text, glossary,
                                                       d.path)[0]),
                           d.ref, d.ref_path, d.src, d.src_path) for d in docs]
    before, after = run.score(docs)["corpus"], run.score(fixed)["corpus"]
    assert after["term_accuracy"] > before["term_accuracy"]
    assert after["chrf"] >= before["chrf"]


def test_stats_cache_reports_progress_per_ter_segment_with_the_same_statistics() -> None:
    from sacrebleu.metrics import BLEU, TER

    from aligner.score import StatsCache

    hyps = ["the network water army posted", "a cat pool was seized", "the net net campaign"]
    refs = ["paid online posters posted", "a modem pool was seized", "the Clean Network campaign"]
    done: list[int] = []
    with_bar = StatsCache(advance=done.append).stats("ter", TER(), hyps, refs)
    plain = StatsCache().stats("ter", TER(), hyps, refs)
    assert with_bar == plain
    assert done == [1, 1, 1]  # one call per segment: a progress bar moves on long TER runs
    assert StatsCache(advance=done.append).stats("bleu", BLEU(), hyps, refs)
    assert done[3:] == [3]  # fast metrics in one call
