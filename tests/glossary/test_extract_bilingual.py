"""Bilingual extraction on the seed pairs (seeds/zh + seeds/): zh terms paired with their
renderings, literal flags, the merge into candidates, the glossary, and pairing errors."""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from functools import cache
from pathlib import Path

import pytest
from helpers import DATA, SEEDS, assert_one_line_error, run_cli, run_cli_on_terminal

from glossary import terms
from glossary.documents import Document, read_document
from glossary.extract.bilingual import (
    Rendering,
    TermPair,
    _stems,
    best_rendering,
    bilingual_document,
    is_literal,
    pair_terms,
    with_pairs,
)
from glossary.extract.candidates import document_phrases
from glossary.extract.score import extract

NAMES = ("000-clean-network-2021-results-2022.txt", "002-cat-pool-and-cyber-violence-2023.txt")


@cache
def seed_pairs() -> dict[str, TermPair]:
    docs = [bilingual_document(read_document(str(SEEDS / "zh" / n)),
                               read_document(str(SEEDS / n))) for n in NAMES]
    return {p.zh: p for p in pair_terms(docs)}


def unseen_pair(name: str) -> tuple[Document, Document]:
    """An unseen document written for decalque and its Chinese source: (English, Chinese)."""
    folder = DATA / "extract" / "unseen"
    return read_document(str(folder / name)), read_document(str(folder / "zh" / name))


def renderings(zh: str) -> dict[str, bool]:
    return {r.text.lower(): r.literal for r in seed_pairs()[zh].renderings}


def test_water_army_is_paired_with_its_literal_rendering() -> None:
    found = renderings("网络水军")
    assert found.get("network water army") is True
    assert "internet navy" in found  # the headline's other rendering of the same term


def test_unknown_compounds_are_found_and_rendered() -> None:
    assert "cat pool" in renderings("猫池")  # 池 is "pond" in CC-CEDICT: taken by elimination
    assert renderings("四治").get("four treatments") is True
    assert renderings("触网").get("touching the net") is True


def test_a_rendering_never_spans_punctuation() -> None:
    # '"flow economy" and "fan economy", the "network water army"': the span with most
    # explained words ran across quotes and a comma ("economy the network water") before
    assert list(renderings("流量经济")) == ["flow economy"]
    for pair in seed_pairs().values():
        for rendering in pair.renderings:
            assert not any(mark in rendering.text for mark in ',;:"“”'), rendering.text


def test_a_rendering_is_no_clause() -> None:
    """A term is rendered by a noun phrase: a span across an auxiliary verb is a clause
    ("cases were filed" for 立案, "party members and cadres were held accountable")."""
    words = _stems("In 2022, 35 cases were filed against enterprises.", breaks=True)
    found = best_rendering("立案", words)
    assert found is not None and found[0] == "cases"  # not "cases were filed"
    en, zh = unseen_pair("104-ecological-inspection-2022.txt")
    pairs = pair_terms([bilingual_document(zh, en)])
    texts = [r.text.lower().split() for p in pairs for r in p.renderings]
    assert texts and not any({"were", "was", "has", "have", "will"} & set(t) for t in texts)


def test_a_rendering_takes_in_no_verb_of_its_clause() -> None:
    """"leaders" renders half of 主要领导; the word taken in to cover the rest is never the
    past verb of a clause after its subject ("leaders gave", "security situation remained"),
    though after an adverb it is the term's own ("deeply carried" 深入开展, 134), as an
    adverb may be ("change immediately" of 立行立改, 128). Over the 86 unseen documents with
    their sources, renderings of a gold zh term sharing nothing with its gold forms 288 ->
    284."""
    cases = (("主要领导", "The leaders gave instructions twice.", "leaders"),
             ("社会治安形势", "The security situation remained stable.", "security situation"),
             ("立行立改", "They will stand and change immediately, so that it ends.",
              "stand and change immediately"),
             ("深入开展", "All localities deeply carried out the campaign.", "deeply carried"))
    for term, sentence, expected in cases:
        found = best_rendering(term, _stems(sentence, breaks=True))
        assert found is not None and found[0] == expected, found


def test_a_rendering_explains_half_its_term_or_more() -> None:
    """证监局 (securities regulatory bureau) has no gloss the dictionary gives; "Situation"
    (局 "situation") and "set" (局 "set", a game's) explained one character of three and were
    its renderings (196). Over the unseen documents, such renderings of gold terms of three
    characters or more shared nothing with the gold's forms 72 times in 123."""
    en, zh = unseen_pair("196-securities-fraud.txt")
    pairs = {p.zh: p for p in pair_terms([bilingual_document(zh, en)])}
    assert "证监局" not in pairs
    assert [r.text for r in pairs["经侦总队"].renderings][:1] == ["Economic Investigation Corps"]


def test_a_hyphened_word_is_explained_by_its_parts() -> None:
    """MT hyphenates glosses ("net-pulling" for 拉网): the hyphened word is explained by its
    parts, so the rendering is not a neighbouring name that shares one word ("Heaven Net",
    天网, in the same sentence of blind document 110)."""
    en, zh = unseen_pair("110-illegal-fundraising-crackdown-2024.txt")
    pairs = {p.zh: [r.text for r in p.renderings] for p in pair_terms([bilingual_document(zh, en)])}
    assert pairs["拉网式排查"] == ["net-pulling style screening"]
    assert pairs["天网"] == ["Heaven Net"]


def test_a_rendering_ends_at_a_closing_quotation_mark() -> None:
    """An apostrophe after a word's last letter closes a quotation ('network water army') or
    makes a possessive ("the people masses' interests"): no rendering ends in it."""
    for name in ("133-self-media-rumours.txt", "141-cultural-relics-crime.txt"):
        en, zh = unseen_pair(name)
        texts = [r.text for p in pair_terms([bilingual_document(zh, en)]) for r in p.renderings]
        assert texts and not [t for t in texts if t.endswith(("'", "’"))], name


def test_a_function_character_joins_no_term() -> None:
    """Jieba leaves unknown compounds in pieces, so adjacent pieces are paired into terms;
    a single-character function word is no piece of one (单位 + 仍 "units still"), while a
    numeral is (四 + 断)."""
    from glossary.extract.bilingual import _terms

    assert "单位仍" not in {t for t, _ in _terms(["单位", "仍", "存在", "问题"])}
    assert "四断" in {t for t, _ in _terms(["“", "四", "断", "”"])}
    assert "网络水军" in {t for t, _ in _terms(["网络", "水军"])}


