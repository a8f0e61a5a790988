"""The documentation stays inside the repository and its links resolve.

A clone holds nothing outside its own folder, so no tracked file may point to a path
on the author's machine or beside the checkout (the sourced facts once lived one level
above it; they are docs/domain.md now). Every relative link of the README, CONTRIBUTING
and docs/ must name a file of the repository and, with a `#fragment`, one of its
headings, as GitHub renders them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Dict, List, Set, Tuple

import pytest

from tests.helpers import ROOT

# Built from parts, so that this file does not match itself.
OUTSIDE = re.compile(
    "|".join(
        [
            re.escape("/" + "work/"),
            re.escape("shared" + "/docs/"),
            re.escape("../" + "shared/"),
            re.escape("/" + "home/") + r"[a-z]",
            re.escape("/" + "Users/") + r"[A-Za-z]",
        ]
    )
)
LINK = re.compile(r"(?<!\\)\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


def tracked_files() -> List[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode("utf-8")
    return [ROOT / name for name in listed.split("\0") if name]


def text_of(path: Path) -> str:
    """The file's text, or "" for a binary file (images, models)."""
    data = path.read_bytes()
    if b"\0" in data[:8192]:
        return ""
    return data.decode("utf-8", errors="replace")


def outside_references(text: str) -> List[Tuple[int, str]]:
    """(line number, line) of every line that names a path outside the repository."""
    lines = enumerate(text.splitlines(), 1)
    return [(n, line.strip()) for n, line in lines if OUTSIDE.search(line)]


def slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading: lower case, punctuation dropped, spaces to -."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link keeps its text
    text = re.sub(r"[^\w\- ]", "", text.lower())
    return text.replace(" ", "-")


def anchors(text: str) -> Set[str]:
    """The anchors of a Markdown text's headings (outside code blocks), with GitHub's
    -1, -2 suffixes for repeated headings.
    """
    found: Set[str] = set()
    seen: Dict[str, int] = {}
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        match = None if fenced else HEADING.match(line)
        if match:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(text: str) -> List[str]:
    """The targets of the Markdown links and images outside code blocks and code spans."""
    targets: List[str] = []
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            targets += LINK.findall(re.sub(r"`[^`]*`", "", line))
    return targets


def broken_links(doc: Path) -> List[str]:
    """The relative links of `doc` that name no file of the repository, or no heading."""
    broken = []
    for target in links(doc.read_text(encoding="utf-8")):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        path_part, _, fragment = target.partition("#")
        path = (doc.parent / path_part).resolve() if path_part else doc
        if ROOT.resolve() not in path.parents and path != ROOT.resolve():
            broken.append(f"{target} (outside the repository)")
        elif not path.exists():
            broken.append(f"{target} (no such file)")
        elif fragment and path.suffix == ".md" and fragment not in anchors(path.read_text("utf-8")):
            broken.append(f"{target} (no such heading)")
    return broken


DOCS = sorted(
    [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *(ROOT / "docs").glob("*.md")]
    + [p for p in ROOT.glob("*/README.md") if p.parent.name not in {"node_modules", ".venv"}]
)


def test_no_tracked_file_points_outside_the_repository():
    offenders = {
        str(path.relative_to(ROOT)): hits
        for path in tracked_files()
        if path.is_file() and (hits := outside_references(text_of(path)))
    }
    assert offenders == {}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(doc):
    assert broken_links(doc) == []


def test_the_readme_links_every_docs_page_and_stays_short():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in links(readme)}
    pages = {page.resolve() for page in (ROOT / "docs").glob("*.md")}
    assert pages - linked == set()
    assert len(readme.splitlines()) < 160


def make_targets_named(text: str) -> Set[str]:
    """The targets of `make X` in code spans and of lines starting with "make X" in code
    blocks (`make bench, make report` names both).
    """
    named: Set[str] = set()
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        parts = [line] if fenced else re.findall(r"`([^`]*)`", line)
        for part in parts:
            named.update(re.findall(r"(?:^|[\s,;(])make ([a-z][a-z-]*)", " " + part))
    return named


def test_every_make_target_the_docs_name_exists():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, re.M))
    named = {
        str(doc.relative_to(ROOT)): sorted(make_targets_named(doc.read_text("utf-8")) - targets)
        for doc in DOCS
    }
    assert {doc: missing for doc, missing in named.items() if missing} == {}


PRODUCT = ("career_quiz", "actions", "rasa_addons", "rasa_sdk_plugins", "web")
SETTING = re.compile(r"[\"'](QUIZ_[A-Z0-9_]+|WEB_[A-Z0-9_]+|RASA_[A-Z0-9_]+|INSIGHTS_TOKEN)[\"']")


def settings_read_by_the_product() -> Set[str]:
    """The environment variables the product's code names (as quoted strings)."""
    names: Set[str] = set()
    for package in PRODUCT:
        for path in (ROOT / package).glob("*.py"):
            names.update(SETTING.findall(path.read_text(encoding="utf-8")))
    return names


def test_every_setting_is_in_the_configuration_table_and_env_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Configuration") :].split("\n## ", 1)[0]
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    names = settings_read_by_the_product()
    assert "QUIZ_DATABASE_URL" in names  # the scan finds what it should
    assert sorted(n for n in names if f"`{n}`" not in table) == []
    assert sorted(n for n in names if not re.search(rf"^(# )?{n}=", example, re.M)) == []


# The checks themselves, on examples where they must fail.


def test_make_targets_are_read_from_code_only():
    text = "To make the page: `make run`.\n```\nmake bench, make report   both\n```\n"
    assert make_targets_named(text) == {"run", "bench", "report"}


def test_the_outside_check_finds_absolute_and_sibling_paths():
    text = "ok: docs/domain.md\nbad: /" + "work/x.md\nbad: ../" + "shared/" + "docs/y.md\n"
    assert [n for n, _ in outside_references(text)] == [2, 3]


def test_slugs_follow_github():
    assert slug("Retention: `purge`") == "retention-purge"
    assert slug('"Meine Daten löschen"') == "meine-daten-löschen"
    assert slug("socket.io (the web widget)") == "socketio-the-web-widget"
    assert anchors("# A\n## A\n```\n# not a heading\n```\n") == {"a", "a-1"}


def test_a_missing_file_or_heading_is_a_broken_link(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    (tmp_path / "a.md").write_text("# Title\n", encoding="utf-8")
    doc = tmp_path / "b.md"
    doc.write_text(
        "[ok](a.md#title) [no file](c.md) [no heading](a.md#other) [web](https://x.de)\n"
        "`[in code](d.md)`\n[up](../e.md)\n",
        encoding="utf-8",
    )
    assert broken_links(doc) == [
        "c.md (no such file)",
        "a.md#other (no such heading)",
        "../e.md (outside the repository)",
    ]
