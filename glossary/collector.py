"""Pausing Python's cyclic garbage collector around passes that make many small objects and
no reference cycles (checks make a few per finding, the extractor ~10 per n-gram): reference
counting frees them, while the collector's full passes would re-walk every live one again and
again (~10% of a 100 MB check, a third of an extractor map)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_collector() -> Iterator[None]:
    """The collector off for the block; restored as the caller had it, even on error. Any
    cycle made meanwhile is collected once it runs again."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
