"""Endings after (or during) the quiz by their words (data/knowledge/side_topics.yml:
`ask_summary`, `goodbye`, `chitchat_thanks`): issue 16's cue families, in sentences of
their own, and neighbours that must keep their topic.
"""

from __future__ import annotations

import pytest

from career_quiz.side_topics import message_topic, side_topics


@pytest.mark.parametrize(
    "text",
    [
        # The result lost from sight.
        "Mein Browser hat neu geladen, ich sehe meine Empfehlung nicht mehr.",
        "Die Auswertung ist weg, können Sie mir das Ergebnis erneut zeigen?",
        # The answers given.
        "Was habe ich vorhin eigentlich angegeben?",
        "Bitte meine Angaben noch einmal auflisten",
        # A recap to note down.
        "Kurz zum Mitschreiben, welche Richtung war es?",
        "Die Empfehlung hab ich aus Versehen weggeklickt.",
        "Wo sehe ich jetzt mein Ergebnis?",
        "Was hatte ich vorhin bei der Ausbildung ausgewählt?",
        "Zeigen Sie bitte alle meine Angaben",
        "Ergebnis bitte noch einmal anzeigen",
        "Was empfiehlst du mir also?",
        "Welche Richtung sollte ich also einschlagen?",
    ],
)
def test_a_recap_asked_in_other_words_is_a_summary(text):
    assert side_topics().topic(text) == "ask_summary"
    assert message_topic(text, "inform", 0.99) == "ask_summary"


@pytest.mark.parametrize(
    "text, topic",
    [
        # "zum Mitschreiben" alone asks about the topic it names.
        ("Zum Mitschreiben: wie lange dauert die Ausbildung?", "faq_training_duration"),
        # Showing something again without the result named is no recap.
        ("Zeigen Sie mir das nochmal mit den Gehältern?", "faq_salary"),
        # Which variant pays best is about pay, not about the visitor.
        ("Welche Variante verdient am besten?", "faq_salary"),
        # Which variant fits is the quiz's own question: the classifier decides.
        ("welche variante passt zu mir, finden wir es heraus", None),
    ],
)
def test_neighbours_of_the_recap_cues_keep_their_topic(text, topic):
    assert side_topics().topic(text) == topic


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Ich wünsche Ihnen noch einen angenehmen Abend.", "goodbye"),
        ("Gut, das reicht mir für heute.", "goodbye"),
        ("Dankschön!", "chitchat_thanks"),
        ("Dann bedanke ich mich für die Hilfe.", "chitchat_thanks"),
        ("So, ich bin dann mal raus.", "goodbye"),
        ("Ich höre jetzt auf.", "goodbye"),
        ("Bis demnächst!", "goodbye"),
        ("Gut gemacht, kleiner Bot", "feedback_positive"),
    ],
)
def test_closing_wishes_and_regional_thanks_end_the_conversation(text, topic):
    assert side_topics().topic(text) == topic


def test_a_question_about_a_day_is_no_goodbye():
    assert side_topics().topic("Wie sieht ein schöner Tag im Sekretariat aus?") != "goodbye"


def test_stopping_is_no_goodbye_when_something_follows():
    # "ich höre auf" only at the end of the message: "auf mein Bauchgefühl" is an answer.
    assert side_topics().topic("Ich höre auf mein Bauchgefühl und mag Zahlen") != "goodbye"


@pytest.mark.parametrize(
    "text", ["Können Sie mir die Auswertung rübermailen?", "Bitte an meine Adresse schicken"]
)
def test_sending_the_result_in_other_words_is_the_email_topic(text):
    assert side_topics().topic(text) == "faq_email_result"


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Danke für das Angebot, aber ich habe gerade keine Zeit dafür.", "goodbye"),
        ("Ich brech hier ab, sorry.", "goodbye"),
        ("abbrechen", "goodbye"),
        ("Ende", "goodbye"),
        ("Können Sie mir nochmal sagen, was ich angegeben habe und was dabei rauskam?",
         "ask_summary"),
        ("nochmal übersicht pls", "ask_summary"),
    ],
)  # fmt: skip
def test_no_time_breaking_off_and_an_overview_asked_for(text, topic):
    assert side_topics().topic(text) == topic


