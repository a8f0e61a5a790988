"""Side questions, summaries and endings in wordings found in a tuning set (fresh12,
issue 16, seventh round): each case here is said in our own words, not the set's.
"""

from __future__ import annotations

import pytest

from career_quiz import side_answers
from career_quiz.side_topics import message_topic, side_topics


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # A training's duration asked as a guess, shorter with a school certificate.
        (
            "industriekaufmann dauert drei jahre, oder? mit abitur gehts doch kürzer",
            "faq_training_duration",
        ),
        (
            "Mit Realschulabschluss, um wie viel kürzer wird die Lehre dann?",
            "faq_training_duration",
        ),
        ("kann man die lehre auch halbtags machen? hab zwei kinder", "faq_training_duration"),
        # Part time named as a post, mornings only.
        ("eine Teilzeitstelle am Empfang, ist das machbar?", "faq_part_time"),
        ("Nach der Babypause will ich nur nachmittags arbeiten, gibt es sowas?", "faq_part_time"),
        # Sites to test oneself.
        ("Gibt es Seiten, auf denen ich meine Stärken testen kann?", "faq_counselling"),
        ("wie kann ich online testen, welche jobs zu mir passen?", "faq_counselling"),
        # A qualification from a country the first list missed, "geworden".
        ("Ich bin in Österreich Bürokauffrau geworden, gilt das auch hier?", "faq_recognition"),
        ("in ghana als buchhalterin ausgebildet. zählt das in deutschland?", "faq_recognition"),
        # The change into the office named as a noun.
        ("Hilft mir meine Zeit als Kellnerin beim Umstieg ins Büro?", "faq_retraining"),
        # A level judged, what one can do at a level.
        ("ist a2 schon ausreichend oder noch zu wenig?", "faq_cefr"),
        ("Was kann ich denn mit B1 schon so?", "faq_cefr"),
        # Where a career leads in years, a title reached, a title one may use.
        ("Was ist nach fünf Jahren im Sekretariat realistisch?", "faq_prospects"),
        ("Werde ich mit der Zeit Teamleiterin, oder braucht es mehr?", "faq_prospects"),
        ("Mit welcher Variante kann ich am meisten erreichen?", "faq_prospects"),
        ("Darf ich mich Office Managerin nennen, wenn ich das Büro leite?", "faq_prospects"),
        ("Welche Stufen hat die Karriereleiter im Sekretariat?", "faq_prospects"),
        # Pay: a median, thousands a year, firms of a branch paying better.
        ("Wie hoch ist der Median für Teamassistenzen?", "faq_salary"),
        ("45k brutto im Jahr als Assistenz, ist das normal?", "faq_salary"),
        ("Zahlen Autokonzerne besser als der Mittelstand?", "faq_salary"),
        # Conditions without facts: dress, records, weekends, equipment, time to a job.
        ("Gibt es einen Dresscode in der Buchhaltung?", "out_of_scope"),
        ("Brauche ich ein Führungszeugnis für die Versicherung?", "out_of_scope"),
        ("Muss man im Back Office auch sonntags arbeiten?", "out_of_scope"),
        ("Bekomme ich als Teamassistenz einen Dienstlaptop?", "out_of_scope"),
        (
            "Wie lange dauert es meist, bis man nach der Umschulung einen Job findet?",
            "out_of_scope",
        ),
        ("Wie viel Zeit verbringt man im Sekretariat mit Telefonaten?", "out_of_scope"),
    ],
)
def test_the_wording_names_its_topic(text, topic):
    assert message_topic(text, "inform", 0.6) == topic


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # A request for the result in other words.
        ("Welche Variante wurde mir nochmal empfohlen?", "ask_summary"),
        ("Könnten Sie alles noch einmal ganz einfach sagen?", "ask_summary"),
        # Endings: closing the window, a wish after a longer thank-you, later.
        ("Fenster schließen bitte", "goodbye"),
        (
            "Vielen Dank für die vielen Hinweise zu den Weiterbildungen. Ich wünsche "
            "Ihnen einen angenehmen Abend.",
            "goodbye",
        ),
        ("ok mach ich spaeter fertig", "goodbye"),
        # The open question asked for again: in the quiz it is shown once more.
        ("Wie lautete nochmal die Frage?", "start_quiz"),
        ("die Frage bitte noch einmal", "start_quiz"),
        # Starting in words after a greeting.
        ("Hallo zusammen, ich würde gern das Quiz machen", "start_quiz"),
    ],
)
def test_summaries_and_endings_in_other_words(text, topic):
    assert message_topic(text, "inform", 0.6) == topic


def test_refusing_the_quiz_does_not_start_it():
    assert side_topics().topic("ich will das quiz nicht machen") != "start_quiz"


@pytest.mark.parametrize(
    "text",
    [
        "Wie viele E-Mails schreibt man im Sekretariat am Tag?",
        "Muss ich im Fach-Backoffice viele Kundenmails beantworten?",
        "Wie viel Zeit geht mit E-Mails beantworten drauf?",
    ],
)
def test_e_mails_as_work_ask_for_no_result_by_mail(text):
    assert side_topics().always_topic(text) != "faq_email_result"


def test_a_request_for_the_result_by_mail_still_is_one():
    assert side_topics().always_topic("Können Sie mir das per Mail schicken?") == "faq_email_result"


def test_a_last_sentence_with_its_verb_first_is_a_question():
    text = "Ich habe in Polen Steuerfachangestellte gelernt. Brauche ich hier eine Anerkennung"
    assert message_topic(text, "inform", 0.9) == "faq_recognition"


def test_an_answer_with_a_second_sentence_stays_an_answer():
    assert message_topic("Bankkaufmann. Englisch kann ich gut.", "inform", 0.9) is None


def test_the_training_duration_answer_names_the_part_time_training():
    answer = side_answers.answer("faq_training_duration", "geht die lehre auch in teilzeit?")
    assert "Teilzeitausbildung" in answer
