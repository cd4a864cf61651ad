"""The two-phase reduce (tally per partition, merge, verdicts, emit per partition) gives exactly
the one-pass reduce's findings, whatever the partition cuts, the merge order and the input
order; the streamed renderers write the same bytes as one list; the Dask engine streams
(only tallies and small heads reach the client before the findings, one partition's findings
at a time) and survives a worker killed between the two phases; the CLI's output is the same
for both engines in every format."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from check_corpus import make_case_corpus
from helpers import ROOT, SEEDS, SMALL, TERMS, run_cli
from reduce_reference import reduce_results as reference_reduce

from glossary import engine, terms
from glossary.check import (
    CheckContext,
    CorpusTally,
    DocumentResult,
    check_path,
    emit_results,
    reduce_results,
    run_local,
    tally_results,
)
from glossary.diagnostics import Diagnostic, select_rules
from glossary.files import collect
from glossary.report import RENDERERS, WRITERS, Totals

HAVE_DASK = importlib.util.find_spec("distributed") is not None
needs_dask = pytest.mark.skipif(not HAVE_DASK, reason="dask is not installed")
RULES = frozenset(r for r in select_rules() if not r.startswith("DQ2"))
SEED_GLOSSARY = TERMS if TERMS.exists() else SMALL
FORMATS = ("concise", "full", "json", "sarif", "github")


def two_phase(results: Sequence[DocumentResult], ctx: CheckContext, cuts: int,
              rng: random.Random) -> list[Diagnostic]:
    """What the Dask engine does, in-process: partitions cut from the results sorted by path
    (ranked by their input index), tallies merged in a random order, emit per partition,
    findings outside their partition merged in at their place."""
    indexed = sorted(enumerate(results), key=lambda item: item[1].path)
    bounds = sorted(rng.sample(range(1, len(indexed)), min(cuts, len(indexed)) - 1))
    parts = [indexed[a:b] for a, b in zip([0, *bounds], [*bounds, len(indexed)], strict=True)]
    tallies = [tally_results(part, ctx.rules) for part in parts]
    merged = CorpusTally()
    for tally in rng.sample(tallies, len(tallies)):
        merged.merge(tally)
    verdicts = merged.verdicts(ctx)
    chunks: list[list[Diagnostic]] = []
    strays: list[Diagnostic] = []
    for part in parts:
        own = {result.path for _, result in part}
        found = emit_results(part, verdicts, ctx)
        chunks.append([d for d in found if d.path in own])
        strays += [d for d in found if d.path not in own]
    return [d for chunk in engine._merge_strays(iter(chunks), strays) for d in chunk]


def results_of(files: Sequence[str], ctx: CheckContext) -> list[DocumentResult]:
    return [check_path(path, ctx)[0] for path in files]


@pytest.mark.parametrize("seed", range(6))
def test_tally_emit_equals_one_pass_on_generated_corpus(tmp_path: Path, seed: int) -> None:
    files = make_case_corpus(tmp_path, files=30, seed=seed)
    ctx = CheckContext.build(terms.load_valid(str(SMALL)), RULES,
                             {"*/set2/*": ["DQ101"]} if seed % 2 else None)
    rng = random.Random(seed)
    if seed >= 3:
        rng.shuffle(files)  # input order is not path order: first-seen ranks by input
    results = results_of(files, ctx)
    expected = reference_reduce(results, ctx)
    codes = {d.code for d in expected}
    assert {"DQ001", "DQ101", "DQ102", "DQ103"} <= codes, codes
    assert reduce_results(results, ctx) == expected
    for cuts in (1, 2, 3, 7, len(results)):
        assert two_phase(results, ctx, cuts, rng) == expected, cuts


def test_tally_emit_equals_one_pass_on_all_initial_groups(tmp_path: Path) -> None:
    """A DQ103 group whose every occurrence starts a sentence counts its odd spellings twice
    (the one-pass rule's semantics); split over partitions it still does."""
    for index, line in enumerate(['"Sword net" was found.', '"SWORD NET" again.',
                                  '"Sword Net" was found.', '"Sword Net" once more.']):
        (tmp_path / f"f{index}.txt").write_text(line + "\n", encoding="utf-8")
    ctx = CheckContext.build(terms.load_valid(str(SMALL)), RULES)
    results = results_of(sorted(str(p) for p in tmp_path.iterdir()), ctx)
    expected = reference_reduce(results, ctx)
    assert [d.code for d in expected] == ["DQ103", "DQ103"]
    # each odd spelling occurs once but is counted twice, as the one-pass rule counts it
    assert expected[0].message.endswith('"Sword net" ×2, "SWORD NET" ×2, "Sword Net" ×2')
    for cuts in (1, 2, 4):
        assert two_phase(results, ctx, cuts, random.Random(cuts)) == expected


def test_tally_emit_equals_one_pass_on_seeds_and_bilingual(monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    monkeypatch.chdir(ROOT)
    gloss = terms.load_valid(str(SEED_GLOSSARY))
    files = collect([os.path.relpath(SEEDS, ROOT)], exclude=("seeds/zh", "README.md")).files
    ctx = CheckContext.build(gloss, RULES)
    results = results_of(files, ctx)
    expected = reference_reduce(results, ctx)
    assert {"DQ102", "DQ103"} <= {d.code for d in expected}
    for cuts in (1, 2, 3, len(results)):
        assert two_phase(results, ctx, cuts, random.Random(cuts)) == expected
    pairs = {f"seeds/{name}": f"seeds/zh/{name}" for name in (
        "000-clean-network-2021-results-2022.txt", "002-cat-pool-and-cyber-violence-2023.txt")}
    pairs["seeds/ref/002-cat-pool-and-cyber-violence-2023.txt"] = (
        "seeds/zh/002-cat-pool-and-cyber-violence-2023.txt")
    ctx = CheckContext.build(gloss, frozenset(select_rules()), sources=pairs)
    results = results_of(list(pairs), ctx)
    expected = reference_reduce(results, ctx)
    assert "DQ203" in {d.code for d in expected}
    for cuts in (1, 2, 3):
        assert two_phase(results, ctx, cuts, random.Random(cuts)) == expected


def test_writers_stream_the_same_bytes(tmp_path: Path) -> None:
    """Every format written chunk by chunk is byte for byte the format of the whole list."""
    files = make_case_corpus(tmp_path, files=20, seed=2)
    ctx = CheckContext.build(terms.load_valid(str(SMALL)), RULES)
    run = run_local(files, ctx, keep_documents=True)
    diagnostics = run.diagnostics
    assert len(diagnostics) > 20
    cuts = [0, 1, 7, 8, 8, len(diagnostics) // 2, len(diagnostics)]
    chunks = [(diagnostics[a:b], run.documents) for a, b in zip(cuts, cuts[1:], strict=False)]
    for fmt in FORMATS:
        whole = RENDERERS[fmt](diagnostics, documents=run.documents, sig="s", files=len(files))
        written: list[str] = []
        WRITERS[fmt](iter(chunks), written.append, totals=Totals.of(diagnostics), sig="s",
                     files=len(files))
        assert "".join(written) == whole, fmt
        assert len(written) > 2, fmt  # really written piece by piece
        empty = RENDERERS[fmt]([], documents={}, sig="s", files=0)
        out: list[str] = []
        WRITERS[fmt](iter([([], {})]), out.append, totals=Totals(), sig="s", files=0)
        assert "".join(out) == empty, fmt


# -- on a cluster -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client() -> Iterator[object]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, scheduler_kwargs=engine.QUIET_SCHEDULER)
    dask_client = Client(cluster)
    try:
        yield dask_client
    finally:
        dask_client.close()
        cluster.close()


@needs_dask
def test_client_receives_tallies_then_one_partition_at_a_time(client: object,
                                                              tmp_path: Path) -> None:
    files = make_case_corpus(tmp_path, files=40, seed=9)
    ctx = CheckContext.build(terms.load_valid(str(SMALL)), RULES)
    random.Random(1).shuffle(files)
    local = run_local(files, ctx)
    chunks: list[list[Diagnostic]] = []
    with engine.stream_check_dask(files, ctx, client=client, partitions=8) as stream:
        # before any finding is read, only tallies and the partitions' heads have come back
        assert dict(stream.received) == {"CorpusTally": 8, "EmitHead": 8}
        assert stream.totals.by_rule == Totals.of(local.diagnostics).by_rule
        for chunk, documents in stream.chunks:
            assert documents == {}
            chunks.append(list(chunk))
        received = dict(stream.received)
    assert [d for chunk in chunks for d in chunk] == local.diagnostics
    assert received["chunk"] == 8
    assert received["largest chunk"] < len(local.diagnostics) / 3
    # what phase 1 sends grows with distinct forms and phrases, not with occurrences
    import pickle

    indexed = list(enumerate(results_of(files, ctx)))

    def sizes(part: list[tuple[int, DocumentResult]]) -> tuple[int, int]:
        summaries = [(r.renderings, r.quoted) for _, r in part]
        return len(pickle.dumps(tally_results(part, ctx.rules))), len(pickle.dumps(summaries))

    (tally_small, occurrences_small), (tally_all, occurrences_all) = (
        sizes(indexed[:10]), sizes(indexed))
    assert occurrences_all > 3 * occurrences_small
    assert tally_all < 1.5 * tally_small


@needs_dask
def test_stdin_and_unsorted_input_on_dask(client: object, tmp_path: Path) -> None:
    """Stdin is checked on the client and its findings sort among the workers' ones."""
    files = make_case_corpus(tmp_path, files=12, seed=4)[::-1]
    ctx = CheckContext.build(terms.load_valid(str(SMALL)), RULES)
    stdin = tmp_path / "stdin.txt"
    stdin.write_text('The "sword NET" and the Internet Navy.\n', encoding="utf-8")
    paths = [*files[:5], "-", *files[5:]]
    import sys

    with stdin.open("rb") as handle:
        sys_stdin = sys.stdin
        sys.stdin = type("In", (), {"buffer": handle})()  # type: ignore[assignment]
        try:
            local = run_local(paths, ctx)
            handle.seek(0)
            run = engine.run_check_dask(paths, ctx, client=client, partitions=3)
        finally:
            sys.stdin = sys_stdin
    assert any(d.path == "<stdin>" for d in local.diagnostics)
    assert run.diagnostics == local.diagnostics


@needs_dask
def test_worker_killed_between_phases_loses_nothing(tmp_path: Path) -> None:
    """A worker is SIGKILLed after every tally is in, while it holds partitions' results for
    phase 2, and, in a second run, while the findings stream to the client: Dask recomputes
    what it held and the findings are the local ones."""
    from distributed import Client, LocalCluster

    files = make_case_corpus(tmp_path, files=30, seed=6)
    ctx = CheckContext.build(terms.load_valid(str(SMALL)), RULES)
    local = run_local(files, ctx)
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                           dashboard_address=None, scheduler_kwargs=engine.QUIET_SCHEDULER)
    dask_client = Client(cluster)
    killed: list[int] = []
    done = [0]

    def kill_when_mapped(files_done: int) -> None:
        done[0] += files_done
        if done[0] < len(files) or killed:
            return
        held = dask_client.has_what()
        pids = dask_client.run(os.getpid)
        victim = max(held, key=lambda address: len(held[address]))
        assert any(key.startswith("decalque-check-") for key in held[victim])
        killed.append(pids[victim])
        os.kill(pids[victim], signal.SIGKILL)
        time.sleep(0.5)  # let the scheduler notice before phase 2 is submitted

    try:
        run = engine.run_check_dask(files, ctx, client=dask_client, partitions=10,
                                    progress=kill_when_mapped)
        dask_client.wait_for_workers(2, timeout=30)
        assert killed and killed[0] not in dask_client.run(os.getpid).values()
        # and while the findings stream: the emitted chunks a worker held are made again
        with engine.stream_check_dask(files, ctx, client=dask_client, partitions=10) as stream:
            streamed = list(next(stream.chunks)[0])
            held = dask_client.has_what()
            pids = dask_client.run(os.getpid)
            victim = max(held, key=lambda address: sum(
                key.startswith("decalque-emit-") for key in held[address]))
            assert any(key.startswith("decalque-emit-") for key in held[victim])
            os.kill(pids[victim], signal.SIGKILL)
            killed.append(pids[victim])
            for chunk, _ in stream.chunks:
                streamed.extend(chunk)
        dask_client.wait_for_workers(2, timeout=30)
        assert killed[1] not in dask_client.run(os.getpid).values()
    finally:
        dask_client.close()
        cluster.close()
    assert run.diagnostics == local.diagnostics
    assert streamed == local.diagnostics


@needs_dask
@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_local_and_dask_write_the_same_bytes(client: object, tmp_path: Path,
                                                 fmt: str) -> None:
    make_case_corpus(tmp_path / "corpus", files=25, seed=8)
    base = ["check", "corpus", "--glossary", str(SMALL), "--format", fmt]
    local = run_cli(*base, cwd=tmp_path)
    address = client.scheduler.address  # type: ignore[attr-defined]
    dask = run_cli(*base, "--engine", "dask", "--scheduler", address, "--partitions", "4",
                   cwd=tmp_path)
    assert local.returncode == dask.returncode == 1, dask.stderr
    assert dask.stdout == local.stdout
    assert dask.stderr == local.stderr
    assert local.stdout.count("DQ102") > 5


@needs_dask
def test_cli_statistics_same_on_both_engines(client: object, tmp_path: Path) -> None:
    make_case_corpus(tmp_path / "corpus", files=25, seed=8)
    base = ["check", "corpus", "--glossary", str(SMALL), "--statistics"]
    local = run_cli(*base, cwd=tmp_path)
    address = client.scheduler.address  # type: ignore[attr-defined]
    dask = run_cli(*base, "--engine", "dask", "--scheduler", address, cwd=tmp_path)
    assert (dask.returncode, dask.stdout, dask.stderr) == (
        local.returncode, local.stdout, local.stderr)
    assert "DQ103" in local.stdout
