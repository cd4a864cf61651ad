"""Numbers in Chinese sources and English translations, normalised to values.

Why: a number that changes between source and translation is the costliest translation error in
official texts (6.2万 cases is 62,000, not 6,200), and numbers that agree are the most reliable
anchors for sentence alignment. Both finders return :class:`NumberMention` spans with a float
value, a kind (plain number, percentage, year, ordinal), and the hedge around it (余/多/超过 and
"more than"; 近 and "nearly"; 约/左右 and "about"), which translators render freely and checks
may want to ignore.

Tolerance (:func:`values_match`): kinds must agree (years match years, percentages match
percentages, ordinals match ordinals, numbers match numbers); values must be equal up to the
rounding that the written form itself admits. A number written with a scale word or unit
(6.2 million, 6.2万, 2.6亿, 620万) carries half a unit of its last written digit as tolerance
(6.2 million: +-50,000), because that is the rounding its writer applied; plain digits (62,000,
1,759) are exact. Hedges never have to agree. See docs/aligner.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "NumberMention",
    "Kind",
    "Hedge",
    "find_numbers_zh",
    "find_numbers_en",
    "values_match",
    "parse_zh_numeral",
]

Kind = Literal["number", "percent", "year", "ordinal", "month"]
Hedge = Literal["approx", "more_than", "less_than"]


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A number as written: ``text == original[start:end]``; ``value`` is fully expanded
    (6.2万 -> 62000.0; 10.7% -> 10.7 with kind "percent"); ``tolerance`` is the rounding the
    written form admits (0 for plain digits)."""

    start: int
    end: int
    text: str
    value: float
    kind: Kind = "number"
    hedge: Hedge | None = None
    tolerance: float = 0.0


def values_match(a: NumberMention, b: NumberMention) -> bool:
    """Same kind, and values equal within the larger of the two written tolerances (plus float
    noise). Hedges are ignored: "6000余" and "6,000" agree."""
    if a.kind != b.kind:
        return False
    slack = max(a.tolerance, b.tolerance) + 1e-9 * max(abs(a.value), abs(b.value), 1.0)
    return abs(a.value - b.value) <= slack


# == Chinese ======================================================================================
_ZH_DIGIT = {
    "零": 0, "〇": 0, "○": 0, "Ｏ": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3,
    "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8,
    "捌": 8, "九": 9, "玖": 9,
}
_ZH_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_ZH_BIG_UNIT = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_ZH_NUMERAL_CHARS = "".join(_ZH_DIGIT) + "".join(_ZH_SMALL_UNIT) + "".join(_ZH_BIG_UNIT)
# Scale words after Arabic digits: 6.2万, 2.6亿, 1.5千万.
_ZH_SCALE = {
    "万亿": 1e12, "千亿": 1e11, "百亿": 1e10, "十亿": 1e9, "亿": 1e8, "千万": 1e7, "百万": 1e6,
    "十万": 1e5, "万": 1e4, "千": 1e3, "百": 1e2,
}
# Measure words and units: a lone 一/两/三 only counts as a number when one follows
# (一些, 统一 and 三体 are words, 三名 and 两起 are numbers).
_ZH_MEASURE = (
    "个名人起家次件条部台辆份项种类批套张本只头匹棵株朵位岁年月日号天周时分秒元角块倍成层楼米"
    "斤克吨户所座间处段句篇场届期回遍趟顿口把支枝根颗粒封架艘门道笔宗例组对双群帮伙片栋幢点级"
    "队师团连营排班章节首行字页版轮拨路招"
)
_ZH_MULTI_MEASURE = ("小时", "分钟", "公里", "千米", "厘米", "毫米", "公斤", "美元", "港元",
                     "欧元", "英镑", "平方", "立方", "余名", "多名", "余起", "多起", "余个", "多个")
