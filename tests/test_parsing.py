"""Answer parsing: free German text and button payloads -> canonical slot values."""

from __future__ import annotations

import pytest

from actions.parsing import (
    MAX_PARSE_CHARS,
    ParsedAnswers,
    clean_languages,
    clean_task,
    clean_training,
    merge_answers,
    parse_payload_entities,
    payload_entities,
)


def slots_for(parser, text, requested=None, current=None):
    return merge_answers(current or {}, parser.parse(text, requested), requested)


TRAINING_CASES = [
    # Office, both gender forms, predecessors and typos.
    ("Kauffrau für Büromanagement", ["office"]),
    ("Ich bin Kaufmann für Büromanagement", ["office"]),
    ("Bürokauffrau", ["office"]),
    ("Bürokaufmann", ["office"]),
    ("bürokaufrau", ["office"]),
    ("Kaufmann für Bürokommunikation", ["office"]),
    ("Fachangestellte für Bürokommunikation", ["office"]),
    ("Ich bin gelernte Sekretärin", ["office"]),
    ("Fremdsprachenkorrespondentin", ["office"]),
    ("Europasekretärin", ["office"]),
    ("Office Managerin (IHK)", ["office"]),
    # Bank and insurance, old and new titles.
    ("Bankkauffrau", ["bank_insurance"]),
    ("Bankkaufmann", ["bank_insurance"]),
    ("bankkaufrau", ["bank_insurance"]),
    ("Versicherungskaufmann", ["bank_insurance"]),
    ("Kauffrau für Versicherungen und Finanzen", ["bank_insurance"]),
    ("Sparkassenkauffrau", ["bank_insurance"]),
    # Finance, HR, IT.
    ("Steuerfachangestellte", ["finance_hr_it"]),
    ("Ich bin Bilanzbuchhalterin", ["finance_hr_it"]),
    ("Personaldienstleistungskauffrau", ["finance_hr_it"]),
    ("Informatikkaufmann", ["finance_hr_it"]),
    ("IT-System-Kauffrau", ["finance_hr_it"]),
    ("Kaufmann für Digitalisierungsmanagement", ["finance_hr_it"]),
    ("Fachinformatiker für Systemintegration", ["finance_hr_it"]),
    # Other commercial trainings, including unlisted ones caught by the suffix.
    ("Industriekauffrau", ["commercial_other"]),
    ("Einzelhandelskaufmann", ["commercial_other"]),
    ("Groß- und Außenhandelskauffrau", ["commercial_other"]),
    ("Speditionskaufmann", ["commercial_other"]),
    ("eine kaufmännische Ausbildung", ["commercial_other"]),
    # Degrees.
    ("Ich habe BWL studiert", ["degree"]),
    ("Bachelor in Germanistik", ["degree"]),
    ("Master of Arts", ["degree"]),
    ("Diplom-Kauffrau", ["degree"]),
    ("Staatsexamen Lehramt", ["degree"]),
    ("BWL-Studium", ["degree"]),
    # Non-commercial trainings and none.
    ("Erzieherin", ["other"]),
    ("Ich bin Krankenpfleger", ["other"]),
    ("Ausbildung als Tierpflegerin", ["other"]),
    ("keine Ausbildung", ["none"]),
    ("keine", ["none"]),
    ("Ich habe nur Abitur", ["none"]),
    ("kein Studium", ["none"]),
    ("Ich habe mein Studium abgebrochen", ["none"]),
    ("weiß nicht", []),
    # Several at once, in canonical order.
    ("Bankkauffrau und danach BWL studiert", ["bank_insurance", "degree"]),
    ("Bürokauffrau, später Bachelor", ["office", "degree"]),
]


@pytest.mark.parametrize("text,expected", TRAINING_CASES)
def test_training_answers(parser, text, expected):
    assert slots_for(parser, text, "training")["training"] == expected


LANGUAGE_CASES = [
    ("Englisch fließend", ["en:fluent"]),
    ("fließend Englisch", ["en:fluent"]),
    ("Englisch sehr gut", ["en:fluent"]),
    ("gutes Englisch", ["en:good"]),
    ("Englisch", ["en:good"]),
    ("Schulenglisch", ["en:basic"]),
    ("Englisch Grundkenntnisse", ["en:basic"]),
    ("Englisch nicht so gut", ["en:basic"]),
    ("Tschechisch verhandlungssicher", ["cs:business"]),
    ("Englisch C1, Französisch B2.", ["en:fluent", "fr:good"]),
    ("Spanisch A2", ["es:basic"]),
    ("Englisch C2", ["en:business"]),
    ("Russisch ist meine Muttersprache", ["ru:native"]),
    ("fließend Englisch und etwas Spanisch", ["en:fluent", "es:basic"]),
    ("Englisch, Französisch und Spanisch fließend", ["en:fluent", "fr:fluent", "es:fluent"]),
    ("Englisch fließend und Tschechisch verhandlungssicher", ["en:fluent", "cs:business"]),
    ("Englich fliesend", ["en:fluent"]),
    ("Meine Muttersprache ist Polnisch, Deutsch spreche ich gut", ["pl:native", "de:good"]),
    # German only.
    ("nur Deutsch", []),
    ("keine Fremdsprachen", []),
    ("keine", []),
    ("Deutsch", []),
    ("Tschechisch spreche ich nicht", []),
    ("Ich spreche kein Englisch", []),
    ("Tschechisch spreche ich nicht, aber Englisch gut", ["en:good"]),
]


