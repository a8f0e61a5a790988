"""Optional sampling profiles (py-spy) of the servers, split into "ours" and "Rasa's".

py-spy is a locked dev dependency (requirements.lock); without it `--profile` is
skipped with a note.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Optional, Tuple

# (label, substrings; the first rule with a substring anywhere in the stack wins)
RASA_RULES: List[Tuple[str, Tuple[str, ...]]] = [
    ("Rasa: validating action-server responses (jsonschema, cached validator)", ("jsonschema/",)),
    (
        "Rasa: SQL tracker store (SQLite via SQLAlchemy, rasa_addons/tracker_store.py's queries)",
        ("tracker_store.py", "sqlalchemy/"),
    ),
    ("ours: rasa_addons (REST channel, length guard)", ("rasa_addons/",)),
    ("Rasa: dialogue policies (Memoization, Rule)", ("_predict_next_with_tracker",)),
    ("Rasa: NLU pipeline (spaCy, featurizers, DIET)", ("parse_message (rasa/core/processor.py",)),
    (
        "Rasa: calling the action server (HTTP, tracker+domain JSON)",
        ("rasa/utils/endpoints.py", "_action_call_format", "aiohttp/"),
    ),
]
ACTION_RULES: List[Tuple[str, Tuple[str, ...]]] = [
    (
        "ours: results database (career_quiz/repository.py, SQLAlchemy)",
        ("career_quiz/repository.py",),
    ),
    (
        "ours: answer parser and spaCy (career_quiz/parsing.py, nlp.py)",
        ("career_quiz/parsing.py", "career_quiz/nlp.py", "spacy/"),
    ),
    ("ours: other action code (actions/)", ("actions/",)),
    ("rasa_sdk: request handling, tracker parsing", ("rasa_sdk/",)),
]
IDLE = "idle (event loop waiting)"
OTHER = {"rasa": "Rasa: other (processor, events, Sanic)", "actions": "Sanic and other"}


def available() -> Optional[str]:
    """Path of py-spy next to this Python, or on PATH."""
    local = Path(sys.executable).parent / "py-spy"
    return str(local) if local.exists() else shutil.which("py-spy")


def start(pid: int, seconds: int, out: Path) -> Optional[subprocess.Popen]:
    """Starts sampling `pid` for `seconds` into `out` (collapsed stacks); None without py-spy."""
    exe = available()
    if not exe:
        return None
    command = [exe, "record", "--pid", str(pid), "--duration", str(seconds), "--rate", "100"]
    command += ["--format", "raw", "--nonblocking", "--output", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summarize(path: Path, kind: str, top: int = 12) -> Dict[str, object]:
    """Shares of samples per category, and the functions with most own time."""
    rules = RASA_RULES if kind == "rasa" else ACTION_RULES
    categories: Counter = Counter()
    own: Counter = Counter()
    total = 0
    if not path.exists():
        return {"samples": 0}
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaf = frames[-1]
        if leaf.startswith("serve (sanic/server/runners.py"):
            categories[IDLE] += n
            continue
        label = next((name for name, keys in rules if any(k in stack for k in keys)), OTHER[kind])
        categories[label] += n
        own[leaf.rsplit(":", 1)[0] + ")"] += n
    busy = total - categories[IDLE]
    return {
        "samples": total,
        "busy_share": round(busy / total, 3) if total else 0.0,
        "categories": {k: round(v / busy, 3) for k, v in categories.most_common() if k != IDLE}
        if busy
        else {},
        "top_own": [(k, round(v / busy, 3)) for k, v in own.most_common(top)] if busy else [],
    }
