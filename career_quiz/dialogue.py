"""What the dialogue rules and the Python code must agree on, each read from one source.

Plain Python (no rasa; PyYAML reads the domain and rule files). Nothing is read at
import time; every function reads its files once, on first use.

* Topic intents (questions and small talk): the intents of domain/faq.yml and
  domain/side_questions.yml. Each is
  answered by the response of the same name, `utter_<intent>`, in and outside the quiz.
* In-quiz replies: inside the quiz a topic is answered by its response, and any
  intent `X` of the domain that has a response `utter_X_in_quiz` by that one (`greet`,
  `chitchat_thanks`).
  Afterwards the form asks its question again (career_quiz/turns.py, "digression").
* Control intents: intents that a hand-written rule handles inside the quiz (a rule of
  data/rules/ with the condition `active_loop: career_quiz_form` that starts with the
  intent), other than the in-quiz replies. The form's validation leaves them to the rules.
* Responses that code sends: domain/messages.yml and domain/recap.yml (custom actions)
  and domain/service.yml
  (the Rasa server's channels).

`render_digression_rules()` and `render_response_rules()` give the text of the two
generated rule files, `render_action_server_data()` that of career_quiz/dialogue.yml
(`python -m career_quiz.cli build-rules` writes all three).

The action server does not read the domain or the rules: it may run from an image
without them. What it needs of them (the control intents and the in-quiz replies) is
generated into career_quiz/dialogue.yml, which `action_server_data()` reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

import yaml

from career_quiz import settings

DOMAIN_DIR = settings.PROJECT_ROOT / "domain"
RULES_DIR = settings.PROJECT_ROOT / "data" / "rules"
TOPICS_FILE = DOMAIN_DIR / "faq.yml"
# Every file whose intents are topics (questions and small talk), in this order.
TOPICS_FILES = (TOPICS_FILE, DOMAIN_DIR / "side_questions.yml")
ACTION_RESPONSES_FILE = DOMAIN_DIR / "messages.yml"
# Every file whose responses custom actions send.
ACTION_RESPONSES_FILES = (ACTION_RESPONSES_FILE, DOMAIN_DIR / "recap.yml")
SERVICE_RESPONSES_FILE = DOMAIN_DIR / "service.yml"
DIGRESSION_RULES_FILE = RULES_DIR / "digressions.yml"
RESPONSE_RULES_FILE = RULES_DIR / "action_responses.yml"
# What the action server knows of the domain and the rules (generated).
ACTION_SERVER_FILE = Path(__file__).with_name("dialogue.yml")
FORM_NAME = "career_quiz_form"
IN_QUIZ_SUFFIX = "_in_quiz"
SERVICE_PREFIX = "utter_service_"

_HEADER = (
    "# Generated from {sources} by `python -m career_quiz.cli build-rules`.\n"
    "# Do not edit by hand; tests/unit/test_couplings.py checks that it is up to date.\n"
)


def _read(path: Path) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def _intent_names(entries: Optional[List[Any]]) -> List[str]:
    """Intent names of a domain `intents:` list (an entry may be a one-key mapping)."""
    return [next(iter(e)) if isinstance(e, dict) else str(e) for e in entries or []]


def _domain_files(domain_dir: Path) -> List[Path]:
    return sorted(domain_dir.glob("*.yml"))


@lru_cache(maxsize=None)
def domain_intents(domain_dir: Path = DOMAIN_DIR) -> Tuple[str, ...]:
    """Every intent of the domain, file by file (domain/*.yml, sorted by name)."""
    names: List[str] = []
    for path in _domain_files(domain_dir):
        names += [n for n in _intent_names(_read(path).get("intents")) if n not in names]
    return tuple(names)


@lru_cache(maxsize=None)
def domain_responses(domain_dir: Path = DOMAIN_DIR) -> Dict[str, List[Dict[str, Any]]]:
    """Every response of the domain as written (placeholders not filled in)."""
    responses: Dict[str, List[Dict[str, Any]]] = {}
    for path in _domain_files(domain_dir):
        for name, variants in (_read(path).get("responses") or {}).items():
            if name in responses:
                raise ValueError(f"{path.name}: response {name!r} is defined twice")
            responses[name] = variants
    return responses


@lru_cache(maxsize=None)
def topic_intents(paths: Tuple[Path, ...] = TOPICS_FILES) -> Tuple[str, ...]:
    """The question and small-talk intents, in the order of domain/faq.yml and
    domain/side_questions.yml.
    """
    return tuple(name for path in paths for name in _intent_names(_read(path).get("intents")))


@lru_cache(maxsize=1)
def in_quiz_replies() -> Dict[str, str]:
    """Intent -> the response that answers it in the middle of the quiz."""
    responses = domain_responses()
    replies = {intent: f"utter_{intent}" for intent in topic_intents()}
    for intent in domain_intents():
        # Its own in-quiz response wins, also for a topic ("Danke!" mid-quiz gets no
        # farewell before the question comes again).
        name = f"utter_{intent}{IN_QUIZ_SUFFIX}"
        if name in responses:
            replies[intent] = name
    return replies


def _opening_intent(rule: Dict[str, Any]) -> str:
    steps = rule.get("steps") or []
    return str(steps[0].get("intent") or "") if steps else ""


def _in_quiz(rule: Dict[str, Any]) -> bool:
    return any(c.get("active_loop") == FORM_NAME for c in rule.get("condition") or [])


def rules_in_quiz(rules_dir: Path = RULES_DIR) -> Dict[str, List[str]]:
    """Intent -> names of the rules that start with it inside the quiz (data/rules/*.yml)."""
    found: Dict[str, List[str]] = {}
    for path in sorted(rules_dir.glob("*.yml")):
        for rule in _read(path).get("rules") or []:
            intent = _opening_intent(rule)
            if intent and _in_quiz(rule):
                found.setdefault(intent, []).append(str(rule.get("rule")))
    return found


@lru_cache(maxsize=1)
def control_intents() -> FrozenSet[str]:
    """Intents a hand-written rule handles inside the quiz (restart, goodbye, "Warum?" ...)."""
    return frozenset(rules_in_quiz()) - frozenset(in_quiz_replies())


def action_responses(paths: Tuple[Path, ...] = ACTION_RESPONSES_FILES) -> Tuple[str, ...]:
    """The responses the custom actions send (domain/messages.yml, domain/recap.yml)."""
    return tuple(name for path in paths for name in _read(path).get("responses") or {})


def service_responses(path: Path = SERVICE_RESPONSES_FILE) -> Dict[str, str]:
    """The channels' own texts by key (`utter_service_<key>` in domain/service.yml), as
    written: `{limit}` not filled in, literal braces doubled.
    """
    texts = {}
    for name, variants in (_read(path).get("responses") or {}).items():
        if not name.startswith(SERVICE_PREFIX) or len(variants) != 1 or not variants[0].get("text"):
            raise ValueError(f"{path.name}: {name!r} must be utter_service_<key> with one text")
        texts[name[len(SERVICE_PREFIX) :]] = str(variants[0]["text"])
    return texts


def _relative(path: Path) -> str:
    return path.relative_to(settings.PROJECT_ROOT).as_posix()


# Runs after the answer to a side question outside the quiz: answers in the same message
# start the quiz ("Ich bin Bankkauffrau – brauche ich dafür ein Studium?").
ANSWERS_BESIDE_QUESTION = "action_answers_beside_question"


def render_digression_rules() -> str:
    """The text of data/rules/digressions.yml for the current domain.

    One rule per topic outside the quiz (the response, then the check for quiz answers
    in the same message, ANSWERS_BESIDE_QUESTION) and, for every in-quiz reply, one
    inside it (the response, then the form again).
    """
    lines = [
        _HEADER.format(sources="the domain (domain/*.yml)"),
        'version: "3.1"\n',
        "# Questions and small talk are answered at any time (the topics of domain/faq.yml",
        "# and domain/side_questions.yml, each by its response utter_<intent>). Inside the quiz",
        "# the same question is asked again afterwards; an intent with a response",
        "# utter_<intent>_in_quiz (greet, chitchat_thanks) is answered by that one inside the",
        "# quiz.",
        "rules:",
    ]
    topics = topic_intents()
    for intent, response in in_quiz_replies().items():
        if intent in topics:
            lines += [
                f"  - rule: {intent}",
                "    condition:",
                "      - active_loop: null",
                "    steps:",
                f"      - intent: {intent}",
                f"      - action: utter_{intent}",
                f"      - action: {ANSWERS_BESIDE_QUESTION}",
                "",
            ]
        lines += [
            f"  - rule: {intent} in the middle of the quiz",
            "    condition:",
            f"      - active_loop: {FORM_NAME}",
            "    steps:",
            f"      - intent: {intent}",
            f"      - action: {response}",
            f"      - action: {FORM_NAME}",
            f"      - active_loop: {FORM_NAME}",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_response_rules() -> str:
    """The text of data/rules/action_responses.yml: one rule per response that code sends."""
    lines = [
        _HEADER.format(
            sources=", ".join(_relative(p) for p in ACTION_RESPONSES_FILES)
            + f" and {_relative(SERVICE_RESPONSES_FILE)}"
        ),
        'version: "3.1"\n',
        "# Responses that custom actions send (dispatcher.utter_message(response=...)) and that",
        "# the Rasa server's channels answer themselves. `rasa data validate` counts a response",
        "# as used only when a rule or story names it, so each one is named here once. Each rule",
        "# starts with the response: the first action of a rule is a condition, never a",
        "# prediction, and no policy predicts these responses, so none of these rules applies.",
        "rules:",
    ]
    names = list(action_responses()) + [f"{SERVICE_PREFIX}{key}" for key in service_responses()]
    sender = {name: "a custom action" for name in action_responses()}
    for name in names:
        lines += [
            f"  - rule: {name} is sent by {sender.get(name, 'the channels')}",
            "    steps:",
            f"      - action: {name}",
            "",
        ]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_action_server_data() -> str:
    """The text of career_quiz/dialogue.yml: the control intents and in-quiz replies."""
    data = {
        "control_intents": sorted(control_intents()),
        "in_quiz_replies": dict(in_quiz_replies()),
    }
    header = _HEADER.format(sources="the domain (domain/*.yml) and data/rules/*.yml")
    note = (
        "# What the action server needs of them (career_quiz/turns.py): the intents a rule\n"
        "# handles inside the quiz, and the response that answers a topic inside the quiz.\n"
    )
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return header + note + body


@dataclass(frozen=True)
class ActionServerData:
    """What the action server knows of the dialogue rules (career_quiz/dialogue.yml)."""

    control_intents: FrozenSet[str]
    in_quiz_replies: Dict[str, str]


@lru_cache(maxsize=1)
def action_server_data(path: Path = ACTION_SERVER_FILE) -> ActionServerData:
    """The generated career_quiz/dialogue.yml, read once per process on first use."""
    data = _read(path)
    return ActionServerData(
        control_intents=frozenset(str(i) for i in data.get("control_intents") or []),
        in_quiz_replies={str(k): str(v) for k, v in (data.get("in_quiz_replies") or {}).items()},
    )


def generated_files() -> Dict[Path, str]:
    """Each generated file (the two rule files, career_quiz/dialogue.yml) with its text."""
    return {
        DIGRESSION_RULES_FILE: render_digression_rules(),
        RESPONSE_RULES_FILE: render_response_rules(),
        ACTION_SERVER_FILE: render_action_server_data(),
    }
