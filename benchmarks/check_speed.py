"""Checker throughput and memory on a synthetic corpus (run by hand, prints figures).

    python benchmarks/check_speed.py            # 10 MB and 100 MB x 100/1,000/10,000 concepts
    python benchmarks/check_speed.py --sizes 10 --concepts 100,10000

Each configuration runs in a fresh subprocess so its peak RSS is its own. The corpus is
English-like text from wordfreq's common words in files of ~100 KB, with deprecated glossary
forms planted about once per 300 words; glossaries have three deprecated forms per concept.
MB/s is wall-clock; cpu MB/s uses the process's CPU time, steadier on a shared machine.
The last column names the matcher's scanner (Hyperscan where its wheel exists; run with
DECALQUE_SCANNER=rust for the portable Rust DFA).
Both exclude building the context (loading the glossary, compiling the automaton, loading
the pinyin and word-frequency data), which is reported as "build s".
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILE_BYTES = 100_000


def make_glossary(path: Path, concepts: int, rng: random.Random) -> list[str]:
    """A valid glossary of made-up multi-word concepts; returns its deprecated forms."""
    from wordfreq import top_n_list

    words = [w for w in top_n_list("en", 30000)[3000:] if w.isalpha() and len(w) > 3]
    seen: set[str] = set()
    lines = ["id,zh,preferred,admitted,deprecated,status,category,note"]
    deprecated_all: list[str] = []
    for index in range(concepts):
        forms = []
        while len(forms) < 4:
            phrase = " ".join(rng.sample(words, rng.choice((2, 2, 3))))
            if phrase not in seen:
                seen.add(phrase)
                forms.append(phrase)
        preferred, deprecated = forms[0], forms[1:]
        deprecated_all.extend(deprecated)
        category = "campaign" if index % 10 == 0 else "slang"
        lines.append(f"c{index},术语{index},{preferred},,{'|'.join(deprecated)},approved,"
                     f"{category},synthetic")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return deprecated_all


def make_corpus(directory: Path, megabytes: int, forms: list[str], rng: random.Random) -> int:
    from wordfreq import top_n_list

    common = [w for w in top_n_list("en", 3000) if w.isalpha()]
    directory.mkdir(parents=True, exist_ok=True)
    total = 0
    index = 0
    while total < megabytes * 1_000_000:
        words: list[str] = []
        size = 0
        while size < FILE_BYTES:
            sentence = rng.choices(common, k=rng.randint(8, 30))
            if rng.random() < 0.07:
                sentence.insert(rng.randrange(len(sentence)), rng.choice(forms))
            text = " ".join(sentence).capitalize() + "."
            words.append(text)
            size += len(text) + 1
        body = "\n".join(" ".join(words[i:i + 6]) for i in range(0, len(words), 6)) + "\n"
        (directory / f"doc{index:05d}.txt").write_text(body, encoding="utf-8")
        total += len(body.encode("utf-8"))
        index += 1
    return total


def run_one(glossary: str, corpus: str) -> None:
    """Child process: check the corpus and print JSON figures."""
    from glossary import terms
    from glossary.check import CheckContext, run_local
    from glossary.diagnostics import select_rules
    from glossary.files import collect

    started = time.perf_counter()
    ctx = CheckContext.build(terms.load_valid(glossary), select_rules())
    build = time.perf_counter() - started
    files = collect([corpus]).files
    size = sum(os.path.getsize(f) for f in files)
    started = time.perf_counter()
    cpu_started = time.process_time()
    run = run_local(files, ctx)
    cpu = time.process_time() - cpu_started
    elapsed = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"mb": size / 1e6, "seconds": elapsed, "cpu": cpu, "build": build,
                      "findings": len(run.diagnostics), "peak_mb": peak_kb / 1024,
                      "scanner": type(ctx.matcher._scanner).__name__}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100", help="corpus sizes in MB")
    parser.add_argument("--concepts", default="100,1000,10000", help="glossary sizes")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        run_one(*args.child)
        return
    rng = random.Random(42)
    with tempfile.TemporaryDirectory(prefix="decalque-bench-") as tmp:
        root = Path(tmp)
        sizes = [int(s) for s in args.sizes.split(",")]
        concept_counts = [int(c) for c in args.concepts.split(",")]
        glossaries = {}
        for count in concept_counts:
            path = root / f"g{count}.csv"
            glossaries[count] = (path, make_glossary(path, count, rng))
        print(f"{'corpus':>8} {'concepts':>9} {'MB/s':>8} {'cpu MB/s':>9} {'seconds':>8} "
              f"{'build s':>8} {'findings':>9} {'peak RSS MB':>12}  scanner")
        for size in sizes:
            for count in concept_counts:
                path, forms = glossaries[count]
                corpus = root / f"c{size}-{count}"
                make_corpus(corpus, size, forms, rng)
                out = subprocess.run([sys.executable, __file__, "--child", str(path),
                                      str(corpus)], capture_output=True, text=True, check=True)
                fig = json.loads(out.stdout)
                print(f"{fig['mb']:>6.0f}MB {count:>9} {fig['mb'] / fig['seconds']:>8.1f} "
                      f"{fig['mb'] / fig['cpu']:>9.1f} {fig['seconds']:>8.2f} "
                      f"{fig['build']:>8.2f} {fig['findings']:>9} "
                      f"{fig['peak_mb']:>12.0f}  {fig['scanner']}", flush=True)
                for file in corpus.iterdir():
                    file.unlink()
                corpus.rmdir()


if __name__ == "__main__":
    main()
