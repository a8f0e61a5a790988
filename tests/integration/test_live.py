"""Live tests: the real action server and Rasa server, full quizzes over REST, stored rows.

Needs the trained model (models/quiz.tar.gz); `make test` trains it first.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
import requests

from devtools.contextual import PREFIX
from devtools.stack import results_repository, running_stack
from rasa_addons.tracker_store import INDEXES
from tests.helpers import QUIZZES, new_sender, texts

pytestmark = pytest.mark.live


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("live")) as running:
        yield running


@pytest.fixture(scope="module")
def repo(stack):
    with results_repository(stack) as repository:
        yield repository


def open_question(stack, sender: str, slot: str) -> None:
    """Starts the quiz and answers the questions before `slot` with buttons."""
    for message in PREFIX[slot]:
        stack.send(sender, message)


@pytest.mark.parametrize("messages,variant,heading", QUIZZES)
def test_full_quiz_for_each_variant(stack, repo, messages, variant, heading):
    sender = new_sender()
    greeting = stack.send(sender, "Hallo")
    assert "Quiz starten" in [b["title"] for b in greeting[0]["buttons"]]
    replies = []
    for message in messages:
        replies = stack.send(sender, message)
        assert replies, f"no reply to {message!r}"
    assert heading in texts(replies)
    assert "Nächste Schritte" in texts(replies)
    slots = stack.tracker(sender)["slots"]
    assert slots["recommended_variant"] == variant
    assert max(slots["variant_scores"], key=slots["variant_scores"].get) == variant
    [row] = repo.results_for(sender)
    assert row["variant"] == variant
    assert row["scores"] == slots["variant_scores"]
    assert row["answers"] == {k: slots[k] for k in ("training", "languages", "task_preference")}


def test_questions_in_order_and_answers_never_asked_twice(stack):
    sender = new_sender()
    replies = stack.send(sender, "Hallo, ich bin Bankkauffrau und spreche fließend Englisch")
    # The first message already answered two questions: the quiz goes straight to the third.
    assert "Welche Arbeit machen Sie am liebsten?" in texts(replies)
    assert "Welche Ausbildung" not in texts(replies)


def test_unclear_answers_get_examples_then_buttons_then_a_skip(stack):
    sender = new_sender()
    assert "Welche Ausbildung" in texts(stack.send(sender, "/start_quiz"))
    # First answer that cannot be placed: examples, and not the question once more.
    replies = stack.send(sender, '/inform{"training": "astronaut"}')
    assert "Bankkaufmann" in texts(replies)
    assert "Welche Ausbildung" not in texts(replies)
    # Second: the options as buttons, with "Überspringen".
    replies = stack.send(sender, "Blumenkohl")
    assert "Überspringen" in [b["title"] for r in replies for b in r.get("buttons", [])]
    # Third: the question is skipped (stored as unknown), the next one follows.
    replies = stack.send(sender, "🙂")
    assert "überspringe" in texts(replies)
    assert "Welche Fremdsprachen" in texts(replies)
    slots = stack.tracker(sender)["slots"]
    assert slots["training"] == [] and slots["skipped_slots"] == ["training"]


def test_answer_naming_an_faq_topic_is_an_answer_and_is_confirmed(stack):
    sender = new_sender()
    open_question(stack, sender, "task_preference")
    replies = stack.send(sender, "Fach-Backoffice")
    assert texts(replies).startswith("Notiert: am liebsten Fachaufgaben")
    assert "Empfehlung" in texts(replies)
    assert stack.tracker(sender)["slots"]["task_preference"] == "specialist"


def test_mixed_answer_and_question_stores_the_answer_and_answers_the_question(stack):
    sender = new_sender()
    stack.send(sender, "/start_quiz")
    replies = stack.send(sender, "Ich bin Bankkauffrau – brauche ich dafür ein Studium?")
    assert texts(replies).startswith("Notiert: Bankkauffrau")
    assert "Studium" in texts(replies).split("\n", 1)[-1]
    assert "Welche Fremdsprachen" in texts(replies)
    assert stack.tracker(sender)["slots"]["training"] == ["bank_insurance"]


def test_mixed_answer_and_question_as_the_first_message_offers_the_quiz(stack):
    # The README's example, typed before the quiz: the question is answered, the answer
    # kept and the quiz offered; started, the quiz takes it and asks the next question.
    sender = new_sender()
    stack.send(sender, "/greet")
    sent = stack.send(sender, "Ich bin Bankkauffrau – brauche ich dafür ein Studium?")
    replies = texts(sent)
    assert "Studium ist keine Pflicht" in replies
    assert "Notiert: Bankkauffrau" in replies
    assert "Welche" not in replies
    assert "/start_quiz" in [b.get("payload") for r in sent for b in r.get("buttons") or []]
    slots = stack.tracker(sender)["slots"]
    assert slots["training"] is None and slots["requested_slot"] is None
    assert "Welche Fremdsprachen" in texts(stack.send(sender, "/start_quiz"))
    slots = stack.tracker(sender)["slots"]
    assert slots["training"] == ["bank_insurance"]
    assert slots["requested_slot"] == "languages"
    # A question alone starts nothing.
    other = new_sender()
    stack.send(other, "/greet")
    assert "Welche" not in texts(stack.send(other, "Brauche ich ein Studium?"))
    assert stack.tracker(other)["slots"]["requested_slot"] is None


def test_an_addition_with_a_question_after_the_result_updates_it(stack):
    sender = new_sender()
    messages, _, _ = QUIZZES[0]  # office training, English, organising
    for message in messages:
        stack.send(sender, message)
    before = stack.tracker(sender)["slots"]["training"]
    replies = texts(
        stack.send(sender, "ach und ich hab noch nen master in finance, ändert das was?")
    )
    assert "Empfehlung" in replies  # the result is computed again with the degree
    assert stack.tracker(sender)["slots"]["training"] == [*before, "degree"]


def test_an_addition_the_classifier_cannot_place_still_updates_the_result(stack):
    # visit10 #7: the degree was stored, yet the reply was "nicht verstanden".
    sender = new_sender()
    messages, _, _ = QUIZZES[0]
    for message in messages:
        stack.send(sender, message)
    before = stack.tracker(sender)["slots"]["training"]
    replies = texts(
        stack.send(sender, "Ich habe doch studiert, Bachelor Intl. Management, vergaß ich zu sagen")
    )
    assert "Geändert" in replies and "Empfehlung" in replies
    assert "nicht verstanden" not in replies
    assert stack.tracker(sender)["slots"]["training"] == [*before, "degree"]
    # Letters without words after it still get "nicht verstanden" and change nothing.
    assert "nicht verstanden" in texts(stack.send(sender, "qwertz asdfg"))
    assert stack.tracker(sender)["slots"]["training"] == [*before, "degree"]


def test_a_greeting_with_a_training_says_it_was_noted_and_asks_on(stack):
    # visit10 #4: the training was stored silently and its question skipped later.
    sender = new_sender()
    replies = texts(stack.send(sender, "Hallo, ich bin Malerin und überlege, ins Büro zu gehen"))
    assert "Notiert: Malerin" in replies
    assert "Welche Fremdsprachen" in replies
    assert stack.tracker(sender)["slots"]["training"] == ["other"]


def test_clarifying_question_between_two_preferences(stack):
    sender = new_sender()
    open_question(stack, sender, "task_preference")
    replies = stack.send(sender, "Termine und Buchhaltung")
    buttons = [b["payload"] for r in replies for b in r.get("buttons", [])]
    assert '/inform{"task_preference": "assistance"}' in buttons
    assert '/inform{"task_preference": "specialist"}' in buttons
    assert "Welche Arbeit" not in texts(replies)
    replies = stack.send(sender, '/inform{"task_preference": "specialist"}')
    assert "Empfehlung" in texts(replies)


def test_a_restart_in_the_quiz_is_confirmed_and_loses_no_answers(stack):
    sender = new_sender()
    stack.send(sender, "/start_quiz")
    stack.send(sender, "Industriekauffrau")
    # Classified as start_over, but not a clear request: confirm first.
    replies = stack.send(sender, "Ich will nochmal neu anfangen")
    assert "Möchten Sie wirklich neu beginnen?" in texts(replies)
    assert "Welche Fremdsprachen" not in texts(replies)
    assert stack.tracker(sender)["slots"]["training"] == ["commercial_other"]
    # "Nein, weitermachen": everything kept, the open question again.
    replies = stack.send(sender, "/continue_quiz")
    assert "Welche Fremdsprachen" in texts(replies)
    assert stack.tracker(sender)["slots"]["training"] == ["commercial_other"]
    # Asked again and confirmed with the button: a new quiz.
    stack.send(sender, "Ich will nochmal neu anfangen")
    replies = stack.send(sender, "/start_over")
    assert "Welche Ausbildung" in texts(replies)
    assert stack.tracker(sender)["slots"]["training"] is None


def test_confirmed_restart_after_the_result(stack):
    sender = new_sender()
    stack.send(sender, "Bürokaufmann, nur Deutsch und ich unterstütze gern mein Team")
    replies = stack.send(sender, "Alles auf Null")
    assert "neu beginnen" in texts(replies)
    assert "Welche Ausbildung" not in texts(replies)
    assert stack.tracker(sender)["slots"]["recommended_variant"] == "secretarial"
    replies = stack.send(sender, "Ja")
    assert "Welche Ausbildung" in texts(replies)
    assert stack.tracker(sender)["slots"]["recommended_variant"] is None


def test_question_in_the_middle_then_same_question(stack):
    sender = new_sender()
    stack.send(sender, "/start_quiz")
    stack.send(sender, "Industriekauffrau")
    replies = stack.send(sender, "Was heißt eigentlich verhandlungssicher?")
    assert "C1" in texts(replies) or "C2" in texts(replies)
    assert "Welche Fremdsprachen" in texts(replies)


def test_going_back_and_keeping_the_answer_goes_on_without_changing_it(stack, repo):
    # visit7 #8: "nein alles gut, weiter" after "Zurück" was no answer at the language
    # question, and after the result it stored "weiß nicht" for the work question.
    sender = new_sender()
    open_question(stack, sender, "task_preference")
    stack.send(sender, "kann ich nochmal zurück?")
    replies = texts(stack.send(sender, "nein alles gut, weiter"))
    assert "Bleibt wie bisher: keine Fremdsprachen." in replies
    assert "Welche Arbeit machen Sie am liebsten?" in replies
    stack.send(sender, '/inform{"task_preference": "assistance"}')
    stack.send(sender, "zurück")
    replies = texts(stack.send(sender, "passt so"))
    assert "Ihre Empfehlung bleibt" in replies
    slots = stack.tracker(sender)["slots"]
    assert (slots["languages"], slots["task_preference"]) == ([], "assistance")
    rows = repo.results_for(sender)
    assert rows and {row["answers"]["task_preference"] for row in rows} == {"assistance"}


def test_correction_why_feedback_and_restart(stack, repo):
    sender = new_sender()
    stack.send(sender, "Bürokaufmann, nur Deutsch und ich unterstütze gern mein Team")
    assert repo.results_for(sender)[-1]["variant"] == "secretarial"

    replies = stack.send(sender, "Ich habe doch studiert und plane lieber Projekte")
    assert texts(replies).startswith("Geändert:")
    assert "Empfehlung" in texts(replies) or "gleichauf" in texts(replies)
    rows = repo.results_for(sender)
    assert len(rows) == 2  # the correction adds a row and keeps the old one
    assert rows[0]["answers"]["training"] == ["office"]
    assert rows[1]["answers"]["training"] == ["office", "degree"]

    assert "So ist die Empfehlung entstanden" in texts(stack.send(sender, "Warum?"))

    stack.send(sender, "/feedback_positive")
    assert repo.results_for(sender)[-1]["feedback"] == "helpful"

    replies = stack.send(sender, "Neu starten")
    assert "Welche Ausbildung" in texts(replies)
    assert stack.tracker(sender)["slots"]["recommended_variant"] is None


def test_each_new_quiz_runs_in_a_new_session(stack, repo):
    # "Neu starten" and "Quiz starten" after a result end the Rasa session, so later
    # messages replay only the new quiz (issue 4); the quiz itself must not notice.
    sender = new_sender()
    stack.send(sender, "Bürokaufmann, nur Deutsch und ich unterstütze gern mein Team")
    assert "Welche Ausbildung" in texts(stack.send(sender, "Neu starten"))
    stack.send(sender, "Bankkaufmann")
    stack.send(sender, "Tschechisch verhandlungssicher")
    assert "Empfehlung: Fach-Backoffice" in texts(stack.send(sender, "Zahlen und Buchhaltung"))
    assert "So ist die Empfehlung entstanden" in texts(stack.send(sender, "Warum?"))
    assert "Welche Ausbildung" in texts(stack.send(sender, "Quiz starten"))
    tracker = stack.tracker(sender)
    assert [e["event"] for e in tracker["events"]].count("session_started") == 3
    assert tracker["slots"]["training"] is None
    assert tracker["active_loop"]["name"] == "career_quiz_form"
    assert [row["variant"] for row in repo.results_for(sender)] == ["secretarial", "specialist"]


def test_conversations_are_stored_in_the_indexed_sqlite_tracker_store(stack):
    # Rasa silently falls back to an in-memory store when it cannot load the
    # configured class; the events must be on disk, with the store's indexes.
    sender = new_sender()
    stack.send(sender, "Hallo")
    with sqlite3.connect(stack.tracker_db) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM events WHERE sender_id = ?", (sender,)
        ).fetchone()[0]
        indexes = {row[1] for row in conn.execute("PRAGMA index_list('events')")}
    assert stored >= 3
    assert set(INDEXES) <= indexes


BAD_INPUTS = [
    "",
    "   \n\t ",
    "x" * 5_000,  # over 2,000 characters: "please shorten", nothing stored
    "a-" * 3_000,
    "🙂🎉🚀",
    "Hello, can you help me find a job in London?",
    "<img src=x onerror=alert(1)><script>alert('x')</script>",
    "'; DROP TABLE quiz_results; --",
    '/inform{"recommended_variant": "project_management", "variant_scores": {"x": 1}}',
    '/inform{"training": ["<b>", 1, null]}',
    "/nonexistent_intent",
    "/inform{broken json",
]


@pytest.mark.parametrize("message", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_input_gets_a_friendly_answer(stack, repo, message):
    sender = new_sender()
    stack.send(sender, "Bürokaufmann, nur Deutsch und ich unterstütze gern mein Team")
    before = repo.results_for(sender)
    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": message},
        timeout=60,
    )
    assert response.status_code == 200
    replies = response.json()
    assert replies and all(r.get("text") for r in replies), replies
    # Stored data is neither lost nor forged.
    assert repo.results_for(sender) == before
    slots = stack.tracker(sender)["slots"]
    assert slots["recommended_variant"] == "secretarial"
    assert slots["training"] == ["office"]


def test_forged_result_before_the_quiz_sets_nothing(stack, repo):
    sender = new_sender()
    stack.send(sender, '/inform{"recommended_variant": "project_management"}')
    slots = stack.tracker(sender)["slots"]
    assert slots["recommended_variant"] is None
    assert slots["variant_scores"] is None
    assert repo.results_for(sender) == []


def test_http_api_needs_the_token(stack):
    response = requests.get(f"{stack.rasa_url}/conversations/someone/tracker", timeout=10)
    assert response.status_code == 401
    response = requests.get(f"{stack.rasa_url}/status", params={"token": "wrong"}, timeout=10)
    assert response.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        json.dumps([1, 2]),
        json.dumps({"sender": "a", "message": 5}),
        json.dumps({"message": "Hallo"}),  # no sender: Rasa would use a shared "default" chat
        json.dumps({"sender": "", "message": "Hallo"}),
        json.dumps({"sender": {"x": 1}, "message": "Hallo"}),
    ],
)
def test_malformed_rest_requests_get_400(stack, body):
    url = f"{stack.rasa_url}/webhooks/rest/webhook"
    response = requests.post(url, data=body, timeout=30)
    assert response.status_code == 400, (body, response.status_code, response.text)
    # The server is still healthy afterwards.
    assert stack.send(new_sender(), "Hallo")


def test_stored_rows_only_hold_hashes(stack, repo):
    sender = new_sender()
    stack.send(sender, "Bankkauffrau, Englisch gut, Buchhaltung mag ich")
    stack.send(sender, "Zahlen")
    rows = repo.results_for(sender)
    assert rows
    assert sender not in Path(stack.database_url.replace("sqlite:///", "")).read_bytes().decode(
        "utf-8", "ignore"
    )
