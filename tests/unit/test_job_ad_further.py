"""What a job ad asks for beyond the quiz's questions (career_quiz/job_ad.py, `further`):
software, professional experience and a driving licence are read from the requirement
lines, named in the answer and never counted in the fit. A visitor who met the training
and language lines was told "Sie erfüllen alle Anforderungen der Anzeige" although the
ad also asked for SAP and five years of experience.
"""

from __future__ import annotations

import re

import pytest
import yaml

from career_quiz import job_ad
from career_quiz.contract import AD_REQUIREMENT_KEYS
from career_quiz.messages import labels
from tests.helpers import ROOT, make_tracker

ADS = yaml.safe_load((ROOT / "tests" / "data" / "job_ads_dev.yml").read_text(encoding="utf-8"))[
    "ads"
]
REQUIRED, PLUS = False, True

FINANCE_AD = """Back Office Assistant (m/w/d) Finanzbuchhaltung
Ihre Aufgaben:
- Kreditorenbuchhaltung und Zahlungsverkehr
- Kontenabstimmung und Mitarbeit beim Monatsabschluss in DATEV
Ihr Profil:
- Abgeschlossene kaufmännische Ausbildung
- Mindestens 5 Jahre Berufserfahrung in der Buchhaltung
- Sehr gute SAP-Kenntnisse
- Gute Englischkenntnisse
"""
FITS = {"training": ["office"], "languages": ["en:fluent"], "task_preference": "specialist"}


def _read(*lines: str):
    return [(f.kind, f.value, f.optional) for f in job_ad.read_further(list(lines))]


@pytest.fixture(scope="module")
def checker():
    return job_ad.default_checker()


# -- reading -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line,expected",
    [
        ("Sehr gute SAP-Kenntnisse", [("software", "sap", REQUIRED)]),
        ("Sicherer Umgang mit SAP S/4HANA", [("software", "sap", REQUIRED)]),
        (
            "Sicherer Umgang mit MS Office und Excel",
            [("software", "ms_office", REQUIRED), ("software", "excel", REQUIRED)],
        ),
        ("Gute Kenntnisse in DATEV oder SAP FI", [("software", "datev|sap", REQUIRED)]),
        ("Erfahrung mit ERP-Systemen", [("software", "erp", REQUIRED)]),
        ("Mehrjährige Berufserfahrung im Sekretariat", [("experience", "several", REQUIRED)]),
        ("Mehrere Jahre Berufserfahrung als Assistenz", [("experience", "several", REQUIRED)]),
        ("Langjährige Erfahrung in der Assistenz", [("experience", "many", REQUIRED)]),
        ("mind. 3 Jahre Erfahrung in der Buchhaltung", [("experience", "3", REQUIRED)]),
        ("Mindestens drei Jahre Berufserfahrung", [("experience", "3", REQUIRED)]),
        ("Berufserfahrung von mindestens 2 Jahren", [("experience", "2", REQUIRED)]),
        ("Berufserfahrung im Rechnungswesen (mind. 4 Jahre)", [("experience", "4", REQUIRED)]),
        ("2-3 Jahre Berufserfahrung im Personalwesen", [("experience", "2", REQUIRED)]),
        ("Zweijährige Berufserfahrung", [("experience", "2", REQUIRED)]),
        ("Mindestens ein Jahr Berufserfahrung", [("experience", "1", REQUIRED)]),
        ("Erste Berufserfahrung im Büro", [("experience", "first", REQUIRED)]),
        ("Berufserfahrung in der Kreditorenbuchhaltung", [("experience", "plain", REQUIRED)]),
        # Visitor finding (visit6 #11): experience with a tool is no work experience,
        # and a project-management certificate is named.
        ("Erste Erfahrung mit MS Project", [("software", "ms_project", REQUIRED)]),
        ("PRINCE2-Zertifikat", [("software", "prince2", REQUIRED)]),
        (
            "Erste Berufserfahrung mit SAP",
            [("software", "sap", REQUIRED), ("experience", "first", REQUIRED)],
        ),
        ("Führerschein Klasse B", [("driving_licence", "B", REQUIRED)]),
        ("Führerschein der Klasse B", [("driving_licence", "B", REQUIRED)]),
        ("PKW-Führerschein", [("driving_licence", "", REQUIRED)]),
    ],
)
def test_further_requirements_are_read_in_several_wordings(line, expected):
    assert _read(line) == expected


