"""The Dask engine gives exactly the local engine's findings and extraction candidates: on
the seeds, on a generated multi-file corpus (DQ001, DQ102, DQ103 across files; candidates
recurring and clustered across files), through the CLI, and when a worker dies mid-run. The
context (matcher) is built once per worker process, and a missing extra is a one-line error."""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import pickle
import random
import signal
import time
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from helpers import ROOT, SEEDS, SMALL, TERMS, assert_one_line_error, run_cli

from glossary import engine, terms
from glossary.check import CheckContext, DocumentResult, run_local
from glossary.cli import main
from glossary.diagnostics import select_rules
from glossary.documents import read_document
from glossary.extract import corpus, score
from glossary.extract.candidates import DocumentPhrases, document_phrases
from glossary.extract.lexicon import lexicon
from glossary.extract.score import Candidate, extract
from glossary.files import DEFAULT_INCLUDE, collect
from glossary.report import RENDERERS

HAVE_DASK = importlib.util.find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(
    not HAVE_DASK, reason='dask is not installed (pip install "decalque[dask]")')

RULES = frozenset(r for r in select_rules() if not r.startswith("DQ2"))
SEED_GLOSSARY = TERMS if TERMS.exists() else SMALL


def _cluster(workers: int = 2):  # type: ignore[no-untyped-def]
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None, scheduler_kwargs=engine.QUIET_SCHEDULER)
    return cluster, Client(cluster)


class WorkerKiller:
    """A progress callback that SIGKILLs the busiest worker, until ``budget`` have died."""

    def __init__(self, dask_client: Any, budget: int) -> None:
        self.client = dask_client
        self.budget = budget
        self.killed: list[int] = []

    def __call__(self, _: int) -> None:
        if len(self.killed) >= self.budget:
            return
        pids = self.client.run(os.getpid)
        processing = self.client.processing()
        busy = max(processing, key=lambda addr: len(processing[addr]))
        assert processing[busy], "nothing left to interrupt"
        self.killed.append(pids[busy])
        os.kill(pids[busy], signal.SIGKILL)


@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    cluster, dask_client = _cluster()
    try:
        yield dask_client
    finally:
        dask_client.close()
        cluster.close()


def as_json(run_diagnostics: list, files: int) -> dict:
    return json.loads(RENDERERS["json"](run_diagnostics, documents={}, sig="test", files=files))


# -- a corpus with every kind of finding, spread over files --------------------------------------
FORMS = ["network water army", "Internet Navy", "online water army", "paid online posters",
         "cat pool", "modem pool", "routine loan", "net 2021", "Clean Network", "jingwang"]
WORDS = ("the police said that a campaign against fraud began this year and many accounts "
         "were closed after reports from users in several provinces").split()


def make_corpus(root: Path, files: int = 50, seed: int = 7) -> list[str]:
    """~50 files in nested folders, txt and md, with DQ101/102/103/104/105 spread across them,
    suppressions, one undecodable file and one GB18030 file; returns relative paths."""
    rng = random.Random(seed)
    names: list[str] = []
    for index in range(files):
        folder = root / f"batch{index % 4}"
        folder.mkdir(parents=True, exist_ok=True)
        suffix = ".md" if index % 5 == 0 else ".txt"
        lines = []
        for _ in range(rng.randint(3, 30)):
            sentence = rng.choices(WORDS, k=rng.randint(6, 18))
            if rng.random() < 0.5:
                sentence.insert(rng.randrange(len(sentence)), rng.choice(FORMS))
            if rng.random() < 0.1:  # DQ103: the same quoted phrase, capitalised two ways
                sentence.append(rng.choice(['"Sword Net"', '"sword net"']))
            if rng.random() < 0.05:
                sentence.append("under the 净网 campaign")
            text = " ".join(sentence)
            lines.append(text[0].upper() + text[1:] + ".")
        if index % 7 == 3:
            lines.append("the cat pool was seized <!-- decalque: ignore DQ101 -->")
        if suffix == ".md":
            lines.insert(0, "# Report\n\n```\ncat pool in code is skipped\n```\n")
        path = folder / f"doc{index:03d}{suffix}"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        names.append(str(path.relative_to(root)))
    bad = root / "batch1" / "broken.txt"
    bad.write_bytes(b"water army \x00\x01\x02\xff\xfe binary")
    gbk = root / "batch2" / "gbk.txt"
    gbk.write_bytes("The routine loan ring (套路贷) was broken up.\n".encode("gb18030"))
    names += [str(bad.relative_to(root)), str(gbk.relative_to(root))]
    return names


