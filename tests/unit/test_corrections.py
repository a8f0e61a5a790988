"""Corrections at any point, "Zurück", no wrong values stored, ties in the work preference.

Parser behaviour (career_quiz/parsing.py) and the glue that says and asks what follows
(actions/actions.py, actions/corrections.py), one message at a time.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import corrections
from actions.actions import (
    ActionAskLanguages,
    ActionExtractAnswers,
    ActionResetQuiz,
    ValidateCareerQuizForm,
)
from actions.corrections import ActionGoBack
from career_quiz.answers import merge_answers
from tests.helpers import ROOT, domain_dict, make_tracker, sent

OFFICE = {"training": ["office"]}
OFFICE_NONE = {"training": ["office"], "languages": []}


def slots_after(parser, text, requested, current):
    return merge_answers(current, parser.parse(text, requested), requested)


# -- the parser -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, requested, current, expected",
    [
        # The example: the training is replaced, the open language question untouched.
        (
            "Ach nein, Korrektur: eigentlich bin ich gelernte Bankkauffrau.",
            "languages",
            OFFICE,
            {"training": ["bank_insurance"]},
        ),
        (
            "stimmt nicht, ich bin Bankkauffrau",
            "languages",
            OFFICE,
            {"training": ["bank_insurance"]},
        ),
        (
            "nicht Bürokauffrau, sondern Steuerfachangestellte",
            "task_preference",
            OFFICE_NONE,
            {"training": ["finance_hr_it"]},
        ),
        # A study next to a vocational training adds the degree (people have both).
        ("ich habe doch studiert", "languages", OFFICE, {"training": ["office", "degree"]}),
        # Added, not replaced.
        (
            "Ich habe außerdem noch BWL studiert",
            "languages",
            OFFICE,
            {"training": ["office", "degree"]},
        ),
        # A language corrected at the work question; the work question stays open.
        (
            "Korrektur: Englisch kann ich nur ein bisschen",
            "task_preference",
            {"training": ["office"], "languages": ["en:fluent"]},
            {"languages": ["en:basic"]},
        ),
        # After the result.
        (
            "Ich habe mich vertan, ich spreche gar kein Englisch",
            None,
            {"training": ["office"], "languages": ["en:good"], "task_preference": "assistance"},
            {"languages": []},
        ),
    ],
)
def test_a_correction_replaces_the_earlier_answer_and_leaves_the_open_question(
    parser, text, requested, current, expected
):
    assert slots_after(parser, text, requested, current) == expected


def test_a_study_named_after_a_vocational_training_adds_the_degree(parser):
    current = {"training": ["office"], "languages": [], "task_preference": "assistance"}
    assert slots_after(parser, "Ich habe doch studiert", None, current) == {
        "training": ["office", "degree"]
    }
    # From "keine Ausbildung" the study replaces it.
    none = {"training": ["none"]}
    assert slots_after(parser, "doch, ich hab studiert", "languages", none) == {
        "training": ["degree"]
    }


def test_a_bare_no_answers_the_language_question_when_it_is_about_it(parser):
    assert slots_after(parser, "Nein, leider keine.", "languages", OFFICE) == {"languages": []}


@pytest.mark.parametrize(
    "text, dropped",
    [
        ("Ich habe Jura studiert, aber nach drei Semestern abgebrochen", {"degree"}),
        ("BWL-Studium hab ich nach zwei Jahren hingeschmissen", {"degree"}),
    ],
)
def test_an_abandoned_study_is_no_degree_and_kept_in_the_details(parser, text, dropped):
    parsed = parser.parse(text, "training")
    assert set(parsed.training_dropped) == dropped
    assert merge_answers({}, parsed, "training") == {"training": ["none"]}


def test_a_finished_training_after_a_dropped_study_is_stored(parser):
    parsed = parser.parse("Studium abgebrochen, dann Ausbildung zur Bürokauffrau", "training")
    assert merge_answers({}, parsed, "training") == {"training": ["office"]}
    assert set(parsed.training_dropped) == {"degree"}


@pytest.mark.parametrize(
    "text, expected",
    [
        # A job wished for at the work question is no training (advice profile p33).
        ("sekretärin wär cool, organisieren und telefonieren", {"task_preference": "assistance"}),
        ("Als Projektassistentin würde ich gern arbeiten", {"task_preference": "projects"}),
        # A training stated beside a wish still corrects the training.
        (
            "Ich bin Bankkauffrau und würde gern Projekte koordinieren",
            {"training": ["bank_insurance"], "task_preference": "projects"},
        ),
    ],
)
def test_a_wished_job_is_no_training(parser, text, expected):
    current = {"training": ["none"], "languages": []}
    assert slots_after(parser, text, "task_preference", current) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Can we do this in English?",
        "I speak English",
        "Sorry, I don't speak German",
        "Can we talk in English? My German is quite weak",
        "Could we switch to English please? My German is only A2",
    ],
)
def test_an_english_message_is_no_language_answer(parser, text):
    parsed = parser.parse(text, "languages")
    assert parsed.english
    assert merge_answers(OFFICE, parsed, "languages") == {}


@pytest.mark.parametrize(
    "text, requested, expected",
    [
        ("Polish native, English basic", "languages", {"languages": ["pl:native", "en:basic"]}),
        (
            "English is my mother tongue. Is an IHK certificate the same as an IHK exam?",
            "languages",
            {"languages": ["en:native"]},
        ),
        ("German only. How long is the apprenticeship?", "languages", {"languages": []}),
        (
            "I speak English fluently and Portuguese natively.",
            "languages",
            {"languages": ["en:fluent", "pt:native"]},
        ),
        ("Project coordination sounds best.", "task_preference", {"task_preference": "projects"}),
        (
            "I am a trained bank clerk. What can I earn?",
            "training",
            {"training": ["bank_insurance"]},
        ),
    ],
)
def test_an_english_answer_is_stored(parser, text, requested, expected):
    # Read on its German gloss when it is English by its function words; short ones
    # ("Polish native, English basic") by the English names in the lexicon.
    assert merge_answers(OFFICE, parser.parse(text, requested), requested) == expected


def test_a_german_answer_naming_english_is_still_an_answer(parser):
    assert slots_after(parser, "English fließend", "languages", OFFICE) == {
        "languages": ["en:fluent"]
    }


@pytest.mark.parametrize(
    "text", ["Englisch eben aus der Schule", "Englisch hatte ich in der Schule"]
)
def test_school_knowledge_is_basic(parser, text):
    assert slots_after(parser, text, "languages", OFFICE) == {"languages": ["en:basic"]}


def test_school_knowledge_does_not_lower_a_level_that_is_named(parser):
    text = "Englisch fließend, in der Schule angefangen"
    assert slots_after(parser, text, "languages", OFFICE) == {"languages": ["en:fluent"]}


@pytest.mark.parametrize("text", ["Keine Ahnung", "schwer zu sagen", "weiß ich nicht"])
def test_not_knowing_at_the_language_question_stores_nothing(parser, text):
    parsed = parser.parse(text, "languages")
    assert parsed.dont_know and not parsed.german_only
    assert merge_answers(OFFICE, parsed, "languages") == {}


@pytest.mark.parametrize(
    "text, requested",
    [
        ("Scheiß Ausbildung", "training"),
        ("Keine Ahnung du Depp", "training"),
        ("Arschloch", "training"),
        ("Nein du Idiot", "languages"),
        ("Halt die Klappe", "task_preference"),
    ],
)
def test_an_insult_is_never_stored(parser, text, requested):
    parsed = parser.parse(text, requested)
    assert parsed.insult
    current = {"training": ["office"], "languages": []} if requested == "task_preference" else {}
    assert merge_answers(current, parsed, requested) == {}


def test_an_insult_beside_an_answer_keeps_the_answer(parser):
    text = "Bankkauffrau, du Idiot"
    assert slots_after(parser, text, "training", {}) == {"training": ["bank_insurance"]}


@pytest.mark.parametrize(
    "text, candidates",
    [
        ("Organisieren und Buchhaltung, beides gleich gern", {"assistance", "specialist"}),
        ("Projekte und Termine genauso gern", {"projects", "assistance"}),
        ("mal so, mal so", None),
        ("beides gleich", None),
    ],
)
def test_a_tie_asks_which_of_two(parser, text, candidates):
    parsed = parser.parse(text, "task_preference")
    assert parsed.task is None and len(parsed.task_candidates) == 2
    assert len(set(parsed.task_candidates)) == 2
    if candidates:
        assert set(parsed.task_candidates) == candidates
    assert merge_answers(OFFICE_NONE, parsed, "task_preference") == {}


def test_everything_alike_is_no_preference(parser):
    parsed = parser.parse("alles gleich gern", "task_preference")
    assert parsed.task_candidates == []
    assert merge_answers(OFFICE_NONE, parsed, "task_preference") == {"task_preference": "unsure"}


@pytest.mark.parametrize(
    "text",
    ["Zurück", "zurück bitte", "Kann ich die letzte Antwort ändern?", "Eine Frage zurück"],
)
def test_going_back_is_read_and_stores_nothing(parser, text):
    parsed = parser.parse(text, "task_preference")
    assert parsed.go_back
    assert merge_answers(OFFICE_NONE, parsed, "task_preference") == {}


@pytest.mark.parametrize(
    "text", ["zurück auf Anfang", "Einmal alles zurück bitte", "Ich will zurück in die Buchhaltung"]
)
def test_a_restart_or_an_answer_is_no_going_back(parser, text):
    assert not parser.parse(text, "task_preference").go_back


# -- the glue -----------------------------------------------------------------


async def run(action, tracker):
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker, domain_dict())
    return events, await sent(dispatcher.messages, tracker.slots)


def turn_of(events):
    return next(e["value"] for e in events if e.get("name") == "quiz_turn")


def state_of(events):
    return next(e["value"] for e in events if e.get("name") == "quiz_state")


async def extract_then_validate(text, requested, slots, intent="inform"):
    """Runs the two actions as Rasa does: extraction, then the form's validation."""
    extract_tracker = make_tracker(
        text=text,
        intent=intent,
        active_loop="career_quiz_form",
        slots={"requested_slot": requested, **slots},
    )
    extracted_events, _ = await run(ActionExtractAnswers(), extract_tracker)
    set_slots = {e["name"]: e["value"] for e in extracted_events if e.get("event") == "slot"}
    events = [
        {"event": "action", "name": "action_listen"},
        {"event": "user", "text": text, "parse_data": {}},
        {"event": "slot", "name": "requested_slot", "value": requested},
        {"event": "action", "name": "career_quiz_form"},
    ] + [
        {"event": "slot", "name": name, "value": value}
        for name, value in set_slots.items()
        if name != "quiz_turn"
    ]
    tracker = make_tracker(
        slots={"requested_slot": requested, **slots, **set_slots},
        text=text,
        intent=intent,
        events=events,
        active_loop="career_quiz_form",
    )
    validated, messages = await run(ValidateCareerQuizForm(), tracker)
    return extracted_events, validated, messages


