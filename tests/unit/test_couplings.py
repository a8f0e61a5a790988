"""What the domain, the rules and the Python code must agree on (career_quiz/dialogue.py):
generated rule files up to date, every response the code names defined, every response
used, button payloads that Rasa renders to valid payloads of the domain.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Iterator, List, Set

import pytest
import yaml

from career_quiz import dialogue, side_answers, turns
from career_quiz.contract import QUIZ_SLOTS
from tests.helpers import ROOT

ACTIONS_FILE = ROOT / "actions" / "actions.py"
# The responses actions/actions.py sends are named there and in the decisions and results
# it translates.
TURNS_FILE = ROOT / "career_quiz" / "turns.py"
RESULTS_FILE = ROOT / "career_quiz" / "results.py"
# actions/recap.py sends the responses career_quiz/recap.py names.
RECAP_FILE = ROOT / "career_quiz" / "recap.py"
JOB_AD_ACTIONS_FILE = ROOT / "actions" / "job_ad.py"
# Placeholders a response may have; Rasa fills them from utter_message's keyword arguments.
PLACEHOLDERS = {
    "utter_recommendation_kept": {"title", "score"},
    "utter_service_too_long": {"limit"},
    "utter_recap": {"answers", "recommendation", "next_step"},
    "utter_recap_partial": {"answers"},
    "utter_offer_quiz_held": {"note"},
    # The answer built from the facts (career_quiz/side_answers.py), from its slot.
    **{f"utter_{topic}": {"side_answer"} for topic in side_answers.topics()},
}


def test_generated_files_are_up_to_date():
    for path, text in dialogue.generated_files().items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is stale: run `python -m career_quiz.cli build-rules`"
        )


def test_the_generated_rules_answer_every_topic_in_and_outside_the_quiz():
    rules = yaml.safe_load(dialogue.DIGRESSION_RULES_FILE.read_text(encoding="utf-8"))["rules"]
    outside = {
        tuple(s.get("intent") or s.get("action") for s in r["steps"])
        for r in rules
        if r["condition"] == [{"active_loop": None}]
    }
    inside = {
        tuple(s.get("intent") or s.get("action") or s.get("active_loop") for s in r["steps"])
        for r in rules
        if r["condition"] == [{"active_loop": "career_quiz_form"}]
    }
    form = "career_quiz_form"
    topics = len(dialogue.topic_intents())
    assert topics >= 17 and "faq_privacy" in dialogue.topic_intents()
    beside = dialogue.ANSWERS_BESIDE_QUESTION
    own_in_quiz = {"chitchat_thanks"}  # a topic with a response of its own in the quiz
    for intent in dialogue.topic_intents():
        # Outside the quiz, answers in the question's message then start the quiz.
        assert (intent, f"utter_{intent}", beside) in outside
        inner = f"utter_{intent}_in_quiz" if intent in own_in_quiz else f"utter_{intent}"
        assert (intent, inner, form, form) in inside
    assert ("greet", "utter_greet_in_quiz", form, form) in inside
    assert ("ask_fit", "utter_ask_fit_in_quiz", form, form) in inside
    # Intents with an in-quiz response only (greet, ask_fit) get one rule each.
    in_quiz_only = len(dialogue.in_quiz_replies()) - topics
    assert len(outside) + len(inside) == len(rules) == 2 * topics + in_quiz_only


def test_every_topic_intent_has_its_response_and_every_response_its_intent():
    responses = set()
    for path in dialogue.TOPICS_FILES:
        topics = yaml.safe_load(path.read_text(encoding="utf-8"))
        responses |= {name.removeprefix("utter_") for name in topics["responses"]}
    assert set(dialogue.topic_intents()) == responses


def _python_intents() -> Set[str]:
    from career_quiz import results

    return set(results.FEEDBACK_BY_INTENT) | set(turns.RESUME_INTENTS) | {turns.CATCH_ALL_INTENT}


def test_intents_named_in_python_and_in_rules_exist_in_the_domain():
    intents = set(dialogue.domain_intents())
    assert _python_intents() <= intents
    assert set(dialogue.rules_in_quiz()) <= intents
    assert {turns.GO_BACK_INTENT, turns.AFFIRM_INTENT} <= intents
    source = ACTIONS_FILE.read_text(encoding="utf-8") + TURNS_FILE.read_text(encoding="utf-8")
    for name in re.findall(r'_intent\(tracker\) == "(\w+)"|_INTENT = "(\w+)"', source):
        assert "".join(name) in intents, name


def test_custom_actions_are_those_of_the_domain():
    from rasa_sdk import Action

    from actions import actions

    classes = [
        cls
        for _, cls in inspect.getmembers(actions, inspect.isclass)
        if issubclass(cls, Action) and cls.__module__ == actions.__name__
    ]
    names = {cls().name() for cls in classes if not inspect.isabstract(cls)}
    domain = yaml.safe_load((dialogue.DOMAIN_DIR / "quiz.yml").read_text(encoding="utf-8"))
    assert names == set(domain["actions"])


def _response_names_in(path: Path) -> Set[str]:
    """Every response name a module spells out; `{self.slot}` stands for each quiz slot."""
    names: Set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    pieces = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if re.fullmatch(r"utter_\w+", node.value) and id(node) not in pieces:
                names.add(node.value)
        elif isinstance(node, ast.JoinedStr):
            parts = [v.value if isinstance(v, ast.Constant) else "{}" for v in node.values]
            template = "".join(str(p) for p in parts)
            if template.startswith("utter_"):
                assert template.count("{}") == 1, template
                names |= {template.format(slot) for slot in QUIZ_SLOTS}
    return names


def test_every_response_the_actions_name_exists_and_every_action_response_is_named():
    # Only the work preference has a clarifying question (two fitting preferences).
    unreachable = {"utter_ask_training_clarify", "utter_ask_languages_clarify"}
    named = (
        _response_names_in(ACTIONS_FILE)
        | _response_names_in(TURNS_FILE)
        | _response_names_in(RESULTS_FILE)
        | _response_names_in(RECAP_FILE)
        | _response_names_in(JOB_AD_ACTIONS_FILE)
    ) - unreachable
    assert "utter_ask_task_preference_clarify" in named and "utter_start_over" in named
    assert named <= set(dialogue.domain_responses())
    # The English notice is one of domain/corrections.yml's (actions/corrections.py).
    assert named - {"utter_english_notice"} == set(dialogue.action_responses())


def _steps(folder: Path) -> Iterator[Dict[str, Any]]:
    for path in folder.glob("*.yml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in (data.get("rules") or []) + (data.get("stories") or []):
            yield from block.get("steps") or []


def test_every_response_is_named_by_a_rule_or_story():
    # `rasa data validate --fail-on-warnings` only warns about unused responses (exit 0).
    steps = [s for folder in ("rules", "stories") for s in _steps(ROOT / "data" / folder)]
    used = {s["action"] for s in steps if str(s.get("action", "")).startswith("utter_")}
    assert set(dialogue.domain_responses()) - used == set()
    assert used - set(dialogue.domain_responses()) == set()


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_braces_in_responses_are_placeholders_or_doubled():
    # Rasa fills every `{name}` of a response; a literal brace must be doubled, or Rasa
    # logs an error with a traceback each time it sends the response.
    for name, variants in dialogue.domain_responses().items():
        for text in _strings(variants):
            single = text.replace("{{", "").replace("}}", "")
            found = set(re.findall(r"\{([^{}]*)\}", single))
            assert found <= PLACEHOLDERS.get(name, set()), (name, text)
            assert not re.sub(r"\{[^{}]*\}", "", single).count("{"), (name, text)
            assert not re.sub(r"\{[^{}]*\}", "", single).count("}"), (name, text)


def test_every_domain_text_speaks_formally():
    texts = [t for variants in dialogue.domain_responses().values() for t in _strings(variants)]
    texts += list(
        yaml.safe_load((ROOT / "data" / "knowledge" / "texts.yml").read_text(encoding="utf-8"))[
            "notes"
        ].values()
    )
    for text in texts:
        assert not re.search(r"\b(du|dich|dir|dein\w*|euch|ihr seid)\b", text, re.I), text


@lru_cache(maxsize=1)
def _rasa_domain() -> Any:
    from rasa.shared.core.domain import Domain

    return Domain.load(str(dialogue.DOMAIN_DIR))


def render(name: str, **kwargs: Any) -> Dict[str, Any]:
    """What Rasa sends for `dispatcher.utter_message(response=name, **kwargs)`."""
    from rasa.core.actions.action import RemoteAction
    from rasa.core.channels import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa_sdk.executor import CollectingDispatcher

    domain = _rasa_domain()

    class _Tracker:
        def current_slot_values(self) -> Dict[str, Any]:
            return {slot.name: None for slot in domain.slots}

    dispatcher = CollectingDispatcher()
    dispatcher.utter_message(response=name, **kwargs)
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    [bot] = asyncio.run(
        RemoteAction._utter_responses(
            dispatcher.messages, CollectingOutputChannel(), nlg, _Tracker()
        )
    )
    return {"text": bot.text, "buttons": bot.data.get("buttons") or []}


@pytest.mark.parametrize("name", sorted(dialogue.action_responses()))
def test_action_responses_render_to_payloads_of_the_domain(name):
    sample = {"title": "Fach-Backoffice", "score": 87}
    kwargs = {key: sample.get(key, "Beispiel") for key in PLACEHOLDERS.get(name, ())}
    message = render(name, **kwargs)
    assert message["text"] and "{" not in message["text"]
    intents, entities = set(dialogue.domain_intents()), _domain_entities()
    for button in message["buttons"]:
        payload = button["payload"]
        match = re.fullmatch(r"/(\w+)(\{.*\})?", payload)
        assert match and match.group(1) in intents, payload
        if match.group(2):
            assert set(json.loads(match.group(2))) <= entities, payload


def test_a_placeholder_is_filled_from_the_actions_keyword_arguments():
    message = render("utter_recommendation_kept", title="Fach-Backoffice", score=87)
    assert message["text"] == "Ihre Empfehlung bleibt: **Fach-Backoffice** (87 von 100 Punkten)."


def _domain_entities() -> Set[str]:
    entities: List[str] = []
    for path in dialogue.DOMAIN_DIR.glob("*.yml"):
        found = yaml.safe_load(path.read_text(encoding="utf-8")).get("entities") or []
        # An entry is a name, or a one-key mapping of the name to its settings.
        entities += [next(iter(e)) if isinstance(e, dict) else e for e in found]
    return set(entities)