_ZH_HEDGE_BEFORE: dict[str, Hedge] = {
    "超过": "more_than", "超": "more_than", "逾": "more_than", "多达": "more_than",
    "高达": "more_than", "不少于": "more_than", "至少": "more_than",
    "将近": "less_than", "接近": "less_than", "近": "less_than", "不到": "less_than",
    "不足": "less_than", "不超过": "less_than", "少于": "less_than",
    "大约": "approx", "约为": "approx", "约": "approx", "大概": "approx", "上下": "approx",
}
_ZH_HEDGE_AFTER: dict[str, Hedge] = {
    "以上": "more_than", "多": "more_than", "余": "more_than", "来": "approx",
    "左右": "approx", "上下": "approx", "前后": "approx", "以下": "less_than",
    "以内": "less_than",
}
# Words containing a numeral that are not numbers (十分 "very", 万一 "in case", 一一 "one by
# one", 千万 "by all means" when no measure word follows).
_ZH_NOT_NUMBERS = ("十分", "万一", "一一", "千万", "万万", "百分百", "三三两两", "一五一十")
# A numeral glued to these characters on its left is part of a word: 统一, 唯一, 之一, 同一.
_ZH_WORD_LEFT = "统唯之其某同单逐专划整均万千百十不初"

_ARABIC = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_ARABIC_ZH = r"\d+(?:,\d{3})+(?:[.．]\d+)?|\d+(?:[.．]\d+)?"  # ６．２万: full-width point
_ZH_RE = re.compile(
    r"(?P<pct_word>百分之)?"
    rf"(?:(?P<arabic>{_ARABIC_ZH})|(?P<cn>[{_ZH_NUMERAL_CHARS}]+(?:点[{''.join(_ZH_DIGIT)}]+)?))"
    r"(?P<mid>余|多)?"
    r"(?P<scale>万亿|千亿|百亿|十亿|亿|千万|百万|十万|万|千(?!米|克|瓦)|百(?!分))?"
    r"(?P<post>余|多|来)?"
    r"(?P<pct>%|％)?"
)
_ZH_ORDINAL_LEFT = re.compile(r"第$")
_ZH_LIST_MARK = re.compile(r"(?:^|[\s，。；：！？、,;:])$")
# the first month of a range whose second carries 月: 1至11月, 1-6月
_ZH_MONTH_RANGE = re.compile(r"\s*[至到\-—–~～]\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})月")
_ZH_PERCENTAGE_POINT = re.compile(r"个?百分点")


def parse_zh_numeral(text: str) -> float | None:
    """Value of a Chinese numeral: 三百 300, 一万二千 12000, 一百零五 105, 十三 13,
    二〇二一 2021 (digit by digit), 三点五 3.5, 一万二 12000 (abbreviated tail)."""
    if not text:
        return None
    if "点" in text:
        whole, _, frac = text.partition("点")
        head = parse_zh_numeral(whole)
        if head is None or not frac or any(c not in _ZH_DIGIT for c in frac):
            return None
        return head + float("0." + "".join(str(_ZH_DIGIT[c]) for c in frac))
    if any(c not in _ZH_NUMERAL_CHARS for c in text):
        return None
    if len(text) > 1 and all(c in _ZH_DIGIT for c in text):
        return float("".join(str(_ZH_DIGIT[c]) for c in text))
    return float(_parse_cn(text))


def _parse_cn(text: str) -> int:
    for unit_char in ("亿", "億", "万", "萬"):
        if unit_char in text:
            left, _, right = text.partition(unit_char)
            unit = _ZH_BIG_UNIT[unit_char]
            head = _parse_cn(left) if left else 1
            return head * unit + _parse_tail(right, unit)
    total = 0
    number = 0
    for char in text:
        if char in _ZH_DIGIT:
            number = _ZH_DIGIT[char]
        elif char in _ZH_SMALL_UNIT:
            total += (number if number else 1) * _ZH_SMALL_UNIT[char]
            number = 0
    return total + number