@pytest.mark.parametrize(
    "line,expected",
    [
        ("SAP-Kenntnisse wünschenswert", [("software", "sap", PLUS)]),
        ("Berufserfahrung ist von Vorteil", [("experience", "plain", PLUS)]),
        ("Erste Berufserfahrung wünschenswert", [("experience", "first", PLUS)]),
        ("Führerschein Klasse B wäre ein Plus", [("driving_licence", "B", PLUS)]),
        ("Berufserfahrung ist wünschenswert, aber nicht zwingend", [("experience", "plain", PLUS)]),
        (
            "Sehr gute MS-Office-Kenntnisse, SAP-Kenntnisse von Vorteil",
            [("software", "ms_office", REQUIRED), ("software", "sap", PLUS)],
        ),
        (
            "Sicherer Umgang mit MS Office (SAP von Vorteil)",
            [("software", "ms_office", REQUIRED), ("software", "sap", PLUS)],
        ),
        (
            "Kenntnisse in SAP, DATEV und Excel sind von Vorteil",
            [("software", "sap", PLUS), ("software", "datev", PLUS), ("software", "excel", PLUS)],
        ),
        (
            "Idealerweise Kenntnisse in SAP, DATEV und Excel",
            [("software", "sap", PLUS), ("software", "datev", PLUS), ("software", "excel", PLUS)],
        ),
        (
            "Idealerweise Erfahrung in der Buchhaltung, sehr gute Excel-Kenntnisse",
            [("software", "excel", REQUIRED)],
        ),
        (
            "Gute Kenntnisse gängiger Software (z. B. SAP, DATEV)",
            [("software", "sap", REQUIRED), ("software", "datev", REQUIRED)],
        ),
    ],
)
def test_optional_markers_make_a_point_a_plus_for_its_clause_only(line, expected):
    assert _read(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "Erfahrung mit Kunden wünschenswert",  # no years and no professional experience
        "Erfahrung im Umgang mit schwierigen Gesprächspartnern",
        "Eine 3-jährige Ausbildung als Kauffrau für Büromanagement",
        "Befristet für zwei Jahre, Erfahrung willkommen",
        "Sie arbeiten gern mit Sapphire-Kunden und der Gesapo zusammen",  # SAP inside words
        "Erfahrung im Back Office und im Office Management",  # Office alone is no software
        "Gute Englischkenntnisse in Wort und Schrift",  # "Wort" is no Word
        "Exzellente Umgangsformen und Excellence im Service",
        "Auch Berufseinsteiger ohne Berufserfahrung sind willkommen",
        "SAP-Kenntnisse sind keine Voraussetzung",
        "Berufserfahrung ist nicht erforderlich",
        "Ein Führerschein ist nicht notwendig",
    ],
)
def test_what_is_no_further_requirement_is_not_read(line):
    assert _read(line) == []


def test_each_point_is_named_once_and_a_required_mention_beats_a_plus():
    lines = [
        "SAP-Kenntnisse von Vorteil",
        "Sicherer Umgang mit Excel und SAP",
        "Erste Berufserfahrung wünschenswert",
        "Mindestens 2 Jahre Berufserfahrung",
        "Mehrjährige Erfahrung im Sekretariat ist ein Plus",
        "Führerschein wünschenswert",
        "Führerschein Klasse B",
    ]
    assert _read(*lines) == [
        ("software", "sap", REQUIRED),
        ("software", "excel", REQUIRED),
        ("experience", "2", REQUIRED),
        ("driving_licence", "B", REQUIRED),
    ]


