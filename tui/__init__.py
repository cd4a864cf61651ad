"""Textual review app: a thin view over the glossary, checker, extractor and aligner."""
