"""Imports every command module so each can register itself on the main group."""

from glossary.cli import check_cmd, extract_cmd, glossary_cmd, review_cmd, score_cmd  # noqa: F401
