"""The tense of a fix. A glossary lists a verbal calque in the tenses MT writes it ("deeply
carry out", "deeply carried out", "deeply fighting") but gives one preferred rendering ("step
up"); put in place of "deeply carried out" it must read "stepped up", or the fix leaves a
sentence in two tenses.

Only when the evidence is plain: the concept's own deprecated forms begin with one verb in two
or more inflections (so the concept is a verb phrase), the matched form begins with a verb whose
inflection can be told ("hit" and "set" cannot: base and past alike; "cluster campaign" and
"reverse forcing" begin with a noun; an -s form that may be a plural noun is the verb's when the
concept's forms write that verb in other inflections: "shovels the ground skin"), and the
preferred rendering begins, lower case, with a verb in the base form or in an inflection those
forms use (a participle none of them is written in is a passive: "released on bail" for
"taking bail"). A preferred past
participle before a noun is an adjective ("coordinated cluster operation", "tracked progress")
and stays, as does a base form English mostly uses as a noun ("campaign against ...", "fake
order"), told by how rarely its past and -ing forms are written. Verbs joined to the first by
"and" or "or" follow it ("acting early and nipping ..." -> "act early and nip ..."). Word
classes and inflections come from lemminflect, word frequencies from wordfreq.
"""

from __future__ import annotations

from functools import lru_cache

_TAGS = ("VBG", "VBD", "VBN", "VBZ", "VB")
_CHANGED = frozenset({"VBG", "VBD", "VBN"})  # a concept in these and another is verbal
_COORDINATORS = frozenset({"and", "or"})
# words that start an object or a phrasal verb's particle, after a verb and seldom after a noun
_OBJECT_STARTS = frozenset({"the", "a", "an", "its", "their", "his", "her", "our", "this",
                            "these", "those", "up", "out", "down", "off"})
# a base form whose past and -ing forms are this much rarer (Zipf) is mostly a noun
_NOUN_MARGIN = 1.0

VerbForm = tuple[str, str]  # (lemma, Penn tag)


# prefixes that make verbs of verbs: lemminflect's lexicon lacks many of their words
# ("reshaped", "misreporting"), whose inflection it makes by rule all the same
_VERB_PREFIXES = ("re", "un", "over", "under", "out", "mis", "pre", "co", "de", "dis")


@lru_cache(maxsize=65536)
def readings(word: str) -> dict[str, tuple[str, ...]]:
    """The word classes lemminflect reads ``word`` in (class -> lemmas); a word it does not
    know that is a prefix and a verb it knows reads as that verb ("reshaped": "reshape")."""
    from lemminflect import getAllLemmas

    found = getAllLemmas(word)
    if found or not word.isalpha():
        return found
    for prefix in _VERB_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 4:
            lemmas = getAllLemmas(rest).get("VERB")
            if lemmas:
                return {"VERB": tuple(prefix + lemma for lemma in lemmas)}
    return found


@lru_cache(maxsize=65536)
def _inflection(lemma: str, tag: str) -> tuple[str, ...]:
    from lemminflect import getInflection

    return tuple(getInflection(lemma, tag))


@lru_cache(maxsize=65536)
def _verb_tags(word: str) -> tuple[str, frozenset[str]] | None:
    """The lemma of ``word`` read as a verb and every inflection it may be ("hit": base,
    past and participle), or None."""
    lemmas = readings(word).get("VERB")
    if not lemmas or not word.isalpha():
        return None
    lemma = lemmas[0]
    tags = frozenset(tag for tag in _TAGS if word in _inflection(lemma, tag))
    return (lemma, tags) if tags else None


@lru_cache(maxsize=65536)
def verb_form(word: str) -> VerbForm | None:
    """The lemma and inflection of ``word`` read as a verb, or None: not a verb, or an
    inflection that cannot be told ("hit": base and past alike)."""
    found = _verb_tags(word)
    if found is None:
        return None
    lemma, tags = found
    if "VBG" in tags:
        return lemma, "VBG"
    if tags & {"VBD", "VBN"}:
        if "VB" in tags:
            return None
        return lemma, "VBD" if "VBD" in tags else "VBN"
    return lemma, "VBZ" if "VBZ" in tags else "VB"


def _found_verb(word: str) -> VerbForm | None:
    """A matched text's verb: a base or -s form that may be a noun or an adjective tells
    nothing ("cluster campaign", "reverse forcing", "layers grasp")."""
    form = verb_form(word)
    if form is None or form[1] not in ("VB", "VBZ"):
        return form
    classes = readings(word)
    return None if "NOUN" in classes or "ADJ" in classes else form


@lru_cache(maxsize=65536)
def _mostly_verb(lemma: str) -> bool:
    from wordfreq import zipf_frequency

    changed = [zipf_frequency(w, "en") for tag in ("VBD", "VBG") for w in _inflection(lemma, tag)]
    return bool(changed) and max(changed) >= zipf_frequency(lemma, "en") - _NOUN_MARGIN


