"""Imports every command module so each can register itself on the main group."""

from glossary.cli import (  # noqa: F401
    align_cmd,
    check_cmd,
    export_cmd,
    extract_cmd,
    glossary_cmd,
    import_cmd,
    review_cmd,
    score_cmd,
)