async def test_a_correction_at_the_language_question_says_changed_and_asks_again():
    text = "Ach nein, Korrektur: eigentlich bin ich gelernte Bankkauffrau."
    extracted, validated, messages = await extract_then_validate(text, "languages", OFFICE)
    assert SlotSet("training", ["bank_insurance"]) in extracted
    assert not any(e.get("name") == "languages" and e["value"] is not None for e in extracted)
    assert messages[0]["text"].startswith("Geändert: Bankkauffrau")
    assert "Notiert" not in messages[0]["text"]
    assert SlotSet("languages", None) in validated
    assert state_of(validated)["prompt"] == "ask"


async def test_going_back_reopens_the_previous_question_and_keeps_every_answer():
    slots = {"training": ["office"], "languages": ["en:good"]}
    _, validated, messages = await extract_then_validate("Zurück", "task_preference", slots)
    assert SlotSet("requested_slot", "languages") in validated
    assert not any(e.get("name") in ("training", "languages") for e in validated)
    assert state_of(validated) == {
        "slot": "languages",
        "misses": 0,
        "prompt": "ask",
        "candidates": [],
        "back": True,
    }
    assert "zurück" in messages[0]["text"]


async def test_going_back_at_the_first_question_asks_it_again():
    _, validated, messages = await extract_then_validate("Zurück", "training", {})
    assert not any(e.get("name") == "requested_slot" for e in validated)
    assert "erste Frage" in messages[0]["text"]


