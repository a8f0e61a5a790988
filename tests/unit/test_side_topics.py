"""Which side question a message asks (career_quiz/side_topics.py): topic words, the
question part of a mixed message, and when a question is no quiz answer.

Sub-topics (second section): the recognition procedure, the Bildungsgutschein, the
Externenprüfung and the exam of the apprenticeship each have their own answer, chosen by
words (data/knowledge/side_topics.yml); the general questions keep the general answer.

The NLU component that applies the topic words: test_side_topics_component.py; endings,
English and the facts-based choice: test_side_answers.py.
"""

from __future__ import annotations

import pytest

from career_quiz import dialogue
from career_quiz.side_topics import message_topic, question_topic, side_topics


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Und was verdient man da so?", "faq_salary"),
        ("Was genau ist die IHK?", "faq_ihk"),
        ("Wie lange dauert die Ausbildung?", "faq_training_duration"),
        ("Wer bezahlt die Umschulung?", "faq_retraining"),
        ("Was verdient man in der Ausbildung?", "faq_training_pay"),
        ("Geht das auch im Homeoffice?", "faq_part_time"),
        ("Wird mein Abschluss aus Polen anerkannt?", "faq_recognition"),
        ("Was bedeutet B2?", "faq_cefr"),
        ("Welche Variante hatten Sie mir vorhin empfohlen?", "ask_summary"),
        ("Können Sie mir das kurz zusammenfassen?", "ask_summary"),
        ("Schicken Sie mir das Ergebnis per E-Mail?", "faq_email_result"),
        ("Was heißt verhandlungssicher?", "faq_verhandlungssicher"),
        ("Welche IHK-Weiterbildungen gibt es?", "faq_ihk_training"),
        ("👍👍", "chitchat_thanks"),
        ("👋", "goodbye"),
    ],
)
def test_a_side_question_is_named_by_its_words(text, topic):
    assert message_topic(text, "out_of_scope", 0.4) == topic
    assert message_topic(text, "inform", 0.99) == topic  # question form wins over "inform"


@pytest.mark.parametrize(
    "text",
    [
        "Ich bin Bankkauffrau",
        "Industriekauffrau, Ausbildung in Teilzeit gemacht",
        "Wie lange dauert das Quiz?",
        "🤔",
        "Englisch gut, Französisch Grundkenntnisse",
    ],
)
def test_answers_and_other_topics_keep_the_classifiers_intent(text):
    assert message_topic(text, "inform", 0.99) is None


def test_every_topic_word_list_names_an_intent_of_the_domain():
    from career_quiz.side_topics import side_topics

    assert side_topics().names() <= set(dialogue.domain_intents())


def test_the_question_of_a_mixed_message_is_taken_from_its_question_part():
    assert question_topic("reicht das?") == "faq_enough"
    assert question_topic("") is None


def test_a_message_of_several_sentences_keeps_its_answer():
    from career_quiz.side_topics import asks_instead_of_answering

    assert asks_instead_of_answering("faq_salary", "", "gehalt als bürokauffrau?")
    assert not asks_instead_of_answering("faq_salary", "", "Bürokauffrau. Gehalt?")
    assert not asks_instead_of_answering("faq_enough", "", "Bürokauffrau, reicht das")
    assert not asks_instead_of_answering("faq_salary", "was verdient man?", "x")
    assert not asks_instead_of_answering("faq_ihk", "", "Teamassistentin (IHK)")
    assert asks_instead_of_answering("faq_training_duration", "", "wie lang geht bankkaufmann")


# -- sub-topics -----------------------------------------------------------


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Wie lange braucht die IHK FOSA für einen Bescheid?", "faq_recognition_procedure"),
        ("Welche Gebühren fallen für die Anerkennung an?", "faq_recognition_procedure"),
        ("Mein Diplom wurde nur teilweise anerkannt – und jetzt?", "faq_recognition_procedure"),
        ("Ist mein Abschluss aus Polen in Deutschland gültig?", "faq_recognition"),
        (
            "Muss ich für den Bildungsgutschein bestimmte Voraussetzungen erfüllen?",
            "faq_retraining_voucher",
        ),
        ("Was kostet mich eine Umschulung?", "faq_retraining"),
        (
            "Kann ich die Externenprüfung auch nach Jahren im Ausland machen?",
            "faq_retraining_external",
        ),
        ("Wie ist die Zwischenprüfung organisiert?", "faq_training_exam"),
        ("Was bekommt ein Azubi im ersten Jahr gezahlt?", "faq_training_pay"),
        ("Wie viele Menschen arbeiten im Homeoffice?", "faq_part_time"),
        ("Wie viele Menschen bewerben sich auf eine Stelle?", "out_of_scope"),
    ],
)
def test_a_sub_topic_is_named_by_its_words(text, topic):
    assert message_topic(text, "out_of_scope", 0.4) == topic


