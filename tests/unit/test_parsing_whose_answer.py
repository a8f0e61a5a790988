"""Words that name a training, a language or work without answering for the visitor
(career_quiz/parsing.py, cues in data/knowledge/lexicon.yml): someone else's training, a
plan, what a job ad asks for, and a side remark beside a question at the work question.
"""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text",
    [
        "meine schwester hat ihre ausbildung zur bankkauffrau in kroatien gemacht. "
        "wer prüft denn ob das gleichwertig ist?",
        "Mein Sohn macht nächstes Jahr Abi und will danach studieren. Gibt es eine Seite für ihn?",
        "Mein Mann ist Industriekaufmann. Verdient man im Backoffice mehr?",
    ],
)
def test_someone_elses_training_is_no_answer(parser, text):
    parsed = parser.parse(text, "training")
    assert not parsed.training and not parsed.no_training
    assert parsed.question


@pytest.mark.parametrize(
    "text, training",
    [
        ("Ich bin Bankkauffrau wie meine Mutter.", ["bank_insurance"]),
        ("Bankkauffrau. Meine Schwester ist Friseurin.", ["bank_insurance"]),
    ],
)
def test_the_visitors_own_training_stays_beside_someone_else(parser, text, training):
    assert parser.parse(text, "training").training == training


def test_a_training_planned_in_an_infinitive_clause_is_not_finished(parser):
    parsed = parser.parse(
        "Ich bin MFA und überlege, noch eine Büroausbildung dranzuhängen. "
        "Wird meine erste Ausbildung da angerechnet?",
        "training",
    )
    assert parsed.training == ["other"]


@pytest.mark.parametrize(
    "text, languages",
    [
        (
            "Was bedeutet verhandlungssicher? Steht bei Spanisch in einer Anzeige, "
            "die mich interessiert.",
            {},
        ),
        ("Englisch B2, in der Anzeige steht aber C1", {"en": "good"}),
        ("In der Stellenanzeige steht C1, ich habe B2 in Englisch", {"en": "good"}),
        ("Ich spreche Spanisch fließend", {"es": "fluent"}),
    ],
)
def test_what_a_job_ad_asks_for_is_not_the_visitors_level(parser, text, languages):
    assert parser.parse(text, "languages").languages == languages


@pytest.mark.parametrize(
    "text",
    [
        "wie lange muss ich auf den bescheid warten? brauch den für ne bewerbung im sommer",
        "Gibt es da Homeoffice? Frage für eine Freundin.",
        # A whole sentence of context before the question (fresh9, said anew).
        "Ich habe gehört, dass Bürokräfte heute immer kürzer arbeiten. Stimmt das?",
    ],
)
def test_a_remark_beside_a_question_is_no_work_answer(parser, text):
    assert parser.parse(text, "task_preference").task is None


@pytest.mark.parametrize(
    "text",
    [
        "Kreditoren und Debitoren – wie heißt die Stelle dafür?",
        # The question part, rejoined without its comma, is found all the same.
        "Kreditoren und Debitoren – was verdient man, wenn man das macht?",
    ],
)
def test_work_named_before_a_question_answers_the_work_question(parser, text):
    assert parser.parse(text, "task_preference").task == "specialist"


@pytest.mark.parametrize(
    "text",
    [
        "Personalsachen interessieren mich. Zählt eine andere Ausbildung bei der Externenprüfung?",
        "Versicherungs-Sachbearbeitung wär mein Ding. Ist da Homeoffice drin?",
        "Ich organisiere gern. Was verdient man?",
    ],
)
def test_a_liking_beside_a_question_still_answers_the_work_question(parser, text):
    assert parser.parse(text, "task_preference").task in ("specialist", "assistance")


@pytest.mark.parametrize(
    "text",
    [
        "Englisch würd ich eher verhandlungssicher nennen, ich verhandle seit Jahren Verträge "
        "auf Englisch",
        "Englisch in Wort und Schrift übrigens, ich schreib viele Mails auf Englisch",
    ],
)
def test_work_told_to_show_a_language_level_is_no_work_answer(parser, text):
    parsed = parser.parse(text, "task_preference")
    assert parsed.languages and parsed.task is None