async def test_going_back_again_at_a_reopened_first_question_keeps_it_open():
    # visit8 #15: "Dies ist schon die erste Frage" was followed by the language question.
    back = {"slot": "training", "misses": 0, "prompt": "ask", "candidates": [], "back": True}
    slots = {"training": ["office"], "languages": ["en:good"], "quiz_state": back}
    _, validated, messages = await extract_then_validate("Zurück", "training", slots)
    assert "erste Frage" in messages[0]["text"]
    assert SlotSet("requested_slot", "training") in validated
    assert state_of(validated)["back"] is True


async def test_going_back_to_a_question_named():
    slots = {"training": ["office"], "languages": ["en:good"]}
    text = "kann ich die Ausbildung nochmal neu angeben?"
    _, validated, _ = await extract_then_validate(text, "task_preference", slots)
    assert SlotSet("requested_slot", "training") in validated


async def test_a_reopened_question_stays_named_until_answered_and_the_answer_replaces():
    back = {"slot": "languages", "misses": 0, "prompt": "ask", "candidates": [], "back": True}
    slots = {"training": ["office"], "languages": ["en:good"], "quiz_state": back}
    # Not understood: the earlier answer stays, the question stays open by name.
    _, validated, _ = await extract_then_validate("Blumenkohl", "languages", slots)
    assert SlotSet("requested_slot", "languages") in validated
    assert SlotSet("languages", None) not in validated
    # Answered: the new answer replaces the old one.
    extracted, validated, _ = await extract_then_validate("Französisch gut", "languages", slots)
    assert SlotSet("languages", ["fr:good"]) in extracted
    assert state_of(validated) is None


async def test_an_english_visitor_gets_the_bilingual_notice_and_nothing_is_stored():
    text = "Can we do this in English?"
    extracted, validated, messages = await extract_then_validate(text, "languages", OFFICE)
    assert not any(e.get("name") == "languages" for e in extracted)
    assert "German" in messages[0]["text"] and "Deutsch" in messages[0]["text"]
    assert SlotSet("languages", None) in validated


async def test_not_knowing_the_languages_offers_the_buttons():
    _, validated, _ = await extract_then_validate(
        "Keine Ahnung", "languages", OFFICE, intent="dont_know"
    )
    assert SlotSet("languages", None) in validated
    state = state_of(validated)
    assert state["prompt"] == "unsure"
    _, messages = await run(ActionAskLanguages(), make_tracker(slots={"quiz_state": state}))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert '/inform{"skip": true}' in payloads and '/inform{"languages": []}' in payloads


async def test_a_swear_word_classified_as_not_knowing_is_not_stored():
    extracted, validated, _ = await extract_then_validate(
        "Scheiße", "training", {}, intent="dont_know"
    )
    assert not any(e.get("name") == "training" for e in extracted)
    assert SlotSet("training", None) in validated


async def test_a_tie_leads_to_the_clarifying_question():
    text = "Organisieren und Buchhaltung, beides gleich gern"
    _, validated, _ = await extract_then_validate(text, "task_preference", OFFICE_NONE)
    state = state_of(validated)
    assert state["prompt"] == "clarify"
    assert set(state["candidates"]) == {"assistance", "specialist"}


async def test_a_dropped_study_is_kept_in_the_answer_details():
    text = "Ich habe Jura studiert, aber nach drei Semestern abgebrochen"
    extracted, _, _ = await extract_then_validate(text, "training", {})
    assert SlotSet("training", ["none"]) in extracted
    details = next(e["value"] for e in extracted if e.get("name") == "answer_details")
    assert set(details["training_dropped"]) == {"degree"}


async def test_going_back_after_the_result_reopens_the_last_question():
    slots = {
        "training": ["office"],
        "languages": [],
        "task_preference": "assistance",
        "recommended_variant": "secretarial",
    }
    events, messages = await run(
        ActionGoBack(), make_tracker(slots=slots, text="zurück bitte", intent="go_back")
    )
    assert SlotSet("requested_slot", "task_preference") in events
    assert not any(e.get("name") in ("training", "languages", "task_preference") for e in events)
    assert ActiveLoop("career_quiz_form") in events
    assert FollowupAction("career_quiz_form") in events
    assert "zurück" in messages[0]["text"]


async def test_going_back_without_answers_offers_the_start():
    events, messages = await run(ActionGoBack(), make_tracker(text="zurück", intent="go_back"))
    assert events == []
    assert messages[0]["buttons"][0]["payload"] == "/start_quiz"


async def test_going_back_taken_for_a_restart_goes_back():
    slots = {"training": ["office"], "languages": [], "task_preference": "assistance"}
    extract = make_tracker(slots=slots, text="Zurück", intent="start_over")
    extracted, _ = await run(ActionExtractAnswers(), extract)
    turn = turn_of(extracted)
    tracker = make_tracker(slots={**slots, "quiz_turn": turn}, text="Zurück", intent="start_over")
    events, _ = await run(ActionResetQuiz(), tracker)
    assert events == [FollowupAction("action_go_back")]


# -- couplings ----------------------------------------------------------------


def test_the_responses_of_the_corrections_module_are_those_of_its_domain_file():
    domain = yaml.safe_load((ROOT / "domain" / "corrections.yml").read_text(encoding="utf-8"))
    source = Path(corrections.__file__).read_text(encoding="utf-8")
    named = {
        node.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("utter_")
    }
    assert named == set(domain["responses"]) == set(corrections.RESPONSES)
    assert domain["actions"] == [ActionGoBack().name()]


