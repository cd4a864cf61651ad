"""Chinese word segmentation: the one place that calls jieba.

jieba loads its 20 MB dictionary on first use (about a second), so it is initialised lazily,
once per process, with its logging silenced: library code must not print. Glossary terms are
added as user words so multi-character terms (网络水军, 净网2021) come out as single tokens and
can be matched against their English renderings; ``jieba.add_word`` mutates a global
dictionary, so each distinct word set is added only once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from typing import Any

__all__ = ["segment", "segment_many"]

_lock = threading.Lock()
_tokenizer: Any = None
_added: set[str] = set()


def _jieba() -> Any:
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                jieba.initialize()
                _tokenizer = jieba
    return _tokenizer


def _add_words(words: Iterable[str]) -> None:
    fresh = {w.strip() for w in words if w and w.strip()} - _added
    if not fresh:
        return
    jieba = _jieba()
    with _lock:
        for word in sorted(fresh - _added):
            jieba.add_word(word)
        _added.update(fresh)


def segment(text: str, user_words: Iterable[str] = ()) -> list[str]:
    """Words of ``text`` in order (jieba's accurate mode; its HMM joins unknown names such as
    陈清扬 into one token); whitespace-only tokens are dropped."""
    _add_words(user_words)
    if not text:
        return []
    return [w for w in _jieba().lcut(text) if not w.isspace()]


def segment_many(texts: Iterable[str], user_words: Iterable[str] = ()) -> list[list[str]]:
    """``segment`` for many texts, adding the user words once."""
    _add_words(user_words)
    jieba = _jieba()
    return [[w for w in jieba.lcut(t) if not w.isspace()] if t else [] for t in texts]