@pytest.mark.parametrize(
    "text, task",
    [
        ("Korrespondenz auf Englisch und Französisch", "assistance"),
        ("Englisch gut, ich organisiere gern Termine", "assistance"),
    ],
)
def test_work_in_a_language_is_still_a_work_answer(parser, text, task):
    assert parser.parse(text, "task_preference").task == task


def test_a_title_named_as_a_training_at_the_work_question_is_a_training(parser):
    parsed = parser.parse(
        "Hab doch eine Ausbildung, Kaufmann für Versicherungen und Finanzen. Hab ich vergessen",
        "task_preference",
    )
    assert parsed.training == ["bank_insurance"] and parsed.task is None


@pytest.mark.parametrize(
    "text, removed",
    [
        ("das mit dem studium nehm ich zurück, hab nur 4 semester gemacht", ["degree"]),
        ("Ich habe Mathe studiert, aber nach zwei Jahren aufgehört", ["degree"]),
        ("das mit dem Fachinformatiker war eigentlich nur ein Praktikum", ["finance_hr_it"]),
        (
            "Groß- und Außenhandel war nicht meine Ausbildung, ich bin Versicherungskauffrau",
            ["commercial_other"],
        ),
    ],
)
def test_a_training_taken_back_in_other_words(parser, text, removed):
    assert parser.parse(text, "languages").training_removed == removed


@pytest.mark.parametrize(
    "text, languages",
    [
        ("englisch b1 sonst nix. wie viel verdient man?", {"en": "good"}),
        ("Französisch gut, sonst nichts", {"fr": "good"}),
        ("englisch basic", {"en": "basic"}),
    ],
)
def test_nothing_besides_keeps_the_language_named(parser, text, languages):
    assert parser.parse(text, "languages").languages == languages


def test_no_other_training_besides_a_dropped_study_is_none(parser):
    text = "Studium nach 4 Semestern abgebrochen, sonst keine Ausbildung."
    parsed = parser.parse(text, "training")
    assert parsed.no_training and not parsed.training


@pytest.mark.parametrize(
    "text",
    [
        "weiß noch nicht was ich mag ehrlich gesagt. was verdienen personalsachbearbeiter so?",
        "Ich kann mich nicht entscheiden. Welche Weiterbildung hält mir die Türen offen?",
        # Fillers inside the phrase, English, and a verb the work classifier misreads.
        "Weiß ich ehrlich gesagt noch nicht. Aber was anderes: Ist die IHK Pflicht?",
        "unsure ehrlich gesagt. ist in wort und schrift ein höheres niveau?",
        "kein plan was ich lieber mach. kann man später noch wechseln?",
    ],
)
def test_undecided_beside_a_question_is_dont_know(parser, text):
    parsed = parser.parse(text, "task_preference")
    assert parsed.dont_know and parsed.question
    assert parsed.task is None


def test_not_knowing_beside_named_work_still_names_the_work(parser):
    parsed = parser.parse("keine ahnung, alles was mit zahlen zu tun hat", "task_preference")
    assert parsed.task == "specialist" and not parsed.dont_know
    # A single "alles" is no "weiß nicht" that keeps the work classifier out.
    text = "Ich mag es, wenn im Büro alles rund läuft und ich dafür sorge"
    assert parser.parse(text, "task_preference").task == "assistance"


@pytest.mark.parametrize(
    "text, languages",
    [
        ("französisch hatte ich 4 jahre in der schule", {"fr": "basic"}),
        (
            "Englisch hatte ich sechs Jahre lang in der Schule, Spanisch fließend",
            {"en": "basic", "es": "fluent"},
        ),
    ],
)
def test_a_language_from_school_a_few_words_away_is_basic(parser, text, languages):
    assert parser.parse(text, "languages").languages == languages