def test_a_fortbildung_taken_directly_is_no_externenpruefung():
    text = "Kann ich ohne Kurs direkt zur IHK-Prüfung für den Fachwirt?"
    assert message_topic(text, "out_of_scope", 0.4) != "faq_retraining_external"


def test_a_question_without_a_question_mark_is_asked_by_its_first_word():
    # Read as a quiz answer with confidence, yet the interrogative makes it a question.
    assert message_topic("wer berät mich bei einem Neustart", "inform", 0.99) == "faq_counselling"


def test_every_sub_topic_has_its_answer_in_and_outside_the_quiz():
    names = {
        "faq_recognition_procedure",
        "faq_retraining_voucher",
        "faq_retraining_external",
        "faq_training_exam",
    }
    assert names <= set(dialogue.topic_intents())
    replies = dialogue.in_quiz_replies()
    assert all(replies[name] == f"utter_{name}" for name in names)


def test_is_that_enough_beside_a_foreign_training_asks_for_recognition():
    from career_quiz.side_topics import question_topic

    assert question_topic("zählt das?", "faq_recognition") == "faq_recognition"
    assert question_topic("zählt das?", None) == "faq_enough"
    assert question_topic("zählt das?", "faq_salary") == "faq_enough"


def test_a_sub_topic_question_at_the_training_question_is_no_answer():
    from career_quiz.side_topics import asks_instead_of_answering

    text = "Bekomme ich als Bürokauffrau einen Bildungsgutschein?"
    assert asks_instead_of_answering("faq_retraining_voucher", "", text)


def test_a_last_clause_opened_by_an_interrogative_asks():
    text = "Industriekauffrau mit Abitur, wie lange dauert das"
    assert message_topic(text, "inform", 0.99) == "faq_training_duration"
    assert message_topic("Industriekauffrau, Ausbildung in Teilzeit", "inform", 0.99) is None


@pytest.mark.parametrize(
    "text, asks",
    [
        ("werd ich als Umschülerin schlechter bezahlt", True),
        ("gibts einen Zuschuss für die Anerkennung", True),
        ("ist Homeoffice im Sekretariat üblich", True),
        ("bin ohne Berufsabschluss, Homeoffice wäre schön", False),
        ("kann kein Englisch", False),
        ("hab in Polen eine Ausbildung gemacht", False),
    ],
)
def test_a_verb_first_message_is_a_yes_no_question(text, asks):
    from career_quiz.side_topics import VERB_FIRST

    assert bool(VERB_FIRST.match(text.lower())) is asks


def test_praise_of_the_chat_is_no_quiz_answer():
    assert message_topic("Danke, das hat echt Spaß gemacht", "inform", 0.99) == "feedback_positive"


def test_fass_zusammen_asks_for_the_summary():
    assert message_topic("Fassen Sie das bitte kurz zusammen", "inform", 0.99) == "ask_summary"


def test_a_question_mark_inside_the_message_asks():
    assert message_topic("B2 vs C1? wo ist da die grenze", "inform", 0.99) == "faq_cefr"


# Issue 16, third round: wording the first sets did not have (written for these tests,
# not taken from any held-out set).
@pytest.mark.parametrize(
    "text, topic",
    [
        ("gehalt sachbearbeitung versicherung?", "faq_salary"),
        ("gehlat teamassistentin?", "faq_salary"),
        ("wie viel bekommt man im office management", "faq_salary"),
        ("was kriegt man als azubi bei einer bank", "faq_training_pay"),
        ("Bis wann muss die Verkürzung beantragt sein?", "faq_training_duration"),
        ("Gibt es eine kürzere Lehre für Erwachsene?", "faq_training_duration"),
        ("kann ich als kellnerin quer einsteigen?", "faq_retraining"),
        ("gibt es einen weg ins büro für pflegekräfte?", "faq_retraining"),
        ("homeofice in der buchhaltung?", "faq_part_time"),
        ("Kann mir ein echter Mensch bei der Entscheidung helfen?", "faq_counselling"),
        ("welche angebote der arbeitsagentur gibt es für berufstätige?", "faq_counselling"),
        ("Mein Bescheid sagt teilweise gleichwertig, was nun?", "faq_recognition_procedure"),
        ("Mir fehlen Zeugnisse von damals, geht das trotzdem?", "faq_recognition_procedure"),
        ("ich war in polen sachbearbeiterin, was muss ich tun?", "faq_recognition"),
        ("wie schätze ich mein französisch ein?", "faq_cefr"),
        ("Wie viel Englisch verlangen Stellen im Büro?", "faq_cefr"),
        ("Ist 'verhandlungssicher' irgendwo offiziell definiert?", "faq_verhandlungssicher"),
        ("Was kommt nach der Lehre?", "faq_prospects"),
        ("Wo kann ich in zehn Jahren stehen?", "faq_prospects"),
        ("Ist Chefsekretärin ein geschützter Titel?", "faq_prospects"),
        ("Wie komme ich im Rechnungswesen weiter?", "faq_prospects"),
        ("Braucht man für die Stelle einen Führerschein?", "out_of_scope"),
        ("Wie lange geht die Probezeit im Büro?", "out_of_scope"),
        ("wie viele lehrlinge brechen ab?", "out_of_scope"),
        ("In welcher Region gibt es die meisten offenen Bürostellen?", "out_of_scope"),
    ],
)
def test_new_wordings_name_their_topic(text, topic):
    assert message_topic(text, "out_of_scope", 0.4) == topic


