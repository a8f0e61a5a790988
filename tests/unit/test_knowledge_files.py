"""The knowledge files load without a key given twice: YAML keeps the last of two equal
keys silently, so a cue list added under a name already used replaced the first one
(`change_verbs` in data/knowledge/lexicon.yml, 2026-12-04).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "data" / "knowledge").glob("*.yml")) + sorted(
    (ROOT / "domain").glob("*.yml")
)


class _UniqueKeyLoader(yaml.SafeLoader):
    pass


def _mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise ValueError(f"key {key!r} given twice (line {key_node.start_mark.line + 1})")
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def test_there_are_knowledge_files():
    assert len(FILES) > 10


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_key_is_given_twice(path):
    yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)


def test_a_key_given_twice_is_found():
    with pytest.raises(ValueError, match="given twice"):
        yaml.load("a: [1]\nb: 2\na: [3]\n", Loader=_UniqueKeyLoader)