@pytest.mark.parametrize("text,expected", LANGUAGE_CASES)
def test_language_answers(parser, text, expected):
    assert slots_for(parser, text, "languages")["languages"] == expected


TASK_CASES = [
    ("Ich organisiere gern Termine und unterstütze mein Team", "assistance"),
    ("Korrespondenz und Reiseplanung", "assistance"),
    ("Am liebsten plane und koordiniere ich Projekte", "projects"),
    ("Projektmanagement", "projects"),
    ("Zahlen und Buchhaltung", "specialist"),
    ("Lohnabrechnung und Personalwesen", "specialist"),
    ("IT-Support", "specialist"),
    ("Am liebsten IT", "specialist"),
    ("weiß nicht", "unsure"),
    ("keine Ahnung", "unsure"),
    ("Buchhaltung mag ich nicht, lieber Projekte", "projects"),
]


@pytest.mark.parametrize("text,expected", TASK_CASES)
def test_task_answers(parser, text, expected):
    assert slots_for(parser, text, "task_preference")["task_preference"] == expected


def test_several_answers_in_one_message(parser):
    text = "Ich bin Bankkauffrau, habe BWL studiert und spreche fließend Englisch"
    assert slots_for(parser, text) == {
        "training": ["bank_insurance", "degree"],
        "languages": ["en:fluent"],
    }


def test_all_three_answers_in_one_message(parser):
    text = ("Ich bin Industriekaufmann, spreche Englisch verhandlungssicher "
            "und arbeite am liebsten mit Zahlen")
    assert slots_for(parser, text) == {
        "training": ["commercial_other"],
        "languages": ["en:business"],
        "task_preference": "specialist",
    }


def test_task_words_without_preference_are_not_answers_when_not_asked(parser):
    # Describing a past job is not a preference.
    assert slots_for(parser, "Ich war zehn Jahre in der Buchhaltung") == {}


def test_lone_keine_only_answers_the_question_asked(parser):
    assert slots_for(parser, "keine") == {}
    assert slots_for(parser, "keine", "languages") == {"languages": []}


def test_unknown_text_gives_nothing(parser):
    for text in ["Blumenkohl", "What time is it?", "🙂🙂", "<script>alert(1)</script>", "'; DROP TABLE quiz_results; --"]:
        assert parser.parse(text, "training").is_empty(), text


def test_long_message_is_cut_before_parsing(parser):
    text = "Bankkauffrau " + "bla " * 50_000
    parsed = parser.parse(text, "training")
    assert parsed.training == ["bank_insurance"]
    assert parser.parse("x" * (MAX_PARSE_CHARS + 10) + " Bankkauffrau", "training").training == []


# -- corrections after the result ----------------------------------------

DONE = {"training": ["none"], "languages": ["en:good"], "task_preference": "assistance"}


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Ich habe doch studiert", {"training": ["degree"]}),
        ("Ich spreche auch Französisch fließend", {"languages": ["en:good", "fr:fluent"]}),
        ("Englisch spreche ich doch nicht", {"languages": []}),
        ("Eigentlich mag ich lieber Projekte", {"task_preference": "projects"}),
        ("Englisch sogar verhandlungssicher", {"languages": ["en:business"]}),
    ],
)
def test_corrections_merge_into_previous_answers(parser, text, expected):
    assert slots_for(parser, text, None, DONE) == expected


def test_correction_removes_a_training(parser):
    current = {"training": ["office", "degree"]}
    assert slots_for(parser, "Ich habe doch nicht studiert", None, current) == {
        "training": ["office"]
    }


def test_repeating_an_answer_changes_nothing(parser):
    assert slots_for(parser, "Ich spreche Englisch", None, DONE) == {}


# -- payloads --------------------------------------------------------------


@pytest.mark.parametrize(
    "payload,expected",
    [
        ('/inform{"training": "office"}', {"training": ["office"]}),
        ('/inform{"training": ["office", "degree"]}', {"training": ["office", "degree"]}),
        ('/inform{"training": "none"}', {"training": ["none"]}),
        ('/inform{"languages": []}', {"languages": []}),
        ('/inform{"languages": ["en:fluent", "cs:business"]}',
         {"languages": ["en:fluent", "cs:business"]}),
        ('/inform{"task_preference": "projects"}', {"task_preference": "projects"}),
        # Forged or malformed values set nothing.
        ('/inform{"training": "astronaut"}', {}),
        ('/inform{"languages": ["english:perfect"]}', {}),
        ('/inform{"task_preference": "boss"}', {}),
        ('/inform{"recommended_variant": "project_management"}', {}),
        ('/inform{"variant_scores": {"specialist": 100}}', {}),
        ("/inform{not json", {}),
        ('/inform["a", "b"]', {}),
        ("/start_quiz", {}),
    ],
)
def test_payloads(payload, expected):
    parsed = parse_payload_entities(payload_entities(payload))
    assert merge_answers({}, parsed, None) == expected


# -- defensive cleaning of slot values -----------------------------------------


def test_clean_functions_accept_only_canonical_values():
    assert clean_training(["degree", "office"]) == ["office", "degree"]
    assert clean_training(["office", "pilot"]) is None
    assert clean_training("office") is None
    assert clean_languages(["en:fluent", "en:fluent"]) == ["en:fluent"]
    assert clean_languages(["en"]) is None
    assert clean_languages([]) == []
    assert clean_task("projects") == "projects"
    assert clean_task("<b>") is None


def test_empty_parse_is_empty():
    assert ParsedAnswers().is_empty()
