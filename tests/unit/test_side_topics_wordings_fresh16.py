"""Side questions, summaries and endings in wordings found in a tuning set (fresh16,
issue 16, eleventh round): each case here is said in our own words, not the set's.
"""

from __future__ import annotations

import pytest

from career_quiz import side_answers
from career_quiz.side_topics import message_topic


@pytest.mark.parametrize(
    ("text", "intent", "topic"),
    [
        # Pay: enough to live on, a city beside living costs, "bekommt man", pay by age.
        (
            "Reicht das Geld, kann man davon gut leben? Ich hab drei Kinder.",
            "faq_part_time",
            "faq_salary",
        ),
        ("wie viel bekommt man in köln als sachbearbeiterin", "out_of_scope", "faq_salary"),
        (
            "was verdient man in frankfurt, die mieten sind ja so teuer",
            "out_of_scope",
            "faq_salary",
        ),
        (
            "Ich bin 55 und steige quer ein. Verdient man da noch ordentlich?",
            "out_of_scope",
            "faq_salary",
        ),
        # Pay without a qualification stays with the retraining facts.
        ("Verdient man ohne Ausbildung deutlich weniger?", "out_of_scope", "faq_retraining"),
        # Which German occupation matches a foreign one.
        (
            "Wo sehe ich, welcher deutsche Beruf meinem entspricht?",
            "out_of_scope",
            "faq_recognition",
        ),
        # A certificate course asked about as a training.
        (
            "Ich hab einen IHK-Zertifikatslehrgang Office Management. Zählt der als Ausbildung?",
            "faq_enough",
            "faq_ihk",
        ),
        # Home-office shares, not a quota without facts.
        ("wie hoch ist die homeoffice quote bei bürojobs?", "out_of_scope", "faq_part_time"),
        ("gibt es so was wie check u?", "out_of_scope", "faq_counselling"),
        # A level without a test, rating oneself.
        ("Darf ich C1 angeben, wenn ich nie einen Test gemacht hab?", "out_of_scope", "faq_cefr"),
        ("wie soll ich mich da selbst einstufen?", "out_of_scope", "faq_cefr"),
        # Moving up: a career ladder, promotions, positions above, only German but a goal.
        (
            "Gibt es eine Karriereleiter oder bleibt man Assistenz bis zur Rente?",
            "out_of_scope",
            "faq_prospects",
        ),
        ("wie ist das mit beförderungen im büro?", "faq_retraining", "faq_prospects"),
        (
            "Was für Posten gibt es oberhalb der Teamassistenz?",
            "faq_variant_secretarial",
            "faq_prospects",
        ),
        ("nur deutsch, kann ich trotzdem mal office managerin werden?", "inform", "faq_prospects"),
        (
            "Could the job be a stepping stone towards project lead?",
            "out_of_scope",
            "faq_prospects",
        ),
        # Thanks, then a question of its own.
        ("danke! und wer nimmt dann die prüfung ab, die ihk?", "chitchat_thanks", "faq_ihk"),
        # No facts: the application, shifts, shorthand, team size, vacancies by sector.
        ("braucht man bei der bewerbung noch ein foto?", "faq_variant_secretarial", "out_of_scope"),
        ("Wie viele Seiten darf das Anschreiben haben?", "faq_training_duration", "out_of_scope"),
        (
            "wie lange warten bis man auf ne bewerbung ne antwort bekommt",
            "faq_training_duration",
            "out_of_scope",
        ),
        (
            "Arbeitet man im Backoffice auch nachts oder am Wochenende?",
            "faq_ihk_training",
            "out_of_scope",
        ),
        ("braucht man im Sekretariat noch Stenografie?", "faq_variant_secretarial", "out_of_scope"),
        ("wie groß ist so ein team im backoffice?", "nlu_fallback", "out_of_scope"),
        ("Wo gibt es die meisten Sekretariats-Stellen?", "faq_variants", "out_of_scope"),
    ],
)
def test_wordings_get_their_topic(text, intent, topic):
    assert message_topic(text, intent, 0.9) == topic


def test_thanks_before_a_question_without_facts_stays_thanks():
    assert message_topic("danke, wie geht es jetzt weiter?", "chitchat_thanks", 0.95) is None


