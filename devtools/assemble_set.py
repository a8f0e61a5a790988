"""Assemble a new untouched side-question set from its writers' files.

Writer helpers (brief: devtools/set-brief.md) each write one YAML file with an `items` list.
This joins the side-question files, the corrections file and the endings file into
tests/<folder>/, drops every item whose text is also a training example (the
disjointness tests forbid those) or repeats an earlier item, and writes the header
that says how the set was made. It reads no item's outcome: run it before playing the set.

    python -m devtools.assemble_set tests/side_questions_fresh12 "Thirteenth ... (fresh12)" \
        --side w1.yml w2.yml --corrections w6.yml --endings w7.yml
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

import yaml

from devtools.training_data import normalise, raw_training_examples, training_texts

HEADER = (
    "# Held-out set written without reading the bot's training data or answers. "
    "Never train on it; never edit an item to match the bot.\n# {about}\n"
    "# {dropped} item(s) dropped by the lead after writing: their text was also a "
    "training example or an earlier item, which the disjointness test forbids.\n"
)


def keep(
    items: Sequence[Dict[str, Any]], trained: Set[str], raw: Set[str], seen: Set[str]
) -> Tuple[List[Dict[str, Any]], int]:
    """The items whose text is no training example and no earlier item, and how many went."""
    kept = []
    for item in items:
        text = str(item["text"])
        key = normalise(text) or text.strip()
        if key in seen or (key in trained if normalise(text) else text.strip() in raw):
            continue
        seen.add(key)
        kept.append(item)
    return kept, len(items) - len(kept)


def _items(paths: Sequence[str]) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    for path in paths:
        out.extend(yaml.safe_load(Path(path).read_text(encoding="utf-8"))["items"])
    return out


def main(argv: Optional[List[str]] = None) -> int:
    """Writes the three files of the new set and prints how many items each kept."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("about", help="the header's second line: which set, by whom, when")
    parser.add_argument("--side", nargs="+", required=True)
    parser.add_argument("--corrections", nargs="+", required=True)
    parser.add_argument("--endings", nargs="+", required=True)
    args = parser.parse_args(argv)
    trained, raw = training_texts(), raw_training_examples()
    args.folder.mkdir(parents=True, exist_ok=True)
    seen: Set[str] = set()
    for name, paths in (
        ("side_questions.yml", args.side),
        ("corrections.yml", args.corrections),
        ("endings.yml", args.endings),
    ):
        items, dropped = keep(_items(paths), trained, raw, seen)
        body = yaml.safe_dump({"items": items}, allow_unicode=True, sort_keys=False, width=100)
        header = HEADER.format(about=args.about, dropped=dropped)
        (args.folder / name).write_text(header + body, encoding="utf-8")
        print(f"{name}: {len(items)} items, {dropped} dropped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
