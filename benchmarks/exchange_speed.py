"""Export and import speed per format on a large synthetic glossary (run by hand).

    python benchmarks/exchange_speed.py [--copies 60] [--glossary terms.csv]

The glossary is terms.csv repeated COPIES times with suffixed ids and forms (so validation
sees no clashes); each format is exported, then imported back and merged, and the round trip
is checked to be byte-identical.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from glossary import exchange, terms
from glossary.exchange import model


def synthetic(path: str, copies: int) -> terms.Glossary:
    base = terms.load(path)
    concepts = []
    for n in range(copies):
        for c in base:
            concepts.append(replace(
                c, id=f"{c.id}-{n}", zh=tuple(f"{z}{n}" for z in c.zh),
                preferred=f"{c.preferred} {n}", admitted=tuple(f"{f} {n}" for f in c.admitted),
                deprecated=tuple(f"{f} {n}" for f in c.deprecated)))
    built = terms.build(concepts, "big.csv")
    return terms.parse(built.dumps().decode("utf-8"), "big.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glossary", default="terms.csv")
    parser.add_argument("--copies", type=int, default=60)
    args = parser.parse_args()
    glossary = synthetic(args.glossary, args.copies)
    print(f"{len(glossary)} concepts")
    print(f"{'format':<16}{'bytes':>12}{'export s':>10}{'import s':>10}  round trip")
    with tempfile.TemporaryDirectory() as tmp:
        for fmt, per_term in [("tbx", False), ("csv", False), ("csv", True), ("xlsx", False),
                              ("xlsx", True), ("omegat", False), ("json", False),
                              ("html", False)]:
            start = time.perf_counter()
            data = exchange.export(model.select(glossary, per_term=per_term), fmt)
            exported = time.perf_counter() - start
            label = fmt + (" per-term" if per_term else "")
            if fmt not in exchange.IMPORT_FORMATS:
                print(f"{label:<16}{len(data):>12,}{exported:>10.2f}{'':>10}")
                continue
            path = Path(tmp) / f"g.{fmt}"
            path.write_bytes(data)
            start = time.perf_counter()
            result = model.merge(glossary, exchange.read(str(path), fmt, 1 << 30))
            imported = time.perf_counter() - start
            same = result.glossary.dumps() == glossary.dumps()
            print(f"{label:<16}{len(data):>12,}{exported:>10.2f}{imported:>10.2f}  "
                  f"{'identical' if same else 'DIFFERS'}")


if __name__ == "__main__":
    main()
