"""Experiment `no-session-restart`: the action code as it was before issue 4.

Since issue 4, "Neu starten" (action_reset_quiz) and "Quiz starten" after a result
(action_start_quiz) end the Rasa conversation session (`SessionStarted()` and
`FollowupAction("career_quiz_form")`), so Rasa loads, replays and ships to the
action server only the events of the current quiz. This patch builds a copy of
the action code without that, to measure what it buys on long conversations.

`make_patched_copy()` writes the copy under a temp folder for
`running_stack(action_root=...)`; data and models are symlinked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from devtools.stack import ROOT

NEW_SESSION = "_reset_events() + _new_session_events()"
OLD = "_reset_events()"


def patch_text(source: str) -> str:
    """actions/actions.py with both restarts staying in the same Rasa session."""
    if source.count(f"return {NEW_SESSION}\n") != 2:
        raise ValueError("actions/actions.py changed; cannot remove the session restart")
    return source.replace(f"return {NEW_SESSION}\n", f"return {OLD}\n")


def make_patched_copy(target: Path) -> Path:
    """A folder with the patched `actions` package; data and models are symlinked."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    shutil.copytree(
        ROOT / "actions", target / "actions", ignore=shutil.ignore_patterns("__pycache__")
    )
    for name in ("data", "models", "domain", "rasa_addons"):
        (target / name).symlink_to(ROOT / name)
    path = target / "actions" / "actions.py"
    path.write_text(patch_text(path.read_text(encoding="utf-8")), encoding="utf-8")
    return target