# -- more correction forms ------------------------------------------------------

BEFORE_ALL = {
    "training": ["office"],
    "languages": ["en:good", "it:basic"],
    "task_preference": "assistance",
}


@pytest.mark.parametrize(
    "text, expected",
    [
        # Taking a language back.
        ("Italienisch bitte wieder löschen", {"languages": ["en:good"]}),
        ("Das Italienisch können Sie rausnehmen", {"languages": ["en:good"]}),
        # A language named again without a level keeps its level.
        ("Englisch bitte raus, ich kann nur Italienisch", {"languages": ["it:basic"]}),
        # The level after "eher ... als" is not the one meant.
        ("Englisch ist eher fließend als gut", {"languages": ["en:fluent", "it:basic"]}),
        # "nicht X, Y": only X is taken back; Y, named without a level, is the language
        # the level was given for (since 2026-12-03, fourth session; it was "good").
        ("nicht Italienisch, Spanisch meinte ich", {"languages": ["en:good", "es:basic"]}),
        # A study still going on is no degree.
        ("Mein Masterstudium läuft noch", {}),
        # No training, said at any point.
        ("Ich habe doch gar keine Ausbildung", {"training": ["none"]}),
        # The work preference corrected after the result, without a preference word.
        (
            "Zahlen und Buchhaltung, nicht Assistenz! Falsch geklickt",
            {"task_preference": "specialist"},
        ),
        ("Statt Assistenz liegen mir eher Projekte", {"task_preference": "projects"}),
        ("Korrektur: ändere das bitte auf weiß nicht", {"task_preference": "unsure"}),
    ],
)
def test_corrections_after_the_result(parser, text, expected):
    assert slots_after(parser, text, None, BEFORE_ALL) == expected


def test_without_a_correction_a_task_word_after_the_result_changes_nothing(parser):
    assert slots_after(parser, "Projekte klingt spannend", None, BEFORE_ALL) == {}


@pytest.mark.parametrize(
    "text", ["Was macht ein Back Office Assistant?", "Back Office Assistant, was heißt das?"]
)
def test_back_office_is_no_request_to_go_back(parser, text):
    # "back" is a go-back cue ("go back"); the job title is not.
    assert not parser.parse(text, "languages").go_back


def test_zurueck_still_goes_back(parser):
    assert parser.parse("zurück bitte", "languages").go_back


# -- the line after an answer ----------------------------------------------------


@pytest.mark.parametrize(
    "text, note",
    [
        ("Ich bin gelernte Steuerfachangestellte", "Notiert: Steuerfachangestellte."),
        ("steuerfachangestellte", "Notiert: Steuerfachangestellte."),
        ("Ich habe studiert", "Notiert: Studium."),
        ("BWL-Studium", "Notiert: BWL-Studium."),
    ],
)
def test_the_note_names_the_training_as_said_not_its_category(parser, text, note):
    from career_quiz.summary import describe_updates

    parsed = parser.parse(text, "training")
    line = describe_updates({}, merge_answers({}, parsed, "training"), parsed)
    assert line == note


BANK = {"training": ["bank_insurance"], "languages": ["en:good"], "task_preference": "specialist"}


@pytest.mark.parametrize(
    "text, requested",
    [
        ("Ich bin eigentlich Versicherungskauffrau", None),
        ("Korrektur: ich bin Versicherungskauffrau, nicht Bankkauffrau", None),
        ("Korrektur: eigentlich bin ich Versicherungskauffrau", "task_preference"),
    ],
)
def test_a_correction_to_a_training_of_the_same_category_says_changed(parser, text, requested):
    from career_quiz.summary import describe_updates

    current = BANK if requested is None else {k: BANK[k] for k in ("training", "languages")}
    parsed = parser.parse(text, requested)
    updates = merge_answers(current, parsed, requested)
    assert updates.get("training", ["bank_insurance"]) == ["bank_insurance"]
    assert describe_updates(current, updates, parsed) == "Geändert: Versicherungskauffrau."


def test_a_training_named_beside_another_answer_is_no_change(parser):
    # Not a correction: the language answer is noted, the training left alone.
    current = {"training": ["bank_insurance"]}
    parsed = parser.parse("Als Bankkauffrau spreche ich gut Englisch", "languages")
    updates = merge_answers(current, parsed, "languages")
    assert "training" not in updates


@pytest.mark.parametrize(
    "text",
    ["Englisch so mittel", "Englisch mittelmäßig", "Englisch B1", "Englisch mittleres Niveau"],
)
def test_a_middling_level_is_stored_as_b1_is(parser, text):
    # domain.md: "gut, konversationssicher" = B1-B2; the lexicon maps B1 to `good`, and
    # "mittel" (the B level) the same way, whatever the wording.
    assert parser.parse(text, "languages").languages == {"en": "good"}


# -- cues for corrections (data/knowledge/lexicon.yml `cues`) ------------------------