def test_a_single_character_joins_a_word_only_as_words_are_built() -> None:
    """Before a word, a single character joins it unless it is a verb (黑 + 公关 "black PR",
    not 撞 + 小学生 "hit a pupil"); after a word only a noun morpheme or suffix does
    (数据安全 + 法 "data security law", not 形势 + 新 "situation new")."""
    from glossary.extract.bilingual import _terms

    def terms(*tokens: str) -> set[str]:
        return {t for t, _ in _terms(list(tokens))}

    assert "黑公关" in terms("黑", "公关")
    assert "数据安全法" in terms("数据安全", "法")
    assert "猫池" in terms("猫", "池")
    assert "撞小学生" not in terms("撞", "小学生")
    assert "形势新" not in terms("面临", "形势", "新")
    assert "中心副" not in terms("中心", "副", "主任")


def test_an_idiom_joins_no_neighbour() -> None:
    """An idiom (贯彻落实 "implement", 严厉打击 "crack down hard") is a word complete in itself:
    it is a term alone, but beside another word it makes a phrase, not a term."""
    from glossary.extract.bilingual import _terms

    def terms(*tokens: str) -> set[str]:
        return {t for t, _ in _terms(list(tokens))}

    found = terms("深入", "贯彻落实", "党中央", "决策", "部署")
    assert "贯彻落实党中央" not in found
    assert {"贯彻落实", "党中央决策", "决策部署"} <= found
    assert "严厉打击偷排" not in terms("严厉打击", "偷排")
    assert "网络水军" in terms("网络", "水军")  # two nouns still make one


def test_a_literal_rendering_english_says_anyway_is_weaker_evidence() -> None:
    """On blind document 121: 假出口 "fake export" is a literal rendering whose words English
    never joins (full evidence); 大数据分析 "big data analysis" glosses its characters too,
    but English says it (a third of the evidence), so it ranks below."""
    from glossary.extract.bilingual import JOINED_LITERAL

    en, zh = unseen_pair("121-tax-fraud-crackdown.txt")
    paired = with_pairs(extract([document_phrases(en)]), pair_terms([bilingual_document(zh, en)]))
    by_zh = {c.signals["zh_term"]: c for c in paired if "aligned_literal" in c.signals}
    fake, big_data = by_zh["假出口"], by_zh["大数据分析"]
    assert fake.signals["aligned_literal"] == 1.0
    assert big_data.signals["aligned_literal"] == round(JOINED_LITERAL, 3)
    assert paired.index(big_data) > paired.index(fake)


def test_the_halves_of_a_parallel_slogan_join_the_slogan() -> None:
    """Jieba splits 打早打小 into 打早 | 打小, each rendered by half of "hit early and hit
    small" (blind document 122): the halves are evidence for the slogan, not candidates."""
    en, zh = unseen_pair("122-human-trafficking-campaign.txt")
    alone = extract([document_phrases(en)])
    paired = with_pairs(alone, pair_terms([bilingual_document(zh, en)]))
    keys = {k for c in paired for k in c.keys or [c.key]}
    assert "hit early" not in keys and "hit small" not in keys
    slogan = next(c for c in paired if c.key == "hit early and hit small")
    assert slogan.signals["zh_term"] in ("打早", "打小")
    before = next(c for c in alone if c.key == "hit early and hit small")
    assert paired.index(slogan) < alone.index(before)


def test_a_distinguishing_word_ends_no_term() -> None:
    """主要 "main" and 主动 "active" classify the noun after them: 枪支 | 主要 | 零部件 has the
    term 主要零部件, never 枪支主要."""
    from glossary.extract.bilingual import _terms

    found = {t for t, _ in _terms(["枪支", "主要", "零部件"])}
    assert "枪支主要" not in found and "主要零部件" in found
    assert "火药枪主动" not in {t for t, _ in _terms(["火药枪", "主动", "上缴"])}


def test_two_numbered_words_make_a_slogan() -> None:
    """Jieba tags 三线 and 三清 numerals, yet 三线 | 一单 and 两断 | 三清 are slogans; a numeral
    and its measure word are no term (四个 | 一批 is "four batches")."""
    from glossary.extract.bilingual import _terms

    def terms(*tokens: str) -> set[str]:
        return {t for t, _ in _terms(list(tokens))}

    assert "三线一单" in terms("落实", "“", "三线", "一单", "”", "生态环境")
    assert "两断三清" in terms("按照", "两断", "三清", "标准")
    assert "一个一个" not in terms("一个", "一个")
    assert not terms("四个", "人")
    # the slogan's English is one candidate: its parts (一单 "one single") are not
    name = "104-ecological-inspection-2022.txt"
    en, zh = unseen_pair(name)
    paired = with_pairs(extract([document_phrases(en)]), pair_terms([bilingual_document(zh, en)]))
    slogans = {c.key: c.suggested_zh for c in paired if c.key.startswith(("three lines", "two b"))}
    assert slogans == {"three lines and one single": "三线一单",
                       "two breaks and three clear": "两断三清"}