@pytest.mark.parametrize(
    "text",
    [
        "was kam nochmal bei mir raus?",
        "noch mal die empfehlung bitte",
        "Welche Variante ist bei mir herausgekommen?",
        "hab vergessen, welche variante es war",
        "zeigen Sie mir bitte noch einmal mein Ergebnis",
        "Was war die empfohlene Variante?",
    ],
)
def test_summary_requests_after_the_result(text):
    assert message_topic(text, "inform", 0.99) == "ask_summary"


def test_a_wish_to_talk_about_the_result_with_a_person_is_no_summary_request():
    text = "Kann ich über mein Ergebnis nochmal mit einer Person sprechen?"
    assert message_topic(text, "ask_summary", 0.5) == "faq_counselling"


@pytest.mark.parametrize(
    "text", ["können Sie mir die Auswertung schicken?", "kann ich das per whatsapp bekommen"]
)
def test_requests_to_send_the_result(text):
    assert message_topic(text, "inform", 0.99) == "faq_email_result"


def test_a_question_part_of_question_words_only_asks_about_the_whole_message():
    # "ist das normal so?" after "nur 2 Jahre gelernt": the duration, not "not understood".
    assert question_topic("ist das normal so?", "faq_training_duration") == "faq_training_duration"
    assert question_topic("Geht das?", "faq_prospects") == "faq_prospects"
    # A question part with words of its own keeps its own topic (or none).
    assert question_topic("was verdient man da?", "faq_prospects") == "faq_salary"


def test_a_statement_ending_like_a_question_asks():
    from career_quiz.side_topics import asks_instead_of_answering

    assert asks_instead_of_answering("faq_part_time", "", "homeoffice beim steuerberater geht das")
    assert not asks_instead_of_answering("faq_part_time", "", "homeoffice wäre schön")


@pytest.mark.parametrize(
    "text",
    [
        "was speichern Sie eigentlich über mich?",
        "Werden meine Eingaben irgendwo gespeichert?",
        "Merkt sich der Bot meine Angaben?",
        "Wird das Gespräch gespeichert?",
    ],
)
def test_what_is_stored_about_me_is_the_privacy_question(text):
    # Visitor finding #18: these got the quiz explanation.
    assert message_topic(text, "start_quiz", 0.9) == "faq_privacy"


@pytest.mark.parametrize(
    "text, topic",
    [
        ("Bitte alle meine Daten löschen", None),  # a deletion request: its own intent
        ("Kann ich mein Ergebnis speichern?", "faq_email_result"),
        ("Ich finde die Empfehlung sehr passend", None),  # "send" inside "passend"
    ],
)
def test_privacy_and_send_words_need_their_context(text, topic):
    assert side_topics().always_topic(text) == topic


@pytest.mark.parametrize(
    "text, intent",
    [
        ("ist backoffice was für mich?", "faq_what_is_boa"),
        ("wie finde ich raus ob das passt?", "out_of_scope"),
    ],
)
def test_whether_the_job_fits_me_is_the_fit_question(text, intent):
    # Visitor finding #1: these got the description or "keine verlässlichen Informationen".
    assert message_topic(text, intent, 0.6) == "ask_fit"


def test_a_question_the_splitter_missed_is_answered_beside_the_answers():
    from career_quiz.side_topics import UNKNOWN, unsplit_question

    # The topic words found a question the splitter did not split off.
    assert unsplit_question("faq_salary", "") == "faq_salary"
    # A split question part is answered by its own route; "no information" is not
    # added to an answer; small talk or an answer intent is no question.
    assert unsplit_question("faq_salary", "was verdient man?") is None
    assert unsplit_question(UNKNOWN, "") is None
    assert unsplit_question("chitchat_thanks", "") is None
    assert unsplit_question(None, "") is None


