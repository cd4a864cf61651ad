"""The extractor on the seeds and on small fixtures: ranking, clustering, glossary interplay,
the candidates.csv contract and bad input."""

from __future__ import annotations

import json
import shutil
from functools import cache
from pathlib import Path

import pytest
from helpers import DATA, ROOT, SEEDS, assert_one_line_error, run_cli

from glossary import terms
from glossary.documents import Document, mask, read_document
from glossary.extract.candidates import (
    coordinated,
    document_phrases,
    odd_compound,
    parallel,
    parallel_pairs,
    phrase_key,
)
from glossary.extract.evaluate import evaluate, fold, load_gold
from glossary.extract.io import read_candidates, to_csv, write_candidates
from glossary.extract.score import (
    COORDINATED_WEIGHT,
    NAME_ENGLISH,
    ODD_COMPOUND_WEIGHT,
    ONCE_WEIGHT,
    PARALLEL_WEIGHT,
    QUOTED_ENGLISH_WEIGHT,
    TITLE_WEIGHT,
    UNQUOTED_NUMBERED,
    UNUSUAL_WEIGHT,
    Candidate,
    extract,
    merge,
    score_facts,
    surprise,
)

MT_SEEDS = [SEEDS / n for n in ("000-clean-network-2021-results-2022.txt",
                                "001-online-organized-crime-crackdown-2020.txt",
                                "002-cat-pool-and-cyber-violence-2023.txt",
                                "004-clean-network-2018-typical-cases-2018.txt")]


@cache
def seed_candidates() -> tuple[Candidate, ...]:
    return tuple(extract([document_phrases(read_document(str(p))) for p in MT_SEEDS]))


def rank_of(*forms: str) -> tuple[int, Candidate]:
    """Rank of the candidate holding all these forms (they must be clustered together)."""
    wanted = {phrase_key(f.split()) for f in forms}
    for rank, cand in enumerate(seed_candidates(), 1):
        have = {phrase_key(f.text.split()) for f in cand.forms} | {cand.key}
        if wanted <= have:
            return rank, cand
    raise AssertionError(f"no single candidate holds {forms}")


def test_water_army_variants_are_one_top_candidate() -> None:
    rank, cand = rank_of("network water army", "water army", "online water army")
    assert rank <= 5
    assert cand.signals.get("literal_gloss") == "网络水军"


def test_clean_network_variants_are_one_top_candidate() -> None:
    rank, cand = rank_of("net net", "Net Net 2022", "net 2018", "jingwang 2018")
    assert rank <= 5
    texts = {f.text for f in cand.forms}
    assert {"Net Net 2022", "jingwang 2018"} <= texts


def test_cat_pool_variants_are_one_top_candidate() -> None:
    rank, cand = rank_of("cat pool", "Cat Pool", "cat pools")
    assert rank <= 10
    assert "case_variance" in cand.signals and cand.signals["quoted"] == 1.0


@pytest.mark.parametrize("form", ["routine loan", "naked chat", "four management",
                                  "human flesh search", "fan sucking", "police flowers"])
def test_quoted_calques_rank_high(form: str) -> None:
    rank, _ = rank_of(form)
    assert rank <= 60, rank


def test_ordinary_english_and_domain_terms_rank_low() -> None:
    top = {c.key for c in seed_candidates()[:100]}
    for ordinary in ("public security organ", "personal information", "criminal suspect",
                     "ministry of public security", "cyberspace"):
        assert ordinary not in top
    clean = read_document(str(DATA / "check" / "clean-professional-rendering.txt"))
    assert [c.key for c in extract([document_phrases(clean)]) if c.score >= 3.0] == []


def test_a_word_by_word_gloss_alone_is_no_candidate() -> None:
    """Two common words that happen to gloss the characters of some Chinese word, with
    nothing else odd about them, are ordinary English; the same gloss in quotation marks
    adds to the score."""
    from glossary.extract.score import score_of

    plain = Document.from_text("Police filed a criminal case. Another criminal case was "
                               "closed, and a third criminal case opened.", "a.txt")
    keys = {c.key for c in extract([document_phrases(plain)])}
    assert "criminal case" not in keys
    assert score_of({"literal_gloss": "水军"}, 2) == 0.0
    from glossary.extract.lexicon import lexicon

    assert lexicon().literal_gloss(["water", "army"]) == "水军"  # "navy; paid poster"
    # the dictionary's own sense in other words' forms is no misleading gloss: 迅速发展 is
    # "develop rapidly"
    assert lexicon().literal_gloss(["rapid", "development"]) is None
    assert score_of({"literal_gloss": "水军", "quoted": 1.0}, 2) > score_of({"quoted": 1.0}, 2)


def test_numbered_fires_on_slogans_not_on_counts_or_enumerations() -> None:
    text = ("Police launched the two cards campaign. The two cards campaign cut supply. "
            "First is to strengthen patrols. Second is to strengthen audits. Four suspects were "
            "arrested in May. Four suspects were arrested in June. The three noes products and "
            "the three noes products were seized. Seven provinces joined the one network two "
            "cards drive.")
    doc = Document("t.txt", text, masked=mask(text, "txt"))
    found = {c.key: c for c in extract([document_phrases(doc)])}
    # numbers two things, with "two cards" (which it ends with) as a variant
    two = next(c for c in found.values() if "two card" in c.keys)
    assert "one network two card" in two.keys and two.signals["numbered"] == 1.0
    assert "numbered" in found["three noes product"].signals
    assert "one network two" not in found  # a fragment
    # said twice but never quoted, a name is weaker evidence than a quoted one
    scored = score_facts(merge([document_phrases(doc)]))
    assert scored["two card"][1]["numbered"] == UNQUOTED_NUMBERED < 1.0
    quoted = text.replace("The two cards campaign cut", 'The "two cards" campaign cut')
    doc = Document("t.txt", quoted, masked=mask(quoted, "txt"))
    assert score_facts(merge([document_phrases(doc)]))["two card"][1]["numbered"] == 1.0
    # an enumeration, a clause, and a count said once
    for enumeration in ("second is to strengthen", "four suspects were arrested",
                        "seven province"):
        assert enumeration not in found or "numbered" not in found[enumeration].signals


def test_unquoted_siblings_of_quoted_phrases_share_their_modifier() -> None:
    """A first word that leads two quoted phrases is a morpheme rendered literally: its other
    2-3 word phrases, unquoted and seen once in a document that quotes it, are candidates
    with a context. One quoted phrase is not enough, nor a number word, nor a word that
    leads a couple of quoted names among many plain phrases."""
    first = Document.from_text(
        'Gangs rented "ghost servers" and sold "ghost accounts" over ghost routers. The paper '
        'said a "paper tiger" list and the "three noes" and "three lows" drives went on. The '
        '"river dragon" and "river tiger" teams met. The ghost persisted, the ghost held, the '
        'ghost also grew. ' + " ".join(
            f"The river {w} was calm." for w in "bank ferry pier mouth bend delta valley "
            "crossing fleet port dock basin barge gauge lock ford bed island water level "
            "traffic bridge road trail police patrol".split()), "a.txt")
    second = Document.from_text(
        "Police then seized ghost invoices. A paper mill closed. Three suspects were held. "
        'The "lotus pond" and "lotus seed" shops sold lotus root.', "b.txt")
    third = Document.from_text(" ".join(  # "lotus" is ordinary here: bare counts, no quotes
        f"The lotus {w} was sold." for w in "leaf flower tea cake paste oil soap candle lamp "
        "print vase bowl dish shoe bag hat scarf card poster mug rug fan clock".split()),
        "c.txt")
    found = {c.key: c for c in extract([document_phrases(d) for d in (first, second, third)])}
    router = found["ghost router"]
    assert router.signals.get("shared_modifier") == "ghost"
    assert "ghost routers" in router.contexts[0][2]
    assert "shared_modifier" not in found["ghost server"].signals  # evidence of its own
    assert "ghost invoice" not in found  # once, in a document that quotes no "ghost" phrase
    # clauses are no phrases: a past tense that is no noun or adjective, an adverb
    for clause in ("ghost persisted", "ghost held", "ghost also"):
        assert clause not in found, clause
    assert "paper mill" not in found  # "paper" leads one quoted phrase only
    assert "river bank" not in found  # two quoted among twenty-eight "river" phrases
    assert "lotus root" not in found  # two quoted among twenty-five, most in another file
    assert not any("shared_modifier" in c.signals for c in found.values()
                   if c.key.startswith("three"))


def test_the_first_word_of_quoted_slogans_is_no_shared_modifier() -> None:
    """Unseen document 160 quotes five phrases led by "forest", all slogans of three words or
    more ("forest fire prevention is protecting life", "forest length police chief"): their
    topic, not a morpheme rendered again and again, so "forest reserves", "forest tending"
    and "forest trees" are no candidates by it. "green" leads one quoted word and its noun
    ("green shield") and a slogan: no modifier either."""
    doc = read_document(str(DATA / "extract" / "unseen" / "160-forest-chief.txt"))
    found = extract([document_phrases(doc)])
    assert not [c.key for c in found if "shared_modifier" in c.signals]
    assert any("forest length police chief" in (c.keys or [c.key]) for c in found)


def test_the_official_translation_has_no_shared_modifier() -> None:
    """The human translation (seed 003) quotes no two phrases with one first word, so none
    of its plain phrases are made candidates by their first word."""
    docs = [document_phrases(read_document(str(p))) for p in sorted(SEEDS.glob("003-*.txt"))]
    assert docs
    assert not any("shared_modifier" in c.signals for c in extract(docs))