@pytest.mark.parametrize(
    "text, requested, current, expected",
    [
        # "ergänzend" adds a training instead of replacing the earlier one.
        (
            "Ergänzend habe ich eine Lehre als Bürokauffrau gemacht",
            "languages",
            {"training": ["finance_hr_it"]},
            {"training": ["office", "finance_hr_it"]},
        ),
        # "ohne Abschluss" gives up the study before it; its "Abschluss" is no training.
        ("Ich hatte mal BWL studiert, ohne Abschluss", "languages", OFFICE, {}),
        # "weg" takes a language back and makes the message a correction, so "alles"
        # in it is no answer to the open work question.
        (
            "Spanisch weg bitte, davon weiß ich fast alles nicht mehr",
            "task_preference",
            {"training": ["office"], "languages": ["en:good", "es:good"]},
            {"languages": ["en:good"]},
        ),
        # The language after "sondern" takes the level said for the one taken back.
        (
            "Nicht Polnisch ist meine Muttersprache, sondern Russisch",
            "task_preference",
            {"training": ["office"], "languages": ["pl:native"]},
            {"languages": ["ru:native"]},
        ),
        # A level said to be too high is not meant.
        (
            "Französisch bitte auf gut setzen, fließend war zu hoch gegriffen",
            None,
            {**BANK, "languages": ["fr:fluent"]},
            {"languages": ["fr:good"]},
        ),
        # School level without a level word is basic.
        (
            "Spanisch kann ich nur auf Schulniveau, bitte ändern",
            None,
            {**BANK, "languages": ["en:good", "es:good"]},
            {"languages": ["en:good", "es:basic"]},
        ),
        # A new answer to the work question after the result.
        (
            "Neue Antwort für die Aufgaben: Buchhaltung und Zahlen",
            None,
            {**BANK, "task_preference": "assistance"},
            {"task_preference": "specialist"},
        ),
        (
            "Stellen Sie auf unsicher, ich weiß nicht, was mir liegt",
            None,
            BANK,
            {"task_preference": "unsure"},
        ),
        ("Ich habe Bürokommunikation gelernt", "training", {}, {"training": ["office"]}),
    ],
)
def test_general_correction_cues(parser, text, requested, current, expected):
    assert slots_after(parser, text, requested, current) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Bei der vorherigen Frage ist mir ein Fehler passiert, geht das nochmal?",
        "Bitte einen Schritt rückwärts",
        "Eine Frage retour, bitte",
    ],
)
def test_going_back_in_other_words(parser, text):
    parsed = parser.parse(text, "task_preference")
    assert parsed.go_back
    assert merge_answers(OFFICE_NONE, parsed, "task_preference") == {}


@pytest.mark.parametrize(
    "text, task",
    [
        # Refused work does not count for it, also not through the classifier.
        ("Jahresabschlüsse und Steuererklärungen, nicht Telefon oder Empfang", "specialist"),
        ("Lieber Zahlen, keine Termine oder Telefonate", "specialist"),
        # Hedging first, then a clear kind of work.
        ("Weiß nicht genau, jedenfalls was Fachliches, nicht Sekretariat", "specialist"),
    ],
)
def test_refused_work_does_not_count_for_it(parser, text, task):
    parsed = parser.parse(text, "task_preference")
    assert parsed.task == task and not parsed.dont_know


async def test_after_the_result_a_training_of_the_same_category_says_changed():
    tracker = make_tracker(
        text="Eigentlich bin ich Versicherungskauffrau",
        slots={**BANK, "recommended_variant": "specialist"},
    )
    dispatcher = CollectingDispatcher()
    events = await ActionExtractAnswers().run(dispatcher, tracker, domain_dict())
    assert not any(e.get("name") == "training" and e["value"] != ["bank_insurance"] for e in events)
    turn = next(e["value"] for e in events if e.get("name") == "quiz_turn")
    assert turn["note"] == "Geändert: Versicherungskauffrau."


@pytest.mark.parametrize(
    "text, requested, current, expected",
    [
        # A dash or an ellipsis ends the clause of a "nicht" before it.
        (
            "Passt so nicht – ich bin gelernte Industriekauffrau",
            None,
            BANK,
            {"training": ["commercial_other"]},
        ),
        (
            "ach nee, nicht büro… ich bin Zahnmedizinische Fachangestellte",
            "languages",
            OFFICE,
            {"training": ["other"]},
        ),
        # What was written before is taken back when another training follows.
        (
            "hatte geschrieben industriekauffrau, bin aber bankkauffrau",
            "languages",
            {"training": ["commercial_other"]},
            {"training": ["bank_insurance"]},
        ),
        (
            "hab vorhin geschrieben bürokauffrau, stimmt aber nicht, bin steuerfachangestellte",
            "languages",
            OFFICE,
            {"training": ["finance_hr_it"]},
        ),
        # "B2-Zertifikat": the level, also for a school language taken back.
        (
            "nicht Schulfranzösisch, ich habe ein B2-Zertifikat",
            "task_preference",
            {"training": ["office"], "languages": ["fr:basic"]},
            {"languages": ["fr:good"]},
        ),
    ],
)
def test_clause_ends_and_what_was_written_before(parser, text, requested, current, expected):
    assert slots_after(parser, text, requested, current) == expected


async def test_a_same_category_correction_at_an_open_question_asks_it_again():
    text = "Korrektur: ich bin Steuerfachangestellter, nicht Bürokauffrau"
    extracted, validated, messages = await extract_then_validate(
        text, "languages", {"training": ["finance_hr_it"]}
    )
    assert SlotSet("training", ["finance_hr_it"]) in extracted
    assert messages[0]["text"] == "Geändert: Steuerfachangestellter."
    assert not any("nicht als Sprachangabe" in (m.get("text") or "") for m in messages)
    assert state_of(validated)["prompt"] == "ask" and state_of(validated).get("misses", 0) == 0


# -- change requests in question form, unfinished studies, nothing to change -------------


@pytest.mark.parametrize(
    "text, requested, current, expected",
    [
        # A change asked for as a question is a correction, not a side question.
        (
            "Französisch behalten und Italienisch mit aufnehmen?",
            "task_preference",
            {"training": ["office"], "languages": ["fr:fluent"]},
            {"languages": ["fr:fluent", "it:good"]},
        ),
        (
            "Könnten Sie Polnisch bitte wieder streichen?",
            None,
            {**OFFICE, "languages": ["en:good", "pl:good"], "task_preference": "projects"},
            {"languages": ["en:good"]},
        ),
        (
            "würden sie mein englisch auf verhandlungssicher ändern?",
            None,
            {**OFFICE, "languages": ["en:good"], "task_preference": "projects"},
            {"languages": ["en:business"]},
        ),
    ],
)
def test_a_change_asked_as_a_question_is_applied(parser, text, requested, current, expected):
    parsed = parser.parse(text, requested)
    assert parsed.change_request and not parsed.question and not parsed.tentative
    assert merge_answers(current, parsed, requested) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Kann man Englisch später noch ändern?",  # about the quiz: impersonal
        "Was muss ich als Bürokauffrau ergänzen?",  # an interrogative asks
        "Kann ich die letzte Antwort ändern?",  # going back, no value named
        "Sollte ich noch Spanisch dazunehmen?",  # advice asked for
    ],
)
def test_a_question_about_changing_is_no_change_request(parser, text):
    parsed = parser.parse(text, "task_preference")
    assert not parsed.change_request
    assert parsed.asks or parsed.go_back