@pytest.mark.parametrize(
    "text,expected",
    [
        # On the visitor's own chances: the result answers it (visitor finding #8).
        (
            "ich habe keine Ausbildung, nur Realschulabschluss. "
            "Kann ich trotzdem im Büro arbeiten?",
            "faq_enough",
        ),
        ("Passt das denn wirklich? Ich will eigentlich nicht nur Kaffee kochen", "faq_enough"),
        # Working time stays working time.
        ("Kann ich auch im Büro in Teilzeit arbeiten?", "faq_part_time"),
    ],
)
def test_own_chances_go_to_the_personal_answer(text, expected):
    from career_quiz.side_topics import message_topic

    assert message_topic(text, "faq_part_time", 0.9) == expected


@pytest.mark.parametrize(
    "text,mash",
    [
        ("asdfghjkl qwertz", True),
        ("jjjjjj", True),
        ("Englisch gut", False),
        ("bwl", False),
        ("IHK", False),
        ("nö", False),
        ("asdf?", False),
    ],
)
def test_keyboard_mash_is_not_understood_rather_than_unanswerable(text, mash):
    from career_quiz.side_topics import NOT_UNDERSTOOD, keyboard_mash, message_topic

    assert keyboard_mash(text) is mash
    if mash:
        # Visitor finding #11: it got "Dazu habe ich keine verlässlichen Informationen".
        assert message_topic(text, "out_of_scope", 0.93) == NOT_UNDERSTOOD


def test_a_question_with_a_word_of_praise_is_no_praise():
    from career_quiz.side_topics import message_topic

    text = (
        "Ich habe im Hotel an der Rezeption gearbeitet. Hilft mir das für einen Wechsel ins Büro?"
    )
    assert message_topic(text, "inform", 0.9) == "faq_retraining"
    assert message_topic("danke, das hilft mir sehr", "inform", 0.9) == "feedback_positive"


@pytest.mark.parametrize(
    "text, intent, topic",
    [
        # A pay question on a city: the Entgeltatlas shows pay by region.
        ("was verdient ne sekretärin in münchen so ungefähr?", "faq_salary", "faq_salary"),
        ("Gibt es in Leipzig freie Plätze?", "inform", "out_of_scope"),
        # Providers with a Bildungsgutschein are the voucher's topic, not out of scope.
        ("Welche Anbieter darf man mit Bildungsgutschein wählen?", "out_of_scope",
         "faq_retraining_voucher"),
        # Benefits and the tasks of one year's exam are in no fact.
        ("bekomm ich als umschüler mein bürgergeld weiter?", "faq_retraining", "out_of_scope"),
        ("Welche Aufgaben kommen in der IHK-Prüfung 2026 dran?", "faq_ihk", "out_of_scope"),
        # The full three years again, finishing faster.
        ("hab schon ne ausbildung als friseurin. muss ich dann nochmal volle 3 jahre machen?",
         "inform", "faq_training_duration"),
        ("bin 23, werd ich schneller fertig als die 16-jährigen?", "inform",
         "faq_training_duration"),
        # A compound level word.
        ("Projekte koordinieren. Welches Englischniveau braucht man, um Meetings auf "
         "Englisch zu führen?", "inform", "faq_cefr"),
        # The next step up, and the Bachelor level of a further training.
        ("Mich würde interessieren, was nach der Teamassistenz die nächste Stufe ist.",
         "inform", "faq_prospects"),
        ("Welcher Abschluss nach der Ausbildung entspricht dem Bachelor-Niveau?", "faq_cefr",
         "faq_ihk_training"),
    ],
)  # fmt: skip
def test_fresh5_tuning_misses_are_routed_by_their_words(text, intent, topic):
    assert message_topic(text, intent, 0.9) == topic


@pytest.mark.parametrize(
    "text, topic",
    [
        ("na gut dann starten wir halt", "start_quiz"),
        ("lass uns anfangen", "start_quiz"),
        ("ok dann los", "start_quiz"),
        ("Ich möchte eine Ausbildung beginnen", None),  # a plan, no go-ahead
    ],
)
def test_a_short_go_ahead_starts_the_quiz(text, topic):
    assert message_topic(text, "nlu_fallback", 0.4) == topic