def _parse_tail(text: str, unit: int) -> int:
    """The part after 万/亿; a single digit is an abbreviated next unit (一万二 = 12000)."""
    if not text:
        return 0
    if len(text) == 1 and text in _ZH_DIGIT and text not in "零〇○":
        return _ZH_DIGIT[text] * unit // 10
    if text[0] in "零〇○":
        return _parse_cn(text[1:]) if len(text) > 1 else 0
    return _parse_cn(text)


def _decimals(digits: str) -> int:
    return len(digits.replace("．", ".").partition(".")[2])


def _zh_measure_follows(text: str, pos: int) -> bool:
    if pos >= len(text):
        return False
    if text.startswith(_ZH_MULTI_MEASURE, pos):
        return True
    return text[pos] in _ZH_MEASURE


def find_numbers_zh(text: str) -> list[NumberMention]:
    """Numbers in Chinese text: Arabic (1,759; 6.2万; 2.6亿; 29.95亿元), Chinese numerals
    (三百, 两千, 一万二千, 一百零五), mixed (1.7万, 3万余), percentages (10.7%, 百分之三十),
    years (2021年, 二〇二一年, a bare 2021 as in 净网2021), hedges (6000余 more than; 近8000
    less than; 约/左右 about) and ordinals (第三, and the list markers 一是/二是)."""
    out: list[NumberMention] = []
    for match in _ZH_RE.finditer(text):
        mention = _zh_mention(text, match)
        if mention is not None:
            out.append(mention)
    return out


def _zh_mention(text: str, match: re.Match[str]) -> NumberMention | None:
    start, end = match.start(), match.end()
    arabic, cn = match.group("arabic"), match.group("cn")
    scale_word = match.group("scale")
    if cn is not None:
        whole = match.group(0)
        for word in _ZH_NOT_NUMBERS:
            if text.startswith(word, start) and not _zh_measure_follows(text, start + len(word)):
                return None
        if whole.startswith("百分") and not match.group("pct_word"):
            return None
        value = parse_zh_numeral(cn)
        if value is None:
            return None
    else:
        if start > 0 and (text[start - 1].isalnum() and text[start - 1].isascii()):
            return None  # part of a code or word: "A4", "v2"
        value = float(arabic.replace(",", "").replace("．", "."))
    # ordinals: 第三, 第十二; list markers 一是、二是 at the start of a clause
    if cn is not None and _ZH_ORDINAL_LEFT.search(text, 0, start):
        return NumberMention(start - 1, start + len(cn), text[start - 1 : start + len(cn)],
                             value, "ordinal")
    if (cn is not None and len(cn) <= 2 and text.startswith("是", start + len(cn))
            and _ZH_LIST_MARK.search(text, 0, start) and not match.group("pct_word")):
        return NumberMention(start, start + len(cn), cn, value, "ordinal")
    if cn is not None:
        single = len(cn) == 1 and not scale_word and not match.group("pct_word")
        if single and cn in "十百千万亿":  # bare unit characters are words (百姓, 千里)
            if not _zh_measure_follows(text, end):
                return None
        if start > 0 and text[start - 1] in _ZH_WORD_LEFT and len(cn) == 1:
            return None
        if single and not (_zh_measure_follows(text, end) or match.group("mid")
                           or match.group("post") or match.group("pct")):
            return None
    tolerance = 0.0
    if scale_word:
        scale = _ZH_SCALE[scale_word]
        if arabic is not None:
            tolerance = 0.5 * scale * 10.0 ** -_decimals(arabic)
        value *= scale
    elif cn is not None and cn[-1] in _ZH_BIG_UNIT and arabic is None:
        tolerance = 0.0
    hedge: Hedge | None = None
    if match.group("mid") or match.group("post"):
        hedge = _ZH_HEDGE_AFTER[match.group("post") or match.group("mid")]
    # 以上/左右/以下 after the number, or after its measure word (500人左右)
    after = end
    for measure in _ZH_MULTI_MEASURE:
        if text.startswith(measure, end):
            after = end + len(measure)
            break
    else:
        if end < len(text) and text[end] in _ZH_MEASURE:
            after = end + 1
    for position in dict.fromkeys((end, after)):
        for word, kind in _ZH_HEDGE_AFTER.items():
            if len(word) == 2 and text.startswith(word, position):
                hedge = hedge or kind
                break
    for word in sorted(_ZH_HEDGE_BEFORE, key=len, reverse=True):
        begin = start - len(word)
        if begin >= 0 and text.startswith(word, begin):
            hedge = hedge or _ZH_HEDGE_BEFORE[word]
            break
    kind: Kind = "number"
    if match.group("pct") or match.group("pct_word") or _ZH_PERCENTAGE_POINT.match(text, end):
        kind = "percent"  # 2.1个百分点 is "2.1 percentage points"
    elif _is_year_zh(text, match, value):
        kind = "year"
    elif ((text.startswith("月", end) or _ZH_MONTH_RANGE.match(text, end)) and not scale_word
          and value == int(value) and 1 <= value <= 12 and not hedge):
        kind = "month"  # 9月25日, 1至11月: the month, which English writes as a name
    return NumberMention(start, end, text[start:end], value, kind, hedge, tolerance)


