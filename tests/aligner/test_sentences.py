"""Sentence and paragraph splitting: spans, edge cases, and the join-back property."""

from __future__ import annotations

import pytest
from helpers import SEEDS
from hypothesis import given, settings
from hypothesis import strategies as st

from aligner.sentences import Sentence, sentence_around, split_en, split_paragraphs, split_zh


def en(text: str) -> list[str]:
    return [s.text for s in split_en(text)]


def zh(text: str) -> list[str]:
    return [s.text for s in split_zh(text)]


def rebuild(text: str, spans: list[Sentence]) -> str:
    out, pos = [], 0
    for s in spans:
        out.append(text[pos : s.start])
        out.append(s.text)
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


# -- English ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It rained. We left.", ["It rained.", "We left."]),
        ("Dr. Smith met Mr. Li and Mrs. Wang. They talked.",
         ["Dr. Smith met Mr. Li and Mrs. Wang.", "They talked."]),
        ("Ms. Zhou and Prof. Liu arrived. St. Paul's is old.",
         ["Ms. Zhou and Prof. Liu arrived.", "St. Paul's is old."]),
        ("The meeting was on Jan. 14. It ended at 5 p.m. Beijing time.",
         ["The meeting was on Jan. 14.", "It ended at 5 p.m. Beijing time."]),
        ("See No. 5 for details. Then stop.", ["See No. 5 for details.", "Then stop."]),
        ("Revenue reached 6.2 million yuan. Profit fell.",
         ["Revenue reached 6.2 million yuan.", "Profit fell."]),
        ("Growth was 10.7 percent. It was 28.7% later.",
         ["Growth was 10.7 percent.", "It was 28.7% later."]),
        ("J. K. Rowling wrote it. Readers loved it.",
         ["J. K. Rowling wrote it.", "Readers loved it."]),
        ("Shenzhen Tech Co., Ltd. was fined. Apple Inc. appealed.",
         ["Shenzhen Tech Co., Ltd. was fined.", "Apple Inc. appealed."]),
        ("The U.S. Department of State said so. China replied.",
         ["The U.S. Department of State said so.", "China replied."]),
        ("Cards, numbers, lines, etc. are tools. Cards etc. Then more.",
         ["Cards, numbers, lines, etc. are tools.", "Cards etc.", "Then more."]),
        ("Use tools, e.g. Python, i.e. a language. Fine.",
         ["Use tools, e.g. Python, i.e. a language.", "Fine."]),
        ("China vs. the U.S. was the topic. Done.",
         ["China vs. the U.S. was the topic.", "Done."]),
        ('He said "Go." Then he left.', ['He said "Go."', "Then he left."]),
        ("“Really?” she asked. “Yes!” he said.", ["“Really?” she asked.", "“Yes!” he said."]),
        ("She waited... Then she left.", ["She waited...", "Then she left."]),
        ("She waited… And waited.", ["She waited…", "And waited."]),
        ("Wait... what?", ["Wait... what?"]),
        ("It cost $5. 6 people came.", ["It cost $5.", "6 people came."]),
        ("(See above.) Next one.", ["(See above.)", "Next one."]),
        ('The trend is obvious. " Jinke said.', ['The trend is obvious. "', "Jinke said."]),
        ("No full stop at the end", ["No full stop at the end"]),
        # speech broken off by a dash ends when the next speech opens, not before narration
        ("'I'd have had you, though—' 'Is that right?' he said.",
         ["'I'd have had you, though—'", "'Is that right?' he said."]),
        ('"Wait—" he said. "Go—now."', ['"Wait—" he said.', '"Go—now."']),
        ("First line\nSecond line. Third", ["First line", "Second line.", "Third"]),
        ("Title\n\n  Indented paragraph.  ", ["Title", "Indented paragraph."]),
        # a heading's number opens its sentence (MT's "IV." for 四、); elsewhere it ends one
        ("IV. Standardize letters and visits. We cleared backlogs.\n2. Typical cases",
         ["IV. Standardize letters and visits.", "We cleared backlogs.", "2. Typical cases"]),
        ("(3). Strengthen supervision. Done.", ["(3). Strengthen supervision.", "Done."]),
        ("See chapter II. The end came in 2. Then more.",
         ["See chapter II.", "The end came in 2.", "Then more."]),
    ],
)
def test_split_en(text: str, expected: list[str]) -> None:
    assert en(text) == expected


def test_lowercase_after_period_is_not_a_boundary() -> None:
    assert en("He went to the shop. and bought milk.") == [
        "He went to the shop. and bought milk."
    ]


def test_question_and_exclamation_runs() -> None:
    assert en("What?! No way!! Fine.") == ["What?!", "No way!!", "Fine."]