@pytest.mark.parametrize(("name", "unquoted"), [
    ("102-discipline-inspection-work-report-2023.txt",
     {"inspection-tour", "swat-flies", "problem-leads"}),
    # written and annotated blind by another agent (no sight of decalque's code or seeds)
    ("103-elderly-fraud-crackdown-2023.txt",
     {"sales-seminars", "health-supplements", "coordinated-operations"}),
    ("104-ecological-inspection-2022.txt",
     {"black-odorous-water", "dual-responsibility", "primary-responsibility"}),
    ("105-anti-drug-campaign-2023.txt",
     {"drugs-by-mail", "x-ray-screening", "enforcement-and-prevention"}),
    # written blind after the changes of the session that added it
    ("106-yangtze-fishing-ban-2024.txt",
     {"electrofishing", "stakeout", "bear-bile", "illegal-fishing-gear"}),
    ("107-pyramid-selling-crackdown-2024.txt",
     {"entry-fee", "recruiting-new-members", "commission-payouts"}),
    # written blind after unusual_pair (2026-11-24), added as they came
    ("108-illegal-sand-mining-crackdown-2024.txt",
     {"river-ecosystem", "establish-rules-and-regulations", "organized-crime-groups"}),
    ("109-medical-insurance-fraud-crackdown-2024.txt",
     {"phantom-hospitalization", "big-data-screening", "referral-of-case-leads"}),
    # written blind after unusual_once (2026-11-24, second session), added as they came
    ("110-illegal-fundraising-crackdown-2024.txt",
     {"refund-funds", "leading-group-office-on-illegal-fundraising", "reverse-mortgage"}),
    ("111-cross-border-gambling-crackdown-2025.txt",
     {"community-policing", "ordinary-people", "task-force"}),
    # written blind in the third session of 2026-11-24, added as they came
    ("112-qinglang-cyberspace-campaign.txt",
     {"deepen-and-deliver-results", "livestream-selling", "clean-and-wholesome"}),
    ("113-hundred-day-safety-campaign.txt",
     {"draw-lessons", "hazardous-chemicals", "major-and-serious-accidents"}),
    ("114-food-drug-safety-crackdown.txt",
     {"clear-price-display", "fake-orders-and-reviews", "livestream-channels"}),
    ("115-road-safety-crackdown.txt",
     {"crash-checkpoint", "take-chances", "village-outreach"}),
    # written blind in the fourth session of 2026-11-24, added as they came
    # (what the source adds to 116 unquoted sits past rank 100: "brushing orders and
    # speculating credit" 刷单炒信 at 105)
    ("116-ipr-counterfeit-crackdown-2025.txt", set()),
    ("117-grassroots-governance-report-2023.txt",
     {"explained-the-law", "extreme-incidents-by-individuals", "law-in-every-household"}),
    # written blind at the end of that session, after every change, added as they came
    ("118-hazardous-waste-crackdown.txt", {"follow-leads-deeper"}),
    ("119-summer-public-security-campaign.txt",
     {"affray", "crime-prevention-network", "take-personal-charge"}),
    # written blind last, after every change of that session, added as they came
    ("120-minors-online-protection.txt",
     {"legal-vice-principal", "removed-from-app-stores", "strictly-enforce"}),
    ("121-tax-fraud-crackdown.txt", {"shell-companies", "work-progress"}),
    # written blind in the fifth session of 2026-11-24, added as they came
    ("122-human-trafficking-campaign.txt",
     {"checkpoint-checks", "forensic", "take-resolute-action"}),
    ("123-illegal-guns-explosives-campaign.txt",
     {"cyber-police", "dedicated-task-force", "the-public"}),
    ("124-smuggling-campaign.txt", {"canvassing", "round-up", "stake-out"}),
    ("125-campus-safety-campaign.txt",
     {"correction-rate", "police-incidents", "private-tutoring-providers"}),
    # written blind after the session's changes, added as they came
    ("126-fire-safety-campaign.txt",
     {"personally-oversee-campaign", "tighten-safety-net", "unauthorized-wiring"}),
    ("127-platform-economy.txt", {"new-types-of-business"}),
    ("128-farmland-protection.txt",
     {"defiant-illegal-construction", "flagged-parcels", "rectify-immediately"}),
    ("129-anti-gang-industries.txt", {"monthly-progress-reviews", "the-public"}),
    # written blind in the sixth session of 2026-11-24, added as they came
    ("130-wildlife-protection.txt", {"followed-the-leads", "made-arrests", "multiple-locations"}),
    ("131-petty-corruption.txt", {"public-raised-issues", "task-force"}),
    # written blind after that session's first extractor changes, added as they came
    ("132-wage-arrears.txt", {"general-contractor", "seek-redress-lawfully"}),
    ("133-self-media-rumours.txt", {"splicing-unrelated-material", "stabbing", "strictly-enforce"}),
    # written blind last, after every extractor change of that session, added as they came
    ("134-e-bike-safety.txt", {"fully-implement", "unnamed-entity-placeholder"}),
    ("135-social-insurance-fraud.txt",
     {"discipline-inspection-authorities", "insider-outsider-collusion",
      "weekly-progress-reviews"}),
    # written blind in the seventh session of 2026-11-24, on two new subgenres, added as
    # they came
    ("136-civilized-city.txt", {"obstruct-law-enforcement"}),
    ("137-court-enforcement.txt", {"custodial-sentence", "escape-route", "joint-sanctions"}),
    ("138-rural-revitalization.txt", {"leading-enterprises", "tailored-to-each-village"}),
    ("139-community-corrections.txt",
     {"falling-outside-supervision", "living-away-from-registered-residence",
      "separated-from-monitoring-phone"}),
    # written blind in the eighth session of 2026-11-24, on four new subgenres, added as
    # they came
    ("140-sky-net-fugitive-recovery.txt", {"appeals-to-family-ties", "tighten-responsibility"}),
    ("141-cultural-relics-crime.txt",
     {"combining-enforcement-with-prevention", "open-air-heritage-sites"}),
    ("142-illegal-construction.txt", {"buck-passing", "grid-based-patrols", "urban-villages"}),
    ("143-party-building-petitions.txt", {"pledge-to-stop-petitioning", "visit-communities"}),
    # written blind later in that session, after its extractor changes, added as they came
    ("144-blue-sky-air-pollution.txt", {"air-pollution", "environmental-inspection"}),
    ("145-flood-control.txt", {"dike-patrol", "flash-flood-hazard-zone"}),
    ("146-national-security-day.txt",
     {"personnel-with-classified-access", "unclassified-computers"}),
    ("147-rental-market.txt", {"evade-debts", "withholding-homes-from-sale"}),
    ("148-delivery-riders.txt", {"recruit-members", "small-measures-big-impact"}),
    ("149-illegal-passenger-transport.txt", {"aggressive-touting", "staggered-shift-enforcement"}),
    ("150-river-chiefs.txt", {"concealed-pipe", "malodorous-water-bodies"}),
    ("151-tourism-market.txt", {"address-symptoms-and-root-causes", "independent-travelers"}),
    ("152-medical-aesthetics.txt", {"illegal-operation-sites", "mini-program"}),
    ("153-gas-safety.txt", {"gas-operators"}),
    ("154-conscription.txt", {"new-recruits", "quota-over-quality"}),
    ("155-funeral-reform.txt", {"commercial-cemetery", "pre-built-tombs-for-the-living"}),
    # written blind in the ninth session of 2026-11-24, on six new subgenres, added as they
    # came
    ("156-epidemic-control.txt", {"leave-no-one-out", "stripped-bare"}),
    ("157-business-environment.txt", {"work-report-circular"}),
    ("158-double-reduction.txt", {"off-campus-tutoring", "teaching-competition"}),
    ("159-anti-pornography.txt", {"obscene-materials", "pornographic-websites"}),
    ("160-forest-chief.txt", {"crime-of-illegal-logging", "weaknesses-and-shortcomings"}),
    ("161-waste-sorting.txt", {"restaurant-food-waste"}),
    # written blind later in that session, after its first changes, added as they came
    ("162-consumer-rights.txt", {"resist-bargain-traps"}),
    ("163-veterans-affairs.txt", {"place-to-raise-concerns", "top-priority"}),
    ("164-rural-living-environment.txt", {"maintenance-matters-more-than-building"}),
    ("165-village-elections.txt", {"resident-first-secretary", "weak-and-ineffective"}),
    # written blind last in that session, after every extractor change, added as they came
    ("166-healthcare-corruption.txt", {"task-list", "volume-based-procurement"}),
    ("167-livestream-commerce.txt", set()),  # what the source adds is past rank 100
    ("168-border-control.txt", {"border-guarding-duties", "held-criminally-liable"}),
    ("169-teacher-ethics.txt", {"paid-private-tutoring", "responsibility-pledges"}),
    ("170-delivery-safety.txt", {"rectification-orders", "tighten-accountability"}),
    ("171-fishing-moratorium.txt", {"tighten-port-controls"}),
    ("172-citizen-hotline.txt", {"everyday-concerns"}),
    ("173-court-mediation.txt", {"fast-track-simple-cases", "mandatory-pre-filing-mediation"}),
    ("174-poverty-alleviation-consolidation.txt", {"tailored-measures", "tangible-benefits"}),
    ("175-science-technology-talent.txt", {"full-cycle", "research-results"}),
    ("176-food-waste.txt", {"dedicated-task-force", "food-service-establishments"}),
    ("177-agricultural-inputs.txt", {"counterfeit-and-substandard", "follow-the-leads"}),
    ("178-fan-circle-chaos.txt", {"misconduct", "weekly-coordination"}),
    ("179-old-community-renovation.txt", {"available-housing", "public-service-hotline"}),
    ("180-safe-production.txt", {"ready-to-respond-and-win", "work-related-accidents"}),
    ("181-grain-corruption.txt", {"abuse-of-position", "collusion-with-outsiders"}),
    ("182-elderly-care.txt", {"extreme-poverty", "monthly-home-visit"}),
    ("183-football-match-fixing.txt", {"football-sector", "overarching-tone"}),
    ("184-campus-loans.txt", {"easy-approval", "non-physical-intimidation"}),
    ("185-cultural-market.txt", {"internet-cafe", "overall-tone"}),
    ("186-personal-data-protection.txt", {"steadily-strengthened", "waybill"}),
    ("187-crypto-mining.txt", {"effortless-earnings", "end-to-end-crackdown"}),
    ("189-rural-land.txt", {"open-an-investigation", "take-stock"}),
    ("190-safe-hospitals.txt", {"ongoing-monitoring", "reselling-appointment-slots"}),
    ("191-urban-management.txt", {"party-self-governance", "strict-team-management"}),
    ("192-online-violence.txt", {"illicit-industry-chain", "task-force"}),
    ("193-spring-festival-travel.txt", {"considerate-service", "smooth-out-peaks"}),
    ("194-public-interest-litigation.txt", {"handle-every-case-to-high-standard",
                                            "provincial-procuratorate"}),
    ("195-soft-violence-debt-collection.txt", {"disciplinary-authorities", "weekly-coordination"}),
    ("196-securities-fraud.txt", {"market-ban", "representative-cases"}),
    ("197-water-conservation.txt", {"private-wells", "well-closure-and-extraction-cuts"}),
    ("198-drone-flights.txt", {"counter-drone-equipment", "government-social-media"}),
    ("199-state-enterprise-corruption.txt", {"lax-and-weak",
                                             "prohibited-post-resignation-employment"}),
    ("200-exam-cheating.txt", {"cyber-security-division"}),
    ("201-provident-fund-fraud.txt", {"dig-deep", "total-contributions"}),
    ("202-bride-price-customs.txt", {"family-values", "good-social-practices"}),
    ("203-employment.txt", {"job-retention-support", "wage-arrears-report"}),
    ("204-tobacco-monopoly.txt", {"dismantling-the-entire-chain", "regulate-the-market"}),
    ("205-carbon-peaking.txt", {"campaign-style-carbon-cutting", "free-up-energy-headroom"}),
    ("207-fengqiao-experience.txt", {"one-stop-access", "strictly-enforce"}),
    ("208-detention-centres.txt", {"custodial-officers", "detainees"}),
    ("209-dog-keeping.txt", {"impoundment", "leash-and-pick-up"}),
    ("210-ethnic-unity.txt", {"carry-out-extensively", "monthly-progress-review"}),
    ("211-forest-fire-prevention.txt", {"escaped-fire", "forest-ranger"}),
    ("212-party-history-education.txt", {"study-history-to-build-faith", "themed-party-day"}),
    ("213-counterfeit-currency.txt", {"counterfeit-banknotes", "followed-leads"}),
    ("214-elevator-safety.txt", {"replacement-and-renovation", "targeted-safety-campaign"}),
    ("215-three-illegals.txt", {"deport", "services-and-management-of-foreigners"}),
    ("216-illegal-slaughter.txt", {"quarantine-certificate", "strengthen-defenses"}),
    ("217-unfinished-homes.txt", {"protect-livelihoods", "weekly-progress-review"}),
    ("218-audit-rectification.txt", {"fraudulent-claims", "collective-deliberation"}),
    ("219-hacking.txt", {"coordinated-round-up", "cybersecurity-unit"}),
    ("220-national-fitness.txt", {"key-public-welfare-projects",
                                  "loop-corridors-sites-layout"}),
    ("221-bid-rigging.txt", {"entire-process", "tighten-constraints"}),
    ("222-coal-mine-safety.txt", {"identification-and-remediation", "unsafe-work"}),
    ("223-school-bullying.txt", {"guardianship-supervision-order", "tiered-correction"}),
    ("224-routine-loans.txt", {"inflated-loan-contracts", "take-personal-command"}),
    ("225-marine-enforcement.txt", {"concealed-pipes", "land-reclamation"}),
    ("226-grassroots-burdens.txt", {"inspection-tours", "inspections-and-assessments"}),
    ("227-illegal-medical-practice.txt", {"no-leniency", "urban-villages"}),
    ("228-subsistence-allowances.txt", {"basic-living-needs", "strengthen-the-net"}),
    ("229-patriotic-health.txt", {"grouping-stalls-by-category"}),
    ("230-state-secrets.txt", {"internal-security-self-assessment", "unclassified-computer"}),
    ("231-illegal-lotteries.txt", {"act-as-bookmaker", "gambling-money"}),
    ("232-judicial-reform.txt", {"cross-jurisdictional-filing",
                                 "regular-case-handling-mechanism"}),
    ("233-wetland-birds.txt", {"followed-the-leads", "full-accountability-for-wetlands"}),
    ("234-hospital-scalpers.txt", {"reselling-appointment-slots",
                                   "unauthorized-extra-appointments"}),
    ("235-black-smelly-water.txt", {"representative-case",
                                    "source-control-and-sewage-interception"}),
    ("236-official-receptions.txt", {"expensive-cigarettes-and-liquor",
                                     "serious-intra-party-warning"}),
    ("237-idle-land.txt", {"certificates-on-land-delivery", "year-of-concerted-action"}),
    ("238-quality-month.txt", {"retail-shop", "targeted-campaign"}),
    ("239-party-branches.txt", {"strict-intra-party-life", "successor-candidates"}),
    ("240-e-commerce-smuggling.txt", {"leveraging-technology", "split-into-small-parcels"}),
    ("241-investment-promotion.txt", {"attracting-investment"}),
    ("242-minors-hotels-internet-cafes.txt", {"public-order-division", "regulatory-gaps"}),
    ("243-straw-burning.txt", {"straw-incorporation-into-soil", "use-where-suitable"}),
    ("244-volunteer-service.txt", {"lei-feng-volunteer-service", "role-models"}),
    ("245-illegal-mining.txt", {"deliberately-target", "land-use-as-suited"}),
    ("246-rural-drinking-water.txt", {"source-water-area", "tap-water-coverage"}),
    ("247-national-defence-education.txt", {"air-raid-siren-test", "specialized-detachments"}),
    ("248-summer-grain-purchase.txt", {"directly-administered-depot", "tangible-benefits"}),
    ("249-objects-thrown-from-height.txt", {"crime-of-throwing-objects-from-height",
                                            "dedicated-task-force"}),
    ("250-historic-cities.txt", {"grandiose-foreign-style-projects",
                                 "preserve-form-residents-and-spirit"}),
    ("251-cold-chain-imports.txt", {"dedicated-section", "record-keeping"}),
    ("252-prison-parole.txt", {"returned-to-prison", "timely-reminders-and-criticism"}),
    ("253-legal-aid.txt", {"legal-safeguards", "wage-claims"}),
    ("254-tax-spring-breeze.txt", {"invoicing", "spring-breeze-campaign"}),
    ("255-farm-machinery-subsidies.txt", {"collusion-between-insiders-and-outsiders",
                                          "unannounced-inspections"}),
    ("256-east-west-cooperation.txt", {"weekly-scheduling"}),
    ("257-earthquake-relief.txt", {"life-detection-devices", "transitional-living-allowance"}),
    ("258-overloaded-trucks.txt", {"off-site-enforcement",
                                   "technology-based-overload-enforcement"}),
    ("259-enrolment-kickbacks.txt", {"cultivate-talent-for-party-and-country"}),
    ("260-sponge-city.txt", {"ponding-cleared-within-a-day", "wall-chart-tracking"}),
    ("261-toilet-revolution.txt", {"double-vault-funnel-toilet", "register-and-file"}),
    ("262-family-doctors.txt", {"county-recruited-staff", "tiered-healthcare"}),
    ("263-village-micro-power.txt", {"village-affairs-transparency", "village-notice-boards"}),
    ("264-cultural-auditoriums.txt", {"exorbitant-bride-price"}),
    ("265-customs-clearance.txt", {"misdescription-of-goods", "undervaluation"}),
    ("266-farmland-construction.txt", {"joint-party-government-responsibility"}),
    ("267-illegal-social-organizations.txt", {"intense-pressure", "persuaded-to-disband"}),
    ("268-red-property.txt", {"fast-track-procedure", "residential-compound"}),
    ("269-medical-disturbances.txt", {"funeral-protests-with-the-body",
                                      "police-hospital-coordination"}),
    # written blind in the fourteenth session of 2026-11-25, added as they came
    ("270-double-support.txt", {"accompanying-spouses", "military-government-civilian-unity"}),
    ("271-seed-industry.txt", {"build-a-tight-net", "task-force"}),
    ("272-government-services.txt", set()),  # what the source adds is past rank 100
    ("273-left-behind-children.txt", {"absence-of-proper-guardianship",
                                      "get-an-accurate-count"}),
    ("274-money-laundering.txt", {"followed-the-leads", "single-request-network-wide-tracing"}),
    ("275-drowning-prevention.txt", {"pledge", "tighten-and-enforce"}),
    ("276-law-popularisation.txt", {"all-citizens", "down-to-earth-and-engaging"}),
    ("277-traditional-chinese-medicine.txt", {"learning-under-a-mentor",
                                              "shoring-up-weak-links"}),
    ("278-river-basin-protection.txt", {"plan-cities-by-water-availability",
                                        "take-personal-charge-of-cases"}),
    ("279-hazardous-chemicals.txt", {"dual-duty-of-each-post"}),
    ("280-farmer-cooperatives.txt", {"quantity-over-quality",
                                     "rural-economic-management-officials"}),
    ("281-cadre-selection.txt", {"crack-down-hard", "intra-party-warning"}),
    ("282-urban-village-redevelopment.txt", {"temporary-resettlement-allowance",
                                             "weekly-progress-review"}),
    ("283-winter-sports.txt", {"consumer-vouchers", "study-tours"}),
    ("284-public-rental-housing.txt", {"ongoing-eligibility-management", "subsidized-housing"}),
    ("285-rural-roads.txt", {"good-or-fair-condition-rate", "roadside-environment"}),
    ("286-animal-epidemic-prevention.txt", {"catch-up-vaccinations",
                                            "on-site-official-veterinarians"}),
    ("287-vocational-education.txt", {"production-based-training-bases",
                                      "sector-industry-education-alliance"}),
    ("288-civil-air-defence.txt", {"by-a-deadline", "main-structure"}),
    ("289-statistical-fraud.txt", {"overall-tone", "serious-party-warning"}),
])
def test_the_source_adds_to_an_unseen_document(name: str, unquoted: set[str]) -> None:
    """Documents written for decalque with their Chinese sources (campaigns no seed has),
    annotated before anything ran on them: the source's evidence finds calques the English
    alone does not, among them unquoted ones ("patrol team" for 巡视组, "meeting sales" for
    会销), and loses none of what the English alone finds. The list is longer: on 109 and 110
    what the source adds sits past rank 100, and its renderings push phrases said once
    there too (110: recall@100 0.74 alone, 0.67 with the source)."""
    from glossary.extract.evaluate import Gold, concepts_hit, fold

    en, zh = unseen_pair(name)
    data = json.loads((DATA / "extract" / "gold_unseen.json").read_text(encoding="utf-8"))
    gold = Gold({c["concept"]: frozenset(map(fold, c["forms"])) for c in data["concepts"]
                 if any(d.endswith(name) for d in c["docs"])}, (name,))
    assert len(gold.concepts) >= 30
    alone = extract([document_phrases(en)])
    paired = with_pairs(alone, pair_terms([bilingual_document(zh, en)]))
    # alone, 0.46-0.78 of each document's concepts in the top 100; with the source 0.62-0.89
    # (on 108-110 the phrases said once, listed last, and the source's renderings pass 100)
    with_source = {c for cand in paired for c in concepts_hit(cand, gold)}
    english_only = {c for cand in alone for c in concepts_hit(cand, gold)}
    assert with_source >= english_only and with_source - english_only
    assert unquoted <= {c for cand in paired[:100] for c in concepts_hit(cand, gold)}


