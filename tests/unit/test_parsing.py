"""Answer parsing: free German text -> canonical slot values (career_quiz/parsing.py).
Merging into earlier answers, corrections and button payloads: test_answers.py.
"""

from __future__ import annotations

import pytest

from career_quiz.answers import merge_answers
from career_quiz.contract import clean_languages, clean_task, clean_training
from career_quiz.parsing import MAX_PARSE_CHARS
from tests.helpers import slots_for

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
    # Abbreviations and degree titles (issue 8).
    ("M.Sc. Wirtschaftsinformatik", ["degree"]),
    ("Dipl.-Kffr. (FH)", ["degree"]),
    ("Dipl.-Kfm.", ["degree"]),
    ("B.A. Germanistik", ["degree"]),
    ("Kffr. für Büromanagement", ["office"]),
    ("Industriekauffrau (IHK)", ["commercial_other"]),
    # Typos in a main title land in its category.
    ("Steuerfachangestelte", ["finance_hr_it"]),
    ("Fachinformatikr", ["finance_hr_it"]),
    # Negation in its usual forms means no training; "weiß nicht" is never none.
    ("Weder Lehre noch Uni", ["none"]),
    ("Ich habe nie eine Ausbildung gemacht", ["none"]),
    ("kein Studium, auch keine Lehre", ["none"]),
    ("Ausbildung abgebrochen", ["none"]),
    ("keine Ahnung", []),
    ("weiß ich grad nicht", []),
    # An unknown training reads its category from context.
    ("Ausbildung zur Tierpflegerin", ["other"]),
    ("Ausbildung als Kauffrau für Kurierdienste", ["commercial_other"]),
    # FAQ words in a statement do not hide the answer.
    ("IHK-Abschluss als Industriekauffrau, danach im Sekretariat gearbeitet", ["commercial_other"]),
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
    # ISO codes with CEFR levels, negation per language, native levels (issue 8).
    ("ES B2, IT A2", ["es:good", "it:basic"]),
    ("EN C1, FR B1", ["en:fluent", "fr:good"]),
    ("Englisch: keine. Französisch fließend", ["fr:fluent"]),
    ("Italienisch leider gar nicht, Englisch gut", ["en:good"]),
    ("Englisch auf Muttersprachniveau", ["en:native"]),
    ("zweisprachig aufgewachsen mit Spanisch", ["es:native"]),
    ("Englisch a bissl", ["en:basic"]),
    ("Fransösisch gut", ["fr:good"]),
    # Visitor findings (visit6): "geht so" and "bisl" are basic, "fluent" is fluent.
    ("englisch geht so, französisch gut", ["en:basic", "fr:good"]),
    ("franzözisch bisl", ["fr:basic"]),
    ("English fluent", ["en:fluent"]),
    # Non-native German is listed, also after the mother tongue in one sentence.
    (
        "Russisch ist meine Muttersprache und Deutsch spreche ich fließend",
        ["ru:native", "de:fluent"],
    ),
    ("Muttersprache Türkisch, außerdem Deutsch", ["tr:native", "de:good"]),
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
    # The variants' own words are answers here (issue 8).
    ("Fach-Backoffice", "specialist"),
    ("am liebsten Sekretariatsaufgaben", "assistance"),
    ("Projekte im Backoffice koordinieren", "projects"),
    ("Projektassistenz, also Pläne pflegen und Statusberichte schreiben", "projects"),
    ("Assistenz der Geschäftsleitung wäre ideal", "assistance"),
    # Compounds and descriptions without listed task words: the classifier.
    ("Reisekostenabrechnung und Fuhrparkverwaltung", "specialist"),
    ("Lieferantenverträge prüfen", "specialist"),
    ("interne IT-Betreuung", "specialist"),
    (
        "die administrative Betreuung der bestehenden Geschäftsverbindungen in Tschechien",
        "specialist",
    ),
    ("Ist mir egal", "unsure"),
    # Abbreviations and descriptions without cue words (the classifier's examples).
    ("Fibu und Lohn", "specialist"),
    ("Debitoren und Kreditoren", "specialist"),
    ("Schadenregulierung bei einer Versicherung", "specialist"),
    ("Ich bringe gern den Rechner der Kollegen wieder zum Laufen", "specialist"),
    ("Zeitplan und Budget eines Vorhabens nachhalten", "projects"),
    # Refusals: what is said no to does not count.
    ("Bloß keine Buchhaltung, lieber Besucher empfangen", "assistance"),
    ("Telefon und Empfang sind nicht so meins, Zahlen schon", "specialist"),
    ("Lieber Projekte als Sekretariat", "projects"),
]


@pytest.mark.parametrize("text,expected", TASK_CASES)
def test_task_answers(parser, text, expected):
    assert slots_for(parser, text, "task_preference")["task_preference"] == expected