def test_only_the_requirement_lines_are_read(checker):
    # Software in the tasks ("Monatsabschluss in DATEV") is work, not a requirement.
    analysis = checker.analyse(FINANCE_AD)
    assert [(f.kind, f.value) for f in analysis.further] == [
        ("software", "sap"),
        ("experience", "5"),
    ]
    # An ad in running text: software only where a clause asks for knowledge of it.
    prose = (
        "Teamassistenz (m/w/d) Vertrieb\n\nSie koordinieren Termine, bestellen Material über "
        "SAP und organisieren Dienstreisen. Sie verfügen über eine kaufmännische Ausbildung, "
        "mehrere Jahre Berufserfahrung und gute Excel-Kenntnisse.\n\n"
        "Wir bieten: Erfahrung in SAP-Schulungen, ein Jobticket und 30 Tage Urlaub.\n"
    )
    assert [(f.kind, f.value) for f in job_ad.further_of_ad(prose)] == [
        ("software", "excel"),
        ("experience", "several"),
    ]


@pytest.mark.parametrize("ad", ADS, ids=[a["id"] for a in ADS])
def test_the_text_alone_reads_what_the_analysis_reads(checker, ad):
    # After the quiz only the slots and the conversation are left (actions/job_ad.py).
    analysis = checker.analyse(ad["text"])
    assert job_ad.further_of_ad(ad["text"]) == analysis.further
    assert tuple(analysis.requirements()) == AD_REQUIREMENT_KEYS  # the slot stays as it was


def test_the_word_lists_are_data_and_complete():
    data = yaml.safe_load((ROOT / "data" / "knowledge" / "job_ad.yml").read_text("utf-8"))
    further = data["further"]
    assert len(further["software"]) <= 15  # short and real
    for key, entry in further["software"].items():
        assert entry["label"] and entry["words"], key
        assert all(w == w.lower() for w in entry["words"]), key
        assert "office" not in entry["words"], key  # "Back Office" is no software
    experience = data["texts"]["further"]["experience"]
    assert set(further["experience_qualifiers"].values()) <= set(experience)


# -- rendering -----------------------------------------------------------------------


def _further(*items):
    return [job_ad.Further(kind, value, optional) for kind, value, optional in items]


def _analysis(items, languages=None):
    return job_ad.analysis_from_requirements(
        {
            "training": ["office", "bank_insurance", "finance_hr_it", "commercial_other"],
            "degree_required": False,
            "languages": languages if languages is not None else ["en:good"],
        },
        "specialist",
        _further(*items),
    )


def _comparison_text(analysis, answers=FITS):
    comparison = job_ad.compare(analysis.requirements(), answers, analysis.variant)
    return comparison, job_ad.render_comparison(analysis, comparison, labels(), "specialist")


def test_a_fitting_profile_is_not_told_it_meets_all_requirements(checker):
    analysis = checker.analyse(FINANCE_AD)
    comparison, text = _comparison_text(analysis)
    assert comparison.fit == "fits"  # named, not counted
    assert "alle Anforderungen der Anzeige" not in text
    assert "alle Anforderungen, die ich anhand des Quiz prüfen kann" in text
    line = next(t for t in text.splitlines() if t.startswith("Außerdem verlangt"))
    assert line == (
        "Außerdem verlangt die Anzeige: SAP-Kenntnisse, mindestens 5 Jahre Berufserfahrung. "
        "Danach habe ich im Quiz nicht gefragt; prüfen Sie diese Punkte bitte selbst."
    )
    assert "Lücken" not in text  # no made-up advice on how to learn SAP