def test_names_in_pinyin_are_no_candidates() -> None:
    """孙平 is rendered "Sun Ping" every time: a name, not a term to put in a glossary."""
    assert [r.text for r in seed_pairs()["孙平"].renderings] == ["Sun Ping"]
    english = [document_phrases(read_document(str(SEEDS / n))) for n in NAMES]
    merged = with_pairs(extract(english), list(seed_pairs().values()))
    keys = {k for c in merged for k in c.keys or [c.key]}
    assert "sun ping" not in keys and "zhu wei" not in keys
    assert "subject responsibility" in keys  # a consistent rendering of a term stays


def test_a_place_name_spelled_as_one_word_is_no_candidate() -> None:
    """青屏市 is "Qingping Intermediate" and "Qingping Municipal" (two neighbours taken in with
    the name): its syllables spelled as one word, stemmed as the English is ("qingp"), explain
    the rendering, and a term rendered only in pinyin is a name, two ways or not. Before, no
    sense matched "Qingping" and 青屏市 was paired with "put non-litigation"."""
    en, zh = unseen_pair("173-court-mediation.txt")
    pairs = {p.zh: p for p in pair_terms([bilingual_document(zh, en)])}
    assert {r.text.split()[0] for r in pairs["青屏市"].renderings} == {"Qingping"}
    merged = with_pairs(extract([document_phrases(en)]), list(pairs.values()))
    assert not [c.key for c in merged if c.suggested_zh == "青屏市"]