def _is_year_zh(text: str, match: re.Match[str], value: float) -> bool:
    if match.group("scale") or match.group("mid") or match.group("post"):
        return False
    digits = match.group("arabic") or match.group("cn") or ""
    if len(digits) != 4 or "," in digits or "." in digits or not value.is_integer():
        return False
    if match.group("cn") and not all(c in _ZH_DIGIT for c in digits):
        return False
    end = match.end()
    if text.startswith("年", end):
        return True
    return 1900 <= value <= 2099 and not _zh_measure_follows(text, end)


# == English ======================================================================================
_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000}
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "hundredth": 100, "thousandth": 1000,
}
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december", "jan", "feb", "mar", "apr", "jun",
           "jul", "aug", "sep", "sept", "oct", "nov", "dec")
_NUM_WORD = "|".join(sorted([*_UNITS, *_TENS], key=len, reverse=True))
_SCALE_WORD = "hundred|thousand|million|billion|trillion"
_WORD_NUMBER = (
    rf"(?:(?:{_NUM_WORD})(?:-(?:{_NUM_WORD}))?|an?(?=\s+(?:{_SCALE_WORD})\b))"
    rf"(?:(?:\s+and)?\s+(?:(?:{_NUM_WORD})(?:-(?:{_NUM_WORD}))?|{_SCALE_WORD}))*"
)
_EN_RE = re.compile(
    rf"(?<![\w.,])(?:(?P<digits>{_ARABIC})(?P<suffix>st|nd|rd|th)?"
    rf"|(?P<words>{_WORD_NUMBER})(?![A-Za-z])|(?P<ordword>{'|'.join(_ORDINAL_WORDS)})\b)"
    rf"(?:[\s-]+(?P<scale>{_SCALE_WORD})\b(?:\s+(?P<scale2>{_SCALE_WORD})\b)?"
    r"|\s?(?P<short>bn|mn|k)\b)?"
    r"(?P<pct>\s?%|\s+per\s?cent\b|\s+percentage\s+points?\b)?"
    r"(?P<plus>\+|-plus\b)?",
    re.IGNORECASE,
)
_EN_HEDGE_BEFORE: tuple[tuple[re.Pattern[str], Hedge], ...] = tuple(
    (re.compile(rf"\b(?:{words})\s+(?:the\s+)?$", re.IGNORECASE), hedge)
    for words, hedge in (
        (r"more\s+than|over|above|exceeding|in\s+excess\s+of|upwards\s+of|at\s+least"
         r"|no\s+fewer\s+than|no\s+less\s+than|as\s+many\s+as|as\s+much\s+as", "more_than"),
        (r"nearly|almost|close\s+to|less\s+than|fewer\s+than|under|below|up\s+to"
         r"|no\s+more\s+than|not\s+more\s+than|just\s+under|short\s+of", "less_than"),
        (r"about|around|approximately|approx\.|roughly|some|an\s+estimated|estimated"
         r"|circa|ca\.|or\s+so", "approx"),
    )
)
_EN_HEDGE_AFTER = re.compile(r"^(?:\s+or\s+(?P<more>more|above|so)\b|\s*(?P<odd>-?odd)\b)",
                             re.IGNORECASE)