@pytest.mark.parametrize(
    "text",
    [
        # A retold ad (visitor finding): its training is no answer.
        "Passt diese Stelle zu mir? Eine Kanzlei sucht jemanden für die Buchhaltung, "
        "man soll Steuerfachangestellte sein und sich mit DATEV auskennen.",
        "Ich habe in der Zeitung von einer Stelle gelesen, die suchen eine Industriekauffrau",
        "Vorausgesetzt wird eine Ausbildung als Bankkaufmann, passt das?",
    ],
)
def test_a_training_a_retold_ad_asks_for_is_no_answer(parser, text):
    parsed = parser.parse(text, "training")
    assert not parsed.training and not parsed.unplaced_training


def test_the_visitors_own_training_beside_an_ad_stays(parser):
    parsed = parser.parse("Ich bin Bankkauffrau, in der Anzeige wird Englisch verlangt", "training")
    assert parsed.training == ["bank_insurance"] and not parsed.languages
    assert parser.parse("Ich bin Industriekauffrau und suche eine Stelle", "training").training == [
        "commercial_other"
    ]


def test_a_job_ads_own_lines_keep_what_they_ask_for(parser):
    # The job-ad check reads an ad's lines with the same parser: there, what the ad asks
    # for is the point.
    line = "Gesucht wird eine Bankkauffrau mit Englisch in Wort und Schrift"
    parsed = parser.parse(line, "training", ad_text=True)
    assert parsed.training == ["bank_insurance"]


@pytest.mark.parametrize(
    "text",
    [
        "Bevor ich meine Ausbildung nenne – was heißt zuständige Stelle bei der IHK?",
        "Was braucht man für einen Bildungsgutschein? Meine Ausbildung sag ich gleich.",
        "Ausbildung kommt gleich. Wie schätze ich mein Englisch richtig ein?",
    ],
)
def test_a_training_answer_put_off_is_no_training(parser, text):
    parsed = parser.parse(text, "training")
    assert not parsed.training and not parsed.unplaced_training and not parsed.no_training
    assert parsed.question


def test_a_training_without_a_title_still_counts_when_not_put_off(parser):
    assert parser.parse(
        "gleich nach der schule hab ich eine ausbildung gemacht", "training"
    ).unplaced_training


def test_out_of_work_since_a_break_keeps_the_training(parser):
    # "raus" after "seit" is time out of work, not "take it out".
    text = "Bürokauffrau, aber seit der Elternzeit raus. Finde ich Teilzeitstellen im Büro?"
    parsed = parser.parse(text, "training")
    assert parsed.training == ["office"] and not parsed.training_removed


def test_a_forwarding_training_without_a_title_is_commercial(parser):
    parsed = parser.parse(
        "spedition gelernt, jetzt mama. arbeiten viele mütter teilzeit?", "training"
    )
    assert parsed.unplaced_training and parsed.unplaced_value == "commercial_other"


@pytest.mark.parametrize(
    "text, slot, dont_know",
    [
        # fresh9, said anew: "alles" in a longer message at the training question.
        (
            "Sind Assistenzen heute Managerinnen? Mein Onkel meint, die machen fast alles.",
            "training",
            False,
        ),
        ("egal", "training", True),
        ("keine Ahnung, ehrlich", "languages", True),
        ("alles", "task_preference", True),
    ],
)
def test_a_one_word_dont_know_cue_counts_in_short_messages(parser, text, slot, dont_know):
    assert parser.parse(text, slot).dont_know is dont_know


@pytest.mark.parametrize(
    "text",
    [
        # fresh9, said anew: a title named as an example is no training.
        "Berufe wie Teamassistentin – darf sich so jeder nennen?",
        "Gelten Ausbildungen wie Bankkaufmann auch als kaufmännisch?",
    ],
)
def test_a_title_named_as_an_example_is_no_training(parser, text):
    parsed = parser.parse(text, "task_preference")
    assert parsed.training == [] and parsed.task is None


def test_a_title_stated_after_an_example_word_elsewhere_still_counts(parser):
    parsed = parser.parse("Ich bin Bankkauffrau. Gibt es Titel wie Office Managerin?", "languages")
    assert parsed.training == ["bank_insurance"]