def _preferred_verb(words: list[str], i: int) -> VerbForm | None:
    word = words[i]
    if not word.islower():
        return None  # a name ("Protecting Minors")
    form = verb_form(word)
    if form is None:
        # base and past alike ("cut corners", "put up banners"): a preferred rendering is
        # written in the base form, as the curation's rule has it
        maybe = _verb_tags(word)
        return (maybe[0], "VB") if maybe is not None and "VB" in maybe[1] else None
    lemma, tag = form
    classes = readings(word)
    if tag in ("VB", "VBZ") and ("NOUN" in classes or "ADJ" in classes):
        # a noun rarely has an object or a particle after it ("smooth out the peaks",
        # "corner the stock")
        verbal = i + 1 < len(words) and words[i + 1] in _OBJECT_STARTS
        return form if verbal or _mostly_verb(lemma) else None
    if tag in ("VBD", "VBN") and i + 1 < len(words):
        after = readings(words[i + 1].lower())
        if after and "ADV" not in after:
            return None  # an adjective before its noun: "coordinated cluster operation"
    return form


def _head(words: list[str]) -> int:
    """Where the verb stands: first, or after an -ly adverb ("deeply carried out")."""
    return 1 if len(words) > 1 and words[0].endswith("ly") else 0


def _words(text: str) -> list[str]:
    return text.lower().replace('"', " ").replace("“", " ").replace("”", " ").split()


@lru_cache(maxsize=4096)
def _verbal(forms: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
    """The inflections the concept's forms begin with and the verbs (lemmas) that make it
    verbal; both empty when it is not. Verbal: one verb in two or more inflections, one of
    them past or -ing as told without doubt ("deeply carry out", "deeply carried out").
    Different verbs in different inflections are different renderings, not tenses ("cluster
    campaign", "concentrated strike")."""
    tags: set[str] = set()
    by_verb: dict[str, set[str]] = {}  # lemma -> the words it begins forms with
    told: dict[str, set[str]] = {}
    for form in forms:
        words = _words(form)
        if words:
            head = words[_head(words)]
            verb, sure, maybe = verb_form(head), _found_verb(head), _verb_tags(head)
            if verb is not None:
                tags.add(verb[1])
            if maybe is not None:  # "hit" may be base or past: one verb either way
                by_verb.setdefault(maybe[0], set()).add(head)
            if sure is not None:
                told.setdefault(sure[0], set()).add(sure[1])
    verbs = frozenset(lemma for lemma in by_verb
                      if len(by_verb[lemma]) > 1 and told.get(lemma, set()) & _CHANGED)
    return (frozenset(tags), verbs) if verbs else (frozenset(), frozenset())


def _matched_verb(word: str, verbs: frozenset[str]) -> VerbForm | None:
    """The inflection of a matched text's verb. An -s form that may be a plural noun tells
    nothing alone, but in a concept whose forms write that verb in other inflections it is
    the verb's ("shovels the ground skin" beside "shoveled the ground skin")."""
    found = _found_verb(word)
    if found is None:
        form = verb_form(word)
        if form is not None and form[1] == "VBZ" and form[0] in verbs:
            return form
    return found


@lru_cache(maxsize=65536)
def untensed(form: str, forms: tuple[str, ...]) -> str:
    """``form`` (one of a concept's ``forms``) with its first verb in the base form when the
    concept is verbal: "deeply carried out" and "deeply carrying out" are one rendering in two
    tenses, not two renderings (DQ102)."""
    words = _words(form)
    tags, verbs = _verbal(forms)
    if not words or not tags:
        return " ".join(words)
    i = _head(words)
    verb = _matched_verb(words[i], verbs)
    if verb is not None:
        words[i] = verb[0]
    return " ".join(words)


@lru_cache(maxsize=65536)
def in_tense_of(preferred: str, found: str, forms: tuple[str, ...]) -> str:
    """``preferred`` in the inflection ``found`` (a deprecated form of ``forms``, as written)
    begins with; unchanged when any of the evidence above is missing."""
    tags, verbs = _verbal(forms)
    if not tags:
        return preferred
    found_words = _words(found)
    if not found_words:
        return preferred
    wanted = _matched_verb(found_words[_head(found_words)], verbs)
    words = preferred.split(" ")
    i = _head(words)
    have = _preferred_verb(words, i)
    if wanted is None or have is None or have[1] == wanted[1]:
        return preferred
    if have[1] != "VB" and have[1] not in tags:
        # a participle no form is written in is a passive: "released on bail" for "taking bail"
        return preferred
    out = list(words)
    for j in range(i, len(words)):
        form = have if j == i else (
            verb_form(words[j]) if words[j - 1] in _COORDINATORS and words[j].islower() else None)
        if form is None or form[1] != have[1]:
            continue
        inflected = _inflection(form[0], wanted[1]) or _inflection(form[0], "VBD")
        if not inflected:
            return preferred
        out[j] = inflected[0]
    return " ".join(out)
