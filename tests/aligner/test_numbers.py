"""Number normalisation in both languages, and the tolerance rule."""

from __future__ import annotations

import pytest

from aligner.numbers import (
    NumberMention,
    find_numbers_en,
    find_numbers_zh,
    parse_zh_numeral,
    values_match,
)


def one(mentions: list[NumberMention]) -> NumberMention:
    assert len(mentions) == 1, mentions
    return mentions[0]


# (text, mention text, value, kind, hedge)
ZH_TABLE = [
    ("抓获1,759人", "1,759", 1759, "number", None),
    ("侦办案件6.2万起", "6.2万", 62_000, "number", None),
    ("网民规模达2.6亿", "2.6亿", 260_000_000, "number", None),
    ("涉案金额29.95亿元", "29.95亿", 2_995_000_000, "number", None),
    ("三百人", "三百", 300, "number", None),
    ("两千元", "两千", 2000, "number", None),
    ("一万二千名", "一万二千", 12_000, "number", None),
    ("十三岁", "十三", 13, "number", None),
    ("一百零五名", "一百零五", 105, "number", None),
    ("二十一岁", "二十一", 21, "number", None),
    ("占百分之三十", "百分之三十", 30, "percent", None),
    ("同比上升10.7%", "10.7%", 10.7, "percent", None),
    ("下降５％", "５％", 5, "percent", None),
    ("共1.7万名", "1.7万", 17_000, "number", None),
    ("侦办案件６．２万起", "６．２万", 62_000, "number", None),
    ("清理3万余条", "3万余", 30_000, "number", "more_than"),
    ("抓获犯罪嫌疑人6000余名", "6000余", 6000, "number", "more_than"),
    ("关停账号620余万个", "620余万", 6_200_000, "number", "more_than"),
    ("十多万人", "十多万", 100_000, "number", "more_than"),
    ("一千多人", "一千多", 1000, "number", "more_than"),
    ("整改企业近8000家", "8000", 8000, "number", "less_than"),
    ("将近3000人", "3000", 3000, "number", "less_than"),
    ("超过2300起", "2300", 2300, "number", "more_than"),
    ("超3万起", "3万", 30_000, "number", "more_than"),
    ("约500人", "500", 500, "number", "approx"),
    ("500人左右", "500", 500, "number", "approx"),
    ("1000人以上", "1000", 1000, "number", "more_than"),
    ("2021年，", "2021", 2021, "year", None),
    ("二〇二一年", "二〇二一", 2021, "year", None),
    ("“净网2021”专项行动", "2021", 2021, "year", None),
    ("2000人参加", "2000", 2000, "number", None),
    ("第三，", "第三", 3, "ordinal", None),
    ("连续第四年", "第四", 4, "ordinal", None),
    ("一是依法打击", "一", 1, "ordinal", None),
    ("；二是严惩", "二", 2, "ordinal", None),
    ("4名犯罪嫌疑人", "4", 4, "number", None),
    ("网站1200个", "1200", 1200, "number", None),
]


@pytest.mark.parametrize(("text", "span", "value", "kind", "hedge"), ZH_TABLE)
def test_find_numbers_zh(text: str, span: str, value: float, kind: str,
                         hedge: str | None) -> None:
    m = one(find_numbers_zh(text))
    assert text[m.start : m.end] == m.text
    assert span in m.text
    assert m.value == pytest.approx(value)
    assert (m.kind, m.hedge) == (kind, hedge)


@pytest.mark.parametrize("text", ["统一部署", "一些人", "十分重要", "万一出事", "千万不要",
                                  "唯一的办法", "百姓", "三体", "一般情况"])
def test_chinese_words_with_numerals_are_not_numbers(text: str) -> None:
    assert find_numbers_zh(text) == []


def test_several_zh_numbers_in_one_sentence() -> None:
    text = "全年共侦办案件6.2万余起，同比上升10.7%；抓获犯罪嫌疑人10.3万余名，同比上升28.7%"
    got = [(m.value, m.kind, m.hedge) for m in find_numbers_zh(text)]
    assert got == [(62_000, "number", "more_than"), (10.7, "percent", None),
                   (103_000, "number", "more_than"), (28.7, "percent", None)]