@pytest.mark.parametrize("slot", ["training", "task_preference", None])
def test_someone_elses_missing_training_is_not_the_visitors(parser, slot):
    # fresh9, said anew: the colleague has no training, not the visitor.
    text = "Mein Kollege ohne Ausbildung ist seit 6 Jahren im Büro – reicht das für die Prüfung?"
    assert not parser.parse(text, slot).no_training


def test_the_visitors_own_missing_training_still_counts(parser):
    assert parser.parse("Keine Ausbildung. Mein Mann ist Bankkaufmann.", "training").no_training


@pytest.mark.parametrize(
    "text, slot, dont_know",
    [
        # fresh9, said anew: "weiß nicht" beside a question asks for help at the training
        # and language questions; at the work question it is the answer "unsure".
        ("Weiß nicht, was ich da eintragen soll… wer kann mir helfen?", "training", False),
        (
            "Keine Ahnung, ob mein Englisch B1 oder B2 ist – was ist der Unterschied?",
            "languages",
            False,
        ),
        ("Weiß nicht. Wie sicher sind Bürojobs?", "task_preference", True),
        ("weiß nicht", "training", True),
    ],
)
def test_dont_know_beside_a_question(parser, text, slot, dont_know):
    assert parser.parse(text, slot).dont_know is dont_know


# fresh10 (a tuning set since 2026-12-04, fifth session), said anew.
@pytest.mark.parametrize(
    "text, german_only",
    [
        ("Auf der Seite stand keine Angabe zum Gehalt. Woran liegt das?", False),
        ("hab keine passende ausbildung, klappt das trotzdem?", False),
        ("Keine, leider.", True),
        ("keine 🙈", True),
        ("nein, sorry", True),
    ],
)
def test_a_lone_no_answers_the_language_question_only_when_it_stands_alone(
    parser, text, german_only
):
    assert parser.parse(text, "languages").german_only is german_only


@pytest.mark.parametrize(
    "text, task",
    [
        # A few words of context before a question, with no work word: no work answer.
        ("Mein Antrag wurde leider abgelehnt. Kann ich mich trotzdem bewerben?", None),
        ("In jeder Anzeige steht B2 – reicht mein Niveau?", None),
        # A few words that name the work still answer.
        ("Eher Organisation. Wie viel verdient man da?", "assistance"),
        ("Zahlen liegen mir, was verdient man damit?", "specialist"),
    ],
)
def test_a_few_words_before_a_question_answer_the_work_question_only_with_work_words(
    parser, text, task
):
    assert parser.parse(text, "task_preference").task == task


def test_a_one_word_correction_cue_in_a_question_changes_nothing(parser):
    # "eigentlich" in a question is no correction: the task words beside it stay unread.
    text = "Wie hoch ist eigentlich das mittlere Gehalt in Deutschland? Nur um die Zahlen zu sehen."
    parsed = parser.parse(text, None)
    assert parsed.task is None and not parsed.correction


@pytest.mark.parametrize(
    "text, slot",
    [
        (
            "Noch eine Frage bevor ich wähle: gehört zur IT-Ausbildung ein Projekt?",
            "task_preference",
        ),
        ("Meine Ausbildung klick ich gleich an, aber vorher: prüft das jemand nach?", "training"),
    ],
)
def test_a_question_before_the_answer_is_asked_first(parser, text, slot):
    parsed = parser.parse(text, slot)
    assert parsed.question
    assert parsed.task is None and not parsed.training and not parsed.unplaced_training


@pytest.mark.parametrize(
    "text",
    [
        "VWL nach drei Semestern abgebrochen",
        "Studium hingeschmissen (Jura, 4. Semester), sonst nichts",
        "ein Fernstudium BWL angefangen, aber nie fertig gemacht",
    ],
)
def test_a_dropped_study_named_by_its_subject_is_no_degree(parser, text):
    parsed = parser.parse(text, "training")
    assert "degree" not in parsed.training
    assert parsed.training_dropped.get("degree")


