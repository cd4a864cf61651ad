"""A DQ101 fix takes the tense of the calque it replaces, and only on plain evidence."""

from __future__ import annotations

import pytest

from glossary import terms
from glossary.check import CheckContext, check_text
from glossary.diagnostics import select_rules
from glossary.fix import apply_fixes
from glossary.tense import in_tense_of, verb_form

# verbal concepts as a glossary writes them: one preferred rendering, the calque in its tenses
STEP_UP = ("deeply carry out", "deeply carried out", "deeply carrying out", "deeply fighting")
STAKEOUT = ("squatted and guarded", "squatting and guarding", "squat and guard")
CLUSTER = ("cluster campaign", "concentrated strike", "fighting in groups")
BAIL = ("taking bail and waiting for trial", "take bail", "taking bail")
EARLY = ("hit early and hit small", "hitting early and hitting small",
         "struck early and struck small")
SHOVEL = ("shovel the ground skin", "shovels the ground skin", "shoveled the ground skin",
          "shoveling the ground skin")
PEAKS = ("cut peaks and fill valleys", "cutting peaks and filling valleys")
DEALER = ("sit the dealer", "sitting the bank", "sat the village")
SKIMP = ("steal work", "stealing work", "stole work")
BOTH = ("grasped early and grasped small", "grasping early and grasping small",
        "grab early and grab small")


@pytest.mark.parametrize(("preferred", "found", "forms", "expected"), [
    ("step up", "deeply carried out", STEP_UP, "stepped up"),
    ("step up", "Deeply carrying out", STEP_UP, "stepping up"),
    ("step up", "deeply carry out", STEP_UP, "step up"),
    ("staked out", "squatting and guarding", STAKEOUT, "staking out"),
    ("take resolute action", "showed the sword", ("show the sword", "showed the sword",
                                                  "showing the sword"), "took resolute action"),
    ("take resolute action", "shown the sword", ("shown the sword", "showing the sword"),
     "taken resolute action"),
    ("recovering losses", "retrieved economic losses", ("retrieving economic losses",
                                                        "retrieved economic losses"),
     "recovered losses"),
    # verbs joined by "and" follow the first
    ("acting early and nipping problems in the bud", "grasped early and grasped small", BOTH,
     "acted early and nipped problems in the bud"),
    # "hit" is base and past alike: the tense cannot be told, the fix is left as written
    ("nip crime in the bud", "hit early and hit small", EARLY, "nip crime in the bud"),
    ("nip crime in the bud", "hitting early and hitting small", EARLY, "nipping crime in the bud"),
    # a participle before its noun is an adjective
    ("coordinated cluster operation", "fighting in groups", CLUSTER,
     "coordinated cluster operation"),
    # different verbs in different inflections are different renderings, not tenses
    ("coordinate operations", "fighting in groups", CLUSTER, "coordinate operations"),
    # a participle no form is written in is a passive, not a tense
    ("released on bail pending trial", "taking bail", BAIL, "released on bail pending trial"),
    # a base form English writes mostly as a noun
    ("campaign against organized crime", "sweeping black", ("sweep black", "sweeping black",
                                                           "swept black"),
     "campaign against organized crime"),
    # a name keeps its words
    ("Protecting Minors", "protected seedlings", ("protect seedlings", "protected seedlings",
                                                  "protecting seedlings"), "Protecting Minors"),
    # a concept whose forms are in one inflection is no verb phrase to inflect
    ("market bullying", "bullying the trade", ("bullying the trade and dominating the market",
                                               "bullying the industry"), "market bullying"),
    # a matched form that begins with a word that may be a noun tells no tense
    ("coordinating operations", "cluster campaign", ("cluster campaign", "clustered campaigns",
                                                     "clustering campaigns"),
     "coordinating operations"),
    ("coordinating operations", "clustered campaigns", ("cluster campaign",
                                                        "clustered campaigns",
                                                        "clustering campaigns"),
     "coordinated operations"),
    # an -s form that may be a plural noun is the verb's when the concept writes that verb
    # in other inflections (blind document 141: 'who "shovels the ground skin"')
    ("scour villages for antiques", "shovels the ground skin", SHOVEL,
     "scours villages for antiques"),
    ("scour villages for antiques", "shoveled the ground skin", SHOVEL,
     "scoured villages for antiques"),
    # ... and not when no other form writes that verb ("cluster" is only a noun there)
    ("coordinating operations", "clusters campaigns", ("clusters campaigns",
                                                       "concentrated strikes"),
     "coordinating operations"),
    # a word English writes mostly as a noun is the verb when an object or a particle follows
    # (blind document 193: "cutting peaks and filling valleys")
    ("smooth out the peaks", "cutting peaks and filling valleys", PEAKS,
     "smoothing out the peaks"),
    ("corner the stock", "sat the village", DEALER, "cornered the stock"),
    # a preferred verb whose base and past are alike is written in the base form
    ("cut corners", "stealing work", SKIMP, "cutting corners"),
    ("cut corners", "stole work", SKIMP, "cut corners"),
    # a verb made with a prefix that lemminflect's lexicon lacks is that verb all the same
    # (blind document 254: "reshaped credit")
    ("restore credit", "reshaped credit", ("reshape credit", "reshaped credit",
                                           "reshaping credit"), "restored credit"),
    ("shape credit anew", "reshaping credit", ("reshape credit", "reshaped credit",
                                               "reshaping credit"), "shaping credit anew"),
])
def test_fix_takes_the_tense_of_the_calque(preferred: str, found: str,
                                           forms: tuple[str, ...], expected: str) -> None:
    assert in_tense_of(preferred, found, forms) == expected