# After a bare four-digit number these words still read as a year: "in 2021, more ...",
# "since 2018 the ...". A plural noun after it ("2000 people") makes it a count.
_YEAR_FOLLOWERS = frozenset(
    "and or to was were is are when as with through till until onwards onward so the which "
    "that in on at for of by from after before had has have will would saw marks began "
    "brought campaign season edition".split()
)
# a list item's number at the start of a line: "1. Strengthen", "(2) Improve", "3) Deepen",
# or a heading's: "Typical Case 1:", "Example 2:"
_EN_LIST_LEFT = re.compile(r"(?:^|\n)[ \t]*\(?$")
_EN_LIST_RIGHT = re.compile(r"(?:\.|\)|、|．)(?:\s|$)")
_EN_LABEL_LEFT = re.compile(r"(?:^|\n)[ \t]*[A-Z][a-z]*(?:[ \t]+[A-Za-z]+){0,2}[ \t]+$")
_EN_LABEL_RIGHT = re.compile(r"[:：](?!\d)")
# number words in English compounds that count nothing: "three-dimensional" (立体),
# "two-way", "one-stop", "one-sided"
_EN_NOT_A_COUNT = re.compile(r"-(?:dimensional|way|stop|sided)\b", re.IGNORECASE)
_NOT_NUMBER_ONE = re.compile(r"\s*(?:of\b|another\b|'s\b|’s\b|by\s+one\b|day\b|time\b)",
                             re.IGNORECASE)
_ONE_LEFT = re.compile(r"\b(?:no|the|this|that|any|every|each|some|anyone|someone|which"
                       r"|little|only|one)\s+$", re.IGNORECASE)


def _words_value(text: str) -> float | None:
    tokens = [t for t in re.split(r"[\s-]+", text.lower()) if t and t != "and"]
    total = 0
    current = 0
    seen = False
    last = ""  # "four one" and "five twenty" are no number: names ("Four One Laws")
    for token in tokens:
        if token in ("a", "an"):
            current += 1
        elif token in _UNITS:
            if last in ("unit", "tens") and (last == "unit" or _UNITS[token] >= 10):
                return None
            current += _UNITS[token]
            seen, last = True, "unit"
            continue
        elif token in _TENS:
            if last in ("unit", "tens"):
                return None
            current += _TENS[token]
            seen, last = True, "tens"
            continue
        elif token == "hundred":
            current = (current or 1) * 100
        elif token in _SCALES:
            total += (current or 1) * _SCALES[token]
            current = 0
        else:
            return None
        seen = True
        last = ""
    return float(total + current) if seen else None


def find_numbers_en(text: str) -> list[NumberMention]:
    """Numbers in English text: digits (1,759; 17,000; 6.2 million; 29.95 billion), number
    words (four suspects, two million, twenty-one), percentages (10.7%, 86 percent), years
    (2021), ordinals (1st, Fifth), month names (kind "month", as Chinese writes 9月) and hedges
    (more than, nearly, over, about, or more)."""
    out: list[NumberMention] = []
    for match in _EN_RE.finditer(text):
        mention = _en_mention(text, match)
        if mention is not None:
            out.append(mention)
    months = [NumberMention(m.start(), m.end(), m.group(), float(_MONTH_NUMBER[
        m.group().rstrip(".").lower()]), "month") for m in _EN_MONTH.finditer(text)]
    if months:
        out = sorted([*out, *months], key=lambda m: m.start)
    return out


