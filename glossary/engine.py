"""Engines: where the map step runs. ``local`` runs it in this process; ``dask`` spreads it
over a Dask cluster, with the reduces on the workers where they are too big for the client
(check's two phases, the extractor's keyed reduce). Both call the same map and reduce
functions, so no rule exists twice and both engines give the same findings in the same order.

The Dask engine moves paths, not text: each task is a partition (a list of paths) that its
worker reads, decodes and maps; only small summaries (tallies, counts, scored keys) and, for
check, the findings, one partition at a time, reach the client. The
per-run context (for ``check``: the glossary, its compiled matcher and caches) travels once,
in a worker plugin that every current and future worker receives, and is built at most once per
worker process. ``dask``/``distributed`` are optional (``pip install "decalque[dask]"``) and
imported only when the Dask engine is used.
"""

from __future__ import annotations

import functools
import hashlib
import heapq
import importlib
import logging
import os
import sys
import threading
import uuid
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from operator import attrgetter
from types import ModuleType
from typing import Any, TypeVar

from glossary.check import (
    STDIN,
    CheckContext,
    CheckRun,
    CorpusTally,
    DocumentResult,
    Verdicts,
    check_path,
    emit_results,
    run_local,
    tally_results,
)
from glossary.collector import paused_collector
from glossary.diagnostics import Diagnostic, Fix
from glossary.documents import STREAM_THRESHOLD, Document, read_document
from glossary.errors import DecalqueError
from glossary.report import Chunk, Totals
from glossary.rules import Occurrence
from glossary.terms import Glossary

ENGINES: tuple[str, ...] = ("local", "dask")
MISSING_EXTRA = 'the dask engine needs the optional extra: pip install "decalque[dask]"'
# Aim for tasks of about this much text (~1 s of work): large enough that scheduling overhead
# (~1 ms a task) is noise, small enough that the last tasks leave no worker idle for long, a lost
# worker costs little and the progress bar moves.
PARTITION_BYTES = 32 * 1024 * 1024
TASKS_PER_THREAD = 8
RETRIES = 3
# The scheduler serves HTTP even without a dashboard, on :8787 by default; a random local port
# avoids a "port in use" warning (and a clash) when another cluster is running.
QUIET_SCHEDULER = {"dashboard": False, "dashboard_address": "127.0.0.1:0"}

C = TypeVar("C")  # the per-run context a map function needs (CheckContext for check)
P = TypeVar("P")  # what the context is built from (sent to workers once)
R = TypeVar("R")  # one document's summary
T = TypeVar("T")  # the reduced result

# A map function reads the file at ``path`` (absolute, as the worker sees it) and reports it as
# ``label`` (the user's spelling of the path). It must be a module-level function so workers
# can import it, and it must return something small: never the document text.
MapFn = Callable[[str, str, Any], Any]


def import_distributed() -> ModuleType:
    """``distributed``, or a one-line error (exit 2) naming the extra to install."""
    try:
        return importlib.import_module("distributed")
    except ImportError:
        raise DecalqueError(MISSING_EXTRA) from None


# -- worker side -------------------------------------------------------------------------------
# Module state of each worker process: the specs installed by ContextPlugin and the contexts
# built from them. A few entries are kept so a long-lived cluster can serve several glossaries.
_CACHE_SIZE = 4
_LOCK = threading.Lock()
_SPECS: OrderedDict[str, tuple[Callable[[Any], Any], Any]] = OrderedDict()
_CONTEXTS: OrderedDict[str, Any] = OrderedDict()
_BUILDS: Counter[str] = Counter()


def _remember(cache: OrderedDict[str, Any], key: str, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)


def install_spec(key: str, factory: Callable[[P], Any], payload: P) -> None:
    """Make ``factory(payload)`` available as context ``key`` in this process (plugin setup)."""
    with _LOCK:
        _remember(_SPECS, key, (factory, payload))


def worker_context(key: str) -> Any:
    """The context ``key``, built on first use and then reused by every task of this process
    (tasks on several threads of one worker wait for the one build)."""
    context = _CONTEXTS.get(key)
    if context is not None:
        return context
    with _LOCK:
        if key not in _CONTEXTS:
            if key not in _SPECS:
                raise RuntimeError(f"decalque context {key[:12]} is not installed on this "
                                   "worker (was the plugin unregistered mid-run?)")
            factory, payload = _SPECS[key]
            _remember(_CONTEXTS, key, factory(payload))
            _BUILDS[key] += 1
        return _CONTEXTS[key]


