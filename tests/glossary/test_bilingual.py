"""Source-aware checks (DQ201-DQ203), pairing of English files with their Chinese sources, and
``decalque align``, on the bilingual sample (seeds/zh + seeds/ + seeds/ref) and small
hand-written pairs."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from helpers import DATA, SEEDS, SMALL, TERMS, assert_one_line_error, run_cli, run_cli_on_terminal

from aligner.align import Link
from aligner.sentences import split_en, split_zh
from glossary import terms
from glossary.bilingual import (
    AlignedPair,
    align_documents,
    lexicon_pairs,
    pair_by_name,
    term_renderings,
)
from glossary.check import CheckContext, check_path, reduce_results
from glossary.diagnostics import Diagnostic, select_rules
from glossary.documents import Document
from glossary.match import Matcher

UNSEEN = DATA / "extract" / "unseen"
SAMPLE = ("000-clean-network-2021-results-2022.txt", "002-cat-pool-and-cyber-violence-2023.txt")
GLOSSARY = terms.load(str(TERMS))
SMALL_GLOSSARY = terms.load(str(SMALL))


def run_pairs(pairs: dict[str, str], rules: str = "DQ2",
              glossary: terms.Glossary = GLOSSARY) -> list[Diagnostic]:
    ctx = CheckContext.build(glossary, select_rules(rules.split(",")), sources=pairs)
    results = [check_path(english, ctx)[0] for english in pairs]
    return reduce_results(results, ctx)


def write_pair(tmp_path: Path, name: str, zh: str, en: str,
               zh_encoding: str = "utf-8") -> tuple[str, str]:
    (tmp_path / "zh").mkdir(exist_ok=True)
    (tmp_path / "en").mkdir(exist_ok=True)
    zh_path, en_path = tmp_path / "zh" / name, tmp_path / "en" / name
    zh_path.write_bytes(zh.encode(zh_encoding))
    en_path.write_text(en, encoding="utf-8")
    return str(en_path), str(zh_path)


def assert_spans_exact(diagnostics: list[Diagnostic]) -> None:
    """Every finding points into its file at text equal to ``found``, with matching line:col."""
    texts: dict[str, Document] = {}
    for diag in diagnostics:
        if diag.path not in texts:
            texts[diag.path] = Document.from_text(Path(diag.path).read_text(encoding="utf-8"),
                                                  diag.path)
        doc = texts[diag.path]
        assert doc.text[diag.start:diag.end] == diag.found, diag
        assert doc.position(diag.start) == (diag.line, diag.col), diag


# -- DQ202 number-mismatch --------------------------------------------------------------------
# (original text in seeds/000, planted error, the number the finding must cover) — one of each
# kind of error a translation makes with numbers.
PLANTED = [
    ("more than 62,000 cases", "more than 620,000 cases", "620,000"),  # the 万 slip (x10)
    ("increase of 10.7%", "increase of 17.0%", "17.0%"),  # percentage changed
    ("total of 783 criminal", "total of 738 criminal", "738"),  # digits transposed
    ("more than 1.04 million pieces", "more than 10.4 million pieces", "10.4 million"),  # point
    ("more than 3 million black", "more than 3 billion black", "3 billion"),  # scale word
    ("On January 14th", "On February 14th", "February"),  # month
    ("and eradicated 341 gangs", "and eradicated 314 gangs", "314"),
    ("shut down, 63 coding", "shut down, sixty coding", "sixty"),  # number in words
    ("Since 2021, 232", "Since 2020, 232", "2020"),  # year
    ("increase of 28.7%", "increase of 28.7", "28.7"),  # percentage lost its sign
    ("and 2,609 enterprises", "and 2,609 enterprises in 45 cities", "45"),  # added number
    ("stealing equipment, 13 dens", "stealing equipment, dens", None),  # dropped number
]


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[Diagnostic]]:
    folder = tmp_path_factory.mktemp("planted")
    text = (SEEDS / SAMPLE[0]).read_text(encoding="utf-8")
    for original, changed, _ in PLANTED:
        assert text.count(original) == 1, original
        text = text.replace(original, changed)
    english = folder / SAMPLE[0]
    english.write_text(text, encoding="utf-8")
    return text, run_pairs({str(english): str(SEEDS / "zh" / SAMPLE[0])}, "DQ202")


@pytest.mark.parametrize(("original", "changed", "number"), PLANTED)
def test_dq202_finds_each_planted_number_error(planted: tuple[str, list[Diagnostic]],
                                               original: str, changed: str,
                                               number: str | None) -> None:
    text, diagnostics = planted
    at = text.index(changed)
    if number is None:  # a dropped number: reported on the English that should hold it
        assert any(d.start <= at < d.end and "has no equal value in the English" in d.message
                   for d in diagnostics), diagnostics
        return
    start = at + changed.index(number)
    hits = [d for d in diagnostics if d.start <= start < d.end]
    assert hits, f"{number!r} not reported"
    assert any(text[d.start:d.end] == number for d in hits), hits


def test_dq202_planted_copy_has_no_other_alarm(planted: tuple[str, list[Diagnostic]]) -> None:
    text, diagnostics = planted
    spans = []
    for _, changed, _ in PLANTED:
        at = text.index(changed)
        spans.append((at, at + len(changed)))
    others = [d for d in diagnostics if not any(d.start < e and s < d.end or s == d.start
                                                 for s, e in spans)]
    sentence_level = [d for d in others if "no equal value in the English" in d.message]
    assert len(others) - len(sentence_level) <= 1, others
    assert_spans_exact(diagnostics)


@pytest.mark.parametrize("folder", ["", "ref"])
def test_dq202_at_most_one_false_alarm_on_the_clean_sample(folder: str) -> None:
    pairs = {str(SEEDS / folder / name): str(SEEDS / "zh" / name) for name in SAMPLE}
    found = run_pairs(pairs, "DQ202")
    assert len(found) <= 1, found


def test_dq202_leaves_numbers_inside_set_phrases_alone(tmp_path: Path) -> None:
    """The "three no" requirements (三不), “Five Enters” (五进) and "zero tolerance" (零容忍)
    translate numerals inside Chinese words, which the source reader rightly leaves alone: no
    DQ202. A count the source lacks is still reported."""
    en, zh = write_pair(
        tmp_path, "a.txt",
        "学生做到“三不”要求。\n\n民警开展“五进”活动，以“零容忍”态度打击犯罪。\n\n双方握手言和。\n\n"
        "宁可十防九空，不可失防万一。\n\n共破获案件。\n",
        'Students met the "three no" requirements.\n\nPolice held the “ Five Enters ” '
        'activity and fought crime with " zero tolerance ".\n\nThe two parties made peace.\n\n'
        "Better ten preventions in vain than one lost in ten thousand.\n\n"
        "Police solved five cases.\n")
    found = run_pairs({en: zh}, "DQ202")
    assert [d.found for d in found] == ["five"], found


def test_dq202_counts_the_named_person_of_and_others(tmp_path: Path) -> None:
    """张某等5人 is "Zhang Mou and four others"; "and seven others" is still a mismatch, and a
    numbered name ("Four One Laws") is no number."""
    en, zh = write_pair(
        tmp_path, "a.txt",
        "张某等5人被抓获。\n\n李某等3人被抓获。\n\n坚持“四个一律”。\n",
        "Zhang Mou and four others were caught.\n\nLi Mou and seven others were caught.\n\n"
        'Adhere to the "Four One Laws".\n')
    found = run_pairs({en: zh}, "DQ202")
    assert [d.found for d in found] == ["seven"], found


# -- DQ201 key-term-mismatch ------------------------------------------------------------------
def test_dq201_reports_deprecated_rendering_of_a_source_term_at_its_position(
        tmp_path: Path) -> None:
    en, zh = write_pair(tmp_path, "a.txt", "公安机关打击网络水军。\n\n猫池设备被缴获。\n",
                        "Police cracked down on the network water army.\n\n"
                        "The modem pools were seized.\n")
    diagnostics = run_pairs({en: zh}, "DQ201", SMALL_GLOSSARY)
    [diag] = diagnostics
    assert (diag.line, diag.col, diag.found) == (1, 28, "network water army")
    assert "网络水军" in diag.message and "deprecated" in diag.message
    assert '"paid online posters"' in diag.message and diag.concept == "water-army"
    assert_spans_exact(diagnostics)


def test_dq201_leaves_a_deprecated_rendering_to_dq101(tmp_path: Path) -> None:
    """With DQ101 on, a deprecated rendering the source confirms is one finding, DQ101's (it
    has the fix); DQ201 still reports the source term the English renders otherwise."""
    en, zh = write_pair(tmp_path, "a.txt", "公安机关打击网络水军。\n\n猫池设备被缴获。\n",
                        "Police cracked down on the network water army.\n\n"
                        "The devices were seized.\n")
    both = [(d.code, d.line) for d in run_pairs({en: zh}, "DQ1,DQ2", SMALL_GLOSSARY)
            if d.code in ("DQ101", "DQ201")]
    assert both == [("DQ101", 1), ("DQ201", 3)]
    alone = run_pairs({en: zh}, "DQ201", SMALL_GLOSSARY)  # DQ201 alone keeps both
    assert [d.line for d in alone] == [1, 3]


def test_dq201_unknown_rendering_names_what_the_english_has(tmp_path: Path) -> None:
    en, zh = write_pair(tmp_path, "b.txt", "他们雇用了水军。\n",
                        "They hired a navy of trolls.\n")
    [diag] = run_pairs({en: zh}, "DQ201", SMALL_GLOSSARY)
    assert diag.code == "DQ201" and "水军" in diag.message
    assert diag.found == "navy"  # CC-CEDICT: 水军 = navy, the literal rendering
    assert "seems to render it" in diag.message


def test_dq201_guesses_no_word_another_source_word_renders(tmp_path: Path) -> None:
    """习 of 深入学习贯彻 is also "Xi" in the dictionary, but 习近平 in the same sentence is
    what "Xi" renders: the guess is the word only the term explains ("studied"). Over the 72
    unseen documents with their sources, guesses sharing words with a gold form 621 -> 608,
    guesses sharing none 238 -> 142 (those became "has no form of it")."""
    en, zh = write_pair(
        tmp_path, "a.txt", "全市深入学习贯彻习近平新时代中国特色社会主义思想。\n",
        "Guided by Xi Jinping Thought on Socialism with Chinese Characteristics for a New Era, "
        "the city studied it carefully.\n")
    [diag] = [d for d in run_pairs({en: zh}, "DQ201") if "深入学习贯彻" in d.message]
    assert diag.found == "studied" and "seems to render it" in diag.message


def test_dq201_accepted_rendering_is_quiet(tmp_path: Path) -> None:
    en, zh = write_pair(tmp_path, "c.txt", "他们雇用了网络水军。\n",
                        "They hired paid online posters.\n")
    assert run_pairs({en: zh}, "DQ201", SMALL_GLOSSARY) == []


def _rows(*rows: str) -> terms.Glossary:
    """A glossary of the given terms.csv rows (no header)."""
    return terms.parse("id,zh,preferred,admitted,deprecated,status,category,note\n"
                       + "".join(rows), "terms.csv")


def _dq201(tmp_path: Path, glossary: terms.Glossary, zh: str, en: str) -> list[Diagnostic]:
    english, source = write_pair(tmp_path, f"{len(list(tmp_path.rglob('*.txt')))}.txt", zh, en)
    return run_pairs({english: source}, "DQ201", glossary)


def test_dq201_preferred_word_in_another_inflection_is_quiet(tmp_path: Path) -> None:
    """黑名单 twice in one sentence, rendered "blacklist" and "blacklisted": the second has no
    listed form, and the dictionary's guess lands on the preferred word itself. An English
    with no form of it is still reported."""
    glossary = _rows("blacklist,黑名单,blacklist,,black name list,approved,other,\n")
    zh = "对违规机构实行“黑名单”管理，5家机构已被列入黑名单。\n"
    assert _dq201(tmp_path, glossary, zh, 'Irregular institutions were subject to "blacklist" '
                  "management, and 5 institutions have been blacklisted.\n") == []
    found = _dq201(tmp_path, glossary, zh, "Irregular institutions were named and 5 were put "
                   "on a list.\n")
    assert [d.message.count("has no form of it") for d in found] == [1]


def test_dq201_the_head_word_alone_is_a_shortened_rendering(tmp_path: Path) -> None:
    """公安局 said again as "the bureau": English shortens a name it has given in full. The
    dictionary's guess lands on the preferred rendering's head word, which is no mismatch; a
    word that is not its head ("the police station") still is."""
    glossary = _rows("psb,公安局,Public Security Bureau,,Public Security Office,approved,"
                     "organization,\n")
    zh = "县公安局开展巡查。\n\n公安局抓获三人。\n"
    first = "The county Public Security Bureau patrolled.\n\n"
    assert _dq201(tmp_path, glossary, zh, first + "The bureau caught three people.\n") == []
    found = _dq201(tmp_path, glossary, zh, first + "The police station caught three people.\n")
    assert [d.line for d in found] == [3]


def test_dq201_a_term_inside_a_longer_dictionary_word_is_not_that_term(tmp_path: Path) -> None:
    """助餐 (meal assistance for the elderly) is inside 自助餐 "buffet", 黑社 (an unlicensed
    travel agency) inside 黑社会 "the mafia": the English renders the longer word, and says
    nothing of the term. The term standing alone is still reported."""
    glossary = _rows("meal-assistance,助餐,meal assistance,,help meal,approved,other,\n",
                     "black-agency,黑社,unlicensed travel agency,,black agency,approved,crime,\n")
    assert _dq201(tmp_path, glossary, "老人去自助餐厅，打击黑社会。\n",
                  "The old people went to a buffet, and the mafia was fought.\n") == []
    found = _dq201(tmp_path, glossary, "社区开展助餐服务。\n",
                   "The community offered dining help.\n")
    assert [d.concept for d in found] == ["meal-assistance"]


def test_dq201_a_term_a_dictionary_word_splits_elsewhere_is_not_that_term(
        tmp_path: Path) -> None:
    """公安部门 is 公安 | 部门 "public security departments" (a word of jieba's dictionary that
    splits across 公安部's last character), not the Ministry of Public Security: no report.
    常态化工作 keeps 常态化 though 化工 is a word ("chemical industry"): jieba has no word
    for the run. The ministry itself is still reported."""
    glossary = _rows("mps,公安部,Ministry of Public Security,MPS,,approved,organization,\n",
                     "regular,常态化,on a regular basis,,normalized,approved,other,\n")
    assert _dq201(tmp_path, glossary, "各地公安部门开展巡查。\n",
                  "Public security departments everywhere patrolled.\n") == []
    found = _dq201(tmp_path, glossary, "公安部部署行动。\n", "The ministry planned it.\n")
    assert [d.concept for d in found] == ["mps"]
    found = _dq201(tmp_path, glossary, "建立常态化工作机制。\n",
                   "A working mechanism was set up.\n")
    assert [d.concept for d in found] == ["regular"]


def test_dq201_a_name_said_again_as_a_pronoun_is_rendered(tmp_path: Path) -> None:
    """陈某某 in the source, "He" in the English: translators say a name once and then use a
    pronoun. A term that is no name still gets its report."""
    glossary = _rows("chen-mou,陈某某,Chen,,Chen Moumou,approved,name,\n",
                     "water-army,水军,paid online posters,,water army,approved,slang,\n")
    found = _dq201(tmp_path, glossary, "陈某某被开除党籍。\n\n陈某某雇用了水军。\n",
                   "He was expelled from the Party.\n\nHe hired trolls.\n")
    assert [(d.line, d.concept) for d in found] == [(3, "water-army")]


def test_dq201_one_rendering_of_two_occurrences_is_reported_once(tmp_path: Path) -> None:
    """网络水军 twice in one sentence, "network water army" once in the English: the second
    occurrence's guess would land on the words the first already has, which says nothing new."""
    en, zh = write_pair(tmp_path, "g.txt", "网络水军发帖，网络水军删帖。\n",
                        "The network water army spread rumours and deleted them.\n")
    found = run_pairs({en: zh}, "DQ201", SMALL_GLOSSARY)
    assert [(d.found, "deprecated" in d.message) for d in found] == [("network water army",
                                                                      True)]


def test_untranslated_source_sentence_has_no_rendering_to_report() -> None:
    zh = Document.from_text("他们雇用了网络水军。净网行动继续开展。", "zh.txt")
    en = Document.from_text("They hired a water army.", "en.txt")
    pair = AlignedPair(zh, en, tuple(split_zh(zh.text)), tuple(split_en(en.text)),
                       (Link((0,), (0,), 0.9), Link((1,), (), 0.5)))
    found = term_renderings(pair, Matcher(SMALL_GLOSSARY))
    assert [(r.term, r.status, r.found) for r in found] == [("网络水军", "deprecated",
                                                             "water army")]


def test_dq201_can_be_suppressed_inline(tmp_path: Path) -> None:
    en, zh = write_pair(tmp_path, "d.txt", "打击网络水军。\n",
                        "Crack down on the water army. # decalque: ignore DQ201\n")
    assert run_pairs({en: zh}, "DQ201", SMALL_GLOSSARY) == []


def test_term_renderings_pair_each_source_term_with_its_english(tmp_path: Path) -> None:
    en, zh = write_pair(tmp_path, "e.txt", "猫池是一种设备。网络水军很多。\n",
                        "A cat pool is a device. There are many paid online posters.\n")
    pair = align_documents(_doc(zh), _doc(en), lexicon_pairs(SMALL_GLOSSARY))
    found = term_renderings(pair, Matcher(SMALL_GLOSSARY))
    assert [(r.term, r.status, r.found) for r in found] == [
        ("猫池", "deprecated", "cat pool"), ("网络水军", "preferred", "paid online posters")]
    assert [pair.zh.text[r.zh_start:r.zh_end] for r in found] == ["猫池", "网络水军"]


def _doc(path: str) -> Document:
    from glossary.documents import read_document

    return read_document(path)


# -- DQ203 inconsistent-source-rendering ------------------------------------------------------
def test_dq203_one_source_term_rendered_differently_across_files(tmp_path: Path) -> None:
    a = write_pair(tmp_path, "a.txt", "打击网络水军。\n", "Crack down on paid online posters.\n")
    b = write_pair(tmp_path, "b.txt", "打击网络水军。\n", "Crack down on the Internet Navy.\n")
    c = write_pair(tmp_path, "c.txt", "打击网络水军。\n", "Crack down on paid online posters.\n")
    diagnostics = run_pairs(dict([a, b, c]), "DQ203", SMALL_GLOSSARY)
    [diag] = diagnostics
    assert diag.path == b[0] and diag.found == "Internet Navy"
    assert (diag.line, diag.col, diag.end_col) == (1, 19, 32)
    assert "rendered 2 ways in 3 files" in diag.message
    assert '"paid online posters" ×2' in diag.message


def test_dq203_leaves_untranslated_occurrences_to_dq201(tmp_path: Path) -> None:
    """A source term once left out of the English is DQ201's ("the English has no form of
    it"); DQ203 compares renderings, so one rendering beside an omission is consistent, and
    beside a second rendering the omission is only counted in the message."""
    a = write_pair(tmp_path, "a.txt", "打击网络水军。\n", "Crack down on paid online posters.\n")
    b = write_pair(tmp_path, "b.txt", "打击网络水军。\n", "Crack down on them.\n")
    pairs = dict([a, b])
    assert run_pairs(pairs, "DQ203", SMALL_GLOSSARY) == []
    assert [d.path for d in run_pairs(pairs, "DQ201", SMALL_GLOSSARY)] == [b[0]]
    c = write_pair(tmp_path, "c.txt", "打击网络水军。\n", "Crack down on the Internet Navy.\n")
    [diag] = run_pairs(dict([a, b, c]), "DQ203", SMALL_GLOSSARY)
    assert diag.path == c[0] and diag.found == "Internet Navy"
    assert "rendered 2 ways in 3 files" in diag.message
    assert diag.message.endswith("(untranslated ×1)")


def test_source_rules_need_a_source() -> None:
    ctx = CheckContext.build(GLOSSARY, select_rules(["DQ2"]))
    result, _ = check_path(str(SEEDS / SAMPLE[0]), ctx)
    assert reduce_results([result], ctx) == []


def test_gbk_source_gives_the_same_findings_as_utf8(tmp_path: Path) -> None:
    zh_text = (SEEDS / "zh" / SAMPLE[1]).read_text(encoding="utf-8")
    en_text = (SEEDS / SAMPLE[1]).read_text(encoding="utf-8")
    (tmp_path / "u").mkdir()
    (tmp_path / "g").mkdir()
    utf8 = write_pair(tmp_path / "u", SAMPLE[1], zh_text, en_text)
    gbk = write_pair(tmp_path / "g", SAMPLE[1], zh_text, en_text, "gbk")
    first = run_pairs(dict([utf8]), "DQ2")
    second = run_pairs(dict([gbk]), "DQ2")
    assert first and [(d.code, d.line, d.col, d.message) for d in first] == [
        (d.code, d.line, d.col, d.message) for d in second]


# -- pairing and the command line -------------------------------------------------------------
def test_pair_by_name_prefers_the_mirrored_path() -> None:
    english = ["docs/000.txt", "docs/ref/000.txt", "docs/001.txt"]
    pairs, unpaired = pair_by_name(english, ["src/000.txt", "src/README.md"],
                                   english_roots=["docs"], source_roots=["src"])
    assert pairs == {"docs/000.txt": "src/000.txt"} and unpaired == ["src/README.md"]


def test_pair_by_name_ignores_language_tags() -> None:
    """Parallel corpora tag their halves' names with the language: "news.en.txt" pairs with
    "news.zh.txt", "law_EN.txt" with "law_ZH-CN.txt", "en/a.en.txt" with "zh/a.zh.txt"; a
    name that only contains a tag elsewhere ("english-news") keeps it."""
    english = ["c/news.en.txt", "c/law_EN.txt", "c/cn.txt", "en/a.en.txt", "c/english-news.txt"]
    sources = ["c/news.zh.txt", "c/law_ZH-CN.txt", "c/cn.zh.txt", "zh/a.zh.txt", "c/news2.txt"]
    pairs, unpaired = pair_by_name(english, sources)
    assert pairs == {"c/news.en.txt": "c/news.zh.txt", "c/law_EN.txt": "c/law_ZH-CN.txt",
                     "c/cn.txt": "c/cn.zh.txt", "en/a.en.txt": "zh/a.zh.txt"}
    assert unpaired == ["c/news2.txt"]
    mirrored, _ = pair_by_name(["en/a/x.en.txt", "en/b/x.en.txt"],
                               ["zh/b/x.zh.txt", "zh/a/x.zh.txt"], ["en"], ["zh"])
    assert mirrored == {"en/a/x.en.txt": "zh/a/x.zh.txt", "en/b/x.en.txt": "zh/b/x.zh.txt"}
    elsewhere, _ = pair_by_name(["docs/news.en.txt"], ["other/deep/news.zh.txt"], ["docs"],
                                ["other"])
    assert elsewhere == {"docs/news.en.txt": "other/deep/news.zh.txt"}
    # halves named by their language alone pair by their folder's name
    folders, _ = pair_by_name(["d1/en.txt", "d2/english.txt", "d3/en.txt"],
                              ["d2/zh.txt", "d1/zh-CN.txt", "d4/zh.txt"])
    assert folders == {"d1/en.txt": "d1/zh-CN.txt", "d2/english.txt": "d2/zh.txt"}


def test_extract_pairs_language_tagged_files(tmp_path: Path) -> None:
    name = "104-ecological-inspection-2022.txt"
    (tmp_path / "report.en.txt").write_bytes((UNSEEN / name).read_bytes())
    (tmp_path / "report.zh.txt").write_bytes((UNSEEN / "zh" / name).read_bytes())
    result = run_cli("extract", "report.en.txt", "--source", "report.zh.txt", "--format",
                     "json", "--no-progress", "--glossary", str(SMALL), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert any("zh_term" in c["signals"] for c in json.loads(result.stdout))


def test_check_pairs_halves_named_by_their_language(tmp_path: Path) -> None:
    """A folder per document with "en.txt" and "zh.txt" in it (how corpora are often
    shipped): the two pair, and DQ2xx compares them."""
    name = "104-ecological-inspection-2022.txt"
    (tmp_path / "doc").mkdir()
    (tmp_path / "doc" / "en.txt").write_bytes((UNSEEN / name).read_bytes())
    (tmp_path / "doc" / "zh.txt").write_bytes((UNSEEN / "zh" / name).read_bytes())
    result = run_cli("check", "doc/en.txt", "--source", "doc/zh.txt", "--select", "DQ2",
                     "--format", "json", "--no-progress", "--glossary", str(TERMS),
                     cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    assert "no English file" not in result.stderr


def test_one_folder_given_on_both_sides(tmp_path: Path) -> None:
    """``check corpus/ --source corpus/`` over folders of "en.txt" + "zh.txt" (and a pair
    tagged "news.en.txt" / "news.zh.txt"): the Chinese halves are the sources, never English
    documents nor their own sources; extract reads the same way."""
    corpus = tmp_path / "corpus"
    for folder, name in (("d1", "104-ecological-inspection-2022.txt"),
                         ("d2", "105-anti-drug-campaign-2023.txt")):
        (corpus / folder).mkdir(parents=True)
        (corpus / folder / "en.txt").write_bytes((UNSEEN / name).read_bytes())
        (corpus / folder / "zh.txt").write_bytes((UNSEEN / "zh" / name).read_bytes())
    name = "106-yangtze-fishing-ban-2024.txt"
    (corpus / "news.en.txt").write_bytes((UNSEEN / name).read_bytes())
    (corpus / "news.zh.txt").write_bytes((UNSEEN / "zh" / name).read_bytes())
    result = run_cli("check", "corpus", "--source", "corpus", "--select", "DQ2",
                     "--format", "json", "--no-progress", "--glossary", str(TERMS),
                     cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    paths = {Path(d["path"]).as_posix() for d in json.loads(result.stdout)["diagnostics"]}
    assert paths == {"corpus/d1/en.txt", "corpus/d2/en.txt", "corpus/news.en.txt"}
    assert "warning" not in result.stderr
    result = run_cli("extract", "corpus", "--source", "corpus", "--format", "json",
                     "--no-progress", "--glossary", str(SMALL), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert any("zh_term" in c["signals"] for c in found)
    assert not [c for c in found for f in c["forms"] if any("\u4e00" <= ch <= "\u9fff"
                                                           for ch in f["text"])]


def test_a_file_found_on_both_sides_without_a_language_tag_goes_by_its_script(
        tmp_path: Path) -> None:
    """corpus/en/x.txt and corpus/zh/x.txt under ``corpus`` given on both sides: no name says
    which is which, the script does."""
    from glossary.files import resolve_pairs

    name = "104-ecological-inspection-2022.txt"
    (tmp_path / "en").mkdir()
    (tmp_path / "zh").mkdir()
    (tmp_path / "en" / "x.txt").write_bytes((UNSEEN / name).read_bytes())
    (tmp_path / "zh" / "x.txt").write_bytes((UNSEEN / "zh" / name).read_bytes())
    english = [str(tmp_path / "en" / "x.txt"), str(tmp_path / "zh" / "x.txt")]
    pairs, unpaired, kept = resolve_pairs(english, [str(tmp_path)], [str(tmp_path)])
    assert pairs == {english[0]: english[1]} and unpaired == [] and kept == english[:1]


def test_check_with_source_folder_on_the_sample() -> None:
    result = run_cli("check", "seeds/", "--source", "seeds/zh", "--select", "DQ2",
                     "--format", "json", "--no-progress")
    assert result.returncode == 1, result.stderr
    found = json.loads(result.stdout)["diagnostics"]
    codes = {d["code"] for d in found}
    assert {"DQ201", "DQ203"} <= codes
    assert {Path(d["path"]).name for d in found} <= set(SAMPLE)
    assert all(not d["path"].startswith("seeds/ref") for d in found)
    assert "seeds/zh/README.md: no English file pairs with this source" in result.stderr


def test_explicit_source_without_english_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("Hello.\n", encoding="utf-8")
    (tmp_path / "y.txt").write_text("你好。\n", encoding="utf-8")
    result = run_cli("check", str(tmp_path / "x.txt"), "--source", str(tmp_path / "y.txt"),
                     "--glossary", str(SMALL))
    assert_one_line_error(result, "y.txt", "no English file")


def test_pairs_file_errors_name_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text("The water army.\n", encoding="utf-8")
    (tmp_path / "zh.txt").write_text("水军。\n", encoding="utf-8")
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text("# english\tsource\nen.txt\tzh.txt\nen.txt\tmissing.txt\n",
                     encoding="utf-8")
    result = run_cli("check", "--pairs", str(pairs), "--glossary", str(SMALL))
    assert_one_line_error(result, "pairs.tsv:3", "missing.txt")
    pairs.write_text("en.txt\n", encoding="utf-8")
    result = run_cli("check", "--pairs", str(pairs), "--glossary", str(SMALL))
    assert_one_line_error(result, "pairs.tsv:1", "two paths")
    pairs.write_text("en.txt\tzh.txt\n", encoding="utf-8")
    result = run_cli("check", "--pairs", str(pairs), "--glossary", str(SMALL),
                     "--select", "DQ201")
    assert result.returncode == 1 and "DQ201" in result.stdout, result.stdout


def test_unreadable_source_is_reported_and_english_still_checked(tmp_path: Path) -> None:
    en, zh = write_pair(tmp_path, "f.txt", "", "The network water army.\n")
    Path(zh).write_bytes(b"\x00\x01\x02binary\xff" * 50)
    diagnostics = run_pairs({en: zh}, "ALL", SMALL_GLOSSARY)
    assert {(d.code, Path(d.path).name) for d in diagnostics} >= {("DQ001", "f.txt"),
                                                                   ("DQ101", "f.txt")}
    assert any(d.code == "DQ001" and d.path == zh for d in diagnostics)


# -- decalque align ---------------------------------------------------------------------------
def test_align_json_covers_every_sentence_in_order() -> None:
    result = run_cli("align", f"seeds/zh/{SAMPLE[1]}", f"seeds/{SAMPLE[1]}", "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    zh = [i for link in data["links"] for i in link["zh"]]
    en = [i for link in data["links"] for i in link["en"]]
    assert zh == list(range(len(data["zh_sentences"])))
    assert en == list(range(len(data["en_sentences"])))
    assert all(0 <= link["score"] <= 1 for link in data["links"])
    assert data["zh_sentences"][1] == "“猫池”有毒！"
    assert sum(len(link["zh"]) == len(link["en"]) == 1 for link in data["links"]) >= 40


def test_align_keeps_a_literary_one_to_three_link_by_default() -> None:
    """Lu Xun's 故乡 (public domain) in our own translation: one long Chinese sentence is three
    English ones. The default link types keep it whole; --link-types basic must re-cut it and
    leaves an English sentence unaligned."""
    pair = [str(DATA / "align" / "literary" / f"guxiang-{side}.txt") for side in ("zh", "en")]
    links = [(tuple(k["zh"]), tuple(k["en"]))
             for k in json.loads(run_cli("align", *pair, "--format", "json").stdout)["links"]]
    assert links == [((0,), (0,)), ((1,), (1,)), ((2,), (2, 3, 4)), ((3,), (5,)), ((4,), (6,)),
                     ((5,), (7,)), ((6,), (8,)), ((7,), (9,))]
    basic = run_cli("align", *pair, "--format", "json", "--link-types", "basic")
    assert basic.returncode == 0, basic.stderr
    shapes = {(len(k["zh"]), len(k["en"])) for k in json.loads(basic.stdout)["links"]}
    assert shapes <= {(1, 1), (1, 2), (2, 1), (2, 2), (1, 0), (0, 1)}


def test_align_presplit_and_tsv(tmp_path: Path) -> None:
    (tmp_path / "zh.txt").write_text("第一句。第二句。\n第三句。\n", encoding="utf-8")
    (tmp_path / "en.txt").write_text("First one. Second one.\nThird.\n", encoding="utf-8")
    result = run_cli("align", str(tmp_path / "zh.txt"), str(tmp_path / "en.txt"), "--presplit")
    assert result.returncode == 0, result.stderr
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert rows[0] == ["zh", "en", "score", "zh_text", "en_text"]
    assert [(r[0], r[1], r[3]) for r in rows[1:]] == [("0", "0", "第一句。第二句。"),
                                                      ("1", "1", "第三句。")]


def test_align_errors_are_one_line(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert_one_line_error(run_cli("align", str(empty), f"seeds/{SAMPLE[0]}"), "empty.txt")
    assert_one_line_error(run_cli("align", str(tmp_path / "nope.txt"), f"seeds/{SAMPLE[0]}"),
                          "nope.txt")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    assert_one_line_error(run_cli("align", str(binary), f"seeds/{SAMPLE[0]}"), "bin.txt")
    english = tmp_path / "english.txt"
    english.write_text("This is not Chinese.\n", encoding="utf-8")
    assert_one_line_error(run_cli("align", str(english), f"seeds/{SAMPLE[0]}"),
                          "english.txt", "no Chinese")


def test_check_fix_with_source_is_idempotent(tmp_path: Path) -> None:
    for name in SAMPLE:
        shutil.copy(SEEDS / name, tmp_path / name)
    result = run_cli("check", str(tmp_path), "--source", "seeds/zh", "--fix", "--no-progress",
                     "--select", "DQ101,DQ2")
    assert result.returncode == 1
    again = run_cli("check", str(tmp_path), "--source", "seeds/zh", "--no-progress",
                    "--select", "DQ101,DQ202", "--format", "json")
    found = json.loads(again.stdout)["diagnostics"]
    assert not [d for d in found if d["code"] == "DQ101" and d["fixable"]]
    assert not [d for d in found if d["code"] == "DQ202"]  # fixes keep the numbers aligned


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("quiet", [False, True])
def test_align_shows_a_progress_bar_on_a_terminal_unless_told_not_to(
        tmp_path: Path, quiet: bool) -> None:
    """A pair takes seconds the first time (the dictionaries load): a bar on a terminal's
    stderr, off with --no-progress; stdout is only the links."""
    code, out, err = run_cli_on_terminal(
        "align", f"seeds/zh/{SAMPLE[1]}", f"seeds/{SAMPLE[1]}", "--format", "json",
        *(["--no-progress"] if quiet else []), tmp=tmp_path)
    assert code == 0, err
    assert json.loads(out)["links"]
    assert ("aligning" in err) is not quiet


@pytest.mark.parametrize("name", ["000-ref", "002-ref", "000", "002"])
def test_documents_align_as_the_gold_paragraph_by_paragraph(name: str) -> None:
    """The seeds' sentence gold, through the path every command takes (``align_documents``:
    paragraphs first, then sentences within them). A paragraph with one sentence on a side is
    one link (000-ref's last paragraph is one Chinese sentence in two English ones; alone the
    chance model cannot tell the split from an addition)."""
    from glossary.documents import read_document

    root = DATA.parents[1]
    data = json.loads((DATA / "align" / f"{name}.json").read_text(encoding="utf-8"))
    pair = align_documents(read_document(str(root / data["zh_file"])),
                           read_document(str(root / data["en_file"])))
    gold = {(tuple(link["zh"]), tuple(link["en"])) for link in data["links"]}
    assert {(link.zh, link.en) for link in pair.links} == gold


@pytest.mark.parametrize("name", ["inn", "town"])
def test_documents_with_corresponding_paragraphs_align_within_them(name: str) -> None:
    """Every command's alignment keeps to the paragraphs when they correspond (the blind
    literary texts: a wuxia inn, where aligned whole 5 of 100 links crossed one, and a small
    town's family story)."""
    from glossary.documents import Document

    literary = DATA / "align" / "literary"
    zh = Document.from_text((literary / f"{name}-zh.txt").read_text(encoding="utf-8"), "zh.txt")
    en = Document.from_text((literary / f"{name}-en.txt").read_text(encoding="utf-8"), "en.txt")
    pair = align_documents(zh, en)
    for link in pair.links:
        paragraphs = {zh.text.count("\n\n", 0, pair.zh_sentences[i].start) for i in link.zh}
        paragraphs |= {en.text.count("\n\n", 0, pair.en_sentences[j].start) for j in link.en}
        assert len(paragraphs) == 1, link