def test_a_company_name_is_no_training(parser):
    parsed = parser.parse("Die Müller Transporte GmbH hat mir ein Angebot gemacht.", "training")
    assert not parsed.training and not parsed.unplaced_training


def test_a_year_with_a_full_stop_ends_the_sentence(parser):
    # fresh10, said anew: the plan in the next sentence is not about the training.
    parsed = parser.parse("Bankkaufmann seit 2017. Überlege aber zu wechseln", "training")
    assert parsed.training == ["bank_insurance"]


@pytest.mark.parametrize(
    "text, slot, side_topic, field, value",
    [
        # fresh10, said anew: an emoji between an answer and a question ends the answer.
        (
            "nur Deutsch 😅 und wie ist das mit Gleitzeit",
            "languages",
            "faq_part_time",
            "german_only",
            True,
        ),
        (
            "Englisch nur so Schulniveau 🙈 ist das schlimm für später",
            "languages",
            "faq_prospects",
            "languages",
            {"en": "basic"},
        ),
    ],
)
def test_an_emoji_between_answer_and_question_keeps_the_answer(
    parser, text, slot, side_topic, field, value
):
    from career_quiz.asked_values import read_answers

    parsed = read_answers(parser, text, slot, side_topic, parser.question_cues)
    assert getattr(parsed, field) == value


@pytest.mark.parametrize(
    "text",
    [
        "keine ahnung, was ich hier eintragen soll – kann mir da jemand helfen?",
        "Keine Ahnung welche Schaltfläche passt, gibt es eine Beratung dafür?",
    ],
)
def test_help_asked_for_at_the_training_question_says_no_training(parser, text):
    parsed = parser.parse(text, "training")
    assert not parsed.no_training and not parsed.training
    assert parsed.question


def test_no_training_beside_not_knowing_the_work_stays_no_training(parser):
    assert parser.parse("keine ausbildung, keine ahnung was ich will", "training").no_training


def test_not_understanding_what_a_word_means_is_a_question_and_no_answer(parser):
    text = "hab nicht so verstanden wozu die IHK bei der Ausbildung gut ist"
    parsed = parser.parse(text, "training")
    assert parsed.question and not parsed.no_training and not parsed.training


@pytest.mark.parametrize(
    "text",
    [
        "Mein Bachelor ist hier aber nicht anerkannt, zählt das trotzdem?",
        "meine ausbildung wird in deutschland nicht als gleichwertig gesehen",
    ],
)
def test_a_recognition_denied_keeps_the_training(parser, text):
    parsed = parser.parse(text, None)
    # Talked about, not denied and not answered again (no "Geändert" after the result).
    assert not parsed.training_removed and not parsed.no_training and not parsed.training


def test_a_training_named_beside_a_denied_recognition_still_counts(parser):
    text = "mein Bachelor ist nicht anerkannt, aber ich habe noch eine Ausbildung als Bankkauffrau"
    assert parser.parse(text, None).training == ["bank_insurance"]


def test_a_job_beside_a_denied_training_is_no_training(parser):
    text = "keine Ausbildung und kein Studium, ich arbeite aber seit Jahren als Sekretärin"
    parsed = parser.parse(text, "training")
    assert parsed.no_training and not parsed.training


def test_a_job_title_alone_still_names_the_training(parser):
    assert parser.parse("ich arbeite als Bürokauffrau", "training").training == ["office"]


def test_only_the_training_whose_recognition_is_denied_is_talked_about(parser):
    text = "Ich bin Bankkauffrau, mein Bachelor aus Kiew ist aber nicht anerkannt"
    assert parser.parse(text, "training").training == ["bank_insurance"]


@pytest.mark.parametrize("requested", ["training", "languages", "task_preference"])
def test_doubt_whether_the_job_fits_answers_no_question(parser, requested):
    # visit9 #11: "weiß nicht, ob das was für mich ist" is about the job, not "weiß nicht".
    parsed = parser.parse("hm, weiß nicht, ob das was für mich ist", requested)
    assert not parsed.dont_know and parsed.task is None and not parsed.training