@pytest.mark.parametrize(
    "text, topic",
    [
        ("was soll ich jetzt als erstes machen", "show_next_steps"),
        ("Was sind die nächsten Schritte?", "show_next_steps"),
        # Not the result's steps: whether English is needed (visit7 #9, since then).
        ("Was soll ich machen, wenn ich kein Englisch kann?", "faq_languages_needed"),
        # "wie geht es weiter" asks about the topic it follows, not the result's steps.
        ("mein abschluss wurde nur teilweise anerkannt, wie geht es weiter",
         "faq_recognition_procedure"),
        ("hi ich hab grad abi gemacht und weiß nicht was ich machen soll", "ask_fit"),
        ("Ich war 6 Jahre in Familienpause und will wieder einsteigen, aber nur Teilzeit. "
         "Geht das im Back Office?", "faq_part_time"),
        ("Wer berät mich beim Wiedereinstieg nach der Familienpause?", "faq_counselling"),
    ],
)  # fmt: skip
def test_visitor_findings_of_the_fifth_session_are_routed(text, topic):
    assert message_topic(text, "nlu_fallback", 0.5) == topic


def _privacy_examples():
    import yaml

    from career_quiz import settings

    examples = []
    for path in (settings.knowledge_dir().parent / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") == "faq_privacy":
                lines = str(block["examples"]).splitlines()
                examples += [line.strip()[2:] for line in lines if line.strip().startswith("- ")]
    return examples


def test_every_privacy_training_example_has_the_words_its_intent_needs():
    examples = _privacy_examples()
    assert len(examples) >= 30
    assert [e for e in examples if side_topics().lacks_words_for("faq_privacy", e)] == []


@pytest.mark.parametrize(
    "text",
    [
        "Wo kann ich online nachlesen, welche Ausbildungen es überhaupt gibt?",
        "hab industriekaufmann gelernt. wie viele bewerbungen muss ich im schnitt schreiben?",
    ],
)
def test_a_data_protection_guess_without_its_words_gets_no_privacy_answer(text):
    assert message_topic(text, "faq_privacy", 0.95) not in (None, "faq_privacy")


@pytest.mark.parametrize("text", ["Was speichern Sie von mir?", "Wer kann meine Antworten sehen?"])
def test_a_data_protection_question_keeps_its_intent(text):
    assert message_topic(text, "faq_privacy", 0.95) in (None, "faq_privacy")


@pytest.mark.parametrize(
    "text, intent, topic",
    [
        # The classifier read these as "weiß nicht" and started the quiz without a word.
        ("keine ahnung was ich hier soll", "dont_know", "faq_quiz_info"),
        ("was mach ich hier eigentlich?", "dont_know", "faq_quiz_info"),
        ("was soll der scheiß", "dont_know", "chitchat_insult"),
        # An ad named, none pasted: the check asks for its text (it got the quiz offer).
        ("Passt diese Anzeige zu mir?", "ask_fit", "ask_job_ad_check"),
        ("Können Sie eine Stellenanzeige prüfen?", "ask_fit", "ask_job_ad_check"),
    ],
)
def test_visitor_findings_of_visit6_are_routed(text, intent, topic):
    assert message_topic(text, intent, 0.9) == topic


@pytest.mark.parametrize(
    "text, topic",
    [
        ("was soll ich jetzt als erstes machen", "show_next_steps"),
        ("passt die stelle zu mir?", "ask_fit"),
    ],
)
def test_neighbours_of_the_visit6_wordings_keep_their_topic(text, topic):
    assert message_topic(text, "dont_know", 0.9) == topic


@pytest.mark.parametrize(
    "text",
    [
        "Kann man als Sekretärin verbeamtet werden?",
        "Wie alt darf man für eine Umschulung höchstens sein?",
        "Bin ich mit 50 zu alt für eine Umschulung?",
    ],
)
def test_civil_service_and_age_limits_get_the_honest_no(text):
    # No fact covers them; they got the variant description or the Umschulung forms.
    assert message_topic(text, "faq_retraining", 0.6) == "out_of_scope"


@pytest.mark.parametrize(
    "text, topic",
    [
        # A free tool's price is its topic's question, not an unknown price.
        ("Kostet der Entgeltatlas was oder muss ich mich da registrieren?", "faq_salary"),
        ("Gibt es einen Online-Selbsttest, mit dem ich das gegenchecken kann?", "faq_counselling"),
        # Pass rates, today's vacancies in a town, employers of a kind: no facts.
        ("Wie viele bestehen die Bilanzbuchhalter-Prüfung beim ersten Versuch?", "out_of_scope"),
        ("Gibt es bei mir in Gütersloh gerade Teilzeitstellen im Sekretariat?", "out_of_scope"),
        ("Welche Hamburger Reedereien suchen Leute mit Chinesisch?", "out_of_scope"),
        # Neighbours keep their topic.
        ("Gibt es Teilzeitstellen im Sekretariat?", "faq_part_time"),
        ("Welche Banken zahlen am besten?", "faq_salary"),
    ],
)
def test_free_tools_pass_rates_and_vacancies_are_routed(text, topic):
    assert message_topic(text, "faq_part_time", 0.5) == topic


@pytest.mark.parametrize(
    "text",
    [
        "ich hab gar keine ausbildung. kann ich trotzdem bei der ihk die prüfung machen?",
        "ich hab keinen abschluss, nur 8 jahre büroerfahrung. kann man sowas anerkennen lassen?",
    ],
)
def test_no_training_but_years_of_work_asks_for_the_externenpruefung(text):
    assert message_topic(text, "faq_ihk", 0.6) == "faq_retraining_external"


def test_a_question_on_the_ihk_alone_stays_one():
    assert message_topic("Was macht die IHK?", "faq_ihk", 0.6) == "faq_ihk"


@pytest.mark.parametrize(
    "text",
    [
        "Sekretariat kam raus. Welche Stufen gibt es danach?",
        "Ist Assistenz der Geschäftsführung eigentlich eine Stufe über Office Management?",
        "Kann man als Office-Managerin später auch selbst Leute unter sich haben?",
    ],
)
def test_career_steps_called_stufen_are_prospects(text):
    assert message_topic(text, "faq_variants", 0.6) == "faq_prospects"


def test_a_language_level_called_stufe_stays_cefr():
    assert message_topic("Welche Stufe ist B2?", "faq_variants", 0.6) == "faq_cefr"


@pytest.mark.parametrize(
    "text, topic",
    [
        # A foreign qualification beside an IHK question: recognition (IHK FOSA).
        (
            "Versicherungsausbildung in Italien abgeschlossen. Welche Stelle bei der IHK "
            "ist für sowas zuständig?",
            "faq_recognition",
        ),
        (
            "Für mein ukrainisches Buchhaltungsdiplom – gibt es bei den IHKs eine zentrale Stelle?",
            "faq_recognition",
        ),
        ("Wie komme ich auf Executive-Assistant-Niveau?", "faq_prospects"),
        ("Wo finde ich offizielle Beschreibungen von Ausbildungsberufen?", "faq_counselling"),
        (
            "Ich war nie arbeitslos – ist die Agentur dann überhaupt für mich zuständig?",
            "faq_counselling",
        ),
        ("Kann ich mir für die Umschulung jeden beliebigen Anbieter aussuchen?", "faq_retraining"),
        # Neighbours.
        ("Was macht die IHK?", "faq_ihk"),
        ("Welche Firmen bilden aus?", "out_of_scope"),
    ],
)
def test_fresh8_wordings_reach_their_topic(text, topic):
    assert message_topic(text, "inform", 0.6) == topic


@pytest.mark.parametrize(
    "text, own",
    [
        ("Welche Weiterbildung passt für mich als nächstes?", True),
        ("was für ne fortbildung würdest du mir empfehlen", True),
        ("Was wäre mein nächster Schritt?", True),
        ("Welcher Kurs passt zu mir?", True),
        ("Was kann ich als nächstes tun?", True),
        # General questions about further training are no question about oneself.
        ("Welche Weiterbildungen gibt es?", False),
        ("Welche Weiterbildung gibt es für Sekretärinnen?", False),
        ("Was verdient man als Teamassistenz?", False),
    ],
)
def test_a_question_about_the_own_next_step_is_told_apart(text, own):
    assert side_topics().asks_own_next_step(text) is own


@pytest.mark.parametrize(
    "text, topic",
    [
        # fresh9 wordings (a tuning set since 2026-12-04, fourth session), said anew;
        # the classifier had called them out of scope.
        ("welche dinge entscheiden denn, wie viel man als sekretärin bekommt", "faq_salary"),
        ("Zahlt man in Köln mehr als auf dem Land?", "faq_salary"),
        ("Was dauert länger, Industriekaufmann oder Bürokauffrau?", "faq_training_duration"),
        ("Gibt es noch andere Seiten, auf denen ich Berufe vergleichen kann?", "faq_counselling"),
        ("Ist 'verhandlungssicher' das gleiche wie C2?", "faq_verhandlungssicher"),
        ("Was ist der Unterschied zwischen gut und fließend?", "faq_verhandlungssicher"),
        # Neighbours: an employer's pay stays out of scope; a level stated is no question.
        ("Was zahlt Siemens einer Teamassistentin in Berlin?", "out_of_scope"),
        ("Wie viel Urlaub bekommt man im Büro?", "faq_part_time"),
    ],
)
def test_fresh9_questions_the_classifier_called_out_of_scope(text, topic):
    assert message_topic(text, "out_of_scope", 0.8) == topic


def test_a_level_stated_without_a_question_is_no_cefr_question():
    assert message_topic("Englisch fließend, Französisch B1", "inform", 0.95) is None


@pytest.mark.parametrize(
    "text, topic",
    [
        # fresh9 wordings, said anew: the voucher itself, and help from the agency.
        (
            "Ist so ein Bildungsgutschein auf einen Beruf festgelegt oder gebunden?",
            "faq_retraining_voucher",
        ),
        ("Zahlt der Bildungsgutschein auch die Übernachtung am Kursort?", "faq_retraining_voucher"),
        (
            "Bekommt man als Arbeitsloser automatisch eine Umschulung bezahlt?",
            "faq_retraining_voucher",
        ),
        ("Kann mir das Arbeitsamt auch bei einem Berufswechsel helfen?", "faq_counselling"),
        ("Gibt es eine offizielle Seite über den Beruf?", "faq_counselling"),
        ("Kennen Sie einen Test im Internet für meine Stärken?", "faq_counselling"),
        # Neighbours keep their topic.
        ("Wie lange dauert eine Umschulung mit Bildungsgutschein?", "faq_retraining"),
        ("Ist ein Berufswechsel mit 40 noch sinnvoll?", "faq_retraining"),
    ],
)
def test_voucher_and_counselling_in_fresh9_wordings(text, topic):
    assert message_topic(text, "start_quiz", 0.9) == topic


def test_a_long_question_whether_a_study_is_needed_is_asked():
    text = (
        "Brauch ich für die Assistenz der Geschäftsführung neben meiner Ausbildung "
        "noch einen Bachelor?"
    )
    assert message_topic(text, "inform", 0.9) == "faq_degree_needed"


@pytest.mark.parametrize(
    "text",
    [
        # Visitor finding (visit6 #13): the abbreviation and the title in other forms.
        "Was ist ein BOA? Und der Unterschied zur Sekretärin?",
        "was macht eigentlich so eine Backoffice-Assistentin",
        "Back-Office-Assistant?",
    ],
)
def test_what_the_job_is_asked_in_other_words(text):
    assert message_topic(text, "out_of_scope", 0.6) == "faq_what_is_boa"


def test_a_question_about_the_jobs_pay_keeps_its_topic():
    assert message_topic("Was verdient ein Back Office Assistant?", "out_of_scope", 0.6) == (
        "faq_salary"
    )


@pytest.mark.parametrize(
    "text, topic",
    [
        # fresh9 wordings, said anew.
        ("Kann ich die Fahrten zur Arbeit von der Steuer absetzen?", "out_of_scope"),
        ("Welche Steuerklasse habe ich nach der Heirat?", "out_of_scope"),
        ("Darf sich eigentlich jeder Office Managerin nennen?", "faq_prospects"),
        # Neighbours: a tax training keeps its topic.
        ("Was verdient eine Steuerfachangestellte?", "faq_salary"),
    ],
)
def test_tax_questions_and_protected_titles(text, topic):
    assert message_topic(text, "faq_part_time", 0.9) == topic


@pytest.mark.parametrize(
    "text, topic",
    [
        # fresh10 wordings (a tuning set since 2026-12-04, fifth session), said anew:
        # going back asked as a question is no unknown question.
        ("geht's nochmal eine Frage zurück?", "go_back"),
        ("Könnten Sie mir die vorige Frage nochmal zeigen? Ich will sie ändern.", "go_back"),
        ("darf ich kurz zurückgehen?", "go_back"),
        # Going back to work, or starting over, is no such request.
        ("Komme ich nach der Pause nochmal zurück in den Beruf?", None),
        # The chances of what the visitor just said: the result tells.
        ("nur Hauptschule, hätte ich damit überhaupt eine Chance?", "faq_enough"),
    ],
)
def test_going_back_and_own_chances_asked_as_questions(text, topic):
    found = message_topic(text, "out_of_scope", 0.5)
    assert (found == topic) if topic else found != "go_back"


@pytest.mark.parametrize("text", ["Personalsachen, Lohn, Bewerbungen", "Buchhaltung, Lohn"])
def test_lohn_in_a_list_of_work_is_no_salary_question(text):
    # Visitor finding (visit7): the work answer got an unasked salary text.
    assert message_topic(text, "inform", 0.5) is None


# -- visit7 #9 and the sixth session's tuning set (fresh11): topics said in new words -------


@pytest.mark.parametrize(
    "text, topic",
    [
        # Whether a foreign language is needed at all, the visitor's German, "kaufmännisch".
        ("Brauch ich für so einen Job eigentlich zwingend Englisch?", "faq_languages_needed"),
        ("Hat man ganz ohne Fremdsprachen eine Chance im Büro?", "faq_languages_needed"),
        ("Ich kann nur Deutsch, reicht das auch?", "faq_languages_needed"),
        ("Mein Deutsch ist eher schwach, ist das schlimm?", "faq_german"),
        ("Wie gut sollte das Deutsch für so eine Stelle sein?", "faq_german"),
        ("Was bedeutet denn eigentlich kaufmännisch?", "faq_commercial"),
        ("Gilt Hotelkauffrau als kaufmännische Ausbildung?", "faq_commercial"),
        # How good it must be stays the GER scale's.
        ("Welches Niveau in Englisch wird im Sekretariat erwartet?", "faq_cefr"),
        # Pay per hour, more pay, a monthly figure checked.
        ("Was verlangt man als freie Assistenz so pro Stunde?", "faq_salary"),
        ("wie viel mehr verdient eine Office Managerin?", "faq_salary"),
        ("Im Netz steht 3100 brutto im Monat, ist das realistisch?", "faq_salary"),
        # The working day, tests and people of the employment agency.
        ("Darf ich mir die Zeit im Büro flexibel einteilen?", "faq_part_time"),
        ("Wie viele Stunden darf man maximal an einem Tag arbeiten?", "faq_part_time"),
        ("Hat die Agentur für Arbeit so einen Test auch?", "faq_counselling"),
        ("Ich würde lieber mit einem echten Menschen darüber sprechen.", "faq_counselling"),
        # No facts: opening hours, a boss's rights, sick pay.
        ("Hat die Arbeitsagentur samstags geöffnet?", "out_of_scope"),
        ("Darf meine Chefin verlangen, dass ich ihre Wäsche abhole?", "out_of_scope"),
        ("Zahlt die Kasse während der Umschulung Krankengeld?", "out_of_scope"),
    ],
)  # fmt: skip
def test_topics_said_in_new_words_are_routed(text, topic):
    assert message_topic(text, "nlu_fallback", 0.4) == topic


@pytest.mark.parametrize(
    "text, topic",
    [
        ("sorry, war kurz weg. wie war das nochmal mit meinem ergebnis?", "ask_summary"),
        ("Puh, viel Text. Geht das bitte knapper?", "ask_summary"),
        ("sag mir bitte nochmal was du mir empfohlen hast", "ask_summary"),
        ("Welcher Bereich wäre das dann für mich?", "ask_summary"),
        ("Können Sie mir meine Empfehlung bitte noch einmal nennen?", "ask_summary"),
        ("Lässt sich das Ergebnis irgendwo speichern?", "faq_email_result"),
        ("Passt schon, ich möchte das hier jetzt beenden.", "goodbye"),
        ("Ist mir zu viel, danke und tschüss", "goodbye"),
        ("ne, ich lass es lieber. trotzdem danke", "goodbye"),
        # "Zurück" alone goes back, also after the result.
        ("zurück", "go_back"),
        # A shorter training is the duration's, not a shorter answer.
        ("Geht die Ausbildung auch kürzer?", "faq_training_duration"),
    ],
)
def test_summaries_and_endings_in_new_words(text, topic):
    assert message_topic(text, "nlu_fallback", 0.4) == topic


def test_praise_needs_a_word_of_praise():
    # The classifier read "'; DROP TABLE quiz_results; --" after the result as praise,
    # and the feedback "helpful" was stored (found by a live test, 2026-12-04).
    assert message_topic("'; DROP TABLE quiz_results; --", "feedback_positive", 0.81) == (
        "out_of_scope"
    )
    assert message_topic("Das hat mir echt geholfen", "feedback_positive", 0.9) != "out_of_scope"


def test_an_english_message_whose_gloss_still_reads_as_english_gets_a_topic(monkeypatch):
    # A gloss that translates too few words still reads as English; reading it again as
    # an English message recursed without end, and the visitor got the outage apology.
    from career_quiz import english

    monkeypatch.setattr(english, "gloss", lambda text: text)
    text = "How much salary would I get as a team assistant?"
    assert english.is_english(text)
    assert message_topic(text, "inform", 0.6) == "faq_salary"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("nonexistent_intent", "feedback_negative"), ("inform{broken json", "affirm")],
)
def test_a_judgement_or_a_yes_without_its_words_is_not_taken(text, intent):
    # Payloads Rasa cannot run reach the classifier as words; read as feedback or as "ja"
    # to the feedback question, they were stored.
    assert message_topic(text, intent, 0.8) == "out_of_scope"


@pytest.mark.parametrize(
    ("text", "intent"),
    [("joa", "affirm"), ("ja klar", "affirm"), ("passt überhaupt nicht", "feedback_negative")],
)
def test_a_judgement_or_a_yes_with_its_words_keeps_its_intent(text, intent):
    assert message_topic(text, intent, 0.9) in (None, intent)
