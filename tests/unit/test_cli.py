"""The command line (career_quiz/cli.py): its commands, and bad arguments answered with
exit status 2 and a message, before anything is read or deleted. The commands' work is
tested where it lives (init-db and flush-outbox: tests/integration/, the generated
files: test_nlp.py and test_couplings.py).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from career_quiz import cli
from tests.helpers import ROOT

COMMANDS = [
    "build-spacy",
    "build-lookups",
    "build-rules",
    "init-db",
    "flush-outbox",
    "parse",
    "purge",
    "insights",
]


def test_help_lists_every_command():
    done = subprocess.run(
        [sys.executable, "-m", "career_quiz.cli", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    listed = re.findall(r"^    ([a-z-]+) ", done.stdout, flags=re.MULTILINE)
    assert listed == COMMANDS


def test_the_module_docstring_documents_every_command():
    documented = re.findall(r"^python -m career_quiz\.cli ([a-z-]+)", cli.__doc__, re.MULTILINE)
    assert documented == COMMANDS


@pytest.mark.parametrize(
    "argv,message",
    [
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        ([], "the following arguments are required: command"),
        (["parse", "Hallo", "--slot", "age"], "invalid choice: 'age'"),
        (["flush-outbox", "--wait", "bald"], "invalid float value: 'bald'"),
        (["purge", "--older-than"], "expected one argument"),
    ],
)
def test_a_bad_argument_exits_2_with_a_message(capsys, argv, message):
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: python -m career_quiz.cli") and message in err


@pytest.fixture
def no_stores(monkeypatch):
    """Fails the test if a command reaches the databases or the results sources."""
    from career_quiz import erasure, insights

    def reached(*_args, **_kwargs):
        raise AssertionError("the command went on after a bad argument")

    monkeypatch.setattr(erasure, "configured_stores", reached)
    monkeypatch.setattr(insights, "configured_sources", reached)


@pytest.mark.parametrize(
    "argv,message",
    [
        (["purge", "--older-than", "1w"], "ERROR: invalid age '1w': use e.g. 90d, 12h or 30m"),
        (["purge", "--older-than", "0d"], "ERROR: invalid age '0d'"),
        (["insights", "--since", "2026-13-01"], "ERROR: Datum bitte als JJJJ-MM-TT angeben"),
        (
            ["insights", "--since", "2026-11-05", "--until", "2026-11-01"],
            "ERROR: Der Beginn liegt nach dem Ende des Zeitraums",
        ),
    ],
)
def test_a_bad_value_returns_2_and_touches_nothing(capsys, no_stores, argv, message):
    assert cli.main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_a_generated_file_is_written_only_when_its_text_changed(tmp_path, capsys):
    path = tmp_path / "generated.yml"
    cli._write_generated(path, "a: 1\n")
    assert path.read_text(encoding="utf-8") == "a: 1\n"
    assert capsys.readouterr().out == f"Wrote {path}\n"
    written = path.stat().st_mtime_ns
    # Same text: the file is not touched, so `make train` sees no change.
    cli._write_generated(path, "a: 1\n")
    assert path.stat().st_mtime_ns == written
    assert capsys.readouterr().out == f"Up to date: {path}\n"
    cli._write_generated(path, "a: 2\n")
    assert path.read_text(encoding="utf-8") == "a: 2\n"