def test_one_term_rendered_two_ways_is_one_candidate() -> None:
    """The same head after two words that render one Chinese word (network / online: 网络),
    one of the forms said twice, is a term translated two ways, across documents too: one
    candidate holding both forms. Words that gloss different Chinese words (data 数据,
    information 信息), a pair seen once each, and a function word after the modifier do not
    make one."""
    first = Document.from_text(
        "The bureau fought network lotteries in May. Network lottery sites moved abroad. "
        "Data leaks rose. A network of agents helped. A network prize was paid.", "a.txt")
    second = Document.from_text(
        "Police closed an online lottery ring and two online prizes were seized. "
        "Information leaks fell. An online of sorts.", "b.txt")
    found = {c.key: c for c in extract([document_phrases(d) for d in (first, second)])}
    lottery = found["network lottery"]
    assert lottery.signals.get("two_ways") == "online lottery"
    assert {f.text for f in lottery.forms} >= {"network lotteries", "online lottery"}
    assert lottery.contexts and "network lotteries" in lottery.contexts[0][2].lower()
    assert "online lottery" not in found  # clustered, not a second candidate
    assert "data leak" not in found and "information leak" not in found
    # once each: no pair (at most a phrase said once, listed last: unusual_once)
    prizes = [c for c in found.values() if {"network prize", "online prize"} & set(c.keys)]
    assert not any("two_ways" in c.signals or len(c.keys) > 1 for c in prizes)


def test_a_word_rendered_mostly_one_way_brings_its_other_phrases() -> None:
    """A first word that leads two or more terms rendered two ways, said more often than its
    partner there ("network" beside "online" for 网络), is the translation's habit: its other
    plain phrases said twice become candidates. Said less often than its partner it is not
    (a translator's occasional "network"), nor are phrases said once or with a function word."""
    habit = Document.from_text(
        "Police fought network lotteries and network gambling. Network lottery sites and "
        "network gambling dens moved abroad. A network lottery draw was rigged. "
        "An online lottery and online gambling remained. "
        "The network environment improved. A clean network environment was built. "
        "A network of agents helped. The network ecology was praised.", "a.txt")
    found = {c.key: c for c in extract([document_phrases(habit)])}
    env = found["network environment"]
    assert env.signals.get("habit") == "network/online"
    assert env.contexts and "network environment" in env.contexts[0][2]
    assert "habit" not in found["network ecology"].signals  # said once: only listed
    assert set(found["network ecology"].signals) - {"docs", "count"} == {"unusual_once"}
    assert not any("network of" in c.keys for c in found.values())
    close = Document.from_text(habit.text.replace(
        "An online lottery and online gambling remained.",
        "Online lotteries and online gambling remained. Online lottery grew."), "b.txt")
    # "network" said 5 times in the pairs, "online" 3: both in use, no habit
    found = {c.key: c for c in extract([document_phrases(close)])}
    assert "network lottery" in found  # still a term rendered two ways
    assert not any("habit" in c.signals for c in found.values())
    assert "network environment" not in found


def test_rendering_partners_share_a_chinese_word_and_a_family() -> None:
    from glossary.extract.lexicon import lexicon, rendering_partners

    lex = lexicon()
    assert "internet" in lex.partners["network"] and "network" in lex.partners["online"]
    assert lex.family("network") == lex.family("internet") == "网"
    assert "information" not in lex.partners.get("data", ())  # 数据 / 信息 share only 资料
    assert lex.family("zzyzx") == "zzyzx"  # no gloss: its own family
    # a shared gloss is not enough: the main glosses must begin alike
    families, partners = rendering_partners(
        {"alpha": ("甲乙", "丙丁"), "beta": ("甲戊", "丙丁"), "gamma": ("己庚", "丙丁")})
    assert partners == {"alpha": ("beta",), "beta": ("alpha",)}
    assert families["gamma"] == "己"


def test_a_word_coordinated_with_itself_is_a_candidate() -> None:
    """MT gives two Chinese near-synonyms one English word ("illegal and illegal"): said
    once, such a phrase is a candidate with its context; comparatives that intensify ("higher
    and higher", "less and less"), two different words and a capitalised name are not."""
    doc = Document.from_text(
        "Owners must stay alert and alert at night. Prices went higher and higher and fewer "
        "and fewer shops opened, with less and less trade. Fraud and fraud rings grew. "
        "Police and courts acted. They built a Peaceful Baitang and Baitang under the rule "
        "of law.", "a.txt")
    found = {c.key: c for c in extract([document_phrases(doc)])}
    assert "baitang and baitang" not in found  # two modifiers of a name, not near-synonyms
    alert = found["alert and alert"]
    assert alert.signals.get("doubled") == 1.0
    assert alert.contexts and "alert and alert" in alert.contexts[0][2]
    assert "fraud and fraud" in found  # the head of "fraud rings" is the same word
    for plain in ("higher and higher", "less and less", "police and court"):
        assert plain not in found


def test_the_same_words_run_together_or_reordered_are_one_candidate() -> None:
    doc = Document.from_text(
        'The "Sky Net" action went on as Skynet 2023 and Skynet 2024. Police joined '
        '"fox hunting" and the "hunting foxes" teams abroad.', "a.txt")
    found = extract([document_phrases(doc)])
    sky = next(c for c in found if "sky net" in c.keys)
    assert "skynet" in sky.keys
    fox = next(c for c in found if "fox hunting" in c.keys)
    assert "hunting fox" in fox.keys


def test_a_verb_in_another_inflection_is_the_same_candidate() -> None:
    """抢注 came out "rush-registered" in one sentence and "rush-registering" in the next, 骗保
    "cheat insurance" and "insurance cheating": one concept each. A noun made of the verb is
    another word ("rush registration")."""
    doc = Document.from_text(
        'Marks were "rush-registered" abroad. Agents kept "rush-registering" them. Some '
        '"cheat insurance" while "insurance cheating" rings grew. The "rush registration" '
        'fee rose.', "a.txt")
    found = extract([document_phrases(doc)])
    rush = next(c for c in found if "rush registered" in c.keys)
    assert "rush registering" in rush.keys and "rush registration" not in rush.keys
    cheat = next(c for c in found if "cheat insurance" in c.keys)
    assert "insurance cheating" in cheat.keys


def extracted_files(folder: Path, texts: dict[str, str]) -> tuple[list[str], list[Candidate]]:
    """The files written in ``folder`` (name -> text) and the library's candidates of them."""
    paths = []
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths.append(str(folder / name))
    return paths, extract([document_phrases(read_document(p)) for p in paths])


def test_forms_seen_as_bare_counts_get_their_context_from_the_files(tmp_path: Path) -> None:
    """A twin said once is a bare count without a context: the command finds one in the
    files (any case, hyphen or plural), up to three a candidate; the library's candidates
    are left as they were, and a scan limit of zero reads nothing."""
    from glossary.extract.corpus import with_found_contexts

    paths, found = extracted_files(tmp_path, {
        "a.txt": "The bureau fought network scams in May. Network scam sites moved "
                 "abroad.\n",
        "b.txt": "Police closed an\nonline-scams ring in June.\n"})
    scam = next(c for c in found if c.key == "network scam")
    assert [p for p, _, _ in scam.contexts] == [paths[0]]
    filled = next(c for c in with_found_contexts(found, paths) if c.key == "network scam")
    assert [(p, line) for p, line, _ in filled.contexts] == [(paths[0], 1), (paths[1], 2)]
    assert "online-scams ring" in filled.contexts[1][2]
    assert [p for p, _, _ in scam.contexts] == [paths[0]]  # the input is untouched
    unread = next(c for c in with_found_contexts(found, paths, limit=0)
                  if c.key == "network scam")
    assert len(unread.contexts) == 1
    result = run_cli("extract", *paths, "--format", "json")
    assert result.returncode == 0, result.stderr
    cand = next(c for c in json.loads(result.stdout) if c["key"] == "network scam")
    assert {c["path"] for c in cand["contexts"]} == set(paths)


def test_the_command_shows_each_context_as_its_sentence(tmp_path: Path) -> None:
    """`decalque extract` shows a phrase in the sentence that holds it, read again from the
    file (the map keeps a window cut mid-word); the library's candidates keep their
    snippets, and a file changed since keeps the snippet it gave."""
    from aligner.sentences import split_en
    from glossary.extract.corpus import in_sentences

    seed = next(SEEDS.glob("000-*.txt"))
    result = run_cli("extract", str(seed), "--format", "json", "--top", "40")
    assert result.returncode == 0, result.stderr
    lines = seed.read_text(encoding="utf-8").splitlines()
    sentences = {s.text for line in lines for s in split_en(line)}
    shown = [c["text"] for cand in json.loads(result.stdout) for c in cand["contexts"]]
    whole = [t for t in shown if t in sentences]
    # the rest are sentences of over 300 characters either side, cut at a word with "…"
    cut = [t for t in shown if t not in whole]
    assert len(shown) >= 40 and len(whole) >= 0.8 * len(shown)
    assert all("…" in t and any(t.strip("…") in s for s in sentences) for t in cut)
    site = next(c for c in json.loads(result.stdout) if c["key"] == "website building facility")
    assert site["contexts"][0]["text"].startswith('Illegal "payment and settlement"')
    path = tmp_path / "a.txt"
    path.write_text("Before it. " * 30 + 'The "network water army" posted lies. After that.\n',
                    encoding="utf-8")
    found = extract([document_phrases(read_document(str(path)))])
    army = next(c for c in found if c.key == "network water army")
    assert army.contexts[0][2].startswith("…")  # the map's window
    (whole,) = [c for c in in_sentences(found) if c.key == "network water army"]
    assert whole.contexts == [(str(path), 1, 'The "network water army" posted lies.')]
    assert army.contexts[0][2].startswith("…")  # the input is untouched
    (unread,) = [c for c in in_sentences(found, limit=100) if c.key == "network water army"]
    assert unread.contexts == army.contexts  # larger than what may be read
    path.write_text("Something else entirely.\n", encoding="utf-8")
    (kept,) = [c for c in in_sentences(found) if c.key == "network water army"]
    assert kept.contexts == army.contexts
    # a hard-wrapped paragraph: the sentence runs on past the line, which "…" says
    paths, both = extracted_files(tmp_path, {
        "wrapped.md": "Police said the water army\nposted lies online. The water army left.\n",
        "table.md": "| a table | the water army |\nThe water army posted.\n"})
    (shown,) = [c.contexts for c in in_sentences(both) if c.key == "water army"]
    assert [text for _, _, text in shown] == [
        "Police said the water army…", "| a table | the water army |"]  # a row is no prose
    (posted,) = [c.contexts for c in in_sentences(both) if c.key == "posted lies online"]
    assert posted == [(paths[0], 2, "…posted lies online.")]