def context_builds() -> dict[str, int]:
    """How many times each context was built in this process (``client.run`` this to check
    that a worker built its matcher once, not once per task)."""
    return dict(_BUILDS)


def map_partition(pairs: Sequence[tuple[str, str]], map_fn: MapFn, key: str,
                  combine: Callable[[list[Any]], Any] | None = None) -> Any:
    """One task: map every (path, label) of a partition with this worker's context; with
    ``combine``, return its fold of the partition's results instead of the list."""
    context = worker_context(key)
    results = [map_fn(path, label, context) for path, label in pairs]
    return combine(results) if combine is not None else results


@functools.cache
def _plugin_class() -> type:
    """ContextPlugin subclasses distributed's WorkerPlugin, so it is created on first use
    (module ``__getattr__`` below) rather than at import: the base install has no dask."""
    plugin = importlib.import_module("distributed.diagnostics.plugin")

    class ContextPlugin(plugin.WorkerPlugin):  # type: ignore[misc, name-defined]
        """Carries a context's recipe to every worker, including workers that join or are
        restarted after a crash; the context itself is built lazily by the first task."""

        idempotent = False

        def __init__(self, key: str, factory: Callable[[Any], Any], payload: Any) -> None:
            self.key = key
            self.factory = factory
            self.payload = payload

        def setup(self, worker: Any) -> None:
            install_spec(self.key, self.factory, self.payload)

    ContextPlugin.__module__ = __name__
    ContextPlugin.__qualname__ = "ContextPlugin"
    return ContextPlugin


def __getattr__(name: str) -> Any:
    if name == "ContextPlugin":  # lets pickle find the lazily created class by reference
        return _plugin_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# -- client side -------------------------------------------------------------------------------
def machine_workers() -> int:
    """Worker processes for a LocalCluster: one per usable CPU (the map step is CPU-bound
    Python, so processes with one thread each beat threads)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


@contextmanager
def dask_client(scheduler: str | None = None, n_workers: int | None = None) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, or of a LocalCluster (``n_workers`` processes
    of one thread, default one per CPU) that is started here and closed on exit."""
    distributed = import_distributed()
    if scheduler:
        try:
            # timeout: dask's distributed.comm.timeouts.connect (30 s unless configured)
            client = distributed.Client(scheduler)
        except (OSError, TimeoutError) as exc:
            raise DecalqueError(f"cannot connect to the dask scheduler: {exc}",
                                scheduler) from None
        try:
            yield client
        finally:
            client.close()
        return
    cluster = distributed.LocalCluster(
        n_workers=n_workers or machine_workers(), threads_per_worker=1, processes=True,
        dashboard_address=None, silence_logs=logging.CRITICAL, scheduler_kwargs=QUIET_SCHEDULER)
    try:
        with distributed.Client(cluster) as client:
            yield client
    finally:
        cluster.close()


def partition(paths: Sequence[str], count: int,
              size: Callable[[str], int] | None = None) -> list[list[str]]:
    """Cut ``paths`` into ``count`` (at most one per path) contiguous partitions of similar
    byte size; order is kept, so results can be put back in input order."""
    if not paths:
        return []
    count = max(1, min(count, len(paths)))
    sizes = [max(1, (size or _file_size)(p)) for p in paths]
    total = sum(sizes)
    parts: list[list[str]] = [[]]
    done = 0
    for index, (path, nbytes) in enumerate(zip(paths, sizes, strict=True)):
        full = done >= total * len(parts) / count
        if parts[-1] and (full or len(paths) - index <= count - len(parts)):
            parts.append([])
        parts[-1].append(path)
        done += nbytes
    return parts


def _file_size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # the worker reports the problem (DQ001 for check)


