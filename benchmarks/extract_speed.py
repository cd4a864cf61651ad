"""Extractor throughput on a synthetic 1M-word corpus (run by hand, prints words/s).

    python benchmarks/extract_speed.py [--words 1000000]

Figures are wall time (time.perf_counter) and CPU time of this process (time.process_time):
on a machine shared with other jobs, CPU time is the fairer one-core figure. The last line
is the command's own path: the corpus written to files, read back and extracted.

The corpus is English-like text from wordfreq's common words with quoted calque-like phrases
mixed in, in files of ~5,000 words. The one-time lexicon build (CC-CEDICT, jieba word list,
about 2 s) is reported separately.
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time

from wordfreq import top_n_list

from glossary.documents import Document
from glossary.extract.candidates import document_phrases
from glossary.extract.corpus import in_sentences, run_extract, with_found_contexts
from glossary.extract.lexicon import lexicon
from glossary.extract.score import extract


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(7)
    common = [w for w in top_n_list("en", 5000) if w.isalpha()]
    rare = [w for w in top_n_list("en", 40000)[20000:] if w.isalpha()]
    slogans = [" ".join(rng.sample(rare, 2)) for _ in range(300)]
    texts = []
    remaining = args.words
    while remaining > 0:
        words: list[str] = []
        while len(words) < 5000:
            sentence = rng.choices(common, k=rng.randint(8, 25))
            if rng.random() < 0.05:
                sentence.insert(rng.randrange(len(sentence)), f'"{rng.choice(slogans)}"')
            words.extend(sentence)
            words[-1] += "."
        texts.append(" ".join(words))
        remaining -= len(words)
    started = time.perf_counter()
    lexicon()
    build = time.perf_counter() - started
    started, cpu = time.perf_counter(), time.process_time()
    docs = [document_phrases(Document.from_text(t, f"doc{i}.txt")) for i, t in enumerate(texts)]
    mapped, mapped_cpu = time.perf_counter() - started, time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    candidates = extract(docs)
    reduced, reduced_cpu = time.perf_counter() - started, time.process_time() - cpu
    total_words = sum(d.words for d in docs)
    print(f"words: {total_words:,} in {len(docs)} documents; lexicon build {build:.1f} s")
    print(f"map (phrases per document): {mapped:.2f} s wall, {mapped_cpu:.2f} s CPU "
          f"({total_words / mapped_cpu:,.0f} words/s CPU)")
    print(f"reduce (signals, clustering): {reduced:.2f} s wall, {reduced_cpu:.2f} s CPU; "
          f"candidates: {len(candidates)}")
    print(f"throughput: {total_words / (mapped + reduced):,.0f} words/s wall, "
          f"{total_words / (mapped_cpu + reduced_cpu):,.0f} words/s CPU (excluding lexicon "
          f"build)")
    # as the command runs: files read, mapped and folded per partition, scored per bucket,
    # and the contexts of forms seen only as bare counts found again in the files
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for i, text in enumerate(texts):
            path = os.path.join(folder, f"doc{i:04d}.txt")
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)
            paths.append(path)
        started, cpu = time.perf_counter(), time.process_time()
        from_files = in_sentences(with_found_contexts(run_extract(paths, None), paths))
        wall, used = time.perf_counter() - started, time.process_time() - cpu
    print(f"from files (run_extract, contexts found again and shown as sentences, as "
          f"`decalque extract` does): {wall:.2f} s "
          f"wall, {used:.2f} s CPU ({total_words / wall:,.0f} words/s wall, "
          f"{total_words / used:,.0f} words/s CPU); candidates: {len(from_files)}")


if __name__ == "__main__":
    main()
