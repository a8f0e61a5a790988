"""PROPOSED change to actions/actions.py, applied to a copy for the experiment.

"Neu starten" (action_reset_quiz) and "Quiz starten" after a result
(action_start_quiz) end the Rasa conversation session: they return
`SessionStarted()` and then `FollowupAction("career_quiz_form")`. Rasa's SQL
tracker store loads only the events since the latest `session_started`, so every
later message replays and ships (to the action server) only the new quiz, not the
whole conversation. Slots reset with the new session
(`carry_over_slots_to_new_session: false`), which is what a restart wants anyway;
the follow-up action starts the form, as the "Start over" rule did.

`make_patched_copy()` builds a copy of the repository's action code under a temp
folder with this change, for `running_stack(action_root=...)`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.live import ROOT

IMPORT_OLD = "from rasa_sdk.events import ActiveLoop, EventType, SlotSet\n"
IMPORT_NEW = (
    "from rasa_sdk.events import ActiveLoop, EventType, FollowupAction, SessionStarted, SlotSet\n"
)

HELPER_ANCHOR = "class ActionResetQuiz(Action):"
HELPER = '''def _new_session_events() -> List[EventType]:
    """Ends the Rasa session and starts the quiz form again in a fresh one.

    Rasa loads and replays only the events since the latest session start, so a
    restart keeps the cost of every later message independent of how long the
    conversation has been going. Slots reset with the session.
    """
    return [SessionStarted(), FollowupAction(FORM_NAME)]


'''

RESET_OLD = '''        dispatcher.utter_message(**message("start_over"))
        return _reset_events()'''
RESET_NEW = '''        dispatcher.utter_message(**message("start_over"))
        return _reset_events() + _new_session_events()'''

START_OLD = '''        dispatcher.utter_message(**message("new_quiz"))
        return _reset_events()'''
START_NEW = '''        dispatcher.utter_message(**message("new_quiz"))
        return _reset_events() + _new_session_events()'''


def patch_text(source: str) -> str:
    """actions/actions.py with the proposed change."""
    for old, new in ((IMPORT_OLD, IMPORT_NEW), (RESET_OLD, RESET_NEW), (START_OLD, START_NEW)):
        if source.count(old) != 1:
            raise ValueError(f"actions/actions.py changed; cannot apply: {old!r}")
        source = source.replace(old, new)
    return source.replace(HELPER_ANCHOR, HELPER + HELPER_ANCHOR, 1)


def make_patched_copy(target: Path) -> Path:
    """A folder with the patched `actions` package; data and models are symlinked."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copytree(ROOT / "actions", target / "actions",
                    ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("data", "models", "domain", "rasa_addons"):
        (target / name).symlink_to(ROOT / name)
    path = target / "actions" / "actions.py"
    path.write_text(patch_text(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target