# -- Chinese ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我二十一岁。她二十六岁！", ["我二十一岁。", "她二十六岁！"]),
        ("真的吗？是的。", ["真的吗？", "是的。"]),
        ("全年侦办案件6.2万余起，同比上升10.7%；抓获嫌疑人10.3万余名。",
         ["全年侦办案件6.2万余起，同比上升10.7%；", "抓获嫌疑人10.3万余名。"]),
        ("他说：“你好。”然后走了。", ["他说：“你好。”", "然后走了。"]),
        ("“走吧！”她说。", ["“走吧！”", "她说。"]),
        ("他问：「来吗？」我答：『来。』", ["他问：「来吗？」", "我答：『来。』"]),
        ("（完。）下一段。", ["（完。）", "下一段。"]),
        ("《法治日报》报道。记者注意到。", ["《法治日报》报道。", "记者注意到。"]),
        ("我……我不知道。", ["我……", "我不知道。"]),
        ("这个……，那个。", ["这个……，那个。"]),
        ("等等...然后呢", ["等等...", "然后呢"]),
        ("Hello! 你好?好的", ["Hello!", "你好?", "好的"]),
        ("侦办案件６．２万起．抓获１人。", ["侦办案件６．２万起．", "抓获１人。"]),
        ("标题\n\n　　正文第一句。第二句", ["标题", "正文第一句。", "第二句"]),
        ("“顺山倒咧——”\n随着号子，树倒了。", ["“顺山倒咧——”", "随着号子，树倒了。"]),
        # a stammer inside quoted speech is no end; narration trailing off still is
        ("他道：“我叫……叫小玄子。服…… 服了没有？”他走了……天黑了。",
         ["他道：“我叫……叫小玄子。", "服…… 服了没有？”", "他走了……", "天黑了。"]),
        ("他说：“我……”然后走了。", ["他说：“我……”", "然后走了。"]),
        # a closing quote after a space still closes the sentence before it
        ("道：“你不会摔交。 ”韦小宝道：“谁说？”", ["道：“你不会摔交。 ”", "韦小宝道：“谁说？”"]),
    ],
)
def test_split_zh(text: str, expected: list[str]) -> None:
    assert zh(text) == expected


def test_paragraphs_are_non_empty_stripped_lines() -> None:
    text = "a\n\n  b c \r\nd\n\u3000\n"
    assert [p.text for p in split_paragraphs(text)] == ["a", "b c", "d"]
    for p in split_paragraphs(text):
        assert text[p.start : p.end] == p.text


def test_empty_and_blank() -> None:
    for fn in (split_zh, split_en, split_paragraphs):
        assert fn("") == []
        assert fn(" \n\t\u3000\n") == []


def test_sentence_is_frozen() -> None:
    s = split_en("One. Two.")[0]
    with pytest.raises(AttributeError):
        s.start = 3  # type: ignore[misc]


# -- the seeds --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["000-clean-network-2021-results-2022",
                                  "002-cat-pool-and-cyber-violence-2023"])
def test_seed_paragraphs_correspond(name: str) -> None:
    en_text = (SEEDS / f"{name}.txt").read_text(encoding="utf-8")
    zh_text = (SEEDS / "zh" / f"{name}.txt").read_text(encoding="utf-8")
    ref_text = (SEEDS / "ref" / f"{name}.txt").read_text(encoding="utf-8")
    count = len(split_paragraphs(en_text))
    assert len(split_paragraphs(zh_text)) == count
    assert len(split_paragraphs(ref_text)) == count
    for text, split in ((en_text, split_en), (zh_text, split_zh), (ref_text, split_en)):
        spans = split(text)
        assert rebuild(text, spans) == text
        assert all(text[s.start : s.end] == s.text for s in spans)


# -- properties -------------------------------------------------------------------------------
_ALPHABET = st.sampled_from(
    list("abcXYZ .!?…;,'\"“”‘’()\n\t\u3000。！？；，、「」』『》《（）…—12345.%万亿一二三")
    + ["Dr.", "Mr.", "U.S.", "e.g.", "6.2", "J. K.", "Co., Ltd.", "...", "……", "\r\n"]
)
_TEXTS = st.lists(_ALPHABET, max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_join_back_property(text: str) -> None:
    for split in (split_zh, split_en, split_paragraphs):
        spans = split(text)
        assert rebuild(text, spans) == text
        pos = 0
        for s in spans:
            assert s.start >= pos and s.end > s.start
            assert text[s.start : s.end] == s.text
            assert s.text == s.text.strip() and s.text
            assert text[pos : s.start].strip() == ""  # only whitespace is left out
            pos = s.end
        assert text[pos:].strip() == ""


@settings(max_examples=150, deadline=None)
@given(_TEXTS)
def test_newlines_end_sentences(text: str) -> None:
    for split in (split_zh, split_en):
        for s in split(text):
            assert "\n" not in s.text and "\r" not in s.text


# -- one sentence around a phrase (the extractor's contexts) -------------------------------------
def test_the_sentence_around_a_phrase_is_the_one_split_en_cuts() -> None:
    """On every line of the MT seeds, any word of any sentence gives back that sentence, as
    ``split_en`` cuts it (abbreviations, decimals, quotes): one rule for both."""
    checked = 0
    for path in sorted(SEEDS.glob("00*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for s in split_en(line):
                words = s.text.split()
                at = s.start + s.text.find(words[len(words) // 2])
                assert sentence_around(line, at, at + 1, reach=len(line)) == s.text
                checked += 1
    assert checked > 200  # 240 sentences


@settings(max_examples=200, deadline=None)
@given(_TEXTS, st.data())
def test_the_sentence_around_a_phrase_holds_it(text: str, data: st.DataObject) -> None:
    for line in text.splitlines():
        if not line.strip():
            continue
        start = data.draw(st.integers(0, len(line) - 1))
        end = data.draw(st.integers(start + 1, len(line)))
        around = sentence_around(line, start, end, reach=len(line))
        # whole sentences of the line: nothing cut, the phrase inside
        assert line[start:end].strip() in around and around in line


def test_a_long_sentence_is_cut_at_words_either_side() -> None:
    line = "word " * 200 + "the target phrase " + "more " * 200 + "end."
    at = line.find("target")
    around = sentence_around(line, at, at + 6, reach=40)
    assert around.startswith("…word ") and around.endswith(" more…")
    assert "the target phrase" in around and len(around) <= 2 + 40 * 2 + 6
    quoted = 'He said "hello there." The "network water army" posted. Next one.'
    at = quoted.find("network")
    assert sentence_around(quoted, at, at + 7) == 'The "network water army" posted.'
    # a phrase across a sentence end: both sentences
    line = "It began. The water army. Then it posted. Later."
    at = line.find("army")
    assert sentence_around(line, at, line.find("posted")) == "The water army. Then it posted."