def test_correct_renderings_are_not_literal() -> None:
    assert renderings("公安部") == {"ministry of public security": False}
    assert renderings("个人信息").get("personal information") is False
    assert renderings("网络空间").get("cyberspace") is False
    # neighbours caught in after a plural ("public security organs organized") fold into it
    assert list(renderings("公安机关")) == ["public security organs"]


def test_termhood_ranks_domain_terms_above_common_words() -> None:
    pairs = seed_pairs()
    ranked = sorted(pairs, key=lambda z: -pairs[z].termhood)
    for term in ("猫池", "网络水军", "公安机关"):
        assert ranked.index(term) < 25, (term, ranked[:25])
    for common in ("工作", "发展", "进行", "我们"):
        assert common not in pairs or ranked.index(common) > 100


def test_literal_rule() -> None:
    assert is_literal("水军", "water army")  # 水军 is "navy; paid poster"
    assert not is_literal("公安机关", "public security organs")  # word by word, not chars
    assert not is_literal("孙平", "Sun Ping")  # a name in pinyin
    assert not is_literal("海军", "navy")
    # a leading character's own gloss in a compound no dictionary has; a trailing one is a
    # suffix rendered as it should be
    assert is_literal("黑设备", "black equipment")
    assert not is_literal("数据安全法", "data security law")


