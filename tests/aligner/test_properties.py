"""Properties of the aligner's pure functions on generated input (hypothesis, bounded so the
suite stays fast): number spans, value round trips, alignment coverage, term renderings."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.align import EXTENDED_LINK_TYPES, align, gale_church
from aligner.numbers import find_numbers_en, find_numbers_zh, values_match

ZH_PIECES = ["6.2万", "2.6亿", "三百", "两千", "1,759", "10.7%", "百分之三十", "2021年", "余",
             "近", "多", "第三", "一是", "，", "。", "起", "名", "网络水军", "猫池", "１２", "零",
             "〇", "万", "亿", "十", "点", "5", ".", "3", " ", "\n", "约", "左右", "月", "日"]
EN_PIECES = ["6.2 million", "62,000", "more than", "nearly", "three", "twenty-one", "10.7%",
             "per cent", "2021", "first", "14th", "January", "May", "one", "a", "hundred",
             " ", ",", ".", "-", "bn", "1.5", "0", "or more", "\n", "cases", "No.", "3D"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ZH_PIECES), max_size=30).map("".join))
def test_zh_number_spans_are_exact_and_ordered(text: str) -> None:
    previous = 0
    for m in find_numbers_zh(text):
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text
        assert m.start >= previous and m.tolerance >= 0
        previous = m.end


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(EN_PIECES), max_size=30).map(" ".join))
def test_en_number_spans_are_exact(text: str) -> None:
    for m in find_numbers_en(text):
        assert 0 <= m.start < m.end <= len(text) and text[m.start:m.end] == m.text


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=9_999), st.sampled_from([("万", 10_000),
                                                                   ("亿", 100_000_000)]))
def test_wan_and_yi_equal_their_english_digits(n: int, unit: tuple[str, int]) -> None:
    word, scale = unit
    [zh] = find_numbers_zh(f"共{n}{word}起")
    [en] = find_numbers_en(f"a total of {n * scale:,} cases")
    assert values_match(zh, en)
    [wrong] = find_numbers_en(f"a total of {n * scale * 10:,} cases")  # the classic slip
    assert not values_match(zh, wrong)


@settings(max_examples=100, deadline=None)
@given(st.floats(min_value=0.1, max_value=999.9).map(lambda x: round(x, 1)))
def test_decimal_scale_words_match(value: float) -> None:
    [zh] = find_numbers_zh(f"{value}亿元")
    [en] = find_numbers_en(f"{value * 100:g} million yuan")
    assert values_match(zh, en)


SENTENCES_ZH = st.lists(st.text(alphabet="公安机关打击网络水军猫池一二三2021。", min_size=1,
                                max_size=30), max_size=25)
SENTENCES_EN = st.lists(st.text(alphabet="police crack down on water army 2021.", min_size=1,
                                max_size=60), max_size=25)


def _covers(links: list, n: int, m: int) -> None:  # type: ignore[type-arg]
    zh = [i for link in links for i in link.zh]
    en = [j for link in links for j in link.en]
    assert zh == list(range(n)) and en == list(range(m))
    assert all(0.0 <= link.score <= 1.0 for link in links)
    assert all(link.zh or link.en for link in links)


@settings(max_examples=40, deadline=None)
@given(SENTENCES_ZH, SENTENCES_EN)
def test_alignment_covers_every_sentence_once_in_order(zh: list[str], en: list[str]) -> None:
    _covers(align(zh, en), len(zh), len(en))
    _covers(align(zh, en, link_types=EXTENDED_LINK_TYPES), len(zh), len(en))
    _covers(gale_church(zh, en), len(zh), len(en))