@pytest.mark.parametrize(
    "text",
    [
        "ein Abendstudium in BWL hab ich begonnen, bin noch mittendrin",
        "mache nebenher einen Bachelor, der läuft aber noch",
    ],
)
def test_a_study_still_going_on_adds_no_degree(parser, text):
    assert slots_after(parser, text, "languages", OFFICE) == {}


def test_a_degree_after_sondern_replaces_a_training_the_message_denies(parser):
    current = {"training": ["finance_hr_it"], "languages": ["en:good"]}
    text = "Korrigieren Sie bitte: keine Bank-Lehre, sondern ein Master in Jura"
    assert slots_after(parser, text, "task_preference", current) == {"training": ["degree"]}
    # Without the denial the degree is added beside the training.
    assert slots_after(parser, "Ich habe doch studiert", "task_preference", current) == {
        "training": ["finance_hr_it", "degree"]
    }


def test_a_level_named_for_a_language_again_replaces_the_default(parser):
    current = {"training": ["office"], "languages": ["fr:fluent"]}
    text = "französisch war zu viel gesagt, eher schulfranzösisch"
    assert slots_after(parser, text, "task_preference", current) == {"languages": ["fr:basic"]}


@pytest.mark.parametrize(
    "text", ["nein, stimmt alles, da muss nichts ändern", "alles richtig so, bleibt so"]
)
def test_nothing_to_change_is_neither_an_answer_nor_a_correction(parser, text):
    parsed = parser.parse(text, "task_preference")
    assert not parsed.dont_know and not parsed.correction
    current = {"training": ["office"], "languages": ["en:good"]}
    assert merge_answers(current, parsed, "task_preference") == {}


# -- issue 16: corrections that name what was wrong after it ------------------


@pytest.mark.parametrize(
    "text, requested, current, expected",
    [
        # A training called wrong after naming it is taken back, not kept beside the new one.
        (
            "Steuerfachangestellte war falsch, ich bin Kauffrau im Einzelhandel",
            "languages",
            {"training": ["finance_hr_it"]},
            {"training": ["commercial_other"]},
        ),
        (
            "das Französisch war gelogen, ehrlich gesagt",
            "task_preference",
            {"training": ["office"], "languages": ["en:good", "fr:good"]},
            {"languages": ["en:good"]},
        ),
        # A level after the cue: the level was wrong, the language stays.
        (
            "Englisch war falsch angegeben, eher fließend",
            None,
            {"training": ["office"], "languages": ["en:good"], "task_preference": "assistance"},
            {"languages": ["en:fluent"]},
        ),
        # "nix mit" denies the office training the visitor was taken for.
        (
            "ich hab Jura studiert, nix mit Büroausbildung",
            "languages",
            {"training": ["office"]},
            {"training": ["degree"]},
        ),
    ],
)
def test_what_a_clause_calls_wrong_is_taken_back(parser, text, requested, current, expected):
    assert slots_after(parser, text, requested, current) == expected


def test_an_answer_said_not_to_be_wrong_stays(parser):
    current = {"training": ["office"], "languages": ["en:good"]}
    text = "Englisch ist kein Quatsch, das brauche ich jeden Tag"
    assert slots_after(parser, text, "task_preference", current) == {}


@pytest.mark.parametrize(
    "text, current, expected",
    [
        # The only language gets the new level.
        ("fließend war zu hoch gegriffen, eher gut", ["en:fluent"], ["en:good"]),
        # Of two, the one stored at the level taken back.
        (
            "muttersprachlich war übertrieben, sagen wir sehr gut",
            ["en:good", "pl:native"],
            ["en:good", "pl:fluent"],
        ),
    ],
)
def test_a_level_taken_back_without_a_language_changes_the_language_it_belonged_to(
    parser, text, current, expected
):
    slots = {"training": ["office"], "languages": current}
    assert slots_after(parser, text, "task_preference", slots) == {"languages": expected}


def test_a_level_without_a_language_changes_nothing_when_unclear(parser):
    # Two languages, neither at the level taken back: which one is not said.
    slots = {"training": ["office"], "languages": ["en:good", "fr:basic"]}
    text = "verhandlungssicher war übertrieben, eher gut"
    assert slots_after(parser, text, "task_preference", slots) == {}
    # A level alone without taking one back is no correction.
    assert slots_after(parser, "gut", "task_preference", {**slots, "languages": ["en:basic"]}) == {}


def test_a_level_word_with_niveau_is_read(parser):
    slots = {"training": ["office"], "languages": ["fr:good"], "task_preference": "projects"}
    text = "Korrektur: Französisch eher Grundkenntnisniveau"
    assert slots_after(parser, text, None, slots) == {"languages": ["fr:basic"]}


@pytest.mark.parametrize(
    "text, requested, target",
    [
        # "neu" before an answer verb redoes one answer; it is no restart.
        ("Die Antwort davor möchte ich neu angeben", "task_preference", None),
        # After the result the work question can be named.
        (
            "Die Frage nach meiner Vorliebe würde ich gern noch mal beantworten",
            None,
            "task_preference",
        ),
    ],
)
def test_redoing_one_answer_goes_back(parser, text, requested, target):
    parsed = parser.parse(text, requested)
    assert parsed.go_back and parsed.go_back_to == target


def test_naming_the_work_question_while_it_is_still_to_come_goes_nowhere(parser):
    assert parser.parse("die Vorliebe nochmal neu", "languages").go_back_to is None


def test_nonsense_given_before_a_preference_after_the_result_corrects_it(parser):
    slots = {"training": ["office"], "languages": ["en:good"], "task_preference": "specialist"}
    text = "Da hab ich Unsinn angegeben, ich koordiniere viel lieber Projekte"
    assert slots_after(parser, text, None, slots) == {"task_preference": "projects"}