def test_pairs_merge_into_candidates_and_meet_the_glossary() -> None:
    english = [document_phrases(read_document(str(SEEDS / n))) for n in NAMES]
    path = Path(__file__).parent.parent / "data" / "extract" / "_tmp_terms.csv"
    g = terms.parse("id,zh,preferred,admitted,deprecated,status,category,note\n"
                    "four-breaks,四断,campaign to cut off the four tools,,,approved,campaign,\n",
                    str(path))
    plain = extract(english, g)
    merged = with_pairs(plain, list(seed_pairs().values()), g)
    water = next(c for c in merged if c.suggested_zh == "网络水军")
    assert water.signals.get("aligned_literal") == 1.0
    before = next(c for c in plain if water.key in (c.keys or [c.key]))
    assert water.score > before.score  # the source is extra evidence
    breaks = next(c for c in merged if c.signals.get("zh_term") == "四断")
    assert (breaks.status, breaks.known_concept) == ("variant", "four-breaks")
    assert [c.score for c in merged] == sorted((c.score for c in merged), reverse=True)


def test_a_known_rendering_cut_short_proposes_no_variant() -> None:
    """The aligner once caught only "public security" of "Ministry of Public Security" (公安部,
    unseen 103): the term's renderings are the glossary's, nothing to propose. A rendering
    with a word of its own is a variant."""
    g = terms.parse("id,zh,preferred,admitted,deprecated,status,category,note\n"
                    "mps,公安部,Ministry of Public Security,MPS,,approved,organization,\n", "g.csv")

    def status(*renderings: tuple[str, int]) -> str:
        pair = TermPair("公安部", 4, 1, 30.0, [Rendering(t, n, False) for t, n in renderings], [])
        return with_pairs([], [pair], g)[0].status

    assert status(("Ministry of Public Security", 3), ("public security", 1)) == "known"
    assert status(("Ministry of Public Security said", 1),
                  ("Ministry of Public Security", 3)) == "known"
    assert status(("Ministry of Public Security", 3),
                  ("Public Security Department", 1)) == "variant"
    name = "103-elderly-fraud-crackdown-2023.txt"
    en, zh = unseen_pair(name)
    shipped = terms.load(str(Path(__file__).resolve().parents[2] / "terms.csv"))
    paired = with_pairs(extract([document_phrases(en)], shipped),
                        pair_terms([bilingual_document(zh, en)]), shipped)
    assert not [c.key for c in paired if c.known_concept == "ministry-public-security"
                and c.status == "variant"]


