"""The texts the bot is trained on, to keep held-out sets apart from them.

Read by the disjointness tests (tests/helpers.py re-exports these) and by
devtools/assemble_set.py, which drops a new set's items that equal a training example.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Set

import yaml

ROOT = Path(__file__).resolve().parent.parent
_CLASSIFIER_EXAMPLES = ("task_examples.yml", "side_examples.yml")


def normalise(text: str) -> str:
    """Entity markup, case, punctuation and repeated spaces removed."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text.lower()).split())


def nlu_texts(path: Path) -> Set[str]:
    """Normalised intent examples of a Rasa NLU YAML file (lookup tables and regexes are
    lexicon entries, not examples).
    """
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
    """Every text the bot is trained on: NLU examples, and the examples of the
    work-preference and side-question classifiers.
    """
    texts: Set[str] = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        texts |= nlu_texts(path)
    for name in _CLASSIFIER_EXAMPLES:
        data = yaml.safe_load((ROOT / "data" / "knowledge" / name).read_text(encoding="utf-8"))
        for examples in data["examples"].values():
            texts.update(normalise(str(t)) for t in examples)
    return texts


def raw_training_examples() -> Set[str]:
    """The training examples as typed: emoji-only texts normalise to "" and are
    compared so.
    """
    texts = set()
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in str(block.get("examples", "")).splitlines():
                if line.strip().startswith("- "):
                    texts.add(line.strip()[2:].strip())
    for name in _CLASSIFIER_EXAMPLES:
        data = yaml.safe_load((ROOT / "data" / "knowledge" / name).read_text("utf-8"))
        texts |= {str(t).strip() for examples in data["examples"].values() for t in examples}
    return texts
