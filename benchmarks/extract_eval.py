"""Extractor quality against a gold annotation, next to a quoted-phrases-only baseline.

    python benchmarks/extract_eval.py tests/data/extract/gold_seeds.json seeds/000-*.txt \\
        seeds/001-*.txt seeds/002-*.txt seeds/004-*.txt

Prints concept-level recall@50, recall@100 and precision@50 with an empty glossary (see
glossary/extract/evaluate.py for how a candidate hits a gold concept). Gold concepts are
restricted to those annotated in the DOCS given. With ``--source ZH...`` (Chinese files paired
by file name) the bilingual mode is scored too:

    python benchmarks/extract_eval.py tests/data/extract/gold_seeds.json seeds/000-*.txt \
        seeds/002-*.txt --source seeds/zh/000-*.txt seeds/zh/002-*.txt

``--show N`` also lists each system's top N, marked HIT or FP, and the gold concepts that its
first 100 miss. ``--glossary terms.csv`` scores the run a reviewer makes with the glossary at
hand: candidates the glossary already knows are left out (as ``decalque extract --top`` leaves
them), and recall counts only the gold concepts it does not know (no form of theirs is a
glossary form): how well the extractor finds what the glossary is missing. Precision counts a
new form of a known concept (a ``variant``) as a hit.
"""

from __future__ import annotations

import argparse

from glossary.documents import read_document
from glossary.extract.candidates import document_phrases
from glossary.extract.evaluate import Gold, evaluate, load_gold
from glossary.extract.score import extract


def quoted_baseline(docs: list) -> list:
    """Only phrases that were ever in quotation marks, most frequent first."""
    from glossary.extract.score import Candidate, Form, merge

    out = []
    for key, m in merge(docs).merged.items():
        if m.quoted:
            forms = [Form(t, n, m.surface_docs[t]) for t, n in m.surfaces.items()]
            out.append(Candidate(key, float(m.quoted), forms, {}, []))
    out.sort(key=lambda c: (-c.score, c.key))
    return out


def _restricted(gold: Gold, path: str, docs: list[str]) -> Gold:
    """Only the concepts annotated in the documents being evaluated."""
    import json
    import os

    names = {os.path.basename(d) for d in docs}
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    keep = {c["concept"] for c in data["concepts"]
            if not c.get("docs") or names & {os.path.basename(d) for d in c["docs"]}}
    return Gold({k: v for k, v in gold.concepts.items() if k in keep}, gold.documents)


def ranked_report(cands: list, gold: Gold, top: int) -> list[str]:
    """The top candidates marked HIT (the gold concepts they hit) or FP, then every gold
    concept the first 100 miss: what to read before changing a signal."""
    from glossary.extract.evaluate import concepts_hit

    lines, found = [], set()
    for rank, cand in enumerate(cands[:max(100, top)], 1):
        hit = concepts_hit(cand, gold)
        if rank <= 100:
            found |= hit
        if rank <= top:
            evidence = {k: v for k, v in cand.signals.items() if k not in ("docs", "count")}
            mark = f"HIT {','.join(sorted(hit))}" if hit else "FP"
            lines.append(f"{rank:>4} {cand.score:6.2f} {cand.key!r} {mark} {evidence}")
    lines += [f"MISS {concept}: {sorted(forms)}" for concept, forms in sorted(gold.concepts.items())
              if concept not in found]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold")
    parser.add_argument("docs", nargs="+")
    parser.add_argument("--source", nargs="+", default=[])
    parser.add_argument("--show", type=int, default=0, metavar="N",
                        help="also list each system's top N (HIT/FP) and the gold it misses")
    parser.add_argument("--glossary", metavar="TERMS",
                        help="leave out the candidates and gold concepts this glossary knows")
    args = parser.parse_args()
    gold = _restricted(load_gold(args.gold), args.gold, args.docs)
    docs = [document_phrases(read_document(p)) for p in args.docs]
    glossary, known, full_gold = None, {}, gold
    if args.glossary:
        from glossary.extract.score import _glossary_keys
        from glossary.terms import load_valid

        glossary = load_valid(args.glossary)
        known, _ = _glossary_keys(glossary)
        gold = Gold({k: v for k, v in gold.concepts.items() if not v & known.keys()},
                    gold.documents)
    ours = extract(docs, glossary)
    systems = [("decalque", ours), ("quoted-only", quoted_baseline(docs))]
    if args.source:
        from glossary.extract.bilingual import (
            bilingual_document,
            pair_terms,
            with_pairs,
        )
        from glossary.files import resolve_pairs

        by_english, _, _ = resolve_pairs(args.docs, args.docs, args.source)
        bi = [bilingual_document(read_document(z), read_document(e))
              for e, z in by_english.items()]
        systems.insert(1, ("decalque+zh", with_pairs(ours, pair_terms(bi), glossary)))
    # what a reviewer is shown: not the candidates the glossary knows; a new form of a known
    # concept (a variant) is shown and counts as a hit of that concept for precision
    systems = [(name, [c for c in cands if c.status != "known" and c.key not in known])
               for name, cands in systems]
    print(f"gold concepts: {len(gold.concepts)}"
          + (f" of {len(full_gold.concepts)} unknown to the glossary" if glossary else "")
          + f"; documents: {len(docs)}")
    print(f"{'system':<16}{'recall@50':>10}{'recall@100':>11}{'precision@50':>13}{'cands':>7}")
    for name, cands in systems:
        fig = evaluate(cands, gold)
        precision = evaluate(cands, full_gold)["precision@50"]
        print(f"{name:<16}{fig['recall@50']:>10.2f}{fig['recall@100']:>11.2f}"
              f"{precision:>13.2f}{len(cands):>7}")
    for name, cands in systems if args.show else ():
        print(f"\n== {name}")
        print("\n".join(ranked_report(cands, gold, args.show)))


if __name__ == "__main__":
    from glossary.errors import DecalqueError

    try:
        main()
    except DecalqueError as error:  # a file that cannot be read or paired: one line, exit 2
        import sys

        print(f"extract_eval: {error}", file=sys.stderr)
        raise SystemExit(2) from None