def test_consistent_correct_terms_rank_below_bad_renderings() -> None:
    """A term rendered one way by a phrase is proposed (a glossary entry), but below every
    candidate with evidence of a bad rendering: "public security organs" is not a calque
    however often 公安机关 occurs, nor do the terms it is part of add up its score."""
    english = [document_phrases(read_document(str(SEEDS / n))) for n in NAMES]
    merged = with_pairs(extract(english), list(seed_pairs().values()))
    by_key = {c.key: c for c in merged}
    # quotes around English only list; a literal rendering English says anyway is a third
    # of the evidence (JOINED_LITERAL)
    evident = [c.score for c in merged
               if (c.signals.get("aligned_literal") == 1.0 or "quoted" in c.signals)
               and "common_english" not in c.signals]
    for term in ("public security organ", "ministry of public security"):
        assert by_key[term].score < min(evident), term
        assert merged.index(by_key[term]) >= 50
    assert seed_pairs()["全国公安机关"].distinct_renderings() == 1  # "across"/"throughout"
    assert seed_pairs()["网络犯罪"].distinct_renderings() >= 2  # "cyber crime"/"online crimes"


def test_a_rendering_that_is_common_english_ranks_below_one_that_is_not() -> None:
    """Among consistent renderings (no literal gloss, no second rendering), those whose word
    pairs are common web English ("air quality" for 空气质量) are likely right, so they come
    after the ones English does not say ("nail spirit" for 钉钉子精神, "dark pipe" 暗管)."""
    en, zh = unseen_pair("104-ecological-inspection-2022.txt")
    paired = with_pairs(extract([document_phrases(en)]), pair_terms([bilingual_document(zh, en)]))
    by_zh = {c.suggested_zh: c for c in paired if c.suggested_zh}
    ordinary = [by_zh[t] for t in ("空气质量", "监测数据")]
    odd = [by_zh[t] for t in ("钉钉子精神", "暗管偷排")]
    assert all(c.signals.get("common_english") == 1.0 for c in ordinary)
    assert not any("common_english" in c.signals for c in odd)
    assert max(c.score for c in ordinary) < min(c.score for c in odd)
    assert max(map(paired.index, odd)) < min(map(paired.index, ordinary))
    # words English never joins ("nail spirit") go up as common ones go down
    assert all("unusual_pair" in c.signals for c in odd)
    consistent = [c for c in paired if "zh_term" in c.signals and not set(c.signals) - {
        "zh_term", "docs", "count", "unusual_pair", "common_english"}]
    tiers = [[c.score for c in consistent if flag in c.signals]
             for flag in ("unusual_pair", "common_english")]
    plain = [c.score for c in consistent
             if not {"unusual_pair", "common_english"} & c.signals.keys()]
    assert all(len(t) >= 5 for t in (*tiers, plain))
    assert statistics.median(tiers[0]) > statistics.median(plain) > statistics.median(tiers[1])


def test_a_name_the_source_does_not_flag_lists_below_consistent_terms() -> None:
    """With the source read, a Title Case name that no zh term's rendering flags (not
    literal, not rendered two ways) is most likely right: it lists at UNFLAGGED_NAME, below
    a term rendered consistently by words English never joins. A name the source flags, one
    with other evidence, and one in a document whose source was not read keep their score."""
    from glossary.extract.bilingual import TERM_ONLY, UNFLAGGED_NAME
    from glossary.extract.score import TITLE_WEIGHT, Candidate, Form

    def name(key: str, text: str, path: str, **more: float) -> Candidate:
        return Candidate(key, TITLE_WEIGHT + sum(more.values()), [Form(text, 1, 1)],
                         {"title_case": 1.0, **more, "docs": 1.0, "count": 1.0},
                         [(path, 3, f"Later the {text} met.")], keys=[key])

    given = [name("civil affairs bureau", "Civil Affairs Bureau", "a.txt"),
             name("human society bureau", "Human Society Bureau", "a.txt"),
             name("blue sky guard", "Blue Sky Guard", "a.txt", quoted=3.0),
             name("state council", "State Council", "b.txt")]
    pairs = [TermPair("人社局", 1, 1, 30.0, [Rendering("Human Society Bureau", 1, True)],
                      [("a.txt", 3, "Later the Human Society Bureau met.")]),
             TermPair("暗管", 2, 1, 40.0, [Rendering("dark pipe", 2, False)],
                      [("a.txt", 5, "A dark pipe was found.")])]
    merged = {c.key: c for c in with_pairs(given, pairs)}
    assert merged["civil affairs bureau"].score == UNFLAGGED_NAME == TERM_ONLY / 2
    assert merged["dark pipe"].score > UNFLAGGED_NAME  # consistent, English never says it
    assert merged["human society bureau"].score > TITLE_WEIGHT  # literal: flagged
    assert merged["blue sky guard"].score == TITLE_WEIGHT + 3.0
    assert merged["state council"].score == TITLE_WEIGHT  # b.txt had no source
    assert given[0].score == TITLE_WEIGHT  # inputs untouched
    # on an unseen document with its source: every name alone is at the floor
    en, zh = unseen_pair("104-ecological-inspection-2022.txt")
    alone = extract([document_phrases(en)])
    paired = with_pairs(alone, pair_terms([bilingual_document(zh, en)]))
    names = [c for c in paired if set(c.signals) - {"docs", "count"} <= {
        "title_case", "common_english"} and "title_case" in c.signals]
    assert len(names) >= 3
    assert all(c.score == UNFLAGGED_NAME for c in names)
    assert {c.key for c in names} <= {c.key for c in alone if c.score >= TERM_ONLY}