def test_a_training_answer_called_a_mistake_is_replaced_by_a_study(parser):
    current = {"training": ["office"], "languages": ["en:good"], "task_preference": "projects"}
    text = "Meine Ausbildung anzugeben war ein Irrtum, ich habe Geschichte studiert"
    assert slots_after(parser, text, None, current) == {"training": ["degree"]}
    # Without it, a study named after a vocational training is added beside it.
    assert slots_after(parser, "Ich habe übrigens Geschichte studiert", None, current) == {
        "training": ["office", "degree"]
    }


def test_a_level_said_too_low_is_raised(parser):
    current = {"training": ["office"], "languages": ["es:basic"]}
    text = "Grundkenntnisse waren untertrieben, eher sehr gut"
    assert slots_after(parser, text, "task_preference", current) == {"languages": ["es:fluent"]}


def test_adding_a_language_asked_politely_is_a_change(parser):
    current = {"training": ["office"], "languages": ["en:good"]}
    text = "Darf ich noch erwähnen, dass ich Italienisch spreche?"
    parsed = parser.parse(text, "task_preference")
    assert parsed.change_request
    assert merge_answers(current, parsed, "task_preference") == {
        "languages": ["en:good", "it:good"]
    }


def test_a_training_called_wrong_in_other_words_is_replaced(parser):
    current = {"training": ["other"], "languages": ["en:good"]}
    text = "Die Angabe Friseurin war verkehrt, ich bin Steuerfachangestellte"
    assert slots_after(parser, text, "task_preference", current) == {"training": ["finance_hr_it"]}


def test_setting_a_level_asked_as_a_question_is_a_change(parser):
    current = {"training": ["office"], "languages": ["fr:good"]}
    parsed = parser.parse("Könnten Sie Französisch auf fließend hochsetzen?", "task_preference")
    assert parsed.change_request
    assert merge_answers(current, parsed, "task_preference") == {"languages": ["fr:fluent"]}


# -- fifth session of 2026-12-03 (misses of the fresh5 tuning set) ------------------


@pytest.mark.parametrize(
    "text, requested, current, expected",
    [
        # "statt X" names the training or language replaced, in a correction...
        (
            "Korrektur: Ich habe statt Büromanagement eine Ausbildung zur Bankkauffrau.",
            None,
            {"training": ["office"], "languages": ["en:basic"], "task_preference": "specialist"},
            {"training": ["bank_insurance"]},
        ),
        ("Bankkauffrau statt Bürokauffrau, sorry", "languages", OFFICE,
         {"training": ["bank_insurance"]}),
        # ...only when it follows right after: here the replaced one is no title.
        (
            "Statt Einzelhandel bitte Kaufmann für Versicherungen und Finanzanlagen eintragen.",
            "languages",
            {"training": ["commercial_other"]},
            {"training": ["bank_insurance"]},
        ),
        # A title joined to "ausbildung" is read ("friseurausbildung").
        (
            "doch, ich hab ne friseurausbildung gemacht, hatte ich vergessen. "
            "sprachen: englisch grundkenntnisse",
            "languages",
            {"training": ["none"]},
            {"training": ["other"], "languages": ["en:basic"]},
        ),
        # Not knowing the open work question, beside a correction of the languages.
        (
            "Russisch streichen. Und ich weiß ehrlich nicht, was ich am liebsten mache.",
            "task_preference",
            {"training": ["office"], "languages": ["en:good", "ru:basic"]},
            {"languages": ["en:good"], "task_preference": "unsure"},
        ),
        # ...and after the result.
        (
            "Hmm, ich weiß doch nicht so genau, was ich am liebsten mache.",
            None,
            {"training": ["degree"], "languages": ["en:good"], "task_preference": "projects"},
            {"task_preference": "unsure"},
        ),
    ],
)  # fmt: skip
def test_replacements_compounds_and_not_knowing_beside_a_correction(
    parser, text, requested, current, expected
):
    assert slots_after(parser, text, requested, current) == expected


@pytest.mark.parametrize(
    "text, value, said",
    [
        ("friseurausbildung", ["other"], "Friseur"),
        ("MFA-Ausbildung", ["other"], "MFA"),
        ("Friseurlehre", ["other"], "Friseur"),
        ("bankausbildung", ["bank_insurance"], "bankausbildung"),  # a title itself
    ],
)
def test_a_title_joined_to_the_word_ausbildung_is_read(parser, text, value, said):
    parsed = parser.parse(text, "training")
    assert parsed.training == value
    assert said in parsed.training_texts.values()


def test_a_word_that_only_ends_like_a_training_is_no_title(parser):
    assert parser.parse("Hochschulausbildung", "training").training == []


@pytest.mark.parametrize(
    "text, training, dropped",
    [
        # Only what follows the last comma before the dropout words was dropped.
        ("Ausbildung zur Bürokauffrau, Studium nicht fertig gemacht", ["office"], "Studium"),
        ("Ausbildung zur Bürokauffrau, Studium nie fertig gemacht", ["office"], "Studium"),
        # "nicht fertig" alone is a dropout too (visitor finding: stored as a BWL degree).
        ("ich habe ein fernstudium BWL angefangen aber nicht fertig", [], "fernstudium"),
    ],
)
def test_a_dropped_study_beside_a_finished_training_keeps_the_training(
    parser, text, training, dropped
):
    parsed = parser.parse(text, "training")
    assert parsed.training == training
    assert dropped in parsed.training_dropped.values()


def test_a_dropped_study_added_after_the_result_adds_no_degree(parser):
    current = {"training": ["office"], "languages": ["en:good"], "task_preference": "assistance"}
    text = "ich habe doch auch ein fernstudium BWL angefangen aber nicht fertig"
    assert "training" not in slots_after(parser, text, None, current)


