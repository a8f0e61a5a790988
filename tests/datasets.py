"""Reading the training data and the held-out sets, to keep them apart."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Set

import yaml

ROOT = Path(__file__).resolve().parent.parent


def normalise(text: str) -> str:
    """Entity markup, case, punctuation and repeated spaces removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def nlu_texts(path: Path) -> Set[str]:
    """Normalised intent examples of a Rasa NLU YAML file (lookup tables and regexes are
    lexicon entries, not examples)."""
    texts = set()
    for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                texts.add(normalise(line[2:]))
    return texts


def training_texts() -> Set[str]:
    """Every text the bot is trained on: NLU examples and work-preference examples."""
    texts: Set[str] = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        texts |= nlu_texts(path)
    tasks = yaml.safe_load(
        (ROOT / "data" / "knowledge" / "task_examples.yml").read_text(encoding="utf-8"))
    for examples in tasks["examples"].values():
        texts.update(normalise(str(t)) for t in examples)
    return texts