def default_partitions(paths: Sequence[str], threads: int) -> int:
    """Enough tasks to keep every thread busy and balance stragglers, more for big corpora."""
    total = sum(_file_size(p) for p in paths)
    return max(threads * TASKS_PER_THREAD, -(-total // PARTITION_BYTES))


def context_key(*parts: object) -> str:
    """A stable cache key for a context, from what it is built from."""
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()


def map_distributed(paths: Sequence[str], map_fn: MapFn, context_factory: Callable[[P], Any],
                    payload: P, *, key: str, client: Any, partitions: int | None = None,
                    progress: Callable[[int], None] | None = None, retries: int = RETRIES,
                    combine: Callable[[list[Any]], Any] | None = None) -> list[Any]:
    """Run ``map_fn(path, label, context)`` for every path on the cluster of ``client`` and
    return the results in the order of ``paths``.

    Workers receive absolute paths (they must see the same file system) and labels in the
    user's spelling. ``context_factory(payload)`` runs at most once per worker process for a
    given ``key``. A task whose worker dies is run again elsewhere; ``retries`` covers
    tasks that raise. ``progress(n)`` is called with the number of files of each finished
    partition. With ``combine`` (module-level, order-preserving), each partition is folded on
    its worker and the result is the list of partition folds in path order: for map outputs
    that are too big to gather one per document."""
    distributed = import_distributed()
    if not paths:
        return []
    threads = sum(client.nthreads().values()) or 1
    parts = partition(paths, partitions or default_partitions(paths, threads))
    with _context_plugin(client, key, context_factory, payload):
        futures = []
        for index, part in enumerate(parts):
            pairs = [(os.path.abspath(p), p) for p in part]
            futures.append(client.submit(
                map_partition, pairs, map_fn, key, combine, retries=retries, pure=False,
                key=f"decalque-map-{index}-{uuid.uuid4().hex}"))
        results = _in_path_order(distributed, futures, parts, progress)
    if combine is not None:
        return results
    return [item for part_result in results for item in part_result or ()]


@contextmanager
def _context_plugin(client: Any, key: str, context_factory: Callable[[P], Any],
                    payload: P) -> Iterator[None]:
    """The run's context plugin on every worker while the block runs (built once per worker
    process), unregistered after."""
    plugin_name = f"decalque-context-{key[:16]}-{uuid.uuid4().hex[:8]}"
    client.register_plugin(_plugin_class()(key, context_factory, payload), name=plugin_name)
    try:
        yield
    finally:
        try:
            client.unregister_worker_plugin(plugin_name)
        except Exception:  # noqa: BLE001 - a failing cleanup must not hide the real error
            logging.getLogger(__name__).debug("could not unregister %s", plugin_name)


def _in_path_order(distributed: ModuleType, futures: list[Any], parts: Sequence[Sequence[str]],
                   progress: Callable[[int], None] | None) -> list[Any]:
    """The results of one future per partition, in partition order, gathered as they complete
    (progress counts each partition's files). ``futures`` is emptied: as_completed holds them
    until they are gathered, then they are freed."""
    slot = {future.key: index for index, future in enumerate(futures)}
    results: list[Any] = [None] * len(parts)
    pending = distributed.as_completed(futures, with_results=True)
    futures.clear()
    try:
        for future, result in pending:
            index = slot[future.key]
            results[index] = result
            if progress:
                progress(len(parts[index]))
    except distributed.KilledWorker as exc:
        raise _workers_died(exc) from None
    return results


def _workers_died(exc: BaseException) -> DecalqueError:
    return DecalqueError("dask workers kept dying on one task (out of memory? see the worker "
                         f"logs): {exc}")


def run_distributed(paths: Sequence[str], map_fn: MapFn,
                    reduce_fn: Callable[[list[Any]], T], context_factory: Callable[[P], Any],
                    payload: P, *, key: str, client: Any | None = None,
                    scheduler: str | None = None, partitions: int | None = None,
                    progress: Callable[[int], None] | None = None, retries: int = RETRIES,
                    combine: Callable[[list[Any]], Any] | None = None) -> T:
    """Map on the cluster, reduce here: ``reduce_fn(map results in path order)`` (or of the
    partition folds, with ``combine``; see ``map_distributed``).

    ``client`` reuses a connected client; otherwise one is made for ``scheduler`` (or a
    LocalCluster, one process per CPU up to one per file) and closed after the map."""
    options: dict[str, Any] = {"key": key, "partitions": partitions, "progress": progress,
                               "retries": retries, "combine": combine}
    if client is not None:
        return reduce_fn(map_distributed(paths, map_fn, context_factory, payload,
                                         client=client, **options))
    workers = min(machine_workers(), max(1, min(len(paths), partitions or len(paths))))
    with dask_client(scheduler, workers) as own:
        mapped = map_distributed(paths, map_fn, context_factory, payload, client=own, **options)
    return reduce_fn(mapped)


# -- keyed reduce: fold partitions, shuffle by key, finish on the workers ----------------------
# ``fold(results, buckets) -> (report, pieces)``: a partition's map results (an iterator, in path
# order) folded into a small report for the client and one piece per bucket of keys.
# ``combine(pieces) -> piece``: consecutive pieces of one bucket, in path order, summed.
# ``finish(piece) -> out``: a bucket holding every document's facts about its keys, reduced to
# what the client needs. All three are module-level (workers import them) and must not
# modify their arguments (Dask may hold them for a retry).
FoldFn = Callable[[Iterator[Any], int], tuple[Any, list[Any]]]
SPLIT_EVERY = 8  # pieces per combine task: a tree of log8(partitions) levels per bucket


def default_buckets(paths: Sequence[str], partitions: int, threads: int) -> int:
    """One bucket of keys per ~32 MB of text (a bucket's facts meet in one task, so they must
    fit a worker), at least one per thread, at most one per partition (each partition sends
    a piece to every bucket: partitions x buckets small tasks)."""
    total = sum(_file_size(p) for p in paths)
    return max(1, min(partitions, max(threads, -(-total // PARTITION_BYTES))))


def fold_partition(pairs: Sequence[tuple[str, str]], map_fn: MapFn, key: str, fold: FoldFn,
                   buckets: int) -> tuple[Any, list[Any]]:
    """One task of a keyed reduce: map a partition's files one at a time into ``fold``, so
    the worker never holds the partition's map results all at once."""
    context = worker_context(key)
    return fold((map_fn(path, label, context) for path, label in pairs), buckets)


def fold_distributed(paths: Sequence[str], map_fn: MapFn, context_factory: Callable[[P], Any],
                     payload: P, *, key: str, client: Any, fold: FoldFn,
                     combine: Callable[[list[Any]], Any], finish: Callable[[Any], Any],
                     buckets: int | None = None, partitions: int | None = None,
                     progress: Callable[[int], None] | None = None,
                     retries: int = RETRIES) -> tuple[list[Any], list[Any]]:
    """A reduce too big for the client, on the cluster: every partition is mapped and folded
    on its worker; each bucket's pieces are combined in path order by a tree of tasks and
    finished there. Returns the partitions' reports in path order and the finished buckets:
    only those reach the client. One dask graph, so dask orders it to free pieces early and
    recomputes what a dead worker held."""
    import dask

    distributed = import_distributed()
    if not paths:
        return [], []
    threads = sum(client.nthreads().values()) or 1
    parts = partition(paths, partitions or default_partitions(paths, threads))
    buckets = max(1, buckets or default_buckets(paths, len(parts), threads))
    run = uuid.uuid4().hex
    with _context_plugin(client, key, context_factory, payload):
        folded = [dask.delayed(fold_partition, pure=False)(
            [(os.path.abspath(p), p) for p in part], map_fn, key, fold, buckets,
            dask_key_name=f"decalque-fold-{index}-{run}") for index, part in enumerate(parts)]
        roots = []
        for bucket in range(buckets):
            level = [task[1][bucket] for task in folded]
            while len(level) > 1:
                level = [dask.delayed(combine, pure=True)(level[i:i + SPLIT_EVERY])
                         for i in range(0, len(level), SPLIT_EVERY)]
            roots.append(dask.delayed(finish, pure=True)(level[0]))
        futures = client.compute([task[0] for task in folded] + roots, retries=retries)
        del folded, roots, level
        finished = futures[len(parts):]
        folds = futures[:len(parts)]
        del futures
        reports = _in_path_order(distributed, folds, parts, progress)
        try:
            return reports, client.gather(finished)
        except distributed.KilledWorker as exc:
            raise _workers_died(exc) from None


def fold_paths(paths: Sequence[str], map_fn: MapFn, context_factory: Callable[[P], Any],
               payload: P, *, key: str, fold: FoldFn, combine: Callable[[list[Any]], Any],
               finish: Callable[[Any], Any], engine: str = "local",
               scheduler: str | None = None, partitions: int | None = None,
               client: Any | None = None, buckets: int | None = None,
               progress: Callable[[int], None] | None = None) -> tuple[list[Any], list[Any]]:
    """A keyed reduce on ``engine`` (see ``fold_distributed``): locally, all paths are one
    partition folded into one bucket, which is finished here; the same three functions run
    either way. Returns (reports in path order, finished buckets)."""
    check_engine(engine, scheduler, partitions)
    options: dict[str, Any] = {"key": key, "fold": fold, "combine": combine, "finish": finish,
                               "buckets": buckets, "partitions": partitions,
                               "progress": progress}
    if engine == "local":
        context = context_factory(payload)

        def mapped() -> Iterator[Any]:
            for path in paths:
                yield map_fn(path, path, context)
                if progress:
                    progress(1)

        report, pieces = fold(mapped(), 1)
        return [report], [finish(pieces[0])]
    if client is not None:
        return fold_distributed(paths, map_fn, context_factory, payload, client=client,
                                **options)
    workers = min(machine_workers(), max(1, min(len(paths), partitions or len(paths))))
    with dask_client(scheduler, workers) as own:
        return fold_distributed(paths, map_fn, context_factory, payload, client=own, **options)


# -- check on the engines ----------------------------------------------------------------------
CheckPayload = tuple[Glossary, frozenset[str], tuple[tuple[str, frozenset[str]], ...],
                     tuple[tuple[str, str], ...]]


def build_check_context(payload: CheckPayload) -> CheckContext:
    """Worker-side factory: the same CheckContext the client built, from the same inputs
    (with the English -> source pairs as absolute paths, as the workers read them)."""
    glossary, rules, ignores, sources = payload
    return CheckContext.build(glossary, rules, dict(ignores), sources=dict(sources))


def _intern(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


def compact(result: DocumentResult, label: str) -> DocumentResult:
    """``result`` as if its file had been read as ``label`` (the user's spelling of the path),
    with the strings that findings repeat (messages, surfaces, replacements) interned: the
    partition's pickle then carries each once, and the client keeps one copy per partition
    instead of one per finding (about a third less client memory). Values are unchanged."""
    path = sys.intern(label)
    read_as = result.path
    result.path = path
    result.diagnostics = [
        replace(d, path=path if d.path == read_as else sys.intern(d.path),
                message=sys.intern(d.message), found=sys.intern(d.found),
                suggestion=_intern(d.suggestion), concept=_intern(d.concept),
                fix=d.fix and replace(d.fix, replacement=sys.intern(d.fix.replacement)))
        for d in result.diagnostics]
    result.renderings = [_compact_occurrence(o, path) for o in result.renderings]
    result.quoted = [_compact_occurrence(o, path) for o in result.quoted]
    result.source_renderings = [
        replace(s, occurrence=_compact_occurrence(s.occurrence, path), term=sys.intern(s.term),
                rendering=sys.intern(s.rendering)) for s in result.source_renderings]
    return result


def _compact_occurrence(occ: Occurrence, path: str) -> Occurrence:
    return replace(occ, path=path, surface=sys.intern(occ.surface), concept=_intern(occ.concept),
                   form=_intern(occ.form))


def check_file(path: str, label: str, ctx: CheckContext) -> DocumentResult | None:
    """The check map step on a worker: exactly ``check_path``, reported under ``label``.

    A file with no findings and no occurrences contributes nothing to ``reduce_results``, so
    it comes back as None: the client then holds nothing for clean files, only for findings
    (what keeps its memory flat on a corpus of millions of files)."""
    result, _ = check_path(path, ctx)
    if not (result.diagnostics or result.renderings or result.quoted
            or result.source_renderings):
        return None
    return compact(result, label)


def check_payload(ctx: CheckContext) -> tuple[CheckPayload, str]:
    """What workers need to rebuild ``ctx``, and its cache key."""
    sources = tuple(sorted(absolute_sources(ctx).items()))
    payload: CheckPayload = (ctx.glossary, ctx.rules, ctx.per_file_ignores, sources)
    ignores = sorted((glob, sorted(codes)) for glob, codes in ctx.per_file_ignores)
    return payload, context_key("check", ctx.glossary.sha256, sorted(ctx.rules), ignores,
                                sources)


def absolute_sources(ctx: CheckContext) -> dict[str, str]:
    """``ctx.sources`` (English -> Chinese source, as the user spelled them) in absolute
    paths: workers are handed the English file by absolute path and read its source so."""
    return {os.path.abspath(en): os.path.abspath(zh) for en, zh in ctx.sources.items()}


def _source_label(diag: Diagnostic, labels: Mapping[str, str]) -> Diagnostic:
    """A finding on a source file (DQ001 when it cannot be read) names it as the user did."""
    label = labels.get(diag.path)
    return diag if label is None else replace(diag, path=label)


# -- check: two-phase reduce on the workers ------------------------------------------------------
# Phase 1: each partition (a contiguous range of the paths sorted by the user's spelling) is
# mapped and its results stay on the worker (a future the client never gathers); a second task
# tallies them and only the tally comes back. The client merges the tallies and submits the
# verdicts as one task (a future: recomputed, like everything else, if a worker dies). Phase 2:
# each partition emits its finished, suppressed, sorted findings from its kept results and the
# verdicts; the client takes the small heads (counts, stray findings) first, then the chunks
# one at a time in path order, writes each and lets it go.
IndexedPath = tuple[str, str, int]  # (absolute path, label, index in the input)


def check_partition(items: Sequence[IndexedPath], map_fn: MapFn,
                    key: str) -> list[tuple[int, DocumentResult]]:
    """Phase 1's map on a worker: the partition's results (kept there), clean files left out."""
    context = worker_context(key)
    kept: list[tuple[int, DocumentResult]] = []
    with paused_collector():  # as in run_local: findings make no reference cycles
        for path, label, index in items:
            result = map_fn(path, label, context)
            if result is not None:
                kept.append((index, result))
    return kept


def tally_partition(results: list[tuple[int, DocumentResult]], key: str) -> CorpusTally:
    return tally_results(results, worker_context(key).rules)


def _given(value: T) -> T:
    return value


@dataclass(frozen=True)
class EmitHead:
    """What the client needs of a partition's findings before writing any: their counts and
    the few findings whose path lies outside the partition (a source file's DQ001), which
    must be merged into the output at their place in path order."""

    totals: Totals
    strays: list[Diagnostic]


_FIELDS = tuple(f.name for f in fields(Diagnostic))
_FIX_FIELDS = tuple(f.name for f in fields(Fix))
PackedChunk = tuple[list[tuple], list[tuple]]


def pack(diagnostics: list[Diagnostic]) -> PackedChunk:
    """Findings as plain tuples (the Fix's apart): they pickle ~3x and unpickle ~1.5x faster
    than frozen dataclasses, which matters for the chunks that stream to the client."""
    row, fix_row = attrgetter(*_FIELDS), attrgetter(*_FIX_FIELDS)
    return ([row(d) for d in diagnostics],
            [(index, fix_row(d.fix)) for index, d in enumerate(diagnostics) if d.fix])


def unpack(packed: PackedChunk) -> list[Diagnostic]:
    rows, fixes = packed
    out = [Diagnostic(*row) for row in rows]
    for index, fix in fixes:
        out[index] = replace(out[index], fix=Fix(*fix))
    return out


def emit_partition(results: list[tuple[int, DocumentResult]], verdicts: Verdicts,
                   key: str) -> tuple[PackedChunk, EmitHead]:
    """Phase 2 on a worker: the partition's sorted findings (packed) and their head."""
    found = emit_results(results, verdicts, worker_context(key))
    own = {result.path for _, result in results}
    chunk = [d for d in found if d.path in own]
    strays = [d for d in found if d.path not in own] if len(chunk) < len(found) else []
    return pack(chunk), EmitHead(Totals.of(found), strays)


def _head(emitted: tuple[list[Diagnostic], EmitHead]) -> EmitHead:
    return emitted[1]


@dataclass
class CheckStream:
    """A check's findings as chunks in output order (each with the documents of its files when
    they were asked for), and their totals, known before the first chunk."""

    files: int
    totals: Totals
    chunks: Iterator[Chunk]
    received: Counter[str] = field(default_factory=Counter)  # what reached the client, by type


def _merge_strays(chunks: Iterator[list[Diagnostic]],
                  strays: list[Diagnostic]) -> Iterator[list[Diagnostic]]:
    """Each chunk with the strays that sort before its last finding merged in."""
    strays = sorted(strays, key=Diagnostic.sort_key)
    for chunk in chunks:
        if strays and chunk and strays[0].sort_key() <= chunk[-1].sort_key():
            last = chunk[-1].sort_key()
            cut = next((i for i, d in enumerate(strays) if d.sort_key() > last), len(strays))
            chunk = list(heapq.merge(chunk, strays[:cut], key=Diagnostic.sort_key))
            strays = strays[cut:]
        yield chunk
    if strays:
        yield strays


def _with_documents(chunks: Iterator[list[Diagnostic]], kept: dict[str, Document],
                    keep_documents: bool) -> Iterator[Chunk]:
    """Chunks with the Documents the local engine would have kept for their files (read here,
    chunk by chunk, then dropped)."""
    for chunk in chunks:
        if not keep_documents:
            yield chunk, {}
            continue
        paths = {d.path for d in chunk}
        documents = {p: kept[p] for p in paths if p in kept}
        documents.update(_documents(paths - set(documents)))
        yield chunk, documents


@contextmanager
def stream_check_dask(paths: Sequence[str], ctx: CheckContext, *, client: Any | None = None,
                      scheduler: str | None = None, partitions: int | None = None,
                      keep_documents: bool = False,
                      progress: Callable[[int], None] | None = None, map_fn: MapFn = check_file,
                      retries: int = RETRIES) -> Iterator[CheckStream]:
    """``run_local`` on a Dask cluster, streamed: the same map (``check_path``) and reduce
    (``tally_results``, ``emit_results``), so the same findings in the same order, while the
    client holds one partition's findings at a time. Stdin ('-') is read and checked here."""
    if client is None:
        # a local cluster never needs more worker processes than there are files (or tasks)
        remote = sum(p != "-" for p in paths)
        workers = min(machine_workers(), max(1, min(remote, partitions or remote)))
        with dask_client(scheduler, workers) as own, stream_check_dask(
                paths, ctx, client=own, partitions=partitions, keep_documents=keep_documents,
                progress=progress, map_fn=map_fn, retries=retries) as stream:
            yield stream
        return
    distributed = import_distributed()
    payload, key = check_payload(ctx)
    # sorted by the user's spelling, so that partitions concatenated are in output order; the
    # input index still ranks first-seen forms, as the local engine's single pass does
    ordered = sorted((label, index) for index, label in enumerate(paths) if label != "-")
    threads = sum(client.nthreads().values()) or 1
    labels = [label for label, _ in ordered]
    cuts = partition(labels, partitions or default_partitions(labels, threads)) if labels else []
    received: Counter[str] = Counter()
    run = uuid.uuid4().hex
    with _context_plugin(client, key, build_check_context, payload):
        kept, tallies, start = [], [], 0
        for number, cut in enumerate(cuts):
            items = [(os.path.abspath(label), label, index)
                     for label, index in ordered[start:start + len(cut)]]
            start += len(cut)
            kept.append(client.submit(check_partition, items, map_fn, key, retries=retries,
                                      pure=False, key=f"decalque-check-{number}-{run}"))
            tallies.append(client.submit(tally_partition, kept[-1], key, retries=retries,
                                         pure=False, key=f"decalque-tally-{number}-{run}"))
        del ordered
        merged = CorpusTally()
        local: list[tuple[int, DocumentResult]] = []
        documents: dict[str, Document] = {}
        for index, label in enumerate(paths):
            if label == "-":
                result, doc = check_path(label, ctx)
                local.append((index, result))
                if keep_documents and doc is not None:
                    documents[doc.path] = doc
                if progress:
                    progress(1)
        merged.merge(tally_results(local, ctx.rules))
        slot = {future.key: number for number, future in enumerate(tallies)}
        try:
            for future, tally in distributed.as_completed(tallies, with_results=True):
                received[type(tally).__name__] += 1
                merged.merge(tally)
                if progress:
                    progress(len(cuts[slot[future.key]]))
        except distributed.KilledWorker as exc:
            raise _workers_died(exc) from None
        del tallies
        verdicts = merged.verdicts(ctx)
        del merged
        given = client.submit(_given, verdicts, pure=False, key=f"decalque-verdicts-{run}")
        emitted = [client.submit(emit_partition, part, given, key, retries=retries,
                                 pure=False, key=f"decalque-emit-{number}-{run}")
                   for number, part in enumerate(kept)]
        heads = [client.submit(_head, future, pure=False) for future in emitted]
        totals = Totals()
        strays = emit_results(local, verdicts, ctx)  # stdin's findings sort among the files'
        totals.add(strays)
        try:
            for head in client.gather(heads):
                received[type(head).__name__] += 1
                totals.merge(head.totals)
                strays.extend(head.strays)
        except distributed.KilledWorker as exc:
            raise _workers_died(exc) from None
        del heads
        if ctx.sources:
            labels_of = {os.path.abspath(zh): zh for zh in ctx.sources.values()}
            strays = [_source_label(d, labels_of) for d in strays]

        def fetch(number: int) -> list[Diagnostic]:
            try:
                packed, _ = emitted[number].result()
            except distributed.KilledWorker as exc:
                raise _workers_died(exc) from None
            emitted[number] = kept[number] = None  # frees them on the workers
            chunk = unpack(packed)
            received["chunk"] += 1
            received["largest chunk"] = max(received["largest chunk"], len(chunk))
            return chunk

        def chunks() -> Iterator[list[Diagnostic]]:
            """In order; the next chunk is fetched while this one is written (two at most
            on the client)."""
            with ThreadPoolExecutor(1, thread_name_prefix="decalque-fetch") as fetcher:
                pending = fetcher.submit(fetch, 0) if emitted else None
                for number in range(len(emitted)):
                    chunk = pending.result()  # type: ignore[union-attr]
                    if number + 1 < len(emitted):
                        pending = fetcher.submit(fetch, number + 1)
                    yield chunk

        yield CheckStream(len(paths), totals,
                          _with_documents(_merge_strays(chunks(), strays), documents,
                                          keep_documents), received)


def run_check_dask(paths: Sequence[str], ctx: CheckContext, *, client: Any | None = None,
                   scheduler: str | None = None, partitions: int | None = None,
                   keep_documents: bool = False, progress: Callable[[int], None] | None = None,
                   map_fn: MapFn = check_file, retries: int = RETRIES) -> CheckRun:
    """``stream_check_dask`` gathered into one list (for callers that want the list)."""
    diagnostics: list[Diagnostic] = []
    documents: dict[str, Document] = {}
    with stream_check_dask(paths, ctx, client=client, scheduler=scheduler,
                           partitions=partitions, keep_documents=keep_documents,
                           progress=progress, map_fn=map_fn, retries=retries) as stream:
        for chunk, docs in stream.chunks:
            diagnostics.extend(chunk)
            documents.update(docs)
    return CheckRun(diagnostics, len(paths), documents)


def _documents(paths: set[str]) -> dict[str, Document]:
    """The Documents the local engine would have kept for these paths (not streamed files)."""
    found: dict[str, Document] = {}
    for path in sorted(paths):
        if path == STDIN:
            continue
        try:
            if os.path.getsize(path) > STREAM_THRESHOLD:
                continue
            found[path] = read_document(path)
        except (DecalqueError, OSError):
            continue
    return found


def check_engine(engine: str, scheduler: str | None = None,
                 partitions: int | None = None) -> None:
    """Validate the engine options every command shares (one-line errors, exit 2)."""
    if engine not in ENGINES:
        raise DecalqueError(f"unknown engine {engine!r} (expected {'|'.join(ENGINES)})")
    if engine == "local" and (scheduler or partitions):
        raise DecalqueError("--scheduler and --partitions need --engine dask")
    if engine == "dask":
        import_distributed()


@contextmanager
def stream_check(paths: Sequence[str], ctx: CheckContext, *, engine: str = "local",
                 scheduler: str | None = None, partitions: int | None = None,
                 keep_documents: bool = False,
                 progress: Callable[[int], None] | None = None) -> Iterator[CheckStream]:
    """Engine selection for ``check``, streamed: the local engine gives one chunk."""
    check_engine(engine, scheduler, partitions)
    if engine == "local":
        run = run_local(paths, ctx, keep_documents=keep_documents, progress=progress)
        yield CheckStream(run.files, Totals.of(run.diagnostics),
                          iter([(run.diagnostics, run.documents)]))
        return
    with stream_check_dask(paths, ctx, scheduler=scheduler, partitions=partitions,
                           keep_documents=keep_documents, progress=progress) as stream:
        yield stream


def run_check(paths: Sequence[str], ctx: CheckContext, *, engine: str = "local",
              scheduler: str | None = None, partitions: int | None = None,
              keep_documents: bool = False,
              progress: Callable[[int], None] | None = None) -> CheckRun:
    """Engine selection for ``check``."""
    check_engine(engine, scheduler, partitions)
    if engine == "local":
        return run_local(paths, ctx, keep_documents=keep_documents, progress=progress)
    return run_check_dask(paths, ctx, scheduler=scheduler, partitions=partitions,
                          keep_documents=keep_documents, progress=progress)