@pytest.mark.parametrize(
    ("text", "intent", "topic"),
    [
        # Leaving without judging the chat is a goodbye; judging it stays feedback.
        ("halt, ich mag nicht mehr", "feedback_negative", "goodbye"),
        ("sorry, muss jetzt aufhören, die kinder kommen", "nlu_fallback", "goodbye"),
        ("das war echt nutzlos, tschüss", "feedback_negative", "feedback_negative"),
        # Summaries: which result, what the quiz result was.
        ("welche empfehlung hatte ich nochmal bekommen", "nlu_fallback", "ask_summary"),
        ("sag mir bitte kurz was mein testergebnis war", "nlu_fallback", "ask_summary"),
    ],
)
def test_endings_and_summaries(text, intent, topic):
    assert message_topic(text, intent, 0.9) == topic


def test_a_result_asked_about_a_recognition_is_no_summary():
    text = "welches ergebnis hab ich beim anerkennungsverfahren zu erwarten?"
    assert message_topic(text, "out_of_scope", 0.9) == "faq_recognition"


def test_the_certificate_courses_are_no_qualification():
    answer = side_answers.compose([("faq_ihk", "Ist Lohnbuchhalter IHK ein Abschluss?")])
    assert "kein Berufsabschluss" in answer


@pytest.mark.parametrize(
    ("text", "intent", "topic"),
    [
        # Starting from scratch in the office, a relative's move into it: retraining.
        (
            "Ich bin Friseurin. Müsste ich fürs Büro wieder ganz von vorne anfangen?",
            "start_over",
            "faq_retraining",
        ),
        (
            "mein bruder ist koch, kann der auch ins büro wechseln?",
            "out_of_scope",
            "faq_retraining",
        ),
        # A level word quoted from the result is a job-ad word's meaning.
        (
            'Im Ergebnis stand Englisch "gut" – welches Niveau ist mit "gut" gemeint?',
            "faq_soft_skills",
            "faq_verhandlungssicher",
        ),
    ],
)
def test_more_wordings_get_their_topic(text, intent, topic):
    assert message_topic(text, intent, 0.9) == topic


def test_restarting_the_quiz_from_the_front_is_no_retraining_question():
    assert message_topic("können wir nochmal von vorne anfangen?", "start_over", 0.95) is None


def test_the_result_quoted_is_no_language_answer(parser):
    text = "In Ihrem Ergebnis steht, Spanisch wäre wichtig. Welches Niveau ist damit gemeint?"
    assert parser.parse(text, None).languages == {}


def test_asking_whether_the_result_fits_now_is_the_own_case():
    # visit11 #17: "passt das jetzt?" after the result was stored as praise.
    assert message_topic("passt das jetzt?", "feedback_positive", 0.8) == "faq_enough"


def test_a_language_typed_with_a_letter_missing_is_read(parser):
    assert parser.parse("bissl italiensch", "languages").languages == {"it": "basic"}


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # visit11 #11: what there is for the visitor is the quiz's question, not pay.
        ("was gäbe es denn für mich im büro?", "ask_fit"),
        ("Industriekauffrau hier, was gibt es da für mich?", "ask_fit"),
        ("was gibts für mich da an geld?", "faq_salary"),
    ],
)
def test_what_there_is_for_me_is_the_quiz(text, topic):
    assert message_topic(text, "out_of_scope", 0.6) == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # visit11 #8: a foreign degree gets the Zeugnisbewertung (faq_recognition), a
        # foreign training the FOSA's procedure and its months.
        ("mein master ist aus peru, wie lange dauert die anerkennung?", "faq_recognition"),
        (
            "meine ausbildung ist aus peru, wie lange dauert die anerkennung?",
            "faq_recognition_procedure",
        ),
        # Leaving one's job for the office is retraining's, not the quiz offer.
        ("bin koch und kann nicht mehr stehen. was gibt es für mich im büro?", "faq_retraining"),
        # A claim checked is no question on the own result.
        (
            "Eine Bekannte sagt, in Banken sitzt jeder im Homeoffice. Stimmt das so?",
            "faq_part_time",
        ),
    ],
)
def test_the_statement_rules_the_question_topic(text, topic):
    assert message_topic(text, "out_of_scope", 0.6) == topic


def test_a_further_training_told_about_leaves_a_duration_question():
    text = "Ich habe den Fachwirt gemacht. Wie lange dauert die Ausbildung zur Bürokauffrau?"
    assert message_topic(text, "out_of_scope", 0.6) == "faq_training_duration"
