"""``check`` (or ``extract``) at scale: the local engine against the Dask engine on 1 and 2
worker processes (run by hand, prints figures; see docs/scale.md).

    python benchmarks/scale.py                          # 1 GB corpus; local, dask x1, dask x2
    python benchmarks/scale.py --command extract --sizes 250 --workers 2   # extractor
    python benchmarks/scale.py --sizes 250,1000 --rate 0.5 --corpus /tmp/decalque-scale --keep
    python benchmarks/scale.py --sizes 100 --workers 1,2,4 --concepts 1000   # synthetic glossary

The corpus is MT-style English (wordfreq's 3,000 most common words in sentences of 8-30
words, files of ~100 KB in folders of 1,000) with the glossary's deprecated forms planted at
``--rate`` per 1,000 words; it is generated once into ``--corpus`` (reused when its manifest
matches) and smaller ``--sizes`` use a prefix of it. Every configuration runs in a fresh
client process so its peak RSS is its own; each Dask run gets a new LocalCluster (N worker
processes, one thread each) started by this driver, so the client process holds only the
client, and the workers' peak RSS is theirs alone. Every run's findings (or candidates, every
field, scores unrounded) are hashed: the engines must agree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import check_speed  # noqa: E402  (the synthetic glossary generator)

ROOT = Path(__file__).resolve().parents[1]
FILES_PER_FOLDER = 1000


# -- corpus ------------------------------------------------------------------------------------
def planted_forms(glossary: str) -> list[str]:
    """Every deprecated form of every enforced concept ('{year}' is filled in when planting)."""
    from glossary import terms

    return [form for concept in terms.load_valid(glossary).active()
            for form in concept.deprecated]


def make_corpus(directory: Path, megabytes: int, forms: list[str], rate: float, file_kb: int,
                seed: int = 42) -> dict[str, float]:
    """Write ~``megabytes`` MB of text; returns the manifest (bytes, files, words, planted)."""
    from wordfreq import top_n_list

    rng = random.Random(seed)
    common = [w for w in top_n_list("en", 3000) if w.isalpha()]
    per_word = rate / 1000
    total = words_total = planted = index = 0
    while total < megabytes * 1_000_000:
        sentences: list[str] = []
        size = 0
        while size < file_kb * 1000:
            sentence = rng.choices(common, k=rng.randint(8, 30))
            words_total += len(sentence)
            if rng.random() < per_word * len(sentence):
                form = rng.choice(forms).replace("{year}", str(rng.randint(2015, 2023)))
                sentence.insert(rng.randrange(len(sentence)), form)
                planted += 1
            text = " ".join(sentence)
            text = text[0].upper() + text[1:] + "."
            sentences.append(text)
            size += len(text) + 1
        body = "\n".join(" ".join(sentences[i:i + 6]) for i in range(0, len(sentences), 6))
        folder = directory / f"part{index // FILES_PER_FOLDER:04d}"
        folder.mkdir(parents=True, exist_ok=True)
        data = (body + "\n").encode("utf-8")
        (folder / f"doc{index:06d}.txt").write_bytes(data)
        total += len(data)
        index += 1
    return {"bytes": total, "files": index, "words": words_total, "planted": planted}


def ensure_corpus(directory: Path, megabytes: int, glossary: str, rate: float,
                  file_kb: int) -> dict[str, float]:
    manifest_path = directory / "manifest.json"
    wanted = {"megabytes": megabytes, "rate": rate, "file_kb": file_kb,
              "glossary": hashlib.sha256(Path(glossary).read_bytes()).hexdigest()}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if (all(manifest.get(k) == v for k, v in wanted.items() if k != "megabytes")
                and manifest.get("megabytes", 0) >= megabytes):
            return manifest  # a bigger corpus serves smaller sizes by prefix
        shutil.rmtree(directory)
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    manifest = {**wanted, **make_corpus(directory, megabytes, planted_forms(glossary), rate,
                                        file_kb)}
    manifest["generate_seconds"] = round(time.perf_counter() - started, 1)
    manifest_path.write_text(json.dumps(manifest, indent=2))
    return manifest


# -- one measured run (child process) ----------------------------------------------------------
def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _worker_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _files(corpus: str, megabytes: int) -> tuple[list[str], int]:
    """The corpus's first ``megabytes`` MB of files, in path order, and their size."""
    from glossary.files import collect

    files: list[str] = []
    size = 0
    for path in collect([corpus]).files:
        if size >= megabytes * 1_000_000:
            break
        files.append(path)
        size += os.path.getsize(path)
    return files, size


