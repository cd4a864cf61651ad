"""The checker's fast paths give exactly what the plain algorithms give.

Each fast path (bytes automaton over ASCII text, linear non-overlap selection, translate-based
folding and control-character counting, the pinyin bigram reject, the DQ104 token memo, the
line index) is compared with a short reference implementation written the obvious way.
"""

from __future__ import annotations

import bisect
import importlib.util
import os
import pathlib
import re

import pytest
from helpers import SMALL, TERMS
from hypothesis import given, settings
from hypothesis import strategies as st

from glossary import terms
from glossary.documents import Document
from glossary.encoding import _control_ratio
from glossary.match import Match, Matcher, fold, select_longest
from glossary.rules import script

_YEAR_AFTER = re.compile(r" ?[\"']? ?((?:19|20)\d\d)(?![\d])")
# keys with non-ASCII letters and a real "?" share the automaton's "?" byte: confirmed on a hit
ACCENTED = terms.parse(
    "id,zh,preferred,admitted,deprecated,status,category,note\n"
    "cafe-culture,咖啡文化,café culture,,café society|cafe society|naïve net,approved,slang,\n"
    "what-net,什么网,net query,,what net?|net é|.net army,approved,slang,\n", "accented.csv")


def built_with(scanner: str, glossary: terms.Glossary) -> Matcher:
    """A matcher on the scanner ``DECALQUE_SCANNER`` names ("rust", or "" for the default)."""
    previous = os.environ.get("DECALQUE_SCANNER")
    os.environ["DECALQUE_SCANNER"] = scanner
    try:
        return Matcher(glossary)
    finally:
        if previous is None:
            del os.environ["DECALQUE_SCANNER"]
        else:
            os.environ["DECALQUE_SCANNER"] = previous


GLOSSARIES = [terms.load(str(SMALL)), terms.load(str(TERMS)), ACCENTED]
# every glossary on both scanners: Hyperscan (the default where its wheel exists) and the DFA
MATCHERS = [built_with(scanner, g) for scanner in ("", "rust") for g in GLOSSARIES]
HAS_HYPERSCAN = importlib.util.find_spec("hyperscan") is not None


def test_each_scanner_is_the_one_asked_for() -> None:
    default = "_HyperscanScanner" if HAS_HYPERSCAN else "_RustScanner"
    assert [type(m._scanner).__name__ for m in MATCHERS] == (
        [default] * len(GLOSSARIES) + ["_RustScanner"] * len(GLOSSARIES))