def test_no_time_for_something_asked_about_is_no_goodbye():
    text = "Ich habe keine Zeit für eine Vollzeitausbildung, geht das in Teilzeit?"
    assert side_topics().topic(text) != "goodbye"


@pytest.mark.parametrize(
    "text",
    [
        "Nee, eigentlich kein Interesse.",
        "ach lass mal, das mache ich ein andermal",
        "Danke, mehr brauche ich gar nicht",
        "ich höre auf, hab keine Lust mehr",
        "ich lass es lieber",
        "Vergessen Sie es.",
        "💤",
    ],
)
def test_giving_up_or_putting_it_off_is_a_goodbye(text):
    assert message_topic(text, "inform", 0.8) == "goodbye"


@pytest.mark.parametrize(
    "text",
    [
        "Keine Lust mehr auf Buchhaltung, lieber Projekte",
        "Buchhaltung, aber kein Interesse an Projekten",
        "Englisch gut, aber keine Lust mehr zu lernen",
    ],
)
def test_no_liking_for_one_kind_of_work_is_no_goodbye(text):
    assert message_topic(text, "inform", 0.8) != "goodbye"


@pytest.mark.parametrize(
    "text",
    [
        "Können Sie alles kurz in zwei, drei Sätzen zusammenfassen?",
        "Was war eigentlich meine Antwort bei den Sprachen?",
        "Was bedeutet das kurz und knapp für mich?",
        "can I get a recap?",
    ],
)
def test_more_ways_to_ask_for_the_summary(text):
    assert message_topic(text, "out_of_scope", 0.8) == "ask_summary"


@pytest.mark.parametrize(
    "text",
    ["kein bock mehr auf fragen ehrlich gesagt", "kein bock mehr", "keine lust mehr auf das quiz"],
)
def test_no_more_wish_to_go_on_is_a_goodbye(text):
    assert message_topic(text, "inform", 0.5) == "goodbye"


def test_no_more_wish_for_a_kind_of_work_stays_an_answer():
    assert message_topic("keine lust mehr auf zahlen", "inform", 0.5) is None


@pytest.mark.parametrize(
    "text, topic",
    [
        # fresh9 wordings (a tuning set since 2026-12-04, fourth session), said anew.
        ("Danke für Ihre Hilfe, ich denke in Ruhe darüber nach. Tschüss!", "goodbye"),
        ("Vielen Dank, aber heute mache ich lieber kein Quiz mehr. Bis bald.", "goodbye"),
        ("Keine Zeit mehr, ich mache das morgen weiter", "goodbye"),
        ("Also, was bin ich denn jetzt?", "ask_summary"),
        ("Welche Antworten hab ich vorhin gegeben?", "ask_summary"),
        ("Was genau haben Sie mir empfohlen?", "ask_summary"),
        ("Noch mal bitte: welche Richtung passt für mich?", "ask_summary"),
    ],
)
def test_longer_farewells_and_recaps_in_other_words(text, topic):
    assert message_topic(text, "out_of_scope", 0.5) == topic


@pytest.mark.parametrize(
    "text",
    [
        "Keine Zeit mehr für Buchhaltung, lieber Projekte",  # an answer
        "Danke! Was verdient man als Teamassistenz? Tschüss",  # a question
        "Welcher Beruf passt zu mir?",  # before the quiz it starts the quiz
    ],
)
def test_neighbours_of_the_longer_farewells_are_no_ending(text):
    assert message_topic(text, "out_of_scope", 0.5) not in ("goodbye", "ask_summary")


@pytest.mark.parametrize(
    "text, topic",
    [
        # fresh10 wordings (a tuning set since 2026-12-04, fifth session), said anew.
        ("Bitte abbrechen", "goodbye"),
        ("oh, der Bus kommt, machen wir ein ander mal", "goodbye"),
        ("moment, welche Variante war's nochmal?", "ask_summary"),
        ("Welche Weiterbildung hatten Sie mir genannt?", "ask_summary"),
        ("Lässt sich der Chatverlauf irgendwo speichern?", "faq_email_result"),
    ],
)
def test_breaking_off_recaps_and_keeping_the_chat_in_other_words(text, topic):
    assert message_topic(text, "out_of_scope", 0.5) == topic