def _check(files: list[str], glossary: str, client: object | None,
           progress: object) -> tuple[int, dict[str, int], str]:
    """Findings, counts by rule and digest of a check run (local without ``client``). On
    Dask the findings are streamed, chunk by chunk, as ``decalque check`` writes them: the
    client never holds them all."""
    from glossary import terms
    from glossary.check import CheckContext, run_local
    from glossary.diagnostics import select_rules
    from glossary.engine import stream_check_dask

    rules = frozenset(r for r in select_rules() if not r.startswith("DQ2"))  # as `check` does
    ctx = CheckContext.build(terms.load_valid(glossary), rules)
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    found = 0

    def consume(diagnostics: Iterable[Any]) -> None:
        nonlocal found
        for diag in diagnostics:
            digest.update(json.dumps(diag.to_json(), sort_keys=True).encode("utf-8"))
            counts[diag.code] = counts.get(diag.code, 0) + 1
            found += 1

    if client is None:
        consume(run_local(files, ctx, progress=progress).diagnostics)  # type: ignore[arg-type]
    else:
        with stream_check_dask(files, ctx, client=client,
                               progress=progress) as stream:  # type: ignore[arg-type]
            for chunk, _ in stream.chunks:
                consume(chunk)
    return found, counts, digest.hexdigest()


def _extract(files: list[str], glossary: str, client: object | None,
             progress: object) -> tuple[int, dict[str, int], str]:
    """Candidates, counts by status and digest (every field, scores unrounded) of extract."""
    from glossary import terms
    from glossary.extract.corpus import run_extract

    gloss = terms.load_valid(glossary)
    options = {"engine": "dask", "client": client} if client is not None else {}
    candidates = run_extract(files, gloss, progress=progress, **options)  # type: ignore[arg-type]
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    for cand in candidates:
        digest.update(json.dumps({**cand.as_json(), "score": cand.score, "keys": cand.keys},
                                 sort_keys=True).encode("utf-8"))
        counts[cand.status] = counts.get(cand.status, 0) + 1
    return len(candidates), counts, digest.hexdigest()


def run_child(command: str, mode: str, glossary: str, corpus: str, megabytes: int,
              address: str | None) -> None:
    """Run ``command`` on the first ``megabytes`` MB of the corpus; print one JSON line."""
    run_command = _extract if command == "extract" else _check
    files, size = _files(corpus, megabytes)
    if command == "extract":  # the lexicon (CC-CEDICT) is loaded by every extract: not the data
        from glossary.extract.lexicon import lexicon

        lexicon()
    baseline = _rss_mb()
    worker_peaks: list[float] = []
    shares = {"occupancy": 0.0, "cpu_share": 0.0}
    mapped: list[float] = []  # when the last file was mapped: the rest is the serial reduce

    def progress(_: int) -> None:
        mapped[:] = [time.perf_counter()]

    started = time.perf_counter()
    if mode == "local":
        found, counts, digest = run_command(files, glossary, None, progress)
        elapsed = time.perf_counter() - started
    else:
        from distributed import Client, get_task_stream

        with Client(address) as client:
            cpu_before = sum(client.run(_cpu_seconds).values())
            started = time.perf_counter()
            with get_task_stream(client) as stream:
                found, counts, digest = run_command(files, glossary, client, progress)
            elapsed = time.perf_counter() - started
            worker_cpu = sum(client.run(_cpu_seconds).values()) - cpu_before
            worker_peaks = list(client.run(_worker_peak_mb).values())
        busy = sum(span["stop"] - span["start"] for task in stream.data
                   for span in task["startstops"] if span["action"] == "compute")
        # occupancy: how much of the run the workers had a task (the engine's part);
        # cpu share: how much CPU those tasks got (the rest went to other processes)
        shares = {"occupancy": busy / (len(worker_peaks) * elapsed),
                  "cpu_share": worker_cpu / busy if busy else 0.0}
    reduce_seconds = started + elapsed - mapped[0]
    print(json.dumps({
        "mode": mode, "mb": size / 1e6, "files": len(files), "seconds": elapsed,
        "reduce_seconds": reduce_seconds, **shares,
        "findings": found, "counts": counts, "digest": digest,
        "client_baseline_mb": baseline,
        "client_peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": max(worker_peaks, default=0.0), "workers": len(worker_peaks),
    }))


# -- driver ------------------------------------------------------------------------------------
def measure(command_name: str, mode: str, glossary: str, corpus: Path, megabytes: int,
            address: str | None = None) -> dict:
    command = [sys.executable, __file__, "--child", command_name, mode, glossary, str(corpus),
               str(megabytes)]
    if address:
        command.append(address)
    load = os.getloadavg()[0]  # other work on the machine skews the timings: report it
    out = subprocess.run(command, capture_output=True, text=True, check=False)
    if out.returncode:
        raise SystemExit(f"child failed ({mode}, {megabytes} MB):\n{out.stderr}")
    return {**json.loads(out.stdout.strip().splitlines()[-1]), "load_before": load}