def small_ctx(per_file: dict[str, list[str]] | None = None) -> CheckContext:
    return CheckContext.build(terms.load_valid(str(SMALL)), RULES, per_file)


# -- identical results --------------------------------------------------------------------------
@needs_dask
def test_seeds_identical_to_local(client: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # relative paths, as a user types them
    ctx = CheckContext.build(terms.load_valid(str(SEED_GLOSSARY)), RULES)
    files = collect([os.path.relpath(SEEDS, ROOT)], exclude=("seeds/zh", "README.md")).files
    assert files and not any(os.path.isabs(f) for f in files)
    local = run_local(files, ctx)
    distributed = engine.run_check_dask(files, ctx, client=client, partitions=3)
    assert distributed.diagnostics == local.diagnostics
    assert as_json(distributed.diagnostics, 5) == as_json(local.diagnostics, 5)
    assert local.diagnostics and {d.path for d in local.diagnostics} <= set(files)


@needs_dask
def test_generated_corpus_identical_to_local(client: object, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    names = make_corpus(tmp_path)
    monkeypatch.chdir(tmp_path)
    ctx = small_ctx({"batch3/*": ["DQ105"]})
    files = collect(["."]).files
    assert len(files) == len(names)
    local = run_local(files, ctx, keep_documents=True)
    codes = {d.code for d in local.diagnostics}
    assert {"DQ001", "DQ101", "DQ102", "DQ103", "DQ105"} <= codes, codes
    assert len({d.path for d in local.diagnostics if d.code == "DQ102"}) > 10
    for partitions in (None, 1, 7, 500):
        run = engine.run_check_dask(files, ctx, client=client, partitions=partitions,
                                    keep_documents=True)
        assert run.diagnostics == local.diagnostics, partitions
        assert run.files == local.files
    # --format full and --fix need the documents with findings; they match the local ones
    full = RENDERERS["full"]
    assert (full(run.diagnostics, documents=run.documents, sig="s", files=run.files)
            == full(local.diagnostics, documents=local.documents, sig="s", files=local.files))
    [dq001] = [d for d in run.diagnostics if d.code == "DQ001"]
    assert dq001.path == os.path.join("batch1", "broken.txt") and "binary" in dq001.message


@needs_dask
def test_bilingual_identical_to_local(client: object, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """With Chinese sources (DQ201, DQ203): workers read each source by absolute path, the
    cross-corpus DQ203 is reduced from their summaries, and an unreadable source is DQ001
    under the user's spelling of its path."""
    monkeypatch.chdir(ROOT)
    pairs = {f"seeds/{name}": f"seeds/zh/{name}" for name in (
        "000-clean-network-2021-results-2022.txt", "002-cat-pool-and-cyber-violence-2023.txt")}
    pairs["seeds/ref/002-cat-pool-and-cyber-violence-2023.txt"] = (
        "seeds/zh/002-cat-pool-and-cyber-violence-2023.txt")
    english = tmp_path / "en.txt"
    english.write_text("The network water army was paid to post.\n", encoding="utf-8")
    (tmp_path / "zh.txt").write_bytes(b"\x00\x01binary")
    pairs[str(english)] = os.path.relpath(tmp_path / "zh.txt")
    ctx = CheckContext.build(terms.load_valid(str(SEED_GLOSSARY)), frozenset(select_rules()),
                             sources=pairs)
    files = [*pairs, "seeds/001-online-organized-crime-crackdown-2020.txt"]
    local = run_local(files, ctx)
    codes = {d.code for d in local.diagnostics}
    assert {"DQ001", "DQ102", "DQ201", "DQ203"} <= codes, codes
    assert [d.path for d in local.diagnostics if d.code == "DQ001"] == [pairs[str(english)]]
    run = engine.run_check_dask(files, ctx, client=client, partitions=3)
    assert run.diagnostics == local.diagnostics


@needs_dask
def test_context_built_once_per_worker(client: object, tmp_path: Path) -> None:
    make_corpus(tmp_path, files=30, seed=3)
    ctx = small_ctx()
    files = collect([str(tmp_path)]).files
    for _ in range(3):  # many tasks and several runs share each worker's context
        engine.run_check_dask(files, ctx, client=client, partitions=12)
    _, key = engine.check_payload(ctx)
    builds = client.run(engine.context_builds)  # type: ignore[attr-defined]
    per_worker = [counts.get(key, 0) for counts in builds.values()]
    assert len(per_worker) == 2 and max(per_worker) == 1 and sum(per_worker) >= 1, builds


@needs_dask
def test_worker_killed_mid_run_loses_nothing(tmp_path: Path) -> None:
    """A worker is SIGKILLed while it holds a partition, once during a check and once during
    an extraction: Dask reruns its tasks and both results are the local ones."""
    make_corpus(tmp_path, files=40, seed=11)
    ctx = small_ctx()
    files = collect([str(tmp_path)]).files
    local = run_local(files, ctx)
    local_candidates = corpus.run_extract(files, None)

    # defined here so that they travel by value (workers cannot import this test module)
    def slow_check(path: str, label: str, context: CheckContext) -> DocumentResult | None:
        time.sleep(0.08)  # long enough to kill a worker while it holds a partition
        return engine.check_file(path, label, context)

    def slow_phrases(path: str, label: str, context: None) -> object:
        time.sleep(0.08)
        return corpus.phrases_of_file(path, label, context)

    cluster, dask_client = _cluster()
    try:
        kill_busy_worker = WorkerKiller(dask_client, budget=1)
        killed = kill_busy_worker.killed
        run = engine.run_check_dask(files, ctx, client=dask_client, partitions=16,
                                    map_fn=slow_check, progress=kill_busy_worker)
        dask_client.wait_for_workers(2, timeout=30)
        kill_busy_worker.budget = 2
        mapped = engine.run_distributed(files, slow_phrases, list, corpus.no_context, None,
                                        key=corpus.CONTEXT_KEY, client=dask_client,
                                        partitions=16, progress=kill_busy_worker)
        assert len(killed) == 2
        dask_client.wait_for_workers(2, timeout=30)
        assert not set(killed) & set(dask_client.run(os.getpid).values())  # they really died
    finally:
        dask_client.close()
        cluster.close()
    assert run.diagnostics == local.diagnostics
    assert run.files == len(files)
    docs = [m for m in mapped if isinstance(m, DocumentPhrases)]
    assert len(docs) == len(files) - 1  # all but the binary file
    assert candidates_json(extract(docs)) == candidates_json(local_candidates)


@needs_dask
def test_run_distributed_is_generic(client: object, tmp_path: Path) -> None:
    """What another command (the extractor) plugs in: its own map, context and reduce, with an
    optional per-partition fold; results come back in path order whatever finishes first."""
    paths = []
    for index in range(23):
        path = tmp_path / f"f{index:02d}.txt"
        path.write_text("word " * (index + 1), encoding="utf-8")
        paths.append(str(path))

    def words(path: str, label: str, context: dict[str, int]) -> tuple[str, int]:
        with open(path, encoding="utf-8") as handle:
            return label, len(handle.read().split()) * context["weight"]

    def fold(results: list[tuple[str, int]]) -> list[tuple[str, int]]:
        return [(results[0][0], sum(n for _, n in results))]

    def make_context(weight: int) -> dict[str, int]:
        return {"weight": weight}

    key = engine.context_key("words", 3)
    mapped = engine.run_distributed(paths, words, list, make_context, 3, key=key,
                                    client=client, partitions=5)
    assert mapped == [(p, 3 * (i + 1)) for i, p in enumerate(paths)]
    folded = engine.run_distributed(paths, words, list, make_context, 3, key=key,
                                    client=client, partitions=5, combine=fold)
    assert len(folded) == 5 and sum(len(part) for part in folded) == 5
    assert sum(n for part in folded for _, n in part) == 3 * sum(range(1, 24))
    assert [part[0][0] for part in folded] == sorted(part[0][0] for part in folded)


# -- extract: the same candidates with the same scores -------------------------------------------
def candidates_json(candidates: list[Candidate]) -> list[dict[str, object]]:
    """Everything a candidate carries, scores unrounded, group keys included."""
    return [{**c.as_json(), "score": c.score, "keys": c.keys} for c in candidates]


@needs_dask
def test_extract_seeds_identical_to_local(client: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    gloss = terms.load_valid(str(SEED_GLOSSARY))
    # with the unseen documents: their withheld names ("Li Mou") and Title Case names are
    # facts of the map that the reduce must sum alike on both engines
    files = collect(["seeds", "tests/data/extract/unseen"], DEFAULT_INCLUDE,
                    ("zh", "README.md")).files
    assert len(files) >= 12
    # the local engine is the extractor as it was before engines: read, map, extract
    direct = extract([document_phrases(read_document(f)) for f in files], gloss)
    local = corpus.run_extract(files, gloss)
    distributed = corpus.run_extract(files, gloss, engine="dask", client=client, partitions=3)
    assert candidates_json(local) == candidates_json(direct)
    assert candidates_json(distributed) == candidates_json(local)
    assert {"placeholder_name", "title_case"} <= {s for c in local for s in c.signals}
    assert {c.status for c in local} >= {"new", "known"}
    assert {p for c in local for p, _, _ in c.contexts} <= set(files)
    # one form of a cluster known, the others new: a variant, on both engines alike
    partial = terms.parse("id,zh,preferred,admitted,deprecated,status,category,note\n"
                          "water-army,水军,paid posters,,water army,approved,slang,\n",
                          "partial.csv")
    local = corpus.run_extract(files, partial)
    distributed = corpus.run_extract(files, partial, engine="dask", client=client,
                                     partitions=3)
    assert candidates_json(distributed) == candidates_json(local)
    assert "variant" in {c.status for c in local}


@needs_dask
def test_extract_generated_corpus_identical_to_local(client: object, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    make_corpus(tmp_path, files=60, seed=5)
    monkeypatch.chdir(tmp_path)
    gloss = terms.load_valid(str(SMALL))
    files = collect(["."]).files
    warnings: list[str] = []
    local = corpus.run_extract(files, gloss, min_count=2, warn=lambda e: warnings.append(str(e)))
    # cross-document facts: candidates seen in many files, variants clustered across files
    assert max(float(c.signals["docs"]) for c in local) > 20
    assert any(len(c.keys) > 1 for c in local)
    assert warnings == [f"{os.path.join('batch1', 'broken.txt')}: binary file (contains NUL "
                        "bytes)"]
    seen: list[str] = []
    for partitions in (None, 1, 9, 500):
        seen.clear()
        run = corpus.run_extract(files, gloss, min_count=2, engine="dask", client=client,
                                 partitions=partitions, warn=lambda e: seen.append(str(e)))
        assert candidates_json(run) == candidates_json(local), partitions
        assert seen == warnings


@needs_dask
def test_extract_cli_engine_dask(client: object, tmp_path: Path) -> None:
    """In process (the lexicon loads once): the same JSON, and the same warning."""
    make_corpus(tmp_path, files=12, seed=2)
    base = ["extract", str(SEEDS), str(tmp_path), "--glossary", str(SEED_GLOSSARY),
            "--format", "json", "--include-known"]
    runner = CliRunner()
    local = runner.invoke(main, base)
    assert local.exit_code == 0, local.output
    address = client.scheduler.address  # type: ignore[attr-defined]
    on_cluster = runner.invoke(main, [*base, "--engine", "dask", "--scheduler", address,
                                      "--partitions", "4"])
    assert on_cluster.exit_code == 0, on_cluster.output
    assert on_cluster.stdout == local.stdout and json.loads(local.stdout)
    assert on_cluster.stderr == local.stderr
    assert "broken.txt: binary file" in local.stderr


def test_extract_cli_engine_options_errors() -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["extract", str(SEEDS), "--partitions", "3"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "decalque: error: --scheduler and --partitions need --engine dask"]


def test_partition_keeps_order_and_balances_bytes() -> None:
    paths = [f"f{i}" for i in range(10)]
    sizes = dict(zip(paths, [100, 1, 1, 1, 100, 1, 1, 1, 100, 1], strict=True))
    parts = engine.partition(paths, 3, size=sizes.__getitem__)
    assert [p for part in parts for p in part] == paths
    assert len(parts) == 3 and all(parts)
    assert engine.partition(paths, 50, size=sizes.__getitem__) == [[p] for p in paths]
    assert engine.partition([], 4) == []


# -- CLI -------------------------------------------------------------------------------------------
@needs_dask
def test_cli_engine_dask_on_seeds(client: object) -> None:
    base = ["check", "seeds", "--glossary", str(SEED_GLOSSARY), "--format", "json"]
    local = run_cli(*base)
    assert local.returncode == 1, local.stderr
    address = client.scheduler.address  # type: ignore[attr-defined]
    on_cluster = run_cli(*base, "--engine", "dask", "--scheduler", address, "--partitions", "2")
    own_cluster = run_cli(*base, "--engine", "dask")  # starts and stops a LocalCluster
    for result in (on_cluster, own_cluster):
        assert result.returncode == 1, result.stderr
        assert result.stdout == local.stdout
        assert result.stderr == local.stderr  # summary and signature, no dask log noise


def test_cli_scheduler_needs_dask_engine() -> None:
    result = run_cli("check", "seeds", "--glossary", str(SEED_GLOSSARY), "--scheduler",
                     "tcp://127.0.0.1:1")
    assert_one_line_error(result, "--engine dask")


@needs_dask
def test_cli_unreachable_scheduler_is_one_line_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT", "1s")
    result = run_cli("check", "seeds", "--glossary", str(SEED_GLOSSARY), "--engine", "dask",
                     "--scheduler", "tcp://127.0.0.1:9", timeout=120)
    assert_one_line_error(result, "cannot connect to the dask scheduler")


def test_missing_extra_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real code path with ``import distributed`` failing (CliRunner, patched import)."""
    real_import = importlib.import_module

    def no_dask(name: str, package: str | None = None):  # type: ignore[no-untyped-def]
        if name.split(".")[0] in {"dask", "distributed"}:
            raise ModuleNotFoundError(f"No module named {name!r}")
        return real_import(name, package)

    monkeypatch.setattr(importlib, "import_module", no_dask)
    for command in ("check", "extract"):
        result = CliRunner().invoke(main, [command, str(SEEDS), "--glossary",
                                           str(SEED_GLOSSARY), "--engine", "dask"])
        assert result.exit_code == 2, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert lines == [f"decalque: error: {engine.MISSING_EXTRA}"]
        assert 'pip install "decalque[dask]"' in lines[0]


def test_missing_extra_subprocess(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh interpreter where dask cannot be imported at all (sitecustomize shim)."""
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n"
        "class _NoDask:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in {'dask', 'distributed'}:\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "        return None\n"
        "sys.meta_path.insert(0, _NoDask())\n", encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    result = run_cli("check", "seeds", "--glossary", str(SEED_GLOSSARY), "--engine", "dask")
    assert_one_line_error(result, 'pip install "decalque[dask]"')
    assert run_cli("check", "seeds", "--glossary", str(SEED_GLOSSARY)).returncode == 1


# -- extract: the reduce runs on the workers; only positive keys reach the client ---------------
@needs_dask
def test_extract_reduce_sends_only_positive_keys(client: object, tmp_path: Path) -> None:
    """What crosses to the client of a Dask extraction: per partition its unreadable files
    and a count; per bucket the keys that scored above zero (each in the bucket of its first
    word's family's hash), which are exactly the positive keys of one local reduce and a small share
    of all keys."""
    make_corpus(tmp_path, files=60, seed=5)
    files = collect([str(tmp_path)]).files
    reports, buckets = engine.fold_paths(
        files, corpus.phrases_of_file, corpus.no_context, None, key=corpus.CONTEXT_KEY,
        fold=corpus.fold_phrases, combine=score.combine, finish=score.score_facts,
        engine="dask", client=client, partitions=7, buckets=3)
    assert len(reports) == 7 and len(buckets) == 3
    assert sum(docs for _, docs in reports) == len(files) - 1
    assert [str(e) for failures, _ in reports for e in failures] == [
        f"{tmp_path / 'batch1' / 'broken.txt'}: binary file (contains NUL bytes)"]
    crossed: dict[str, float] = {}
    for index, bucket in enumerate(buckets):
        for key, (value, _, found) in bucket.items():
            assert value > 0 and zlib.crc32(
                    lexicon().family(key.split()[0]).encode()) % 3 == index
            assert len(found.contexts) <= 3
            crossed[key] = value
    docs = [d for d in (corpus.phrases_of_file(f, f) for f in files)
            if isinstance(d, DocumentPhrases)]
    facts = score.merge(docs)
    local = score.score_facts(facts)
    assert crossed == {key: value for key, (value, _, _) in local.items()}
    every_key = set(facts.merged) | set(facts.singles)
    # a fifth of the keys, a third of the bytes: this corpus's random sentences of 26 words
    # repeat many pairs English never joins ("campaign began fraud"), listed as unusual_pair,
    # and say once many more (unusual_once): 0.31 of the bytes
    assert 0 < len(crossed) * 5 < len(every_key)
    assert len(pickle.dumps((reports, buckets))) * 3 < len(pickle.dumps(docs))


@needs_dask
def test_worker_killed_mid_keyed_reduce_loses_nothing(tmp_path: Path) -> None:
    """A worker SIGKILLed while it folds a partition (and holds others' pieces): Dask
    recomputes what it held and the candidates are the local ones."""
    make_corpus(tmp_path, files=40, seed=11)
    files = collect([str(tmp_path)]).files
    gloss = terms.load_valid(str(SMALL))
    local = corpus.run_extract(files, gloss)

    def slow_phrases(path: str, label: str, context: None) -> object:
        time.sleep(0.08)  # long enough to kill a worker while it holds a partition
        return corpus.phrases_of_file(path, label, context)

    cluster, dask_client = _cluster()
    try:
        kill_busy_worker = WorkerKiller(dask_client, budget=1)
        killed = kill_busy_worker.killed
        reports, buckets = engine.fold_paths(
            files, slow_phrases, corpus.no_context, None, key=corpus.CONTEXT_KEY,
            fold=corpus.fold_phrases, combine=score.combine, finish=score.score_facts,
            engine="dask", client=dask_client, partitions=16, progress=kill_busy_worker)
        dask_client.wait_for_workers(2, timeout=30)
        assert len(killed) == 1 and killed[0] not in dask_client.run(os.getpid).values()
    finally:
        dask_client.close()
        cluster.close()
    assert sum(docs for _, docs in reports) == len(files) - 1
    scored: score.Scored = {}
    for bucket in buckets:
        scored.update(bucket)
    assert candidates_json(score.candidates(scored, gloss)) == candidates_json(local)