def test_an_answer_with_a_question_keeps_the_answer_and_the_question(parser):
    parsed = parser.parse("Ich bin Bankkauffrau – brauche ich dafür ein Studium?", "training")
    assert merge_answers({}, parsed, "training") == {"training": ["bank_insurance"]}
    assert parsed.question == "brauche ich dafür ein Studium?"


@pytest.mark.parametrize(
    "text",
    [
        "Brauche ich ein Studium?",
        "Was heißt verhandlungssicher?",
        "Reicht Englisch B2 für das Sekretariat",
        "Muss man dafür Buchhaltung können",
    ],
)
def test_a_question_is_no_answer(parser, text):
    for slot in ("training", "languages", "task_preference"):
        parsed = parser.parse(text, slot)
        assert merge_answers({}, parsed, slot) == {}, (text, slot)
        assert parsed.asks


def test_a_hesitant_answer_with_question_mark_is_an_answer(parser):
    parsed = parser.parse("Bankkauffrau?", "training")
    assert parsed.training == ["bank_insurance"] and parsed.question == ""


def test_two_fitting_work_preferences_ask_which(nlp):
    from career_quiz.lexicon import load_lexicon
    from career_quiz.parsing import MessageParser

    def split_vote(text):
        return {"assistance": 0.48, "specialist": 0.44, "projects": 0.04, "none": 0.04}

    parsed = MessageParser(nlp, load_lexicon(), split_vote).parse(
        "Teils dies, teils das", "task_preference"
    )
    assert parsed.task is None
    assert parsed.task_candidates == ["assistance", "specialist"]


def test_a_clear_vote_decides(nlp):
    from career_quiz.lexicon import load_lexicon
    from career_quiz.parsing import MessageParser

    parsed = MessageParser(
        nlp,
        load_lexicon(),
        lambda text: {"assistance": 0.1, "specialist": 0.8, "projects": 0.05, "none": 0.05},
    ).parse("Das, was im Hintergrund läuft", "task_preference")
    assert parsed.task == "specialist" and parsed.task_candidates == []


def test_a_sure_classifier_outweighs_a_single_cue_word(nlp):
    from career_quiz.lexicon import load_lexicon
    from career_quiz.parsing import MessageParser

    # "Termine" is an assistance cue word; the classifier read the whole answer.
    def sure_of_projects(text):
        return {"assistance": 0.03, "specialist": 0.01, "projects": 0.95, "none": 0.01}

    def unsure(text):
        return {"assistance": 0.25, "specialist": 0.1, "projects": 0.45, "none": 0.2}

    text = "Auf der Baustelle Termine abstimmen"
    lex = load_lexicon()
    assert MessageParser(nlp, lex, sure_of_projects).parse(text, "task_preference").task == (
        "projects"
    )
    # Unsure, the classifier leaves the decision to the cue word, as before.
    assert MessageParser(nlp, lex, unsure).parse(text, "task_preference").task == "assistance"


def test_several_answers_in_one_message(parser):
    text = "Ich bin Bankkauffrau, habe BWL studiert und spreche fließend Englisch"
    assert slots_for(parser, text) == {
        "training": ["bank_insurance", "degree"],
        "languages": ["en:fluent"],
    }


def test_all_three_answers_in_one_message(parser):
    text = (
        "Ich bin Industriekaufmann, spreche Englisch verhandlungssicher "
        "und arbeite am liebsten mit Zahlen"
    )
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
    for text in [
        "Blumenkohl",
        "What time is it?",
        "🙂🙂",
        "<script>alert(1)</script>",
        "'; DROP TABLE quiz_results; --",
    ]:
        assert parser.parse(text, "training").is_empty(), text


def test_long_message_is_cut_before_parsing(parser):
    text = "Bankkauffrau " + "bla " * 50_000
    parsed = parser.parse(text, "training")
    assert parsed.training == ["bank_insurance"]
    assert parser.parse("x" * (MAX_PARSE_CHARS + 10) + " Bankkauffrau", "training").training == []


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


@pytest.mark.parametrize(
    "text, training",
    [
        # Visitor finding (visit6): typed right after the greeting, it gave "Kauffrau"
        # (another commercial training); after "Quiz starten", both.
        ("Kauffrau fü Büromanagment", ["office"]),
        ("Kaufmann f. Versicherungen und Finanzen", ["bank_insurance"]),
    ],
)
def test_a_mistyped_title_is_read_outside_the_quiz_as_at_its_question(parser, text, training):
    assert parser.parse(text, None).training == training
    assert parser.parse(text, "training").training == training


def test_a_job_named_in_a_question_outside_the_quiz_is_no_training_by_a_typo(parser):
    # "teamassistenten" is one letter away from "teamassistentin": outside the quiz only
    # the later words of a title are corrected.
    parsed = parser.parse("hey, kannst du mir sagen was teamassistenten verdienen", None)
    assert parsed.training == []
