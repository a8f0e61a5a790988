"""A button's title, typed, sends what the button sends.

Plain Python (no rasa). The widget sends a button's payload ("/erase_data_confirm");
a visitor of the REST API or of a screen reader often types the title instead ("Ja,
Daten löschen"). NLU then reads the words, and a title with a comma or a colon was
misread: the data were not deleted, negative feedback was lost, "Finanzen, Personal oder
IT" was no training, and "Fachaufgaben: Zahlen, Personal, IT, Verträge" set the HR focus.

The channels (rasa_addons/channel_support.py) therefore replace a message that is
exactly the title of a known button (compared without case, punctuation and extra
spaces) by that button's payload before Rasa sees it. Known buttons are those of every
response of the domain (domain/*.yml) and those custom actions build (the clarifying
question's task labels, the job-ad check's offer to start the quiz); a bilingual title
("Quiz starten / Start the quiz") counts whole and by halves. A title that two
buttons with different payloads share is left to NLU. A button whose payload is its own
title (a question sent as text) changes nothing.

Nothing is read at import time; `known_buttons()` reads the files once, on first use.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Dict, Iterable, List, Mapping, Optional, Set, Tuple

_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Lowercase words of `text` without punctuation: "Ja, Daten löschen!" and
    "ja daten löschen" compare equal.
    """
    return " ".join(_NOT_WORD.sub(" ", str(text or "").casefold()).split())


def _payload(raw: str) -> str:
    # Responses double their braces: Rasa fills placeholders in payloads too.
    return str(raw).replace("{{", "{").replace("}}", "}").strip()


def response_buttons(responses: Mapping[str, Iterable[Any]]) -> List[Tuple[str, str]]:
    """(title, payload) of every button of the domain's responses, as Rasa sends them."""
    found: List[Tuple[str, str]] = []
    for variants in responses.values():
        for variant in variants or []:
            for button in (variant or {}).get("buttons") or []:
                title, payload = button.get("title"), button.get("payload")
                if title and payload:
                    found += [(part, _payload(payload)) for part in _titles(str(title))]
    return found


def _titles(title: str) -> List[str]:
    """The title, and for a bilingual one ("Quiz starten / Start the quiz") each half of
    at least two words as well.
    """
    halves = [h.strip() for h in title.split(" / ")]
    if len(halves) == 2 and all(len(normalise(h).split()) >= 2 for h in halves):
        return [title, *halves]
    return [title]


def action_buttons() -> List[Tuple[str, str]]:
    """(title, payload) of the buttons custom actions build (actions/actions.py: the
    clarifying question at the work question; actions/job_ad.py: the offer to start).
    """
    from career_quiz import job_ad
    from career_quiz.messages import labels, notes

    found = [
        (title, f'/inform{{"task_preference": "{value}"}}')
        for value, title in labels()["task"].items()
        if value != "unsure"
    ]
    found.append((notes()["clarify_unsure"], '/inform{"task_preference": "unsure"}'))
    found.append((job_ad.text("offer_quiz_button"), "/start_quiz"))
    return found


def build_table(buttons: Iterable[Tuple[str, str]]) -> Dict[str, str]:
    """Normalised title -> payload. Titles that name two different payloads are left
    out, as are titles with no words and buttons that send their own title.
    """
    table: Dict[str, str] = {}
    ambiguous: Set[str] = set()
    for title, payload in buttons:
        key = normalise(title)
        if not key or normalise(payload) == key:
            continue
        if key in table and table[key] != payload:
            ambiguous.add(key)
        table.setdefault(key, payload)
    return {key: payload for key, payload in table.items() if key not in ambiguous}


@lru_cache(maxsize=1)
def known_buttons() -> Dict[str, str]:
    """The project's table (`build_table` of the domain's and the actions' buttons),
    read once per process on first use.
    """
    from career_quiz.dialogue import domain_responses

    table = build_table([*response_buttons(domain_responses()), *action_buttons()])
    return {key: payload for key, payload in table.items() if not _unsure(payload)}


def _unsure(payload: str) -> bool:
    """The work question's "Weiß ich noch nicht": typed, it answers whichever question is
    open (the parser reads "weiß nicht" there), not the work question (visit9 #11: typed
    at the language question, it stored the work preference).
    """
    return payload.startswith("/inform") and '"unsure"' in payload.replace(" ", "")


def payload_for(text: str, table: Optional[Mapping[str, str]] = None) -> Optional[str]:
    """The payload of the button whose title `text` is, or None (any other message)."""
    if not text or str(text).lstrip().startswith("/"):
        return None
    return (known_buttons() if table is None else table).get(normalise(text))