def dask_run(command: str, workers: int, glossary: str, corpus: Path, megabytes: int,
             memory: str | None = None) -> dict:
    """A fresh LocalCluster per run, so each run's worker peak RSS is its own."""
    import logging

    from distributed import LocalCluster

    from glossary.engine import QUIET_SCHEDULER

    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None, scheduler_kwargs=QUIET_SCHEDULER,
                      silence_logs=logging.ERROR, memory_limit=memory or "auto") as cluster:
        startup = time.perf_counter() - started
        figures = measure(command, f"dask x{workers}", glossary, corpus, megabytes,
                          cluster.scheduler_address)
    figures["startup"] = startup
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--command", choices=("check", "extract"), default="check",
                        help="what to run (default check)")
    parser.add_argument("--sizes", default="1000", help="corpus sizes in MB (default 1000)")
    parser.add_argument("--workers", default="1,2", help="Dask worker processes to try")
    parser.add_argument("--rate", type=float, default=0.5,
                        help="planted deprecated forms per 1,000 words (default 0.5)")
    parser.add_argument("--glossary", default=str(ROOT / "terms.csv"),
                        help="glossary whose deprecated forms are planted (default terms.csv)")
    parser.add_argument("--concepts", type=int, default=0,
                        help="use a synthetic glossary of N concepts instead")
    parser.add_argument("--file-kb", type=int, default=100, help="file size (default 100 KB)")
    parser.add_argument("--corpus", help="corpus folder (generated once, reused; default: temp)")
    parser.add_argument("--keep", action="store_true", help="keep a temporary corpus")
    parser.add_argument("--worker-memory", help="memory limit per worker (dask spills to "
                        "disk past 70%% of it), e.g. 4GB; default dask's (RAM / workers)")
    parser.add_argument("--no-local", action="store_true", help="skip the local engine")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        command, mode, glossary, corpus, megabytes, *address = args.child
        run_child(command, mode, glossary, corpus, int(megabytes), address[0] if address else None)
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))
    workers = [int(w) for w in args.workers.split(",")]
    root = Path(args.corpus) if args.corpus else Path(tempfile.mkdtemp(prefix="decalque-scale-"))
    root.mkdir(parents=True, exist_ok=True)
    glossary = args.glossary
    if args.concepts:
        glossary = str(root / f"synthetic-{args.concepts}.csv")
        check_speed.make_glossary(Path(glossary), args.concepts, random.Random(42))
    try:
        manifest = ensure_corpus(root / "corpus", sizes[-1], glossary, args.rate, args.file_kb)
        print(f"corpus: {manifest['bytes'] / 1e6:.0f} MB in {manifest['files']} files, "
              f"{manifest['words'] / 1e6:.0f}M words, {manifest['planted']} planted forms "
              f"({args.rate}/1,000 words); glossary {glossary}; {os.cpu_count()} CPUs",
              flush=True)
        header = (f"{'corpus':>8} {'engine':>9} {'MB/s':>7} {'seconds':>8} {'speed-up':>9} "
                  f"{'results':>9} {'client MB':>10} {'(base)':>7} {'worker MB':>10} "
                  f"{'reduce s':>8} {'busy':>5} {'cpu':>5} {'startup s':>9} {'load':>5}")
        print(header, flush=True)
        rows: list[dict] = []
        for size in sizes:
            data = root / "corpus"
            runs = [] if args.no_local else [measure(args.command, "local", glossary, data, size)]
            runs += [dask_run(args.command, n, glossary, data, size, args.worker_memory)
                     for n in workers]
            one = next((r["seconds"] for r in runs if r["mode"] == "dask x1"), None)
            for fig in runs:
                speedup = f"{one / fig['seconds']:.2f}x" if one and fig["workers"] else ""
                print(f"{fig['mb']:>6.0f}MB {fig['mode']:>9} {fig['mb'] / fig['seconds']:>7.2f} "
                      f"{fig['seconds']:>8.1f} {speedup:>9} {fig['findings']:>9} "
                      f"{fig['client_peak_mb']:>10.0f} {fig['client_baseline_mb']:>7.0f} "
                      f"{fig['worker_peak_mb'] or float('nan'):>10.0f} "
                      f"{fig['reduce_seconds']:>8.1f} {fig['occupancy']:>5.0%} "
                      f"{fig['cpu_share']:>5.0%} {fig.get('startup', 0):>9.1f} "
                      f"{fig['load_before']:>5.1f}", flush=True)
            digests = {fig["digest"] for fig in runs}
            print(f"{'':>8} results by kind: {runs[0]['counts']}; engines agree: "
                  f"{'yes' if len(digests) == 1 else 'NO'}", flush=True)
            rows += [{**fig, "size": size} for fig in runs]
        if args.corpus:
            (root / "results.json").write_text(json.dumps(rows, indent=2))
    finally:
        if not args.corpus and not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