def test_an_s_form_is_one_rendering_with_the_other_tenses() -> None:
    from glossary.tense import untensed

    assert {untensed(form, SHOVEL) for form in SHOVEL} == {"shovel the ground skin"}


@pytest.mark.parametrize(("word", "expected"), [
    ("carried", ("carry", "VBD")), ("taken", ("take", "VBN")), ("fighting", ("fight", "VBG")),
    ("digs", ("dig", "VBZ")), ("promote", ("promote", "VB")), ("hit", None), ("set", None),
    ("network", ("network", "VB")), ("the", None), ("army", None),
    ("misreported", ("misreport", "VBD")), ("reshaping", ("reshape", "VBG")), ("unit", None),
])
def test_verb_forms_are_told_only_when_unambiguous(word: str, expected: object) -> None:
    assert verb_form(word) == expected


def _context(tmp_path, rows: str) -> CheckContext:
    path = tmp_path / "terms.csv"
    path.write_text("id,zh,preferred,admitted,deprecated,status,category,note\n" + rows,
                    encoding="utf-8")
    return CheckContext.build(terms.load(str(path)), select_rules())


def test_check_fix_and_message_keep_the_sentence_in_one_tense(tmp_path) -> None:
    ctx = _context(tmp_path, "step-up,深入开展,step up,,deeply carry out|deeply carried out|"
                             "deeply carrying out,approved,idiom,\n"
                             "stakeout,蹲守,staked out,,squatted and guarded|squatting and "
                             "guarding,approved,slang,\n")
    text = ("Last year the bureau deeply carried out the campaign.\n"
            "Deeply carrying out the work, officers were squatting and guarding the port.\n"
            "We will deeply carry out the plan.\n")
    findings = [d for d in check_text(text, ctx) if d.code == "DQ101"]
    assert [d.suggestion for d in findings] == ["stepped up", "Stepping up", "staking out",
                                                "step up"]
    assert '"deeply carried out" → "stepped up"' in findings[0].message
    assert apply_fixes(text, findings)[0] == (
        "Last year the bureau stepped up the campaign.\n"
        "Stepping up the work, officers were staking out the port.\n"
        "We will step up the plan.\n")


def test_one_rendering_in_several_tenses_is_consistent(tmp_path) -> None:
    """DQ102 counts renderings, not tenses: "deeply carried out" and "deeply carry out" are
    one calque, which DQ101 reports anyway; "deeply fighting" beside them is a second."""
    ctx = _context(tmp_path, "step-up,深入开展,step up,,deeply carry out|deeply carried out|"
                             "deeply carrying out|deeply fight|deeply fighting,approved,idiom,\n")
    text = ("Last year the bureau deeply carried out the campaign.\n"
            "We will deeply carry out the plan.\n")
    assert [d.code for d in check_text(text, ctx)] == ["DQ101", "DQ101"]
    findings = check_text(text + "They are deeply fighting pollution.\n", ctx)
    [message] = {d.message for d in findings if d.code == "DQ102"}
    assert message.startswith("step-up rendered 2 ways in 1 file:")
    assert '"deeply carried out" ×1, "deeply carry out" ×1, "deeply fighting" ×1' in message