def test_the_comparison_gets_one_line_more_and_no_figures_of_its_own():
    plain, with_further = _analysis([]), _analysis([("software", "sap", REQUIRED)])
    _, before = _comparison_text(plain)
    _, after = _comparison_text(with_further)
    assert len(after.splitlines()) == len(before.splitlines()) + 1
    assert "alle Anforderungen der Anzeige" in before and "Außerdem" not in before
    added = set(after.splitlines()) - set(before.splitlines())
    assert not any(re.search(r"\d", line) for line in added)
    # A gap elsewhere: the verdict counts the quiz's items only, the line names the rest.
    comparison, text = _comparison_text(with_further, {**FITS, "languages": []})
    assert comparison.fit == "partly" and "(1 von 2)" in text and "SAP-Kenntnisse" in text


def test_a_plus_is_named_as_a_plus_and_keeps_the_verdict():
    analysis = _analysis([("software", "datev", PLUS), ("driving_licence", "B", PLUS)])
    comparison, text = _comparison_text(analysis)
    assert comparison.fit == "fits"
    assert "Sie erfüllen alle Anforderungen der Anzeige." in text
    assert (
        "Von Vorteil wären laut Anzeige außerdem: DATEV-Kenntnisse, Führerschein Klasse B. "
        "Danach habe ich im Quiz nicht gefragt" in text
    )
    both = _analysis([("experience", "several", REQUIRED), ("software", "datev", PLUS)])
    _, text = _comparison_text(both)
    assert (
        "Außerdem verlangt die Anzeige: mehrjährige Berufserfahrung; "
        "von Vorteil wären: DATEV-Kenntnisse." in text
    )


@pytest.mark.parametrize(
    "items,words",
    [
        (
            [("software", "sap", REQUIRED), ("software", "datev", REQUIRED)]
            + [("software", "excel", REQUIRED)],
            "SAP-, DATEV- und Excel-Kenntnisse",
        ),
        (
            [("software", "ms_office", REQUIRED), ("software", "datev|sap", REQUIRED)],
            "MS-Office-Kenntnisse, DATEV- oder SAP-Kenntnisse",
        ),
        ([("experience", "1", REQUIRED)], "mindestens 1 Jahr Berufserfahrung"),
        ([("experience", "first", REQUIRED)], "erste Berufserfahrung"),
        ([("experience", "many", REQUIRED)], "langjährige Berufserfahrung"),
        ([("driving_licence", "", REQUIRED)], "Führerschein"),
    ],
)
def test_points_are_named_in_german(items, words):
    _, text = _comparison_text(_analysis(items))
    assert f"Außerdem verlangt die Anzeige: {words}." in text


def test_the_analysis_lists_them_unless_the_comparison_follows(checker):
    analysis = checker.analyse(FINANCE_AD)
    text = job_ad.render_analysis(analysis, labels())
    assert (
        "- Weitere Anforderungen (im Quiz nicht abgefragt): SAP-Kenntnisse, mindestens 5 Jahre "
        "Berufserfahrung" in text.splitlines()
    )
    assert "im Quiz nicht abgefragt" not in job_ad.render_analysis(
        analysis, labels(), further=False
    )
    plus = job_ad.render_analysis(_analysis([("software", "datev", PLUS)]), labels())
    assert "- Von Vorteil (im Quiz nicht abgefragt): DATEV-Kenntnisse" in plus.splitlines()


def test_other_work_with_unchecked_points_claims_only_what_was_checked():
    analysis = _analysis([("experience", "3", REQUIRED)])
    answers = {**FITS, "task_preference": "assistance"}
    comparison, text = _comparison_text(analysis, answers)
    assert comparison.fit == "partly"
    assert "Die Anforderungen, die ich anhand des Quiz prüfen kann, erfüllen Sie." in text
    assert "Die Anforderungen der Anzeige erfüllen Sie" not in text
    assert "Dazu kommt" not in text  # the work is said once


