"""Suite-wide setup: the on-disk cache (glossary/cache.py) goes to a temporary directory, so
tests never read or write the user's ~/.cache/decalque (CLI subprocesses inherit it)."""

from __future__ import annotations

import os
import tempfile

os.environ["DECALQUE_CACHE_DIR"] = tempfile.mkdtemp(prefix="decalque-test-cache-")