def test_an_inconsistently_rendered_term_keeps_its_own_candidate() -> None:
    """人民群众 is rendered "people" and "masses": a candidate of its own with both forms, even
    though 犯罪嫌疑人, ranked first, was once rendered "people" too (a stray rendering owns
    nothing); a one-word rendering of a short term (打击 "crack") proposes nothing."""
    english = [document_phrases(read_document(str(SEEDS / n))) for n in NAMES]
    merged = with_pairs(extract(english), list(seed_pairs().values()))
    public = next(c for c in merged if c.suggested_zh == "人民群众")
    assert {"people", "masses"} <= {f.text for f in public.forms}
    assert public.signals.get("zh_renderings", 0) >= 2
    assert not any(c.suggested_zh == "打击" for c in merged)


def test_two_candidates_rendering_one_term_become_one() -> None:
    """黑产 rendered "black industries" and "black products": the two English candidates are
    one concept, one candidate with both forms; a rendering sharing no word with them
    ("people", a stray alignment) keeps its own candidate, and the inputs stay as they were."""
    from glossary.extract.bilingual import Rendering
    from glossary.extract.score import Candidate, Form

    def cand(key: str, text: str, score: float) -> Candidate:
        return Candidate(key, score, [Form(text, 2, 1)], {"shared_modifier": "black"},
                         [("a.txt", 1, text)], keys=[key])

    given = [cand("black industry", "black industries", 2.0),
             cand("black product", "black products", 1.5), cand("people", "people", 1.0)]
    pair = TermPair("黑产", 5, 1, 30.0, [Rendering("black industries", 3, True),
                                          Rendering("black products", 1, True),
                                          Rendering("people", 1, False)], [])
    merged = with_pairs(given, [pair])
    black = next(c for c in merged if c.key == "black industry")
    assert {f.text for f in black.forms} == {"black industries", "black products"}
    assert set(black.keys) == {"black industry", "black product"}
    assert not any(c.key == "black product" for c in merged)
    assert any(c.key == "people" for c in merged)
    assert [f.text for f in given[0].forms] == ["black industries"]  # inputs untouched
    assert given[0].keys == ["black industry"] and len(given[0].contexts) == 1
    # on the seeds too
    english = [document_phrases(read_document(str(SEEDS / n))) for n in NAMES]
    seeds = with_pairs(extract(english), list(seed_pairs().values()))
    industry = [c for c in seeds if "black industry" in (c.keys or [c.key])
                or "black product" in (c.keys or [c.key])]
    assert len(industry) == 1


def test_cli_bilingual_json(tmp_path: Path) -> None:
    for n in NAMES:
        shutil.copy(SEEDS / n, tmp_path / n)
    result = run_cli("extract", *NAMES, "--source", str(SEEDS / "zh"), "--format", "json",
                     "--include-known", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    water = next(d for d in data if d["suggested_zh"] == "网络水军")
    assert data.index(water) < 10
    assert water["signals"]["aligned_literal"] == 1.0


def test_cli_source_without_english_namesake(tmp_path: Path) -> None:
    en = tmp_path / "a.txt"
    en.write_text("The network water army was fought.\n", encoding="utf-8")
    zh = tmp_path / "zh"
    zh.mkdir()
    (zh / "b.txt").write_text("打击网络水军。\n", encoding="utf-8")
    result = run_cli("extract", str(en), "--source", str(zh), cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "b.txt: no English file pairs with this source" in result.stderr
    assert "no source file pairs with an English file" in result.stderr.splitlines()[-1]
    assert_one_line_error(run_cli("extract", str(en), "--source", str(zh / "b.txt"),
                                  cwd=tmp_path), "b.txt", "no English file")


def test_cli_source_that_is_not_chinese(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("The network water army was fought.\n", encoding="utf-8")
    (tmp_path / "zh").mkdir()
    (tmp_path / "zh" / "a.txt").write_text("Not Chinese at all.\n", encoding="utf-8")
    assert_one_line_error(run_cli("extract", "a.txt", "--source", "zh", cwd=tmp_path),
                          "a.txt", "no Chinese text")


def test_bilingual_document_on_tiny_pair() -> None:
    doc = bilingual_document(Document.from_text("打击网络水军。关停猫池。\n", "zh.txt"),
                             Document.from_text("Crack down on the network water army. Shut "
                                                "down cat pools.\n", "en.txt"))
    assert doc.counts["网络水军"] == 1 and len(doc.units) >= 1


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
@pytest.mark.parametrize("quiet", [False, True])
def test_aligning_shows_a_progress_bar_on_a_terminal_unless_told_not_to(
        tmp_path: Path, quiet: bool) -> None:
    """Aligning the pairs takes seconds: a bar on a terminal's stderr; --no-progress (for
    logs and CI) turns it off like every other bar."""
    (tmp_path / "zh").mkdir()
    for n in NAMES:  # four pairs, so the run lasts over the bar's one-second delay
        for copy in ("", "b-"):
            shutil.copy(SEEDS / "zh" / n, tmp_path / "zh" / f"{copy}{n}")
            shutil.copy(SEEDS / n, tmp_path / f"{copy}{n}")
    code, out, err = run_cli_on_terminal(
        "extract", str(tmp_path), "--source", str(tmp_path / "zh"), "--format", "json",
        *(["--no-progress"] if quiet else []), tmp=tmp_path)
    assert code == 0, err
    assert json.loads(out)  # stdout is only the JSON
    assert ("aligning" in err) is not quiet
