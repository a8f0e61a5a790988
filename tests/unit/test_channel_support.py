"""rasa_addons/channel_support.py: the channels' own German texts (domain/service.yml),
read once at start-up, and one message handled without taking the server down
(outages: tests/integration/test_outages.py).
"""

from __future__ import annotations

import pytest


def _channel_text_keys():
    """Every key the channels can answer with: `channel_support.text("...")` and
    `refuse(sid, "...", ...)` in their sources, and the apology of each outage.
    """
    import inspect
    import re

    from rasa_addons import outage, rest_channel, socketio_channel

    keys = set()
    for module in (rest_channel, socketio_channel):
        source = inspect.getsource(module)
        keys |= set(re.findall(r'channel_support\.text\("(\w+)"\)', source))
        keys |= set(re.findall(r'refuse\(\s*\w+,\s*"(\w+)"', source))
    classes = [outage.ServiceUnavailable, *outage.ServiceUnavailable.__subclasses__()]
    return keys | {cls.text_key for cls in classes}


def test_channel_texts_are_german_and_complete():
    import re

    from career_quiz.dialogue import service_responses
    from rasa_addons import channel_support

    keys = _channel_text_keys()
    assert {"too_long", "bad_text", "bad_sender", "bad_request", "store_unavailable"} <= keys
    # Every text a channel can send is in domain/service.yml, and nothing else is.
    assert set(service_responses()) == keys
    for key in keys:
        assert channel_support.text(key) and "{" not in channel_support.text(key).replace(
            '{"sender"', ""
        )
        assert not re.search(
            r"\b(du|dich|dir|dein\w*)\b", channel_support.text(key), re.I
        )  # formal Sie
    assert "2.000" in channel_support.text("too_long")
    assert "noch einmal" in channel_support.text("store_unavailable")
    assert 'JSON-Objekt wie {"sender": "…", "message": "…"} mit' in channel_support.text(
        "bad_request"
    )


@pytest.fixture
def fresh_service_texts():
    from rasa_addons import channel_support

    channel_support.service_texts.cache_clear()
    yield channel_support
    channel_support.service_texts.cache_clear()


async def test_outages_are_answered_when_the_domain_files_fail_after_start_up(
    fresh_service_texts, monkeypatch
):
    from career_quiz import dialogue
    from rasa_addons import outage

    support = fresh_service_texts
    support.load_texts()  # what the channels do when Rasa builds them

    def unreadable(path):
        raise OSError(f"{path} is gone")

    monkeypatch.setattr(dialogue, "_read", unreadable)

    async def store_down(message):
        raise outage.TrackerStoreUnavailable()

    class Message:
        sender_id = "s1"

    apology = await support.handle(store_down, Message())
    assert apology.startswith("Entschuldigung, ich kann Ihr Gespräch gerade nicht speichern.")
    assert support.text("too_long").startswith("Ihre Nachricht ist leider zu lang")


def test_service_texts_need_no_loaded_model(fresh_service_texts):
    # Read from domain/service.yml: an app without agent (no model loaded yet) has them too.
    class App:
        class ctx:
            agent = None

    support = fresh_service_texts
    assert support.vocabulary(App()) == (frozenset(), frozenset())
    assert support.text("actions_unavailable").startswith("Entschuldigung, ein Teil")


def test_a_broken_service_text_fails_at_start_up(fresh_service_texts, monkeypatch, tmp_path):
    from career_quiz import dialogue

    broken = tmp_path / "service.yml"
    broken.write_text('responses:\n  utter_too_long:\n    - text: "x"\n', encoding="utf-8")
    original = dialogue.service_responses
    monkeypatch.setattr(dialogue, "service_responses", lambda: original(broken))
    with pytest.raises(ValueError, match="utter_service_<key>"):
        fresh_service_texts.load_texts()


async def test_an_outage_is_logged_without_the_sender_id(monkeypatch, caplog):
    import logging

    from rasa.core.channels.channel import UserMessage

    from career_quiz.repository import hash_conversation, log_id
    from rasa_addons import channel_support, outage

    monkeypatch.setenv("QUIZ_HASH_SALT", "unit-salt")

    async def down(message):
        raise outage.TrackerStoreUnavailable("OperationalError")

    async def broken(message):
        raise RuntimeError("boom")

    sender = "visitor-4711-abc"
    with caplog.at_level(logging.INFO):
        assert await channel_support.handle(down, UserMessage("Ich heiße Erika", sender_id=sender))
        assert await channel_support.handle(
            broken, UserMessage("Ich heiße Erika", sender_id=sender)
        )
    assert sender not in caplog.text and "Erika" not in caplog.text
    assert caplog.text.count(log_id(sender, "unit-salt")) == 2
    assert log_id(sender, "unit-salt") == hash_conversation(sender, "unit-salt")[:12]