@pytest.mark.parametrize(
    ("text", "value"),
    [("三百", 300), ("两千", 2000), ("一万二千", 12000), ("十三", 13), ("一百零五", 105),
     ("二〇二一", 2021), ("三点五", 3.5), ("一万二", 12000), ("十", 10), ("九十九", 99),
     ("一亿二千万", 120_000_000), ("四十一", 41), ("三千零一十", 3010)],
)
def test_parse_zh_numeral(text: str, value: float) -> None:
    assert parse_zh_numeral(text) == pytest.approx(value)


def test_parse_zh_numeral_rejects_other_text() -> None:
    assert parse_zh_numeral("") is None
    assert parse_zh_numeral("三个") is None


EN_TABLE = [
    ("1,759 people", "1,759", 1759, "number", None),
    ("17,000 suspects", "17,000", 17_000, "number", None),
    ("6.2 million accounts", "6.2 million", 6_200_000, "number", None),
    ("29.95 billion yuan", "29.95 billion", 29_950_000_000, "number", None),
    ("more than 62,000 cases", "62,000", 62_000, "number", "more_than"),
    ("nearly 8,000 firms", "8,000", 8000, "number", "less_than"),
    ("over 2,300 cases", "2,300", 2300, "number", "more_than"),
    ("about 300 people", "300", 300, "number", "approx"),
    ("around 40 cases", "40", 40, "number", "approx"),
    ("an increase of 10.7%", "10.7%", 10.7, "percent", None),
    ("86 percent of them", "86 percent", 86, "percent", None),
    ("86 per cent of them", "86 per cent", 86, "percent", None),
    ("four suspects were held", "four", 4, "number", None),
    ("two million yuan", "two million", 2_000_000, "number", None),
    ("twenty-one years old", "twenty-one", 21, "number", None),
    ("one hundred and five people", "one hundred and five", 105, "number", None),
    ("a hundred people", "a hundred", 100, "number", None),
    ("In 2021, the police", "2021", 2021, "year", None),
    ("since 2018 the campaign", "2018", 2018, "year", None),
    ("2000 people joined", "2000", 2000, "number", None),
    ("Fifth, crack down", "Fifth", 5, "ordinal", None),
    ("the fourth consecutive year", "fourth", 4, "ordinal", None),
    ("the 3rd time", "3rd", 3, "ordinal", None),
    ("on January 14th", "14th", 14, "number", None),
    ("6,000-plus gangs", "6,000-plus", 6000, "number", "more_than"),
    ("50 or more", "50", 50, "number", "more_than"),
    ("1.067 billion users", "1.067 billion", 1_067_000_000, "number", None),
    ("a 100-day campaign", "100", 100, "number", None),
]


@pytest.mark.parametrize(("text", "span", "value", "kind", "hedge"), EN_TABLE)
def test_find_numbers_en(text: str, span: str, value: float, kind: str,
                         hedge: str | None) -> None:
    m = one([m for m in find_numbers_en(text) if m.kind != "month"])
    assert text[m.start : m.end] == m.text == span
    assert m.value == pytest.approx(value)
    assert (m.kind, m.hedge) == (kind, hedge)


@pytest.mark.parametrize("text", ["one of the major risks", "no one came", "3D printing",
                                  "the one that got away", "someone said",
                                  'the "Four One Laws"', "five twenty", "eleven five",
                                  "a three-dimensional network", "two-way traffic"])
def test_english_words_that_are_not_numbers(text: str) -> None:
    assert find_numbers_en(text) == []


# -- tolerance --------------------------------------------------------------------------------
def zh1(text: str) -> NumberMention:
    return one(find_numbers_zh(text))


def en1(text: str) -> NumberMention:
    return one(find_numbers_en(text))


