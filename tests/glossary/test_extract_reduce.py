"""The extractor's reduce split at the family of the phrase key's first word (what lets Dask
score on the workers): facts folded per partition, cut into buckets by key, combined per
bucket and scored there give exactly the scores and candidates of one whole-corpus reduce,
whatever the cuts; bare counts become facts only when their corpus total reaches two,
whichever partitions they came from."""

from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path

import pytest
from helpers import SEEDS, SMALL

from glossary import terms
from glossary.documents import read_document
from glossary.extract.candidates import DocumentPhrases, PhraseStats, document_phrases
from glossary.extract.lexicon import lexicon
from glossary.extract.score import (
    CLUSTER_LIMIT,
    Scored,
    candidates,
    combine,
    extract,
    merge,
    score_facts,
)
from glossary.files import DEFAULT_INCLUDE, collect


@pytest.fixture(scope="module")
def seed_docs() -> list[DocumentPhrases]:
    files = collect([str(SEEDS)], DEFAULT_INCLUDE, ("zh", "README.md")).files
    assert len(files) >= 5
    return [document_phrases(read_document(f)) for f in files]


def split_reduce(docs: list[DocumentPhrases], partitions: int, buckets: int,
                 min_count: int = 1, limit: int = CLUSTER_LIMIT) -> list[Scored]:
    """What the Dask engine does, in one process: fold contiguous partitions, split each by
    key, combine every bucket's pieces in path order, score each bucket."""
    size = -(-len(docs) // partitions)
    pieces = [merge(docs[i:i + size]).split(buckets) for i in range(0, len(docs), size)]
    return [score_facts(combine(part[b] for part in pieces), min_count, limit)
            for b in range(buckets)]


@pytest.mark.parametrize(("partitions", "buckets"), [(1, 1), (2, 3), (5, 2), (17, 7)])
def test_split_reduce_scores_like_one_reduce(seed_docs: list[DocumentPhrases],
                                             partitions: int, buckets: int) -> None:
    whole = score_facts(merge(seed_docs))
    parts = split_reduce(seed_docs, partitions, buckets)
    assert sum(len(p) for p in parts) == len(whole)
    joined: Scored = {}
    for index, part in enumerate(parts):
        # cut at the first word's family: phrases that share a first word, or first words
        # that render one Chinese word, meet in a bucket
        assert all(zlib.crc32(lexicon().family(k.split()[0]).encode()) % buckets == index
                   for k in part) or buckets == 1
        joined.update(part)
    assert joined == whole  # same keys, scores, signals, surfaces, documents, contexts
    # the seeds' unquoted siblings of quoted phrases are scored in their bucket too
    assert any("shared_modifier" in sig for _, sig, _ in joined.values())
    # and so are the terms rendered two ways ("network crime" / "online crime")
    assert any("two_ways" in sig for _, sig, _ in joined.values())
    assert all(score > 0 for score, _, _ in joined.values())
    gloss = terms.load_valid(str(SMALL))
    ours = [vars(c) for c in candidates(joined, gloss)]
    assert ours == [vars(c) for c in extract(seed_docs, gloss)]
    assert len(ours) > 20


@pytest.mark.parametrize(("partitions", "buckets"), [(2, 3), (4, 7)])
def test_a_rendering_habit_is_found_in_its_bucket(partitions: int, buckets: int) -> None:
    """The machine translations alone (the human ones say "online" and dilute the habit):
    a habit's pairs and its other phrases share the first word's family, so one bucket."""
    docs = [document_phrases(read_document(f)) for f in sorted(SEEDS.glob("00[0124]-*.txt"))]
    whole = score_facts(merge(docs))
    joined: Scored = {}
    for part in split_reduce(docs, partitions, buckets):
        joined.update(part)
    assert joined == whole
    assert any(sig.get("habit") == "network/online" for _, sig, _ in joined.values())


def test_only_positive_keys_leave_a_bucket(seed_docs: list[DocumentPhrases]) -> None:
    facts = merge(seed_docs)
    scored = score_facts(facts)
    every_key = set(facts.merged) | set(facts.singles)
    assert scored and set(scored) < every_key
    # the client gets a small share of the keys (a tenth: the seeds' phrases said once whose
    # words English never joins are listed too, ``unusual_once``)
    assert len(scored) * 9 < len(every_key)
    again = score_facts(facts, min_count=3)  # scoring leaves the facts as they were
    assert set(again) <= set(scored) and score_facts(facts) == scored


def _doc(path: str, singles: dict[str, int],
         phrases: dict[str, PhraseStats] | None = None) -> DocumentPhrases:
    return DocumentPhrases(path, 100, phrases or {}, Counter(singles))


@pytest.mark.parametrize("buckets", [1, 2, 5])
def test_bare_counts_need_a_corpus_total_of_two(buckets: int) -> None:
    """"four breaks" is bare once in a.txt and in c.txt (other partitions): it becomes a
    phrase seen in two documents; "three walls", bare once in the corpus, never does. b.txt
    has "two sessions" both quoted (full facts) and bare: one document, three occurrences."""
    quoted = PhraseStats(count=1, quoted=1, surfaces=Counter({"Two Sessions": 1}),
                         mid_case=Counter({"Two Sessions": 1}), contexts=[(3, "the Two")])
    docs = [_doc("a.txt", {"four breaks": 1, "two sessions": 1}),
            _doc("b.txt", {"three walls": 1, "two sessions": 1}, {"two sessions": quoted}),
            _doc("c.txt", {"four breaks": 1, "two sessions": 1})]
    for partitions in (1, 2, 3):
        scored: Scored = {}
        for part in split_reduce(docs, partitions, buckets):
            scored.update(part)
        assert set(scored) == {"four breaks", "two sessions"}
        score, sig, found = scored["four breaks"]
        assert (sig["docs"], sig["count"]) == (2.0, 2.0)
        assert found.surfaces == {"four breaks": 2} and found.surface_docs == {"four breaks": 2}
        _, sig, found = scored["two sessions"]
        assert (sig["docs"], sig["count"]) == (3.0, 4.0)  # b.txt counted once
        assert found.surfaces == {"Two Sessions": 1} and found.contexts == [("b.txt", 3,
                                                                              "the Two")]


def test_generated_corpus_split(tmp_path: Path) -> None:
    """Many files sharing phrases: contexts are the first three in path order and form
    document counts add up across partitions, as in one reduce."""
    words = "the police said a campaign began and many accounts were closed".split()
    for index in range(30):
        text = " ".join(words[index % 5:]) + ' about the "clean network" drive'
        if index % 3 == 0:
            text += " and the net net 2021 push."
        (tmp_path / f"d{index:02d}.txt").write_text(text + "\n", encoding="utf-8")
    docs = [document_phrases(read_document(str(p))) for p in sorted(tmp_path.iterdir())]
    whole = extract(docs)
    for partitions, buckets in ((4, 3), (30, 2)):
        joined: Scored = {}
        for part in split_reduce(docs, partitions, buckets):
            joined.update(part)
        assert [vars(c) for c in candidates(joined)] == [vars(c) for c in whole]
    clean = next(c for c in whole if c.key == "clean network")
    assert (clean.forms[0].text, clean.forms[0].count, clean.forms[0].docs) == (
        "clean network", 30, 30)
    assert [path for path, _, _ in clean.contexts] == [docs[i].path for i in range(3)]


@pytest.mark.parametrize("buckets", [1, 4])
def test_buckets_send_their_best_keys_only(seed_docs: list[DocumentPhrases],
                                           buckets: int) -> None:
    """Clustering takes the best CLUSTER_LIMIT keys, so a bucket sends no more than that:
    the best keys of all buckets together are still the best keys of the corpus."""
    every = score_facts(merge(seed_docs), limit=10**9)
    best = sorted(every, key=lambda k: (-every[k][0], k))
    assert len(best) > 2 * 40  # well past the limit below
    joined: Scored = {}
    for part in split_reduce(seed_docs, 3, buckets, limit=40):
        assert len(part) <= 40
        joined.update(part)
    assert sorted(joined, key=lambda k: (-joined[k][0], k))[:40] == best[:40]
    assert all(joined[k] == every[k] for k in joined)
    assert score_facts(merge(seed_docs), limit=40) == {k: every[k] for k in best[:40]}
