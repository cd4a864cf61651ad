"""``decalque align``: print the sentence alignment of a Chinese source and its translation."""

from __future__ import annotations

import json
import os
import re

import click

from glossary import terms
from glossary.bilingual import AlignedPair, align_documents, lexicon_pairs
from glossary.cli import main
from glossary.cli.common import echo, glossary_option, progress
from glossary.config import load_config
from glossary.documents import read_document
from glossary.errors import DecalqueError

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
LINK_TYPES = ("extended", "basic")


@main.command("align")
@click.argument("zh_path", metavar="ZH")
@click.argument("en_path", metavar="EN")
@click.option("--format", "fmt", type=click.Choice(("tsv", "json")), default="tsv",
              help="tsv: one link per line (zh indices, en indices, score, texts); json: "
                   "links plus both sentence lists.")
@click.option("--presplit", is_flag=True,
              help="Take each non-empty line as one sentence (pre-split corpora).")
@click.option("--link-types", type=click.Choice(LINK_TYPES), default="extended",
              show_default=True,
              help="extended: 1-1 1-2 2-1 2-2 1-0 0-1 1-3 3-1 2-3 3-2 1-4 4-1 1-5 2-4 "
                   "(novels split sentences freely; ；-lists join); basic: only the first six, "
                   "for tools that take no wider links.")
@glossary_option
@click.option("--no-glossary", is_flag=True, help="Do not use the glossary as lexical evidence.")
@click.option("--no-progress", is_flag=True, help="Never show a progress bar.")
def align_cmd(zh_path: str, en_path: str, fmt: str, presplit: bool, link_types: str,
              glossary: str | None, no_glossary: bool, no_progress: bool) -> None:
    """Align the sentences of a Chinese source ZH with its English translation EN.

    Sentences are split by the aligner's splitters (or taken one per line with --presplit)
    and aligned by dynamic programming over length, dictionary (CC-CEDICT plus the glossary)
    and number evidence; every link has a confidence in [0, 1]. Indices are 0-based.

    \b
    Examples:
      decalque align seeds/zh/000-clean-network-2021-results-2022.txt \\
                     seeds/000-clean-network-2021-results-2022.txt
      decalque align source.txt target.txt --presplit --format json > links.json
    """
    pairs: list[tuple[str, str]] = []
    if not no_glossary:
        config = load_config()
        path = glossary or config.glossary or "terms.csv"
        if glossary and not os.path.exists(glossary):
            raise DecalqueError("glossary not found", glossary)
        if os.path.exists(path):
            pairs = lexicon_pairs(terms.load_valid(path))
    zh, en = read_document(zh_path), read_document(en_path)
    for doc in (zh, en):
        if not doc.text.strip():
            raise DecalqueError("empty file: nothing to align", doc.path)
    if not _CJK.search(zh.text):
        raise DecalqueError("no Chinese text found (is ZH the source and EN the translation?)",
                            zh.path)
    from aligner.align import ALIGN_STEPS, BASIC_LINK_TYPES, EXTENDED_LINK_TYPES

    types = EXTENDED_LINK_TYPES if link_types == "extended" else BASIC_LINK_TYPES
    with progress(ALIGN_STEPS, "aligning", not no_progress) as advance:
        pair = align_documents(zh, en, pairs, presplit=presplit, link_types=types,
                               on_step=advance)  # type: ignore[arg-type]
    echo(render_json(pair) if fmt == "json" else render_tsv(pair))


def render_json(pair: AlignedPair) -> str:
    """The documented JSON: links in order with 0-based indices, then both sentence lists."""
    data = {
        "links": [{"zh": list(link.zh), "en": list(link.en), "score": round(link.score, 4)}
                  for link in pair.links],
        "zh_sentences": [s.text for s in pair.zh_sentences],
        "en_sentences": [s.text for s in pair.en_sentences],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"


def _cell(text: str) -> str:
    return " ".join(text.split())


def render_tsv(pair: AlignedPair) -> str:
    """zh indices, en indices (comma-separated, empty for a skip), score, zh text, en text."""
    lines = ["zh\ten\tscore\tzh_text\ten_text"]
    for link in pair.links:
        zh_text = " ".join(pair.zh_sentences[i].text for i in link.zh)
        en_text = " ".join(pair.en_sentences[i].text for i in link.en)
        lines.append("\t".join((",".join(map(str, link.zh)), ",".join(map(str, link.en)),
                                f"{link.score:.3f}", _cell(zh_text), _cell(en_text))))
    return "\n".join(lines) + "\n"
