"""JSON for scripts and web tools, with a published schema (docs/exchange.schema.json).

The document is versioned so a consumer can refuse what it does not understand; each concept
is ``Concept.as_dict()``, the same shape ``decalque glossary show --json`` prints.
"""

from __future__ import annotations

import json

from glossary.exchange.model import View

FORMAT = "decalque-glossary"
VERSION = 1


def document(view: View) -> dict[str, object]:
    concepts = []
    for concept in view.concepts:
        data = concept.as_dict()
        if "zh" not in view.langs:
            del data["zh"]
        if "en" not in view.langs:
            for key in ("preferred", "admitted", "deprecated"):
                del data[key]
        concepts.append(data)
    return {"format": FORMAT, "version": VERSION, "source": view.source_name,
            "languages": list(view.langs), "concepts": concepts}


def dump(view: View) -> bytes:
    return (json.dumps(document(view), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
