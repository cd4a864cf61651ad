"""Chinese word segmentation: the one place that calls jieba.

jieba loads its 20 MB dictionary on first use (about a second), so it is initialised lazily,
once per process, with its logging silenced: library code must not print. Glossary terms are
added as user words so multi-character terms (网络水军, 净网2021) come out as single tokens and
can be matched against their English renderings. ``jieba.add_word`` on the global tokenizer
would make every later result depend on which glossaries the process saw before (a test run,
a long-lived TUI or a Dask worker would segment differently from a fresh process), so each
distinct word set gets its own tokenizer: a copy of the base dictionary plus those words.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any

__all__ = ["segment", "segment_many"]

_lock = threading.Lock()
_base: Any = None
_by_words: OrderedDict[frozenset[str], Any] = OrderedDict()
_CACHED_SETS = 4


def _base_tokenizer() -> Any:
    global _base
    if _base is None:
        with _lock:
            if _base is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _base = jieba.dt
    return _base


def word_frequency(word: str) -> int:
    """How often jieba's dictionary has seen ``word`` (0 for a word it lacks): the unigram
    counts its own segmentation weighs readings by."""
    return int(_base_tokenizer().FREQ.get(word) or 0)


def _tokenizer(user_words: Iterable[str]) -> Any:
    """The base tokenizer, or a private copy of it with ``user_words`` added (a dictionary
    copy costs about 30 ms; the last few word sets are kept)."""
    words = frozenset(w.strip() for w in user_words if w and w.strip())
    base = _base_tokenizer()
    if not words:
        return base
    with _lock:
        found = _by_words.get(words)
        if found is not None:
            _by_words.move_to_end(words)
            return found
        import jieba

        tokenizer = jieba.Tokenizer(base.dictionary)
        tokenizer.FREQ = dict(base.FREQ)
        tokenizer.total = base.total
        tokenizer.initialized = True
        for word in sorted(words):
            tokenizer.add_word(word)
        _by_words[words] = tokenizer
        while len(_by_words) > _CACHED_SETS:
            _by_words.popitem(last=False)
        return tokenizer


def segment(text: str, user_words: Iterable[str] = ()) -> list[str]:
    """Words of ``text`` in order (jieba's accurate mode; its HMM joins unknown names such as
    陈清扬 into one token); whitespace-only tokens are dropped."""
    if not text:
        return []
    tokenizer = _tokenizer(user_words)
    return [w for piece in _pieces(text) for w in tokenizer.lcut(piece) if not w.isspace()]


def segment_many(texts: Iterable[str], user_words: Iterable[str] = ()) -> list[list[str]]:
    """``segment`` for many texts, adding the user words once."""
    tokenizer = _tokenizer(user_words)
    return [[w for piece in _pieces(t) for w in tokenizer.lcut(piece) if not w.isspace()]
            if t else [] for t in texts]


# jieba's HMM copies its best path at every character of an unknown run, so a long run costs
# time quadratic in its length (a 160,000-character line: minutes). Cutting after clause
# punctuation, and hard every _PIECE characters in a run without any, keeps it linear; real
# sentences are far shorter, so their segmentation is unchanged.
_PIECE = 500
_CLAUSE_END = re.compile(r"(?<=[。！？；，、：\n])")


def _pieces(text: str) -> list[str]:
    if len(text) <= _PIECE:
        return [text]
    out: list[str] = []
    for part in _CLAUSE_END.split(text):
        out.extend(part[i:i + _PIECE] for i in range(0, len(part), _PIECE))
    return [p for p in out if p]