@pytest.mark.parametrize(
    ("zh", "en", "match"),
    [
        ("6.2万起", "62,000 cases", True),
        ("6.2万余起", "more than 62,000 cases", True),
        ("620余万个", "more than 6.2 million", True),
        ("104万余条", "1.04 million pieces", True),
        ("10.67亿", "1.067 billion", True),
        ("1.7万余名", "17,000 suspects", True),
        ("近8000家", "nearly 8,000", True),
        ("近8000家", "8,000", True),  # hedges need not agree
        ("4名", "four suspects", True),
        ("百分之三十", "30%", True),
        ("10.7%", "10.7 percent", True),
        ("2021年", "in 2021,", True),
        ("6.2万起", "6,200 cases", False),  # the classic 万 error
        ("6.2万起", "620,000 cases", False),
        ("10.7%", "10.7 cases", False),  # a percentage is not a count
        ("2021年", "2,021 people", False),  # a year is not a count
        ("1,759人", "1,760 people", False),  # plain digits are exact
    ],
)
def test_values_match(zh: str, en: str, match: bool) -> None:
    assert values_match(zh1(zh), en1(en)) is match
    assert values_match(en1(en), zh1(zh)) is match


def test_rounded_scale_words_tolerate_their_last_digit() -> None:
    assert values_match(en1("6.2 million"), en1("6,213,000"))
    assert values_match(en1("6.2 million"), en1("6,249,000"))
    assert not values_match(en1("6.2 million"), en1("6,300,000"))
    assert en1("6.2 million").tolerance == pytest.approx(50_000)
    assert zh1("6.2万").tolerance == pytest.approx(500)
    assert en1("62,000").tolerance == 0


def test_ordinals_only_match_ordinals() -> None:
    assert values_match(zh1("第三"), en1("the third"))
    assert not values_match(zh1("第三"), en1("3 people"))


@pytest.mark.parametrize(("zh", "en"), [("9月25日", "September 25"), ("今年4月以来", "since April"),
                                        ("10月10日至11日", "October 10 and 11"),
                                        ("1月14日", "Jan. 14")])
def test_months_compare_as_months(zh: str, en: str) -> None:
    zh_months = [m for m in find_numbers_zh(zh) if m.kind == "month"]
    en_months = [m for m in find_numbers_en(en) if m.kind == "month"]
    assert len(zh_months) == len(en_months) == 1
    assert values_match(zh_months[0], en_months[0])


def test_the_first_month_of_a_range_is_a_month() -> None:
    """1至11月 is "January to November": the 1 is a month, as the English writes it."""
    zh = [(m.text, m.kind) for m in find_numbers_zh("据统计，1至11月，全省")]
    assert zh == [("1", "month"), ("11", "month")]
    assert [m.kind for m in find_numbers_zh("共3至5人")] == ["number", "number"]


def test_percentage_points_compare_as_percentages() -> None:
    """2.1个百分点 is "2.1 percentage points"."""
    zh = next(m for m in find_numbers_zh("同比上升2.1个百分点") if m.text == "2.1")
    assert zh.kind == "percent" and values_match(zh, en1("up 2.1 percentage points"))


@pytest.mark.parametrize(("text", "value"), [
    ("1. Strengthen the work", 1), ("(2) Improve the system", 2), ("3) Deepen reform", 3),
    ("Typical Case 1: The case of", 1), ("x\nTypical case 12: a firm", 12)])
def test_list_and_heading_numbers_are_ordinals(text: str, value: float) -> None:
    """Translators renumber list items and headings (一是, （二）, 典型案例一) freely: such
    numbers are ordinals, which never raise DQ202 on their own."""
    [mention] = find_numbers_en(text)
    assert (mention.value, mention.kind) == (value, "ordinal")


@pytest.mark.parametrize("text", ["police arrested 12. Then", "At 10:30 we met",
                                  "We held 3 meetings: one"])
def test_counts_before_a_point_or_colon_stay_numbers(text: str) -> None:
    assert all(m.kind == "number" for m in find_numbers_en(text))


@pytest.mark.parametrize("text", ["3个月", "we may go", "the march of progress", "Mar 5"])
def test_not_months(text: str) -> None:
    assert [m for m in (*find_numbers_zh(text), *find_numbers_en(text)) if m.kind == "month"] == []