def test_a_name_in_common_english_lists_below_an_unusual_pair() -> None:
    """Most Title Case names are rendered right: a name whose word pairs are common web
    English ("Ministry of Public Security", "Standing Committee" after a place's name) lists at
    half a name's weight, below a pair English never joins ("water army"); a name with such a
    pair keeps its place."""
    text = ("Officials of the Ministry of Public Security met. Later the Ministry of Public "
            "Security said the water army posted. The water army was paid. The Qingyu "
            "Standing Committee met. Later the Public Security Hall spoke.")
    ranked = extract([document_phrases(Document.from_text(text, "a.txt"))])
    keys = [c.key for c in ranked]
    assert keys.index("water army") < keys.index("ministry of public security")
    assert keys.index("public security hall") < keys.index("water army")
    names = {c.key: c for c in ranked}
    assert names["qingyu standing committee"].signals.get("common_english") == 1.0
    assert "common_english" not in names["public security hall"].signals


def test_a_closing_single_quotation_mark_is_no_part_of_a_word() -> None:
    """An apostrophe after a word's last letter closes a quotation (‘one case one policy’) or
    makes a plural possessive: no key ends in it, no phrase runs across it and none begins at
    it (blind
    documents 140 and 142 had "hundred red pass personnel'" beside "red pass")."""
    text = ("‘One household one file, one case one policy’ was adopted. The ‘Hundred Red Pass "
            "Personnel’ were listed. The 'Hundred Red Pass Personnel' fled. The masses' homes "
            "and the people's homes were visited; the masses' homes again.")
    keys = {k for c in extract([document_phrases(Document.from_text(text, "a.txt"))])
            for k in c.keys or [c.key]}
    assert "one case one policy" in keys and "hundred red pass personnel" in keys
    assert not [k for k in keys if k.endswith(("'", "’")) or "masses home" in k], keys
    # nor does an apostrophe inside a word open a quotation ("people's ... masses'")
    assert not [k for k in keys if "visited" in k], keys
    for name in ("140-sky-net-fugitive-recovery.txt", "142-illegal-construction.txt"):
        found = extract([document_phrases(read_document(str(DATA / "extract" / "unseen" /
                                                             name)))])
        assert not [k for c in found for k in c.keys or [c.key] if k.endswith("'")]


def test_a_year_after_a_common_word_once_is_no_campaign_name() -> None:
    text = ("The network grew. " * 10 + "The Network 2022 report came out. "
            "The Sky Shield 2023 drive and the Sky Shield teams met.")
    found = {c.key: c for c in extract([document_phrases(Document.from_text(text, "a.txt"))])}
    assert "network" not in found  # one year in eleven uses
    assert found["sky shield"].signals.get("year_suffix") == 0.5


def test_a_year_after_a_possessive_belongs_to_the_next_noun() -> None:
    """"the province's 2022 work" names no campaign "province's 2022"."""
    text = ("The progress of the province's 2022 inspection work was reported. The city’s "
            "2023 plan and the province's 2023 budget followed. The Blue Sky 2022 drive ended.")
    found = {c.key: c for c in extract([document_phrases(Document.from_text(text, "a.txt"))])}
    assert not [k for k in found if "province" in k or "city" in k]
    assert found["blue sky"].signals.get("year_suffix") == 1.0


    """"Clean Network 2021/2022/2023" gives "network" three years among forty uses: the year
    belongs to "clean network", not to "network"."""
    text = ("The network grew. " * 37 + "The Clean Network 2021 campaign ended. "
            "Clean Network 2022 began. Clean Network 2023 followed.")
    found = {c.key: c for c in extract([document_phrases(Document.from_text(text, "a.txt"))])}
    assert "network" not in found
    assert found["clean network"].signals.get("year_suffix") == 1.0


def test_a_phrase_found_only_by_comparison_joins_the_candidate_it_extends() -> None:
    """"card breaking action" is a sibling of the quoted "card" phrases and nothing more: it is
    the quoted "card breaking" with its head noun, one candidate (unseen document 100)."""
    name = "100-card-breaking-telecom-fraud-2021.txt"
    found = extract([document_phrases(read_document(str(DATA / "extract" / "unseen" / name)))])
    card = next(c for c in found if "card breaking" in c.keys)
    assert "card breaking action" in card.keys and card.signals.get("quoted")
    assert "card breaking action" in {f.text.lower() for f in card.forms}
    assert not any(c.key == "card breaking action" for c in found)


def test_a_twin_of_a_part_joins_the_whole() -> None:
    """"network lottery" is only ever said inside "network lottery fraud", so it is no
    candidate of its own; its twin "internet lottery" joins the longer phrase's candidate."""
    first = Document.from_text(
        "Police fought network lottery fraud. Network lottery fraud rose.", "a.txt")
    second = Document.from_text(
        "Courts tried online lottery fraud. An internet lottery was closed.", "b.txt")
    found = extract([document_phrases(d) for d in (first, second)])
    whole = next(c for c in found if "network lottery fraud" in c.keys)
    assert {"online lottery fraud", "internet lottery"} <= set(whole.keys)
    assert not any(c.key == "internet lottery" for c in found)


def test_seed_terms_rendered_two_ways_are_candidates() -> None:
    rank, cand = rank_of("network crimes", "online crimes")
    assert rank <= 100
    assert cand.signals.get("two_ways") in {"network crime", "online crime"}


def test_seed_phrases_of_a_rendering_habit_are_candidates() -> None:
    """The seeds render 网络 as "network" more than as "online": their other "network X"
    phrases said twice come out (without quotes or any other evidence)."""
    for form in ("network environment", "network chaos"):
        rank, cand = rank_of(form)
        assert rank <= 100
        assert cand.signals.get("habit") == "network/online"


def test_the_official_translation_renders_no_term_two_ways() -> None:
    docs = [document_phrases(read_document(str(p))) for p in sorted(SEEDS.glob("003-*.txt"))]
    found = extract(docs)
    assert not any("two_ways" in c.signals or "habit" in c.signals for c in found)


def test_seed_siblings_of_quoted_black_phrases_are_candidates() -> None:
    for form in ("black equipment", "black line", "black public relations"):
        _, cand = rank_of(form)
        assert cand.signals.get("shared_modifier") == "black"
        assert cand.contexts and form in cand.contexts[0][2].lower()
    keys = {c.key for c in seed_candidates()}
    assert "black public" not in keys  # only a part of "black public relations"


@pytest.mark.parametrize(("surface", "key"), [
    ("Net Net 2022", "net net"), ("net-nets", "net net"), ("the broad masses", "the broad mass"),
    ("black industries", "black industry"), ("processes", "process"), ("cat pools", "cat pool"),
    ("business", "business"), ("virus", "virus"), ("analysis", "analysis"),
    # -es after a word general English knows; an -s word far better known than its stem
    ("Trojan viruses", "trojan virus"), ("buses", "bus"), ("causes", "cause"),
    ("network chaos", "network chaos"), ("politics", "politics"), ("series", "series"),
    ("jingwangs", "jingwang"), ("hunting foxes", "hunting fox"), ("boxes", "box"),
    ("uses", "use"), ("James", "james"), ("clothes", "clothes"), ("heroes", "hero"),
    # no plural of a function word
    ("CCTV News", "cctv news"), ("News", "news"),
    # a possessive is no plural
    ("the province's", "the province's"), ("the province’s", "the province's"),
    ("the masses'", "the masses'"),
])
def test_phrase_keys_fold_case_hyphens_years_and_a_final_plural(surface: str, key: str) -> None:
    assert phrase_key(surface.split()) == key


def test_parts_and_extensions_of_a_candidate_are_not_candidates_of_their_own() -> None:
    """C-value-style nesting: a part never seen outside a longer candidate that says more, and
    a candidate with words after it that adds nothing, go; the candidates themselves stay."""
    text = ('The "four winds" and the "Four Winds" were rectified. The four winds problem '
            'persists. The "hundred red notice" list grew. Fox hunting 2023 and fox hunting '
            '2024 went on. The "three noes" products and three noes products were seized.')
    doc = Document("t.txt", text, masked=mask(text, "txt"))
    keys = [c.key for c in extract([document_phrases(doc)])]
    assert {"four wind", "hundred red notice", "fox hunting"} <= set(keys)
    assert "four winds problem" not in keys  # "four winds" in context
    assert "hundred red" not in keys  # only ever inside "hundred red notice"
    assert "hunting" not in keys  # only ever inside "fox hunting"
    assert "three noe" in keys  # quoted on its own: not only a part


def test_a_transliteration_is_one_candidate_with_the_words_around_it() -> None:
    """Pinyin left in a translation is the term; the English words beside it are context: one
    candidate named by the transliteration, its context forms without a bonus, and a part of
    a longer transliteration no candidate of its own."""
    text = ("The provincial hezhang led inspections. For malpractices in zhibo daihuo such as "
            "fake orders, the bureau acted. His yibao card was suspended. Funds flowed through "
            "paofen platforms. The regular saohei chu'e drive went on. Boxes of huiliu yao were "
            "seized.")
    doc = Document("t.txt", text, masked=mask(text, "txt"))
    found = extract([document_phrases(doc)])
    holding = {word: [c for c in found if any(word in f.text for f in c.forms)]
               for word in ("hezhang", "daihuo", "yibao", "paofen", "saohei")}
    assert {w: [c.key for c in cs] for w, cs in holding.items()} == {
        "hezhang": ["hezhang"], "daihuo": ["zhibo daihuo"], "yibao": ["yibao"],
        "paofen": ["paofen"], "saohei": ["saohei chu'e"]}
    forms = {w: {f.text for f in cs[0].forms} for w, cs in holding.items()}
    assert forms["yibao"] == {"yibao", "yibao card"}
    assert forms["saohei"] == {"saohei chu'e", "regular saohei"}
    assert "zhibo" not in {c.key for c in found}  # only ever inside "zhibo daihuo"
    assert [c.key for c in found if "huiliu" in c.key] == ["huiliu yao"]  # a rare syllable
    alone = {c.key: c.score for c in found}
    assert alone["hezhang"] == alone["zhibo daihuo"]  # the context adds nothing
    from glossary.extract.score import _in_context

    def odd(key: str, signal: str, value: str) -> dict:
        return {key: (1.0, {signal: value, "docs": 1.0, "count": 1.0}, None)}

    assert _in_context("yibao card", odd("yibao card", "pinyin", "1"))
    assert not _in_context("zhibo daihuo", odd("zhibo daihuo", "pinyin", "1"))
    # a hyphened word has no romanised word: it is the term, not a transliteration's context
    assert not _in_context("person time", odd("person time", "odd_compound", "person times"))


