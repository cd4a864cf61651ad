"""decalque glossary: terms, matching, rules, checker, extractor, exchange."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("decalque")
except PackageNotFoundError:  # running from a source tree without install
    __version__ = "0.0.0+local"