_MONTH_NUMBER = {name: index + 1 for index, name in enumerate(
    ("january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"))}
_MONTH_NUMBER.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                      "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12})
# Capitalised names only ("may" is a verb); abbreviations need their point (Sept. 5).
_EN_MONTH = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December)\b|\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.(?=\s*\d)")


def _en_mention(text: str, match: re.Match[str]) -> NumberMention | None:
    start, end = match.start(), match.end()
    digits, words, ordword = match.group("digits"), match.group("words"), match.group("ordword")
    if words is not None:
        stripped = words.strip()
        if stripped.lower() in ("a", "an"):
            return None
        if stripped.lower() == "one" and not match.group("scale") and (
            _NOT_NUMBER_ONE.match(text, end) or _ONE_LEFT.search(text, 0, start)
        ):
            return None
        value = _words_value(stripped)
        if value is None or _EN_NOT_A_COUNT.match(text, end):
            return None
    elif ordword is not None:
        if match.group("scale") or match.group("pct"):
            return None
        return NumberMention(start, end, match.group(0), float(_ORDINAL_WORDS[ordword.lower()]),
                             "ordinal")
    else:
        if end < len(text) and text[end].isalpha() and not match.group("scale"):
            return None  # "3D", "4G" and other codes
        value = float(digits.replace(",", ""))
        if (len(digits) <= 2 and not match.group("scale") and not match.group("pct")
                and (_EN_LIST_LEFT.search(text, 0, start) and _EN_LIST_RIGHT.match(text, end)
                     or _EN_LABEL_LEFT.search(text, 0, start)
                     and _EN_LABEL_RIGHT.match(text, end))):
            # renumbered freely by translators (一是 / （二）), like "first" and "second"
            return NumberMention(start, end, digits, value, "ordinal")
    if digits is not None and match.group("suffix"):
        # "14th" after a month is a date (a day number), otherwise an ordinal
        before = text[max(0, start - 12) : start].lower().split()
        kind_o: Kind = "number" if before and before[-1].strip(".") in _MONTHS else "ordinal"
        return NumberMention(start, end, match.group(0), value, kind_o)
    tolerance = 0.0
    scale_words = [w for w in (match.group("scale"), match.group("scale2")) if w]
    short = (match.group("short") or "").lower()
    multiplier = 1.0
    for word in scale_words:
        multiplier *= _SCALES[word.lower()]
    if short:
        multiplier *= {"bn": 1e9, "mn": 1e6, "k": 1e3}[short]
    if multiplier != 1.0:
        if digits is not None:
            tolerance = 0.5 * multiplier * 10.0 ** -_decimals(digits)
        value *= multiplier
    hedge: Hedge | None = None
    for pattern, kind_h in _EN_HEDGE_BEFORE:
        if pattern.search(text, max(0, start - 30), start):
            hedge = kind_h
            break
    after = _EN_HEDGE_AFTER.match(text[end:])
    if match.group("plus"):
        hedge = "more_than"
    elif after:
        hedge = "approx" if (after.group("more") or "").lower() == "so" else "more_than"
        if after.group("odd"):
            hedge = "more_than"
    kind: Kind = "number"
    if match.group("pct"):
        kind = "percent"
    elif digits is not None and _is_year_en(text, match, digits, value, bool(scale_words)):
        kind = "year"
    text_span = match.group(0)
    return NumberMention(start, end, text_span, value, kind, hedge, tolerance)


def _is_year_en(text: str, match: re.Match[str], digits: str, value: float,
                scaled: bool) -> bool:
    if scaled or len(digits) != 4 or not digits.isdigit() or not 1900 <= value <= 2099:
        return False
    following = re.match(r"\s+([A-Za-z]+)", text[match.end():])
    if following is None:
        return True
    word = following.group(1)
    return word[0].isupper() or word.lower() in _YEAR_FOLLOWERS