def test_quotes_alone_around_common_english_list_the_phrase() -> None:
    """Quotation marks are the writer's emphasis as often as a calque's: a quoted phrase whose
    word pairs web English uses often ("zero tolerance") is listed with the names, below a
    quoted calque; with other evidence (a numbered slogan) it keeps its rank."""
    text = ('The bureau showed "zero tolerance" for fraud. It launched the "cloud sword" and '
            'kept "zero tolerance". The "two cards" were cut off, and the "two cards" again. '
            "The Provincial Anti Fraud Centre helped.")
    doc = Document("t.txt", text, masked=mask(text, "txt"))
    found = {c.key: c for c in extract([document_phrases(doc)])}
    assert found["zero tolerance"].signals["common_english"] == 1.0
    assert "common_english" not in found["cloud sword"].signals
    assert found["zero tolerance"].score == QUOTED_ENGLISH_WEIGHT  # quoted each time: listed
    assert found["cloud sword"].score > found["zero tolerance"].score
    assert found["two card"].score > found["cloud sword"].score  # numbered too


def test_one_common_word_in_quotes_is_listed_below_a_quoted_calque() -> None:
    """One common word in quotes is a slogan's part or an emphasis ("release", "manage",
    "serve" of 放管服) as often as a calque: listed, like quoted common English; a rare
    word in quotes ("psoriasis" for 牛皮癣 small ads) keeps the quotes' weight."""
    text = ('It cut red tape: "manage" well and "serve" well. Sellers of "psoriasis" ads and '
            'the "one window" service were named.')
    doc = Document("t.txt", text, masked=mask(text, "txt"))
    found = {c.key: c for c in extract([document_phrases(doc)])}
    for word in ("manage", "serve"):
        assert found[word].signals["common_english"] == 1.0
        assert found[word].score == QUOTED_ENGLISH_WEIGHT
    assert "common_english" not in found["psoriasis"].signals
    assert found["psoriasis"].score > found["manage"].score
    assert found["one window"].score > found["serve"].score


def test_different_campaigns_and_slogans_are_not_clustered_together() -> None:
    """A word used with a year inside several quoted names used with years is no name of its
    own, and a number with one more character in common is no shared Chinese word."""
    text = ('The "Sky Net" action and the "Clean Net" campaign. Sky Net 2023 and Clean Net '
            '2022 went on, then Net 2024. The "four breaks" work and the "four types" of '
            'crime. The "four breaks" again, and the "four types" again.')
    doc = Document("t.txt", text, masked=mask(text, "txt"))
    groups = [set(c.keys) for c in extract([document_phrases(doc)])]
    for one, other in (("sky net", "clean net"), ("four break", "four type")):
        assert any(one in g for g in groups) and any(other in g for g in groups)
        assert not any({one, other} <= g for g in groups)


def test_one_institution_in_several_places_is_one_candidate() -> None:
    """Unseen document 176 names the market regulator of four places; after the place and its
    administrative level they are one name, one candidate with every form. Another bureau of
    the same places stays apart."""
    doc = read_document(str(DATA / "extract" / "unseen" / "176-food-waste.txt"))
    by_key = {k: c for c in extract([document_phrases(doc)]) for k in c.keys or [c.key]}
    bureau = by_key["luhu district market supervision bureau"]
    assert {"baizhi county market supervision bureau", "municipal market supervision bureau",
            "qingtong district market supervision bureau"} <= set(bureau.keys)
    assert "municipal education bureau" not in bureau.keys
    assert by_key["municipal education bureau"] is not bureau


def test_quoted_dates_and_function_words_are_not_candidates() -> None:
    text = 'The "May 22" case and the "two cards" ring. On "May 22" the "Blue Sword" ended.'
    doc = Document("t.txt", text, masked=mask(text, "txt"))
    keys = [c.key for c in extract([document_phrases(doc)])]
    assert "may" not in keys and "blue sword" in keys and "two card" in keys


def test_gold_forms_copied_with_quotation_marks_still_hit(tmp_path: Path) -> None:
    gold_file = tmp_path / "gold.json"
    gold_file.write_text(json.dumps({"concepts": [
        {"concept": "precise", "forms": ['accurate "bull’s-eye']},
        {"concept": "soft", "forms": ['soft violence" collections']}]}), encoding="utf-8")
    text = ('The "bull’s-eye" was hit by "soft violence" and more "soft violence" collection. '
            'The accurate "bull’s-eye" again.')
    doc = Document("t.txt", text, masked=mask(text, "txt"))
    figures = evaluate(extract([document_phrases(doc)]), load_gold(str(gold_file)))
    assert figures["recall@50"] == 1.0


def test_a_part_of_a_gold_form_hits_only_when_it_names_most_of_it(tmp_path: Path) -> None:
    """A candidate inside a longer gold form (or the reverse) hits it only when it holds half
    its words or more: "naked chat" names "naked chat extortion"; "public security" does not
    name "law on public security administration punishment"."""
    gold_file = tmp_path / "gold.json"
    gold_file.write_text(json.dumps({"concepts": [
        {"concept": "extortion", "forms": ["naked chat extortion"]},
        {"concept": "penalties-law", "forms": ["Law on Public Security Administration"
                                               " Punishment"]}]}), encoding="utf-8")
    gold = load_gold(str(gold_file))
    text = 'Gangs ran "naked chat" rings. The "public security" organs acted.'
    found = extract([document_phrases(Document("t.txt", text, masked=mask(text, "txt")))])
    assert {c.key for c in found} >= {"naked chat", "public security"}
    figures = evaluate(found, gold)
    assert figures["recall@50"] == 0.5 and figures["precision@50"] == 1 / len(found)


def test_large_local_extractions_warn_about_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    from glossary.extract.corpus import WARN_ENV, local_memory_warning

    paths = [str(p) for p in MT_SEEDS]
    size = sum(p.stat().st_size for p in MT_SEEDS)
    monkeypatch.setenv(WARN_ENV, str(size / 2**20 / 2))
    message = local_memory_warning(paths)
    assert message and "--engine dask" in message and f"{size / 2**20:,.1f} MB" in message
    warned = run_cli("extract", *paths, "--top", "1", "--format", "json")
    assert warned.returncode == 0 and warned.stderr.count("warning:") == 1
    assert json.loads(warned.stdout)  # the candidates still come out
    monkeypatch.setenv(WARN_ENV, str(size / 2**20 * 2))
    assert local_memory_warning(paths) is None
    monkeypatch.delenv(WARN_ENV)
    assert local_memory_warning(paths) is None  # 50 MB by default
    result = run_cli("extract", *paths, "--top", "1", "--format", "json")
    assert result.returncode == 0 and "warning" not in result.stderr


def test_evaluation_against_gold_is_at_least_the_baseline() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "extract_eval", Path(__file__).resolve().parents[2] / "benchmarks" / "extract_eval.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    gold = load_gold(str(DATA / "extract" / "gold_seeds.json"))
    docs = [document_phrases(read_document(str(p))) for p in MT_SEEDS]
    ours = evaluate(extract(docs), gold)
    baseline = evaluate(module.quoted_baseline(docs), gold)
    assert ours["recall@100"] >= baseline["recall@100"]
    assert ours["recall@50"] >= baseline["recall@50"]
    # --show: the top marked, then one line per gold concept the first 100 miss
    lines = module.ranked_report(extract(docs), gold, 3)
    assert "' HIT " in lines[0] and "water-army" in lines[0]
    misses = [line for line in lines if line.startswith("MISS ")]
    assert len(misses) == round(len(gold.concepts) * (1 - ours["recall@100"]))


def test_evaluation_with_a_glossary_scores_what_it_is_missing(tmp_path: Path) -> None:
    """``--glossary``: the run a reviewer makes with terms.csv at hand. The gold concepts the
    glossary knows leave recall, the candidates it knows leave the list."""
    import subprocess
    import sys

    terms_csv = tmp_path / "terms.csv"
    terms_csv.write_text(HEADER + "paid-posters,网络水军|水军,paid online posters,,network water "
                         "army|water army|online water army|internet navy,approved,slang,\n",
                         encoding="utf-8")
    gold = DATA / "extract" / "gold_seeds.json"
    known = [c for c in json.loads(gold.read_text(encoding="utf-8"))["concepts"]
             if {"water army", "network water army"} & {f.lower() for f in c["forms"]}]
    assert len(known) == 1

    def run(*args: str) -> list[str]:
        result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extract_eval.py"),
                                 str(gold), str(MT_SEEDS[0]), "--show", "100", *args],
                                cwd=ROOT, text=True, capture_output=True, check=True)
        return result.stdout.splitlines()

    plain, with_glossary = run(), run("--glossary", str(terms_csv))
    total = int(plain[0].split()[2].rstrip(";"))
    assert with_glossary[0].startswith(f"gold concepts: {total - 1} of {total} unknown")
    assert any(known[0]["concept"] in line for line in plain if " HIT " in line)
    assert not any(known[0]["concept"] in line for line in with_glossary)
    assert not any("'water army'" in line for line in with_glossary)


def test_evaluation_reports_bad_gold_and_documents_in_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    script = ROOT / "benchmarks" / "extract_eval.py"
    seed = str(MT_SEEDS[0])

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, str(script), *args], cwd=ROOT, text=True,
                              capture_output=True, check=False)

    bad_json = tmp_path / "gold.json"
    bad_json.write_text('{"concepts": [\n  {"concept": "x",}\n]}', encoding="utf-8")
    no_forms = tmp_path / "forms.json"
    no_forms.write_text('{"concepts": [{"concept": "x"}]}', encoding="utf-8")
    assert_one_line_error(run(str(tmp_path / "missing.json"), seed), "missing.json",
                          "cannot read")
    assert_one_line_error(run(str(bad_json), seed), f"{bad_json}:2:", "not JSON")
    assert_one_line_error(run(str(no_forms), seed), "forms.json", '"forms"')
    assert_one_line_error(run(str(DATA / "extract" / "gold_seeds.json"),
                              str(tmp_path / "nothing.txt")), "nothing.txt")