def test_the_short_fit_line_says_so_too():
    assert job_ad.fit_line("fits", False) == (
        "Der Abgleich mit der Stellenanzeige bleibt: Die Stelle passt zu Ihnen."
    )
    assert "soweit ich es anhand des Quiz prüfen kann" in job_ad.fit_line("fits", True, True)
    assert job_ad.fit_line("partly", False, True) == job_ad.fit_line("partly", False)


# -- the actions ---------------------------------------------------------------------


def _run(action, tracker):
    import asyncio

    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, {}))
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    return slots, [m["text"] for m in dispatcher.messages if m.get("text")]


def test_an_ad_pasted_after_the_quiz_names_the_points_once():
    from actions.job_ad import ActionCheckJobAd

    tracker = make_tracker(slots=FITS, text=FINANCE_AD, intent="job_ad")
    slots, messages = _run(ActionCheckJobAd(), tracker)
    assert slots["ad_fit"] == "fits"
    assert tuple(slots["ad_requirements"]) == AD_REQUIREMENT_KEYS
    assert "im Quiz nicht abgefragt" not in messages[0]  # the comparison names them
    assert "Außerdem verlangt die Anzeige: SAP-Kenntnisse" in messages[1]
    assert "alle Anforderungen, die ich anhand des Quiz prüfen kann" in messages[1]
    # Without the answers the analysis names them (the comparison comes later).
    _, messages = _run(ActionCheckJobAd(), make_tracker(text=FINANCE_AD, intent="job_ad"))
    assert "im Quiz nicht abgefragt): SAP-Kenntnisse" in messages[0]


def _conversation_with_ad(*later):
    """Events of a conversation where the finance ad was checked, then `later` messages."""
    requirements = {
        "training": ["office", "bank_insurance", "finance_hr_it", "commercial_other"],
        "degree_required": False,
        "languages": ["en:good"],
    }
    events = [
        {"event": "user", "text": "Hallo"},
        {"event": "user", "text": FINANCE_AD},
        {"event": "action", "name": "action_check_job_ad"},
        {"event": "slot", "name": "ad_variant", "value": "specialist"},
        {"event": "slot", "name": "ad_requirements", "value": requirements},
    ]
    events += [{"event": "user", "text": text} for text in later]
    slots = {
        **FITS,
        "ad_variant": "specialist",
        "ad_requirements": requirements,
        "ad_compare_pending": True,
        "recommended_variant": "specialist",
    }
    return slots, events


def test_the_comparison_after_the_quiz_reads_the_points_from_the_ad_on_file():
    from actions.job_ad import ActionAnswerFitQuestion, ActionCompareJobAd

    slots, events = _conversation_with_ad("/inform", "Passt diese Stelle zu mir?")
    stored, messages = _run(ActionCompareJobAd(), make_tracker(slots=slots, events=events))
    assert stored["ad_fit"] == "fits"
    assert "Außerdem verlangt die Anzeige: SAP-Kenntnisse" in messages[0]
    kept = {**slots, "ad_fit": "fits"}
    _, messages = _run(ActionCompareJobAd(), make_tracker(slots=kept, events=events))
    assert messages == [job_ad.fit_line("fits", False, True)]
    _, messages = _run(ActionAnswerFitQuestion(), make_tracker(slots=kept, events=events))
    assert "alle Anforderungen, die ich anhand des Quiz prüfen kann" in messages[0]


def test_the_ad_on_file_is_the_message_before_the_latest_requirements():
    from actions.job_ad import _ad_text

    _, events = _conversation_with_ad("Noch eine Frage")
    assert _ad_text(make_tracker(events=events)) == FINANCE_AD
    events += [
        {"event": "user", "text": ADS[0]["text"]},
        {"event": "slot", "name": "ad_requirements", "value": {"training": []}},
    ]
    assert _ad_text(make_tracker(events=events)) == ADS[0]["text"]
    assert _ad_text(make_tracker(text="Hallo")) == ""
