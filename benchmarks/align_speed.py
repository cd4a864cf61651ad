"""Aligner speed on a long synthetic document pair (run by hand, prints seconds).

    python benchmarks/align_speed.py [--sentences 2000]

The pair is built from the hand-aligned seed documents (tests/data/align/*.json): their gold
links are drawn in random order (fixed seed), one or two paragraphs' worth at a time, until
the Chinese side has ``--sentences`` sentences, so the result is a realistic ~N x N document
with a known alignment (its F1 is printed too). The one-time setup (CC-CEDICT lexicon build,
jieba dictionary load) is timed separately: it happens once per process.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

from aligner.align import align, gale_church
from aligner.lexicon import base_map
from aligner.segment import segment

sys.path.insert(0, str(Path(__file__).resolve().parent))
from align_eval import f1_table, load_gold, scores  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def build(target: int, seed: int = 7) -> tuple[list[str], list[str], list[tuple]]:
    """A long parallel document with its gold links."""
    rng = random.Random(seed)
    docs = [load_gold(p) for p in sorted((ROOT / "tests" / "data" / "align").glob("*.json"))]
    zh: list[str] = []
    en: list[str] = []
    gold: list[tuple] = []
    while len(zh) < target:
        doc_zh, doc_en, links = rng.choice(docs)
        start = rng.randrange(len(links))
        for z, e in links[start : start + rng.randint(3, 12)]:
            gold.append((tuple(range(len(zh), len(zh) + len(z))),
                         tuple(range(len(en), len(en) + len(e)))))
            zh.extend(doc_zh[i] for i in z)
            en.extend(doc_en[j] for j in e)
            if len(zh) >= target:
                break
    return zh, en, gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    base_map()
    segment("预热")
    setup = time.perf_counter() - start
    zh, en, gold = build(args.sentences)
    print(f"document: {len(zh)} Chinese x {len(en)} English sentences")
    print(f"one-time setup (lexicon + jieba): {setup:.2f} s")
    for name, run in (("align", align), ("gale_church", gale_church)):
        best = float("inf")
        links = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            links = run(zh, en)
            best = min(best, time.perf_counter() - start)
        table = f1_table(scores(gold, [(link.zh, link.en) for link in links]))
        print(f"{name:<12} {best:6.2f} s (best of {args.repeat})   strict F1 "
              f"{table['f1_strict']:.3f}  lenient F1 {table['f1_lenient']:.3f}")


if __name__ == "__main__":
    main()
