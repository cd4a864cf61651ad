"""Segmentation, the bilingual lexicon, and decoding of non-UTF-8 sources."""

from __future__ import annotations

import logging
import time

import pytest
from charset_normalizer import from_bytes
from helpers import SEEDS

from aligner.lexicon import (
    base_map,
    build_lexicon,
    en_content_words,
    en_name_keys,
    stem,
    zh_content_tokens,
    zh_name_keys,
)
from aligner.segment import segment, segment_many
from aligner.sentences import split_zh


def test_segment_basic_and_user_words() -> None:
    assert segment("") == []
    words = segment("公安机关打击网络水军", ["网络水军"])
    assert "网络水军" in words
    assert "".join(words) == "公安机关打击网络水军"
    assert segment_many(["我们", "", "他们"]) == [["我们"], [], ["他们"]]


def test_segment_drops_whitespace_and_does_not_log(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        words = segment("第一句。 第二句\n第三句")
    assert all(w.strip() for w in words)
    assert not [r for r in caplog.records if r.name == "jieba"]


def test_base_map_is_built_once_and_fast_enough() -> None:
    start = time.perf_counter()
    mapping = base_map()
    first = time.perf_counter() - start
    assert base_map() is mapping
    assert len(mapping) > 100_000
    assert first < 10  # ~1-2 s cold; generous for slow CI machines
    assert "arrest" in mapping["抓获"]
    assert "suspect" in mapping["嫌疑人"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [("investigated", "investigat"), ("investigation", "investigat"), ("suspects", "suspect"),
     ("cities", "city"), ("said", "say"), ("running", "run"), ("created", "creat"),
     ("create", "creat"), ("accounts", "account"), ("women", "woman"), ("Security", "secur"),
     ("process", "process"), ("gas", "gas"), ("protection", "protect"),
     ("prevention", "prevent"), ("discussion", "discuss"),
     # short e-final words keep their e, so their -ing/-ed forms get it back
     ("making", "make"), ("make", "make"), ("coming", "come"), ("hoped", "hope"),
     ("eating", "eat"), ("eat", "eat"), ("rated", "rate")],
)
def test_stem(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_en_content_words_drop_function_words_and_join_names() -> None:
    words = en_content_words("Chen Qingyang said that the suspects were arrested.")
    assert {"chen", "qingyang", "chenqingyang", "say", "suspect", "arrest"} <= set(words)
    assert "the" not in words and "that" not in words


def test_name_keys_meet_pinyin() -> None:
    keys = en_name_keys("Ye Wenjie met Bai Mulin; Bao-yu and Yu Zhan'ao watched.")
    found = zh_name_keys("叶文洁遇见白沐霖，宝玉和余占鳌在看。", keys)
    assert {"@yewenjie", "@wenjie", "@baimulin", "@baoyu", "@yuzhanao"} <= found
    assert zh_name_keys("叶文洁", set()) == set()


def test_lexicon_score() -> None:
    lexicon = build_lexicon()
    zh = "公安机关抓获犯罪嫌疑人。"
    good = lexicon.score(zh, "The police arrested the criminal suspects.")
    bad = lexicon.score(zh, "The weather was lovely in spring.")
    assert 0.5 <= good <= 1.0
    assert bad < good
    assert lexicon.score("。", "Anything.") == 0.0


def test_glossary_pairs_extend_the_lexicon() -> None:
    plain = build_lexicon()
    with_glossary = build_lexicon([("网络水军", "paid online posters"), ("", "x")])
    zh = "关停网络水军账号。"
    en = "Accounts of paid online posters were closed."
    assert with_glossary.score(zh, en) >= plain.score(zh, en)
    assert "网络水军" in zh_content_tokens(zh, with_glossary.user_words)
    assert {stem("paid"), stem("online"), stem("posters")} <= with_glossary.translations("网络水军")


def test_gbk_encoded_source_goes_through_split_zh(tmp_path) -> None:  # type: ignore[no-untyped-def]
    text = (SEEDS / "zh" / "000-clean-network-2021-results-2022.txt").read_text(
        encoding="utf-8")
    path = tmp_path / "source-gbk.txt"
    path.write_bytes(text.encode("gbk"))
    raw = path.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    best = from_bytes(raw).best()
    assert best is not None
    assert str(best) == text
    with open(path, encoding="gbk") as handle:
        decoded = handle.read()
    assert decoded == text
    assert [s.text for s in split_zh(decoded)] == [s.text for s in split_zh(text)]


def test_long_runs_are_segmented_in_pieces_without_losing_text() -> None:
    # jieba's HMM is quadratic in the length of an unknown run; segment cuts long texts
    text = "净网" * 3000 + "，打击网络水军。" * 50
    words = segment(text, ["网络水军"])
    assert "".join(words) == text
    assert words.count("网络水军") == 50