def test_the_pronoun_es_before_a_level_word_is_no_spanish(parser):
    assert slots_after(parser, "Englisch, ich spreche es fließend", "languages", OFFICE) == {
        "languages": ["en:fluent"]
    }
    # A code in lowercase still counts beside a CEFR level ("es b2").
    assert slots_after(parser, "es b2", "languages", OFFICE) == {"languages": ["es:good"]}


@pytest.mark.parametrize("text", ["Sorry, I don't speak German", "I speak English"])
def test_english_about_the_chats_language_stores_nothing(parser, text):
    parsed = parser.parse(text, "languages")
    assert parsed.english and merge_answers(OFFICE, parsed, "languages") == {}


@pytest.mark.parametrize(
    "text, expected",
    [
        # fresh9, said anew: a training remembered after the result is added to the answer.
        (
            "ich habe noch Industriekauffrau gelernt, fertig seit 2012",
            ["office", "commercial_other"],
        ),
        ("Mir ist eingefallen, dass ich auch Friseurin gelernt habe", ["office", "other"]),
        # Without such a word the new training replaces the old one.
        ("eigentlich bin ich Bankkauffrau", ["bank_insurance"]),
    ],
)
def test_a_training_remembered_later_is_added(parser, text, expected):
    parsed = parser.parse(text, None)
    current = {"training": ["office"], "languages": [], "task_preference": "assistance"}
    assert merge_answers(current, parsed, None)["training"] == expected


# fresh10 (a tuning set since 2026-12-04, fifth session), said anew.
@pytest.mark.parametrize(
    "text, requested, current, expected",
    [
        # A study instead of the training: "keine Ausbildung" or the button's word negated.
        (
            "stimmt nicht ganz, ich habe einen Bachelor in Soziologie und keine Ausbildung",
            "languages",
            {"training": ["office"]},
            {"training": ["degree"]},
        ),
        (
            "hab doch Jura studiert, das war vorhin falsch. also kein Büro",
            "task_preference",
            {"training": ["office"], "languages": []},
            {"training": ["degree"]},
        ),
        (
            "eigentlich Lohnbuchhalterin gelernt, nicht Büro. Zahlen mag ich auch am liebsten",
            "task_preference",
            {"training": ["office"], "languages": []},
            {"training": ["finance_hr_it"], "task_preference": "specialist"},
        ),
        # The button's training denied in other words, or in English (its German gloss).
        (
            "Büro habe ich nie gelernt, ich war nur in der Uni und hab abgebrochen",
            "languages",
            {"training": ["office"]},
            {"training": ["none"]},
        ),
        (
            "sorry wrong button, I hold a master's in biology, no office training",
            "languages",
            {"training": ["office"]},
            {"training": ["degree"]},
        ),
        # A final exam failed: the training was not finished.
        (
            "Bürokauffrau stimmt nicht ganz, bin durch die Abschlussprüfung gefallen",
            "languages",
            {"training": ["office"]},
            {"training": ["none"]},
        ),
        # What was clicked before, then what is true.
        (
            "Ich hatte Studium ausgewählt, aber den Master nur angefangen und dann "
            "Bankkauffrau gelernt",
            "languages",
            {"training": ["degree"]},
            {"training": ["bank_insurance"]},
        ),
        # "Ausbildung: keine" corrects the training too.
        (
            "sorry, zweimal verklickt. ausbildung keine, nur hauptschule. "
            "sprachen: polnisch muttersprache",
            "task_preference",
            {"training": ["office"], "languages": []},
            {"training": ["none"], "languages": ["pl:native"]},
        ),
        # "beides" beside a second training is no "weiß nicht".
        (
            "ich hab noch eine zweite Ausbildung als Steuerfachangestellte, bitte beides",
            "task_preference",
            {"training": ["office"], "languages": []},
            {"training": ["office", "finance_hr_it"]},
        ),
        # A title after "ich bin" stays a training at the work question.
        (
            "Korrektur: ich bin Kauffrau für Versicherungen und Finanzanlagen",
            "task_preference",
            {"training": ["office"], "languages": []},
            {"training": ["bank_insurance"]},
        ),
    ],
)
def test_corrections_that_replace_the_training_given_with_a_button(
    parser, text, requested, current, expected
):
    assert slots_after(parser, text, requested, current) == expected


@pytest.mark.parametrize(
    "text, added",
    [
        ("Ich habe doch studiert", "degree"),
        ("Ich habe auch studiert, nicht nur Büro", "degree"),
        # "kein Studium" beside an added training takes back no earlier answer.
        ("Ich habe auch Bankkauffrau gelernt, kein Studium", "bank_insurance"),
    ],
)
def test_a_study_added_beside_a_training_still_adds(parser, text, added):
    # People have both: the new one is added, the training stays.
    current = {"training": ["office"], "languages": []}
    merged = slots_after(parser, text, "task_preference", current)["training"]
    assert merged == ["office", added]


# -- fresh11 (tuning since the sixth session of 2026-12-04): corrections after the result ----


@pytest.mark.parametrize(
    "text, expected",
    [
        # A training named by its trade, the office button denied beside it.
        (
            "sorry, vertan: ausbildung war im einzelhandel, nicht büro",
            {"training": ["commercial_other"]},
        ),
        # Nothing finished after all.
        (
            "ich hab doch gar nix abgeschlossen, die Lehre hab ich abgebrochen",
            {"training": ["none"]},
        ),
        ("eigentlich keine richtige ausbildung, nur ein paar kurse", {"training": ["none"]}),
        # Not knowing which work is liked, said after the result.
        ("ich weiß ehrlich gesagt nicht, was ich am liebsten mache", {"task_preference": "unsure"}),
        # "eher" names the liked work beside a corrected training.
        (
            "Korrektur: Versicherungskaufmann und eher Fachaufgaben",
            {"training": ["bank_insurance"], "task_preference": "specialist"},
        ),
    ],
)
def test_corrections_after_the_result_in_new_words(parser, text, expected):
    current = {"training": ["office"], "languages": [], "task_preference": "assistance"}
    assert slots_after(parser, text, None, current) == expected
