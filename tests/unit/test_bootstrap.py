"""The composition root (career_quiz/bootstrap.py): what it builds from the settings,
what a caller passes instead, and that the actions use what they are given.
"""

from __future__ import annotations

from pathlib import Path

from rasa_sdk.executor import CollectingDispatcher

from actions.actions import ActionExtractAnswers, ActionRecommendVariant
from career_quiz import bootstrap as root
from career_quiz.outbox import Outbox
from career_quiz.repository import hash_conversation
from tests.helpers import domain_dict, make_tracker


def test_defaults_come_from_the_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("QUIZ_OUTBOX_PATH", str(tmp_path / "box.db"))
    monkeypatch.setenv("QUIZ_DATABASE_URL", f"sqlite:///{tmp_path / 'results.db'}")
    monkeypatch.setenv("QUIZ_HASH_SALT", "salt-1")
    monkeypatch.setenv("QUIZ_RESTART_NEW_SESSION", "0")
    services = root.bootstrap()
    assert isinstance(services.outbox, Outbox)
    assert Path(services.outbox.path) == tmp_path / "box.db"
    assert services.outbox.database_url == f"sqlite:///{tmp_path / 'results.db'}"
    assert services.hasher("user-1") == hash_conversation("user-1", "salt-1")
    assert services.hasher("user-1") != hash_conversation("user-1", "salt-2")
    assert services.restart_new_session is False
    assert services.labels["task"]["specialist"] and services.notes["noted"]
    assert services.results.rubric is services.rubric
    # Nothing opened yet: the outbox file is created on the first write.
    assert not (tmp_path / "box.db").exists()


def test_the_parser_is_built_once_on_first_use():
    built = []

    class Parser:
        def parse(self, text, requested):
            raise AssertionError("not called here")

    def factory(lexicon):
        built.append(lexicon)
        return Parser()

    services = root.bootstrap(outbox=object(), hasher=str)  # type: ignore[arg-type]
    services.parser_factory = factory
    assert built == []
    first = services.parser
    assert services.parser is first and built == [services.lexicon]


def test_the_shared_services_are_built_once(monkeypatch):
    root.services.cache_clear()
    calls = []
    monkeypatch.setattr(root, "bootstrap", lambda: calls.append(1) or object())
    try:
        assert root.services() is root.services() and calls == [1]
    finally:
        root.services.cache_clear()


async def test_actions_use_the_services_they_are_given(parser):
    class Recorder:
        def __init__(self):
            self.calls = []

        def parse(self, text, requested):
            self.calls.append((text, requested))
            return parser.parse(text, requested)

    recorder = Recorder()
    services = root.bootstrap(outbox=object(), hasher=str, parser=recorder)  # type: ignore[arg-type]
    tracker = make_tracker(text="Ich bin Bankkauffrau")
    await ActionExtractAnswers(services).run(CollectingDispatcher(), tracker, domain_dict())
    assert recorder.calls == [("Ich bin Bankkauffrau", None)]
    assert ActionRecommendVariant(services).services is services
    assert ActionRecommendVariant().services is root.services()