def test_unseen_documents_do_at_least_as_well_as_quoted_phrases() -> None:
    """The documents written for decalque and annotated before anything ran on them (other
    campaigns: card breaking, Kunlun, discipline inspection; fraud against the elderly,
    ecological inspection, drugs, the Yangtze fishing ban, pyramid selling, river sand mining,
    medical insurance fraud, illegal fundraising, cross-border gambling, the Qinglang cyberspace
    campaign, work safety, food and drug safety, road safety, IPR infringement, grassroots
    governance, hazardous waste, a summer public-security crackdown, minors online, tax
    fraud, trafficking in women and children, illegal guns and explosives, smuggling, campus
    safety, fire safety, the platform economy, farmland, gangs in industries, wildlife,
    petty corruption, wage arrears, online rumours, e-bike safety, social insurance fraud,
    a civilised-city campaign, court judgment enforcement, rural revitalisation and community
    corrections written blind by other agents):
    the signals must add to the quoted phrases there too, and the headline terms rank in the
    top 60."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "extract_eval", Path(__file__).resolve().parents[2] / "benchmarks" / "extract_eval.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    gold = load_gold(str(DATA / "extract" / "gold_unseen.json"))
    docs = [document_phrases(read_document(str(ROOT / p)))
            for p in gold.documents]
    assert len(docs) == 190
    found = extract(docs)
    ours, baseline = evaluate(found, gold), evaluate(module.quoted_baseline(docs), gold)
    assert ours["recall@100"] > baseline["recall@100"]
    assert ours["recall@50"] >= baseline["recall@50"]
    # the headline terms of one document among a hundred and seventy: fewer than four
    # candidates per document above them ("card breaking", quoted in one document, was 96th
    # of 1,199 among thirty-six documents and is 513th of 4,160 among 170: each new document
    # adds its own quoted slogans said several times above it, about three)
    top = [c.keys or [c.key] for c in found[:4 * len(docs)]]
    for key in ("card breaking", "sky net", "skynet"):
        assert any(key in keys for keys in top), key
    # quoted once, as some sixty others are (score 3.0, ties in key order), and one "X and X"
    # (礼品礼金) said once: after the phrases with more evidence, before every name and
    # phrase that is only listed. The scored keys are cut at CLUSTER_LIMIT before
    # clustering, and with forty documents or more the evidence of the others fills it (~140
    # listed of 1,201 candidates with the first thirty-six, none with forty), so the tiers are read
    # on the first thirty-six
    ranked = extract(docs[:36])
    listed = [i for i, c in enumerate(ranked)
              if set(c.signals) - {"docs", "count"} <= {"title_case", "unusual_pair",
                                                         "unusual_once"}]
    assert len(listed) > 50
    # numbered slogans quoted once, as dozens of others are in thirty documents (5.0
    # and 4.25, ties in key order), come before them too
    for key, signal in (("naked official", "quoted"), ("gifts and gift", "doubled"),
                        ("four one law", "numbered"), ("three batch", "numbered"),
                        ("two clean one strike", "numbered")):
        cand = next(c for c in ranked if key in (c.keys or [c.key]))
        assert signal in cand.signals
        assert ranked.index(cand) < min(listed), key


# -- the glossary ---------------------------------------------------------------------------------
HEADER = "id,zh,preferred,admitted,deprecated,status,category,note\n"
TEXT = ('The "network water army" posted. Another "water army" and the “Cat Pool” with cat '
        'pools and a cat pool. The "human flesh search" spread. The "human flesh search" again.')


def glossary(rows: str) -> terms.Glossary:
    return terms.parse(HEADER + rows, "g.csv")


def test_known_variant_and_rejected() -> None:
    g = glossary("water-army,网络水军,paid online posters,,network water army,approved,slang,\n"
                 "modem-pool,猫池,modem pool,,cat pool,approved,slang,\n"
                 "doxxing,人肉搜索,doxxing,,human flesh search,rejected,slang,\n")
    cands = {c.key: c for c in extract([document_phrases(Document.from_text(TEXT, "t.txt"))], g)}
    water = next(c for c in cands.values() if "water army" in {f.text for f in c.forms})
    assert (water.status, water.known_concept) == ("variant", "water-army")
    assert water.suggested_preferred == "paid online posters"
    pool = next(c for c in cands.values() if c.key == "cat pool")
    assert pool.status == "known"
    assert not any("human flesh search" in c.key for c in cands.values())


def test_a_glossary_form_written_in_quotes_is_known() -> None:
    """terms.csv writes a form deprecated only when quoted as ``"bull's-eye"``: the quoted
    phrase in the text (curly apostrophe) is that form, known, not a new candidate."""
    g = glossary("precise-targeting,精准靶子,precise targets,,\"\"\"bull's-eye\"\"\",approved,"
                 "slang,\n")
    text = "Fraudsters bought lists of “bull’s-eye” victims. Police also saw “dark nets”."
    cands = {c.key: c for c in extract([document_phrases(Document.from_text(text, "t.txt"))], g)}
    assert (cands["bull's eye"].status, cands["bull's eye"].known_concept) == (
        "known", "precise-targeting")
    assert cands["dark net"].status == "new"


def test_a_part_of_a_known_form_is_no_new_variant() -> None:
    """Blind document 212 quotes “biting ears and pulling sleeves” (咬耳扯袖), a form the
    glossary lists; "pulling sleeves", said only inside it, joins its candidate as its head.
    That part is no new form of the concept, so the candidate is known, not a variant to add
    (on the unseen documents with the shipped glossary, 498 variants -> 172: the rest were
    such parts, "hit small" of "hit early and hit small"). A longer new form still is one."""
    g = glossary("gentle-reminders,咬耳扯袖,gentle reminders,,biting ears and pulling sleeves,"
                 "approved,idiom,\n")
    doc = read_document(str(DATA / "extract" / "unseen" / "212-party-history-education.txt"))
    found = extract([document_phrases(doc)], g)
    cand = next(c for c in found if "biting ears and pulling sleeve" in (c.keys or [c.key]))
    assert "pulling sleeve" in cand.keys and cand.status == "known"
    text = ('He kept "biting ears and pulling sleeves" and "biting ears and pulling sleeves '
            'often" at work. We saw "biting ears and pulling sleeves often" again.')
    found = extract([document_phrases(Document.from_text(text, "t.txt"))], g)
    cand = next(c for c in found if "biting ears and pulling sleeve" in (c.keys or [c.key]))
    assert (cand.status, cand.known_concept) == ("variant", "gentle-reminders")


# -- candidates.csv contract and glossary add ---------------------------------------------------
def test_json_output_contract() -> None:
    result = run_cli("extract", *map(str, MT_SEEDS), "--format", "json", "--top", "20",
                     "--glossary", str(DATA / "glossaries" / "small.csv"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data) == 20
    for item in data:
        assert {"key", "score", "forms", "signals", "contexts"} <= set(item)
        assert all({"text", "count", "docs"} <= set(f) for f in item["forms"])
        assert all({"path", "line", "text"} <= set(c) for c in item["contexts"])
    assert [d["score"] for d in data] == sorted((d["score"] for d in data), reverse=True)


def test_csv_round_trip(tmp_path: Path) -> None:
    cands = list(seed_candidates()[:30])
    path = tmp_path / "candidates.csv"
    write_candidates(str(path), cands)
    again = read_candidates(str(path))
    assert [c.as_json() for c in again] == [json.loads(json.dumps(c.as_json())) for c in cands]
    assert to_csv(again) == path.read_text(encoding="utf-8")


def test_glossary_add_from_candidates(tmp_path: Path) -> None:
    g = tmp_path / "terms.csv"
    shutil.copy(DATA / "glossaries" / "small.csv", g)
    before = g.read_bytes()
    doc = tmp_path / "doc.txt"
    doc.write_text('Police seized a "black box pool" and another "black box pool". The '
                   '"network water army" and the "online navy army" too.', encoding="utf-8")
    out = run_cli("extract", str(doc), "-g", str(g), "-o", str(tmp_path / "c.csv"),
                  "--format", "csv")
    assert out.returncode == 0, out.stderr
    skipped = run_cli("glossary", "add", "--from", str(tmp_path / "c.csv"), "-g", str(g),
                      "--ids", "black box pool")
    assert "no preferred rendering" in skipped.stderr and g.read_bytes() == before
    nothing = run_cli("glossary", "add", "--from", str(tmp_path / "c.csv"), "-g", str(g))
    assert nothing.returncode == 0 and g.read_bytes() == before
    assert nothing.stderr.strip().splitlines()[-1] == f"added 0 concept(s) to {g}"
    added = run_cli("glossary", "add", "--from", str(tmp_path / "c.csv"), "-g", str(g),
                    "--ids", "black box pool", "--preferred", "black box pool=SIM box")
    assert added.returncode == 0, added.stderr
    assert added.stderr.strip() == f"added 1 concept(s) to {g}"
    text = g.read_text(encoding="utf-8")
    assert text.startswith(before.decode("utf-8"))  # existing rows untouched, appended at end
    new = terms.load(str(g)).get("black-box-pool")
    assert new is not None and new.preferred == "SIM box" and new.status == "proposed"
    assert new.deprecated == ("black box pool",)


@pytest.mark.parametrize("content,needle", [
    (b"", "no English text"), (b"\x00\x01\x02\x03\x00binary\x00", "binary file"),
    ("网络水军是指受雇于网络公关公司的人。".encode(), "no English text")])
def test_bad_input_is_one_line_exit_2(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "in.txt"
    path.write_bytes(content)
    assert_one_line_error(run_cli("extract", str(path), cwd=tmp_path), "in.txt", needle)


def test_a_giant_word_is_not_a_candidate_and_does_not_exhaust_memory() -> None:
    # found by the fuzzer: a 10 MB line of one "word" went whole into wordfreq's tokenizer
    from glossary.documents import Document
    from glossary.extract.candidates import document_phrases, odd_word

    word = "x" * 200_000
    assert not odd_word(word)
    phrases = document_phrases(Document.from_text(f"The {word} cat pool.\n", "giant.txt"))
    assert phrases is not None


def test_output_does_not_depend_on_the_hash_seed() -> None:
    """Equal scores are ordered by key, never by set or hash order, so two processes (or a
    local run and Dask workers) give the same candidates in the same order."""
    import os
    import subprocess
    import sys

    from helpers import ROOT

    outputs = set()
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONIOENCODING="utf-8")
        result = subprocess.run([sys.executable, "-m", "glossary", "extract", "seeds/",
                                 "--format", "json", "--no-progress"], cwd=ROOT, env=env,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stderr
        outputs.add(result.stdout)
    assert len(outputs) == 1


def test_the_table_shows_flags_by_name(tmp_path: Path) -> None:
    """In the terminal table a signal that is simply on reads as its name ("quoted"), a count
    without a decimal ("case_variance=2"); json keeps the values."""
    doc = tmp_path / "a.txt"
    doc.write_text('Police broke up a "cat pool" ring. Each "Cat Pool" held 64 SIM cards.\n',
                   encoding="utf-8")
    result = run_cli("extract", str(doc), cwd=tmp_path)  # no terms.csv: nothing is known
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if "cat pool" in line)
    assert "quoted, " in row and "case_variance=2" in row and ".0" not in row
    data = json.loads(run_cli("extract", str(doc), "--format", "json", cwd=tmp_path).stdout)
    cat = next(c for c in data if c["key"] == "cat pool")
    assert cat["signals"]["quoted"] == 1.0 and cat["signals"]["case_variance"] == 2.0
    # a word pair that is the key itself reads as the signal's name; a pair inside a longer
    # key, or a gloss's Chinese word, says something and is shown
    from glossary.cli.extract_cmd import _signal_text

    assert _signal_text("unusual_pair", "cat pools", "cat pool") == "unusual_pair"
    assert _signal_text("unusual_pair", "network water", "network water army") == (
        "unusual_pair=network water")
    assert _signal_text("literal_gloss", "水军", "water army") == "literal_gloss=水军"


def test_a_given_name_shared_by_several_surnames_is_a_placeholder() -> None:
    """李某, 张某, 陈某某 come out as "Li Mou", "Zhang Mou", "Chen Moumou": 某 ("a certain")
    withholds the name. Real people in one report rarely share a given name."""
    from glossary.extract.candidates import placeholder_names

    text = ("Suspect Li Mou hired Zhang Mou. Chen Moumou's shop and Li Mou Mou paid. "
            "Premier Li Qiang met Wang Yi; Xi Jinping spoke. Mou Mou left.")
    assert placeholder_names(text) == {"li mou": 2, "zhang mou": 1, "chen moumou's": 1}
    assert not placeholder_names("Li Mou was arrested. Li Mou confessed.")  # one surname
    # a capitalised word before the surname takes nothing from the name ("Later Li Mou")
    assert placeholder_names("Later Li Mou met Zhang Mou.") == {"li mou": 1, "zhang mou": 1}
    assert not placeholder_names("Li Qiang met Wang Yi and Zhang Jun in Hong Kong.")


def test_placeholder_names_are_one_candidate_across_documents() -> None:
    """Each name's uses are counted per document and summed like quotes, so the names of
    several documents are one candidate with every form, whichever way the facts merge."""
    from glossary.extract.score import combine

    a = Document.from_text("Police held Li Mou. Li Mou and Zhang Mou ran the mill.", "a.txt")
    b = Document.from_text("The court tried Chen Mou, Liu Mou and Li Mou for theft.", "b.txt")
    docs = [document_phrases(a), document_phrases(b)]
    assert docs[0].phrases["li mou"].named == 2
    found = [c for c in extract(docs) if "placeholder_name" in c.signals]
    assert len(found) == 1
    assert found[0].signals["placeholder_name"] == "mou"
    assert {f.text for f in found[0].forms} == {"Li Mou", "Zhang Mou", "Chen Mou", "Liu Mou"}
    one_by_one = combine([merge(docs[:1]), merge(docs[1:])])
    assert {k: m.named for k, m in one_by_one.merged.items() if m.named} == {
        "li mou": 3, "zhang mou": 1, "chen mou": 1, "liu mou": 1}
    # a real name beside them is no form of the placeholder
    c = Document.from_text("Zhang Mou met Li Mou. Minister Wang Yi spoke.", "c.txt")
    names = next(c for c in extract([document_phrases(c)]) if "placeholder_name" in c.signals)
    assert {f.text for f in names.forms} == {"Zhang Mou", "Li Mou"}


def test_unseen_placeholder_names_come_out_as_one_candidate() -> None:
    """104, written blind: 李某, 张某 and 王某 are three of its gold concepts."""
    doc = read_document(str(DATA / "extract" / "unseen" / "104-ecological-inspection-2022.txt"))
    found = extract([document_phrases(doc)])
    names = [c for c in found if "placeholder_name" in c.signals]
    assert len(names) == 1 and found.index(names[0]) < 20
    assert {f.text.lower() for f in names[0].forms} == {"li mou", "zhang mou", "wang mou"}


def test_title_case_names_mid_sentence_are_listed() -> None:
    """Official names, campaigns and slogans written as names ("Network Security Bureau",
    "Supreme Law") are what MT renders word by word and a glossary fixes; people and places
    in pinyin, headings and sentence starts are not listed."""
    from glossary.extract.candidates import title_spans

    text = ('Our Province "Clear Source" Special Action Achieves Phased Results\n'  # a heading
            "The case went to the Supreme Law and the Network Security Bureau.\nOfficers of the "
            "Law on Public Security Administration Punishment desk met Sun Jinfeng in Hubei "
            "Province.\nBlue Sky Defense War results were given. They praised the Central "
            "Ecological Environmental Protection Supervision Office Provincial Government "
            "Team Leaders. Later the Ministry of Public Security spoke. The Supreme People's "
            "Procuratorate agreed, as did The Ministry of Justice. It spoke of The Internet.")
    keys = [key for _, _, key in title_spans(Document.from_text(text, "t.txt"))]
    assert keys == ["supreme law", "network security bureau",
                    "law on public security administration punishment",
                    "ministry of public security",  # not "later the ministry ..."
                    "supreme people's procuratorate",  # not "the supreme ..."
                    "ministry of justice"]  # a key starts with no function word


def test_a_name_alone_ranks_below_every_calque_however_often_it_recurs() -> None:
    docs = [document_phrases(Document.from_text(
        f"Staff of the Ministry of Public Security met. Later the Ministry of Public Security "
        f"spoke of the {word}.", f"{n}.txt"))
        for n, word in enumerate(['"cat pool"', "river", "sea", "lake"])]
    found = {c.key: c for c in extract(docs)}
    ministry = found["ministry of public security"]
    assert ministry.signals["title_case"] == 1.0 and ministry.signals["docs"] == 4.0
    # flat, no recurrence bonus; at half a name's weight, as its pairs are common English
    assert ministry.score == TITLE_WEIGHT * NAME_ENGLISH
    assert found["cat pool"].score > ministry.score


def test_unquoted_names_of_an_unseen_document_are_listed() -> None:
    """104, written blind: "Blue Sky Defense War" (蓝天保卫战) and "Ecological Environment
    Hall" (生态环境厅) are gold and stand in no quotation marks."""
    from glossary.extract.evaluate import concepts_hit

    doc = read_document(str(DATA / "extract" / "unseen" / "104-ecological-inspection-2022.txt"))
    found = extract([document_phrases(doc)])
    gold = load_gold(str(DATA / "extract" / "gold_unseen.json"))
    titled = {c for cand in found if "title_case" in cand.signals
              for c in concepts_hit(cand, gold)}
    assert {"blue-sky-battle", "eco-env-department"} <= titled


