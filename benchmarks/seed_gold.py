"""Keep the seed gold (tests/data/extract/gold_seeds.json) in step with terms.csv (run by hand).

    python benchmarks/seed_gold.py            # what terms.csv's DQ101 findings add or remove
    python benchmarks/seed_gold.py --write    # append the concepts they add

The gold is the checker's DQ101 findings with terms.csv on the four MT seeds, grouped by
concept. When terms.csv gains a concept whose deprecated form is in a seed, the seed has one
more annotated calque; existing entries are left as written (their forms were copied from the
text with the quotation marks trimmed).
"""

from __future__ import annotations

import argparse
import json
import os

from glossary import terms
from glossary.check import CheckContext, check_paths
from glossary.diagnostics import select_rules

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GOLD = os.path.join(ROOT, "tests", "data", "extract", "gold_seeds.json")


def findings_by_concept(documents: list[str]) -> dict[str, dict[str, list[str]]]:
    """concept -> {"forms": surface forms, "docs": documents} of the DQ101 findings."""
    glossary = terms.load(os.path.join(ROOT, "terms.csv"))
    ctx = CheckContext.build(glossary, select_rules(["DQ101"]))
    found: dict[str, dict[str, list[str]]] = {}
    diagnostics = (d for result, _ in check_paths([os.path.join(ROOT, p) for p in documents],
                                                   ctx) for d in result.diagnostics)
    for diag in diagnostics:
        if diag.code != "DQ101" or diag.concept is None:
            continue
        entry = found.setdefault(diag.concept, {"forms": [], "docs": []})
        path = os.path.relpath(diag.path, ROOT)
        if diag.found not in entry["forms"]:
            entry["forms"].append(diag.found)
        if path not in entry["docs"]:
            entry["docs"].append(path)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="append the new concepts")
    args = parser.parse_args()
    with open(GOLD, encoding="utf-8") as handle:
        gold = json.load(handle)
    annotated = {c["concept"] for c in gold["concepts"]}
    found = findings_by_concept(gold["documents"])
    added = sorted(set(found) - annotated)
    print(f"gold {len(annotated)} concepts, terms.csv finds {len(found)}")
    print("new:", ", ".join(added) or "none")
    print("no longer found:", ", ".join(sorted(annotated - set(found))) or "none")
    if args.write and added:
        glossary = terms.load(os.path.join(ROOT, "terms.csv"))
        for concept in added:
            entry = glossary.get(concept)
            gold["concepts"].append({"concept": concept, "zh": list(entry.zh) if entry else [],
                                     **found[concept]})
        gold["concepts"].sort(key=lambda c: c["concept"])
        tmp = GOLD + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(gold, handle, ensure_ascii=False, indent=1)
        os.replace(tmp, GOLD)
        print(f"wrote {len(gold['concepts'])} concepts to {os.path.relpath(GOLD, ROOT)}")


if __name__ == "__main__":
    main()
