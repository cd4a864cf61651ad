"""Sentence-alignment quality against hand-made gold (run by hand, prints a table).

    python benchmarks/align_eval.py tests/data/align/*.json [--glossary terms.csv]
                                    [--link-types extended|basic]

A gold file is JSON: ``{"zh_file": ..., "en_file": ..., "links": [{"zh": [0], "en": [0, 1]},
...]}`` with indices into ``split_zh`` / ``split_en`` of the two files (paths relative to the
repository root or to the gold file). ``"split": "lines"`` instead takes one sentence per line
(for corpora that come sentence-split, such as public literary gold sets).

Scores, as in Vecalign and Bertalign's evaluation (Sennrich & Volk's strict/lax):

* strict: a predicted link is right when the gold has exactly the same link;
* lenient: also right when it overlaps a gold link on both sides;
* precision is over predicted links, recall over gold links, ignoring 1-0/0-1 links on both
  sides for recall (a predicted deletion counts for precision only when it is exact).

Both decalque's ``align`` and the length-only ``gale_church`` baseline are scored, per file and
over all files (micro-averaged counts).

``--intertext DIR`` reads gold in InterText XML instead (the format of the MAC corpus of
Chinese-English novels, github.com/bfsujason/mac: ``X_zh.xml``, ``X_en.xml`` with ``<s>``
sentences and ``X_zh.X_en.xml`` with ``<link xtargets="ids;ids">``); which side of xtargets
is Chinese is decided by which reading makes the linked lengths correlate, since files in the
wild disagree with their own fromDoc/toDoc attributes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from aligner.align import BASIC_LINK_TYPES, EXTENDED_LINK_TYPES, align, gale_church
from aligner.sentences import split_en, split_zh

ROOT = Path(__file__).resolve().parents[1]
LinkPair = tuple[tuple[int, ...], tuple[int, ...]]


def counts(gold: Iterable[LinkPair], test: Iterable[LinkPair]) -> tuple[int, int, int, int]:
    """(strict hits, strict misses, lenient hits, lenient misses) of ``test`` against
    ``gold``."""
    gold_set = {(tuple(z), tuple(e)) for z, e in gold if z or e}
    test_set = {(tuple(z), tuple(e)) for z, e in test if z or e}
    zh_to_en: dict[int, set[int]] = defaultdict(set)
    for z, e in gold_set:
        for i in z:
            zh_to_en[i].update(e)
    strict_hit = strict_miss = lenient_hit = lenient_miss = 0
    for z, e in test_set:
        if (z, e) in gold_set:
            strict_hit += 1
            lenient_hit += 1
            continue
        strict_miss += 1
        reachable: set[int] = set()
        for i in z:
            reachable |= zh_to_en[i]
        if reachable & set(e):
            lenient_hit += 1
        else:
            lenient_miss += 1
    return strict_hit, strict_miss, lenient_hit, lenient_miss


def scores(gold: Sequence[LinkPair], test: Sequence[LinkPair]) -> list[int]:
    """Precision counts then recall counts (8 integers), summable over files."""
    precision = counts(gold, test)
    recall = counts([p for p in test if p[0] and p[1]], [g for g in gold if g[0] and g[1]])
    return [*precision, *recall]


def f1_table(c: Sequence[int]) -> dict[str, float]:
    """Precision, recall and F1, strict and lenient, from summed :func:`scores` counts."""
    def ratio(a: int, b: int) -> float:
        return a / (a + b) if a + b else 0.0

    out = {
        "p_strict": ratio(c[0], c[1]), "p_lenient": ratio(c[2], c[3]),
        "r_strict": ratio(c[4], c[5]), "r_lenient": ratio(c[6], c[7]),
    }
    for kind in ("strict", "lenient"):
        p, r = out[f"p_{kind}"], out[f"r_{kind}"]
        out[f"f1_{kind}"] = 2 * p * r / (p + r) if p + r else 0.0
    return out


def load_gold(path: Path) -> tuple[list[str], list[str], list[LinkPair]]:
    """The two sentence lists and the gold links of a gold file."""
    data = json.loads(path.read_text(encoding="utf-8"))

    def resolve(name: str) -> Path:
        for base in (ROOT, path.parent):
            if (base / name).exists():
                return base / name
        raise FileNotFoundError(name)

    zh_text = resolve(data["zh_file"]).read_text(encoding="utf-8")
    en_text = resolve(data["en_file"]).read_text(encoding="utf-8")
    if data.get("split") == "lines":
        zh = [line.strip() for line in zh_text.splitlines()]
        en = [line.strip() for line in en_text.splitlines()]
    else:
        zh = [s.text for s in split_zh(zh_text)]
        en = [s.text for s in split_en(en_text)]
    links = [(tuple(link["zh"]), tuple(link["en"])) for link in data["links"]]
    return zh, en, links


def load_intertext(link_file: Path) -> tuple[list[str], list[str], list[LinkPair]]:
    """Sentences and gold links of an InterText alignment (see the module docstring)."""
    import statistics
    from xml.etree import ElementTree

    group = ElementTree.parse(link_file).getroot()
    docs = []
    for attribute in ("fromDoc", "toDoc"):
        root = ElementTree.parse(link_file.with_name(group.get(attribute, ""))).getroot()
        items = [(s.get("id", ""), "".join(s.itertext()).strip()) for s in root.iter("s")]
        text = "".join(t for _, t in items)
        cjk = sum(1 for c in text if "\u4e00" <= c <= "\u9fff") / max(len(text), 1)
        docs.append((cjk, [t for _, t in items], {sid: k for k, (sid, _) in enumerate(items)}))
    docs.sort(key=lambda d: -d[0])  # Chinese first
    (_, zh, zh_ids), (_, en, en_ids) = docs
    raw = []
    for link in group.iter("link"):
        left, _, right = (link.get("xtargets") or ";").partition(";")
        raw.append((left.split(), right.split()))

    def reading(first_is_zh: bool) -> tuple[float, list[LinkPair]] | None:
        links: list[LinkPair] = []
        xs: list[float] = []
        ys: list[float] = []
        for left, right in raw:
            z_ids, e_ids = (left, right) if first_is_zh else (right, left)
            if any(i not in zh_ids for i in z_ids) or any(j not in en_ids for j in e_ids):
                return None
            z = tuple(zh_ids[i] for i in z_ids)
            e = tuple(en_ids[j] for j in e_ids)
            links.append((z, e))
            xs.append(sum(len(zh[i]) for i in z))
            ys.append(sum(len(en[j]) for j in e))
        try:
            return statistics.correlation(xs, ys), links
        except statistics.StatisticsError:
            return 0.0, links

    options = [r for r in (reading(True), reading(False)) if r is not None]
    if not options:
        raise ValueError(f"{link_file}: link ids do not match the sentence files")
    return zh, en, max(options, key=lambda r: r[0])[1]


def glossary_pairs(path: str | None) -> list[tuple[str, str]]:
    """(zh term, preferred rendering) pairs of a terms.csv."""
    if not path:
        return []
    from glossary.terms import load

    return [(zh, c.preferred) for c in load(path) if c.preferred for zh in c.zh]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", nargs="*", type=Path)
    parser.add_argument("--intertext", type=Path, default=None,
                        help="a folder of InterText alignments (X_zh.X_en.xml) to score")
    parser.add_argument("--glossary", default=None, help="terms.csv to add as lexicon pairs")
    parser.add_argument("--link-types", choices=("extended", "basic"), default="extended")
    args = parser.parse_args(argv)
    types = BASIC_LINK_TYPES if args.link_types == "basic" else EXTENDED_LINK_TYPES
    pairs = glossary_pairs(args.glossary)
    aligners = {
        "decalque": lambda zh, en: align(zh, en, pairs, link_types=types),
        "gale-church": lambda zh, en: gale_church(zh, en, link_types=types),
    }
    totals = {name: [0] * 8 for name in aligners}
    seconds = dict.fromkeys(aligners, 0.0)
    header = (f"{'file':<28} {'aligner':<12} {'P':>6} {'R':>6} {'F1':>6}  "
              f"{'P~':>6} {'R~':>6} {'F1~':>6}")
    print(header)
    print("-" * len(header))
    sources = [(p, load_gold) for p in args.gold]
    if args.intertext:
        sources += [(p, load_intertext) for p in sorted(args.intertext.glob("*_zh.*_en.xml"))]
    if not sources:
        parser.error("no gold given")
    for path, loader in sources:
        zh, en, gold = loader(path)
        for name, run in aligners.items():
            start = time.perf_counter()
            links = run(zh, en)
            seconds[name] += time.perf_counter() - start
            c = scores(gold, [(link.zh, link.en) for link in links])
            totals[name] = [a + b for a, b in zip(totals[name], c, strict=True)]
            _row(path.name, name, f1_table(c))
    print("-" * len(header))
    for name in aligners:
        _row("ALL", name, f1_table(totals[name]))
    print(f"\nstrict: exact link; ~ lenient: overlap on both sides. link types: {args.link_types}"
          f"; time: " + ", ".join(f"{n} {s:.2f}s" for n, s in seconds.items()))
    return 0


def _row(label: str, name: str, s: dict[str, float]) -> None:
    print(f"{label[:28]:<28} {name:<12} {s['p_strict']:6.3f} {s['r_strict']:6.3f} "
          f"{s['f1_strict']:6.3f}  {s['p_lenient']:6.3f} {s['r_lenient']:6.3f} "
          f"{s['f1_lenient']:6.3f}")


if __name__ == "__main__":
    sys.exit(main())