def test_withheld_names_extend_a_known_one_in_the_glossary(tmp_path: Path) -> None:
    """With "Wang Mou" already a deprecated form (王某), the other withheld names are new
    forms of that concept, and `glossary add` says it added forms, not a concept."""
    g = tmp_path / "terms.csv"
    g.write_text(HEADER + "wang-mou,王某,Wang,,Wang Mou,approved,name,\n", encoding="utf-8")
    doc = tmp_path / "doc.txt"
    doc.write_text("Police held Wang Mou. Later Li Mou and Zhang Mou ran the mill.\n",
                   encoding="utf-8")
    out = run_cli("extract", str(doc), "-g", str(g), "-o", str(tmp_path / "c.csv"))
    assert out.returncode == 0, out.stderr
    (cand,) = read_candidates(str(tmp_path / "c.csv"))
    assert cand.status == "variant" and cand.known_concept == "wang-mou"
    assert {f.text for f in cand.forms} == {"Wang Mou", "Li Mou", "Zhang Mou"}
    added = run_cli("glossary", "add", "--from", str(tmp_path / "c.csv"), "-g", str(g),
                    "--ids", cand.key)
    assert added.returncode == 0, added.stderr
    assert added.stderr.strip() == f"added 2 deprecated form(s) to wang-mou in {g}"
    concept = terms.load(str(g)).get("wang-mou")
    assert concept is not None and concept.deprecated == ("Wang Mou", "li mou", "zhang mou")