def reference_select(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Longest first, then leftmost, then earlier; skip anything overlapping a taken span."""
    ordered = sorted(candidates, key=lambda c: (c[0] - c[1], c[0]))
    starts: list[int] = []
    ends: list[int] = []
    chosen = []
    for cand in ordered:
        start, end = cand[0], cand[1]
        index = bisect.bisect_right(starts, start)
        if index > 0 and ends[index - 1] > start:
            continue
        if index < len(starts) and starts[index] < end:
            continue
        starts.insert(index, start)
        ends.insert(index, end)
        chosen.append(cand)
    return sorted(chosen, key=lambda c: c[0])


def reference_find(matcher: Matcher, text: str) -> list[Match]:
    """Every key found with str.find on the folded text, then the same whole-word, year and
    selection rules as the matcher."""
    folded = fold(text)
    ftext = folded.text
    hits = []
    for index, key in enumerate(matcher._keys):
        start = ftext.find(key)
        while start >= 0:
            hits.append((start + len(key), index, start))
            start = ftext.find(key, start + 1)
    hits.sort()  # the automaton reports hits by end offset
    candidates = []
    for end, index, start in hits:
        if start > 0 and ftext[start - 1].isalnum():
            continue
        if end < len(ftext) and ftext[end].isalnum():
            continue
        for entry in matcher._entries[index]:
            year, match_end = None, end
            if entry.takes_year and (found := _YEAR_AFTER.match(ftext, end)):
                year, match_end = found.group(1), found.end()
            if entry.needs_year and year is None:
                continue
            candidates.append((start, match_end, len(candidates), entry, year))
            break
    out = []
    for start, end, _, entry, year in reference_select(candidates):  # type: ignore[arg-type]
        o_start, o_end = folded.to_original(start), folded.to_original(end - 1) + 1
        out.append(Match(o_start, o_end, entry.concept, entry.kind, entry.form,
                         text[o_start:o_end], year, entry.plural))
    return out


WORDS = ["network", "water", "army", "net", "2022", "1999", "-", " ", "  ", "\n", "\r\n", "cat",
         "pool", "pools", "“", "”", '"', "'", "Internet", "Navy", "routine", "loans", "loan",
         "jingwang", "é", "İ", "中", "𝄞", ".", "x", "four", "management", "Clean", "Network",
         "café", "cafe", "cafè", "society", "naïve", "naive", "what", "?", "ë",
         "waqzr", "nzq", "axuy", "5", "_", "NET", "Army"]  # some share the DFA's symbols of keys


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40).map("".join),
       st.sampled_from(range(len(MATCHERS))))
def test_find_equals_a_plain_reference(text: str, which: int) -> None:
    matcher = MATCHERS[which]
    assert matcher.find(text) == reference_find(matcher, text)


@pytest.mark.parametrize("matcher", [MATCHERS[0], MATCHERS[len(GLOSSARIES)]])
def test_find_on_non_ascii_text_gives_character_offsets(matcher: Matcher) -> None:
    text = "中文 network water army, 𝄞 net net 2022 and é cat pools"
    found = matcher.find(text)
    assert [m.found for m in found] == ["network water army", "net net 2022", "cat pools"]
    assert all(text[m.start:m.end] == m.found for m in found)
    assert found == reference_find(matcher, text)


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(1, 12)), max_size=60).map(
    lambda items: [(start, start + length, index) for index, (start, length) in enumerate(items)])


@settings(max_examples=400, deadline=None)
@given(spans)
def test_select_longest_equals_greedy_reference(candidates: list[tuple[int, int, int]]) -> None:
    assert select_longest(candidates) == reference_select(candidates)


def test_select_longest_on_a_long_chain_of_overlaps() -> None:
    # every span overlaps its neighbours: one cluster of 20,000 candidates
    candidates = [(i, i + 2 + i % 3, i) for i in range(20_000)]
    chosen = select_longest(candidates)
    assert chosen == reference_select(candidates)
    assert all(a[1] <= b[0] for a, b in zip(chosen, chosen[1:], strict=False))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZq -_\t\n\r\x0b\x0c`'\".9\x1c", max_size=40))
def test_ascii_fold_equals_the_general_fold(text: str) -> None:
    fast = fold(text)
    general = fold(text + "ā")  # a character beyond Latin-1 takes the general path
    assert fast.text == general.text[:-1]
    assert [fast.to_original(i) for i in range(len(fast.text))] == [
        general.to_original(i) for i in range(len(fast.text))]
    assert fast.data == fast.text.encode("ascii")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aZ -_\t\n`'\xa0\xc9\xe9\xdf\xff\xb5\xd7\xc0\x85\x9c", max_size=40))
def test_latin1_fold_equals_the_general_fold(text: str) -> None:
    fast = fold(text)
    general = fold(text + "ā")
    assert fast.text == general.text[:-1]
    assert [fast.to_original(i) for i in range(len(fast.text))] == [
        general.to_original(i) for i in range(len(fast.text))]


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \t\n\r\x00\x01\x08\x0e\x1f\x7f\x80\x85é中𝄞\ud800", max_size=60))
def test_control_ratio_equals_a_regex_count(text: str) -> None:
    expected = len(_CONTROL.findall(text[:65536])) / len(text[:65536]) if text else 0.0
    assert _control_ratio(text) == expected


def reference_split(word: str) -> tuple[str, ...] | None:
    syllables = script.pinyin_syllables()
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            head = best[start]
            if head is not None and word[start:end] in syllables and (
                    start == 0 or word[start] not in "aoe"):
                cand = head + (word[start:end],)
                if best[end] is None or len(cand) < len(best[end]):  # type: ignore[arg-type]
                    best[end] = cand
    return best[len(word)]


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.lists(st.sampled_from(sorted(script.pinyin_syllables())), min_size=1, max_size=4)
    .map("".join),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)))
def test_pinyin_bigram_reject_never_changes_the_split(word: str) -> None:
    assert script.pinyin_split(word) == reference_split(word)


TOKENS = ["jingwang", "jingwang,", "(taolu)", "hukou.", "change", "the", "water", "zhongguo",
          "jingwang's", "don't", "a", "shuijun", "xiaoqu!", "café", "net", "xi'an", "tian-anmen",
          "jingwang2018", "taolu/hukou", "zhongguancunshangyejie", "\u4e2d\u6587"]
SYLLABLES = sorted(script.pinyin_syllables())
# a word: pinyin syllables run together (long ones too: the vector pass taints a word in
# doubling steps up to 32 letters), or random letters (mostly English-impossible pinyin)
WORDS = st.one_of(
    st.sampled_from(TOKENS),
    st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=12).map("".join),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=50))
SEPARATORS = st.sampled_from([" ", "  ", "\n", ", ", ".", "'", "-", "\u201c", "7", "\u00e9"])


def reference_words(text: str, index: dict[str, tuple[str, str]]) -> set[str]:
    """What ``PinyinCache.words`` promises, by a plain regex scan: every run of 4+ ASCII
    letters that spells an index key or looks like pinyin."""
    return {w for w in re.findall(r"[a-z]+", text)
            if len(w) >= 4 and (w in index or script.looks_like_pinyin(w))}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(st.tuples(WORDS, SEPARATORS), max_size=25)
                .map(lambda parts: "".join(w + s for w, s in parts)), max_size=5),
       st.sampled_from([1 << 20, 16, 7]))
def test_vector_pass_gives_the_words_a_regex_scan_gives(texts: list[str], window: int) -> None:
    index = {"taolu": ("routine-loan", "套路"), "qqqqkkkk": ("odd", "怪")}
    cache = script.PinyinCache(index)
    original = script._WINDOW_BYTES
    script._WINDOW_BYTES = window  # small slices put cuts inside words and between them
    try:
        for text in texts:  # one cache across texts, as in a run
            assert cache.words(text) == reference_words(text, index)
    finally:
        script._WINDOW_BYTES = original


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SYLLABLES), min_size=2, max_size=16).map("".join))
def test_no_pinyin_word_is_tainted(word: str) -> None:
    """The window table is a superset filter: any word pinyin_split accepts passes it."""
    bad = script._window_table(())
    found = script._candidate_words(f" {word} ", f" {word} ".encode(), bad)
    assert (script.pinyin_split(word) is None) or word in found or len(word) < 4


@given(st.text(alphabet="ab\n\r ", max_size=50))
def test_line_index_equals_a_regex_scan(text: str) -> None:
    doc = Document.from_text(text, "x.txt")
    assert doc.line_starts() == [0, *(m.end() for m in re.finditer("\n", text))]


@given(st.text(alphabet="ab\n\r ", max_size=40), st.integers(1, 5), st.integers(1, 9),
       st.data())
def test_span_equals_two_positions(text: str, first_line: int, first_col: int,
                                   data: st.DataObject) -> None:
    doc = Document.from_text(text, "x.txt", first_line=first_line, first_col=first_col)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert doc.span(start, end) == (*doc.position(start), *doc.position(end))


def test_read_bytes_sized_read_keeps_the_limit(tmp_path: pathlib.Path) -> None:
    from glossary.encoding import read_bytes
    from glossary.errors import DecalqueError

    path = tmp_path / "f.txt"
    for size in (0, 1, 9, 10, 11, 25):
        path.write_bytes(b"x" * size)
        if size <= 10:
            assert read_bytes(str(path), 10, "too big") == b"x" * size
        else:
            try:
                read_bytes(str(path), 10, "too big")
            except DecalqueError as exc:
                assert exc.message == "too big"
            else:
                raise AssertionError(f"{size} bytes read under a 10-byte limit")


@pytest.mark.parametrize("which", [0, len(GLOSSARIES)])
def test_digits_and_underscores_are_inside_words_for_every_scanner(which: int) -> None:
    """A key touching a digit is inside a longer token ("5net net", "cat pool2"); both
    scanners must leave it, as the reference does."""
    matcher = MATCHERS[which]
    for text in ["5net net", "net net5", "cat pool2", "x9cat pool", "cat pool_x",
                 "cat pool 5", "5 cat pool"]:
        assert matcher.find(text) == reference_find(matcher, text), text
    assert [m.found for m in matcher.find("5 cat pool")] == ["cat pool"]
    assert matcher.find("5cat pool") == []


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 60), st.integers(0, 8)), max_size=12),
       st.integers(0, 70), st.integers(0, 10))
def test_covered_spans_answer_like_a_scan(raw: list[tuple[int, int]], start: int,
                                          length: int) -> None:
    """``Covered`` (bisect) against the plain scans it replaced, on non-overlapping spans
    (a document's matches) for ``contains`` and on any spans for ``overlaps``."""
    from glossary.rules import Covered

    spans = [(s, s + n) for s, n in raw]
    end = start + length
    assert Covered(spans).overlaps(start, end) == any(s < end and start < e for s, e in spans)
    apart = select_longest([(s, e, i) for i, (s, e) in enumerate(spans)])
    disjoint = [(s, e) for s, e, _ in apart]
    assert Covered(disjoint).contains(start, end) == any(
        s <= start and end <= e for s, e in disjoint)