def test_words_english_never_joins_are_listed_below_names() -> None:
    """A phrase said twice in lowercase whose words general English never joins ("special
    action") is listed: flat, below names and all evidence, and of phrases listed alike the one
    said most comes first. Said once it is listed last ("nail spirit"); only ever capitalised,
    or an ordinary pair: not listed."""
    text = ("The special action began. The special action ended. The special action won. "
            "A dark pipe was found. Another dark pipe was found. Police seized a \"cat pool\". "
            "They went to the Network Security Bureau. Sun Ping spoke. Sun Ping left. "
            "A nail spirit was praised. The air quality improved. The air quality fell.")
    found = extract([document_phrases(Document.from_text(text, "a.txt"))])
    by_key = {c.key: c for c in found}
    special, pipe = by_key["special action"], by_key["dark pipe"]
    assert special.signals["unusual_pair"] == "special action"
    assert special.score == pipe.score == UNUSUAL_WEIGHT < TITLE_WEIGHT
    keys = [c.key for c in found]
    assert keys.index("cat pool") < keys.index("network security bureau") \
        < keys.index("special action") < keys.index("dark pipe")  # said 3 times, then twice
    assert not {"air quality", "sun ping"} & by_key.keys()
    spirit = by_key["nail spirit"]
    assert spirit.signals["unusual_once"] == "nail spirit"
    assert 0 < spirit.score <= ONCE_WEIGHT < UNUSUAL_WEIGHT
    assert keys.index("dark pipe") < keys.index("nail spirit")


def test_a_phrase_said_once_is_listed_last_when_english_never_joins_its_words() -> None:
    """A whole run of plain words said once (a function word, a capital or punctuation on both
    sides: "body responsibility", "meeting sale") whose two common words English never joins
    is listed below every other listing, with its context, the commoner its words the higher
    (``surprise``). Not an ordinary pair ("air quality"), a part of a longer run ("nail spirit"
    in five plain words) or a run with a capital ("Dark Pipe"); not with a minimum count of
    two; and a run that holds a key of its own ("fake cat pool operator") adds nothing to it."""
    text = ("Leaders stressed the body responsibility of platforms.\n"
            "A meeting sale was held in a hotel. The air quality of the city improved. "
            "There was ant corruption in villages. "
            "Police seized a \"cat pool\" and a \"cat pool\", then a fake cat pool operator. "
            "The office praised strong nail spirit work teams and a \"nail clipper\" drive. "
            "Officials met Dark Pipe "
            "leaders.")
    phrases = document_phrases(Document.from_text(text, "a.txt"))
    assert phrases.phrases["body responsibility"].runs == 1
    assert "air quality" not in phrases.phrases and phrases.singles["air quality"] == 1
    # kept for the quoted "nail clipper" (an unquoted sibling?), but said in a run of five words
    assert phrases.phrases["nail spirit"].runs == 0
    assert phrases.phrases["dark pipe"].runs == 0  # capitalised (a name, if anything)
    found = extract([phrases])
    by_key = {c.key: c for c in found}
    body, sale = by_key["body responsibility"], by_key["meeting sale"]
    assert body.signals["unusual_once"] == "body responsibility"
    assert sale.signals["unusual_once"] == "meeting sale"
    assert body.contexts == [("a.txt", 1, "Leaders stressed the body responsibility of "
                                          "platforms.")]
    ant = by_key["ant corruption"]
    for cand in (body, sale, ant):
        pair = str(cand.signals["unusual_once"])
        assert cand.score == pytest.approx(ONCE_WEIGHT * surprise(pair))
        assert 0 < cand.score <= ONCE_WEIGHT
    keys = [c.key for c in found]
    assert keys.index("meeting sale") < keys.index("ant corruption")  # commoner words first
    assert set(keys[:2]) == {"cat pool", "nail clipper"}  # quoted
    assert "unusual_once" not in by_key["dark pipe"].signals  # a Title Case name, no run
    assert not {"air quality", "nail spirit", "fake cat pool operator"} & {
        k for c in found for k in c.keys}
    assert not {"body responsibility", "meeting sale", "ant corruption"} & {
        c.key for c in extract([phrases], min_count=2)}


@cache
def unseen_alone() -> tuple[tuple[object, tuple[Candidate, ...]], ...]:
    """(gold, candidates) of each unseen document extracted alone."""
    from glossary.extract.evaluate import Gold

    data = json.loads((DATA / "extract" / "gold_unseen.json").read_text(encoding="utf-8"))
    out = []
    for path in sorted((DATA / "extract" / "unseen").glob("1*.txt")):
        gold = Gold({c["concept"]: frozenset(map(fold, c["forms"])) for c in data["concepts"]
                     if any(d.endswith(path.name) for d in c["docs"])}, (path.name,))
        out.append((gold, tuple(extract([document_phrases(read_document(str(path)))]))))
    return tuple(out)


def listed_only_by(signal: str) -> tuple[int, int, set[str]]:
    """On each unseen document alone: how many candidates rest on ``signal`` alone, how many
    of those hit gold, and the gold concepts only they find."""
    from glossary.extract.evaluate import concepts_hit

    listed = hits = 0
    added: set[str] = set()
    for gold, found in unseen_alone():
        only = [c for c in found if set(c.signals) - {"docs", "count"} == {signal}]
        others = {g for c in found if c not in only for g in concepts_hit(c, gold)}
        listed += len(only)
        hits += sum(1 for c in only if concepts_hit(c, gold))
        added |= {g for c in only for g in concepts_hit(c, gold)} - others
    return listed, hits, added


def flagged_by(signal: str) -> tuple[int, int]:
    """On each unseen document alone: how many candidates have ``signal``, and how many of
    those hit gold."""
    from glossary.extract.evaluate import concepts_hit

    with_it = [(gold, c) for gold, found in unseen_alone() for c in found
               if signal in c.signals]
    return len(with_it), sum(1 for gold, c in with_it if concepts_hit(c, gold))


def test_phrases_said_once_find_calques_of_documents_written_blind() -> None:
    """On each unseen document alone, a quarter of what only ``unusual_once`` lists is gold
    (most of the rest correct domain English, "market supervision", or a verb and its
    object, "filed case"), and it finds gold nothing else does: "body responsibility" 主体责任,
    "hanging map operation" 挂图作战, "source governance" 源头治理. ("meeting sale" 会销 was
    one until its quotation, after a long one, was paired right.)"""
    listed, hits, added = listed_only_by("unusual_once")
    assert listed >= 250 and hits >= 0.22 * listed  # 72 of 278
    assert len(added) >= 45
    assert {"primary-responsibility", "wall-chart-tracking", "tackling-at-source"} <= added


def test_two_verb_forms_joined_by_and_are_listed_once_said() -> None:
    """"listed and supervised" (挂牌督办), said once: listed flat between the unusual pairs and
    the phrases said once, with its context; not a word with itself (that is ``doubled``),
    not two forms of different inflections, not capitalised words, not "bring and sing"."""
    text = ("The case was listed and supervised by the province. Officers went there and "
            "then came back. They were bring and sing people. Police Listed and Supervised "
            "it. Staff checked and checking files. Leaders stressed the body responsibility "
            "of units. The water army posted. The water army deleted.")
    found = extract([document_phrases(Document.from_text(text, "a.txt"))])
    listed = next(c for c in found if c.key == "listed and supervised")
    assert listed.signals["coordinated"] == 1.0 and listed.score == COORDINATED_WEIGHT
    assert "listed and supervised by the province" in listed.contexts[0][2]
    keys = {k for c in found for k in (c.keys or [c.key])}
    assert not keys & {"went there and", "bring and sing", "checked and checking"}
    order = [c.key for c in found]
    assert order.index("water army") < order.index("listed and supervised") < order.index(
        "body responsibility")
    assert coordinated("striking", "rectifying") and coordinated("squatted", "guarded")
    assert not coordinated("listed", "listed") and not coordinated("speed", "greed")
    assert not coordinated("Listed", "supervised") and not coordinated("listed", "checking")


def test_a_word_repeated_across_and_is_a_parallel_slogan() -> None:
    """"hit early and hit small" (打早打小), said once, is one candidate under its whole
    slogan, listed; "key industries and key sectors" is English (the model joins both
    pairs), and a quoted slogan is counted once, as quoted."""
    text = ('Police will hit early and hit small, and stay alert. The plan named "key industries '
            'and key sectors". The "walk deep and walk solid" goal stands. Officers walked the '
            "streets. The water army posted. The water army deleted.")
    assert parallel(["hit", "early", "and", "hit", "small"])
    assert not parallel(["hit", "early", "and", "hit", "early"])
    assert not parallel(["the", "early", "and", "the", "small"])
    assert not parallel(["hit", "early", "or", "hit", "small"])
    found = extract([document_phrases(Document.from_text(text, "a.txt"))])
    by_key = {c.key: c for c in found}
    slogan = by_key["hit early and hit small"]
    assert slogan.signals["parallel"] == 0.5  # English says "hit early", not "hit small"
    assert slogan.score == 0.5 * PARALLEL_WEIGHT
    assert "hit early and hit small, and stay alert" in slogan.contexts[0][2]
    assert "hit small" in {f.text for f in slogan.forms}  # its part, clustered with it
    assert "parallel" not in by_key["key industries and key sector"].signals  # quoted only
    quoted = by_key["walk deep and walk solid"]
    assert quoted.signals["parallel"] == 1.0 and quoted.forms[0].count == 1
    order = [c.key for c in found]
    assert order.index("water army") < order.index("hit early and hit small")


def test_a_compound_and_the_word_after_it_said_once_is_listed() -> None:
    """MT renders half a Chinese compound as an English compound and the rest word by word:
    "high-pressure posture" 高压态势, "decision-making deployment" 决策部署. Said once, such
    a pair is listed with the phrases said once when English never joins the compound's last
    part to the next word (blind documents: 165 of 283 such pairs are gold). Not after an
    English prefix ("e-commerce platform"), nor a compound that is a candidate of its own
    ("drug-sucking"), nor a pair English joins ("high-pressure situation")."""
    from glossary.extract.candidates import may_list_compound

    assert may_list_compound("high-pressure posture") == 1
    assert may_list_compound("e-commerce platform") == 0
    assert may_list_compound("drug-sucking personnel") == 0
    assert may_list_compound("high-pressure situation") == 0
    text = ("The bureau kept a high-pressure posture, and the city made a decision-making "
            "deployment, then a high-pressure situation formed. Shops joined an e-commerce "
            "platform. The drug-sucking personnel fled.")
    phrases = document_phrases(Document.from_text(text, "a.txt"))
    assert phrases.phrases["high pressure posture"].runs == 1
    by_key = {c.key: c for c in extract([phrases])}
    posture = by_key["high pressure posture"]
    assert posture.signals["unusual_once"] == "pressure posture"
    assert posture.score == pytest.approx(ONCE_WEIGHT * surprise("pressure posture"))
    assert by_key["decision making deployment"].signals["unusual_once"] == "making deployment"
    assert "high pressure situation" not in by_key
    assert "e commerce platform" not in by_key
    assert "drug sucking personnel" not in by_key
    assert "odd_compound" in by_key["drug sucking"].signals


def test_a_parallel_slogan_inside_single_quotes_is_read() -> None:
    """MT quotes slogans with straight or curly single quotes, often two at once ('hit early
    and hit small, hit when the head is exposed', 打早打小、露头就打: blind document 133).
    The quotation mark is no apostrophe: the slogan beside it is read; an apostrophe inside
    a word ("don't", "city's") still joins no word to the slogan."""
    text = ("The office follows the idea of 'hit early and hit small, hit when the head is "
            "exposed' and acts. Teams keep ‘walk deep and walk solid’ in mind. The city's "
            "defense and technical defense held. Water army posts. Water army posted.")
    found = extract([document_phrases(Document.from_text(text, "a.txt"))])
    by_key = {c.key: c for c in found}
    assert by_key["hit early and hit small"].signals["parallel"] == 0.5
    assert by_key["walk deep and walk solid"].signals["parallel"] == 1.0
    assert not [k for k in by_key if k.startswith("s defense")]


def test_a_phrase_said_once_is_judged_as_said() -> None:
    """The English model joins "hard measure" but never "hard measures" (blind document
    128's calque for 硬措施): the run said once is judged as written, not as its key folds
    it to the singular, in the map (``once_runs``) and in the score alike."""
    from glossary.extract.english import unusual_pair

    assert unusual_pair("hard measure", common=True) is None
    assert unusual_pair("hard measures", common=True) == "hard measures"
    text = "The county used hard measures, and the towns followed.\nWater army posts."
    phrases = document_phrases(Document.from_text(text, "a.txt"))
    run = next(k for k in phrases.phrases if k.endswith("hard measure"))
    assert phrases.phrases[run].runs == 1
    by_key = {c.key: c for c in extract([phrases])}
    assert by_key[run].signals["unusual_once"] == "hard measures"


def test_a_parallel_slogan_may_have_an_article_after_each_repeat() -> None:
    """"grasping the early and grasping the small" (抓早抓小) is the same slogan with "the"
    after each repeat: one candidate, listed; "changing the label and changing the head"
    too. Different articles, or an article on one side only, are not a parallel."""
    text = ("The organs insist on grasping the early and grasping the small, and act. Goods "
            "were sold after changing the label and changing the head. They visited the "
            "school and visited a farm. Water army posts. Water army posted.")
    assert parallel(["grasp", "the", "early", "and", "grasp", "the", "small"])
    assert not parallel(["grasp", "the", "early", "and", "grasp", "a", "small"])
    assert not parallel(["grasp", "the", "early", "and", "grasp", "the", "early"])
    assert not parallel(["grasp", "of", "early", "and", "grasp", "of", "small"])
    assert parallel_pairs(["hit", "early", "and", "hit", "small"]) == (
        ("hit", "early"), ("hit", "small"))
    assert parallel_pairs(["grasp", "the", "early", "and", "grasp", "the", "small"]) == (
        ("grasp", "early"), ("grasp", "small"))
    found = extract([document_phrases(Document.from_text(text, "a.txt"))])
    by_key = {c.key: c for c in found}
    slogan = by_key["grasping the early and grasping the small"]
    assert slogan.signals["parallel"] > 0 and slogan.score > 0
    assert "insist on grasping the early" in slogan.contexts[0][2]
    assert "parallel" in by_key["changing the label and changing the head"].signals
    assert not [k for k in by_key if "visited" in k and "parallel" in by_key[k].signals]


def test_a_word_shared_at_the_end_across_and_is_a_parallel_slogan() -> None:
    """"physical defense and technical defense" (物防技防) repeats its head word: one
    candidate, listed; "economic security and social security" is English (the model joins
    both pairs) and is not."""
    text = ("The site relies on physical defense and technical defense. Both economic "
            "security and social security matter. Water army posts. Water army posted.")
    words = ["physical", "defense", "and", "technical", "defense"]
    assert parallel(words)
    assert parallel_pairs(words) == (("physical", "defense"), ("technical", "defense"))
    assert not parallel(["physical", "defense", "and", "physical", "defense"])
    assert not parallel(["physical", "defense", "and", "the", "defense"])
    found = extract([document_phrases(Document.from_text(text, "a.txt"))])
    by_key = {c.key: c for c in found}
    slogan = by_key["physical defense and technical defense"]
    assert slogan.signals["parallel"] > 0 and slogan.score > 0
    assert "relies on physical defense" in slogan.contexts[0][2]
    assert not [c.key for c in found if "parallel" in c.signals and "security" in c.key]


def test_a_hyphened_compound_english_does_not_make_is_a_candidate() -> None:
    """MT joins a Chinese compound's glosses with hyphens ("person-times" 人次,
    "gambling-involved" 涉赌): said once, such a word is one candidate with its context, the
    phrases around it are not; compounds English makes ("well-known", "follow-up"), prefixes
    ("anti-fraud") and capitalised names are not candidates."""
    text = ("Police checked 3,000 person-times of staff and seized gambling-involved funds. "
            "A well-known follow-up study and anti-fraud work went on. Kim Jong-un spoke.")
    assert odd_compound(["person", "times"]) == "person times"
    assert odd_compound(["gambling", "involved"]) == "gambling involved"
    assert odd_compound(["well", "known"]) is None and odd_compound(["anti", "fraud"]) is None
    assert odd_compound(["pyramid", "related"]) is None  # English compounds any noun so
    assert odd_compound(["a", "b", "c", "d"]) is None
    found = extract([document_phrases(Document.from_text(text, "a.txt"))])
    keys = [k for c in found for k in (c.keys or [c.key])]
    person = next(c for c in found if c.key == "person time")
    assert person.signals["odd_compound"] == "person times"
    assert person.score == ODD_COMPOUND_WEIGHT
    assert "3,000 person-times of staff" in person.contexts[0][2]
    assert "gambling involved" in keys
    assert not [k for k in keys if "person time" in k and k != "person time"]
    for english in ("well known", "follow up", "anti fraud", "jong un"):
        assert english not in keys


def test_hyphened_compounds_find_calques_of_documents_written_blind() -> None:
    """On each unseen document alone, most candidates with an ``odd_compound`` are gold
    ("person-times" 人次 in seven documents, "gambling-involved" 涉赌, "iron-wrist" 铁腕;
    not "problem-oriented", "people-centered")."""
    flagged, hits = flagged_by("odd_compound")
    assert flagged >= 30 and hits >= 0.6 * flagged


def test_parallel_slogans_find_calques_of_documents_written_blind() -> None:
    """On each unseen document alone, most candidates with a ``parallel`` slogan are gold
    (13 of 17: "walk deep and walk solid" 走深走实, "group prevention and group treatment"
    群防群治, "hit early and hit small"; not "governance system and governance capacity")."""
    flagged, hits = flagged_by("parallel")
    assert flagged >= 12 and hits >= 0.7 * flagged


def test_verb_pairs_find_calques_of_documents_written_blind() -> None:
    """On each unseen document alone, some two in five of what only ``coordinated`` lists is
    gold (16 of 37; the rest English, "producing and selling", or MT the annotators left,
    "investigated and punished"), and it finds gold nothing else does: "listed and
    supervised" 挂牌督办, "striking and rectifying" 打击整治, "squatted and guarded" 蹲守."""
    listed, hits, added = listed_only_by("coordinated")
    assert listed >= 25 and hits >= 0.35 * listed
    assert len(added) >= 8 and {"crackdown-on", "direct-supervision", "stakeout"} <= added


def test_a_listing_gains_nothing_from_its_variants() -> None:
    """"water army" said alone and inside "network water army": one candidate with both forms,
    still listed flat (variants add to evidence, not to a listing); a part never said alone
    ("box pool" of "black box pool") is no form of its own."""
    text = ("The water army posted. The water army deleted. The network water army grew. "
            "The network water army paid. Police held a \"black box pool\" and a \"black box "
            "pool\" again.")
    found = extract([document_phrases(Document.from_text(text, "a.txt"))])
    (army,) = [c for c in found if "water army" in c.keys]
    assert set(army.keys) == {"water army", "network water army"}
    assert army.score == UNUSUAL_WEIGHT
    (pool,) = [c for c in found if "black box pool" in c.keys]
    assert pool.keys == ["black box pool"]


def test_unusual_pairs_find_calques_of_documents_written_blind() -> None:
    """On each unseen document alone, half of what only ``unusual_pair`` lists is gold (22 of
    40; among the rest "public security organ", correct in some documents and gold in
    others), and it finds gold nothing else does ("electric fish" 电鱼, "door fee" 入门费)."""
    listed, hits, added = listed_only_by("unusual_pair")
    assert listed >= 15 and hits >= 0.4 * listed
    assert len(added) >= 8 and {"electrofishing", "entry-fee"} <= added


def test_an_odd_word_said_once_is_one_candidate_not_its_fragments() -> None:
    """A pinyin or unknown word said once makes every n-gram around it as odd as itself
    ("hezhang led unannounced", "tonnes of jiangsha"); longer ones and ones with a function
    word add nothing to the word. With one plain word after or before it, the pair may be
    the term ("yibao card" 医保卡), so it stays beside the word."""
    text = ("Provincial hezhang led unannounced inspections. They seized tonnes of jiangsha "
            "and made profits. Patients lent the yibao card to others.")
    found = extract([document_phrases(Document.from_text(text, "a.txt"))])
    keys = [k for c in found for k in (c.keys or [c.key])]
    assert sorted(k for k in keys if "hezhang" in k) == ["hezhang", "hezhang led"]
    assert [k for k in keys if "jiangsha" in k] == ["jiangsha"]
    assert {"yibao", "yibao card"} <= set(keys) and "lent the yibao" not in keys
    assert "pinyin" in next(c for c in found if c.key == "jiangsha").signals
