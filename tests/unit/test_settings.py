"""career_quiz/settings.py: the one module that reads the environment."""

from __future__ import annotations

import os
import re
import stat

import pytest

from career_quiz import settings
from tests.helpers import ROOT

PRODUCT = ("career_quiz", "actions", "rasa_addons", "rasa_sdk_plugins", "web")
ENV_READ = re.compile(
    r"\bos\.(?:environ|getenv)\b|\bgetenv\(|\bfrom os import\b.*\b(?:environ|getenv)\b"
)


def test_only_the_settings_module_reads_the_environment():
    readers = []
    for package in PRODUCT:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if ENV_READ.search(line):
                    readers.append(f"{path.relative_to(ROOT)}:{number}")
    assert readers
    assert {reader.split(":")[0] for reader in readers} == {"career_quiz/settings.py"}, readers


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, True),
        ("", True),
        ("1", True),
        ("yes", True),
        ("0", False),
        ("false", False),
        (" OFF ", False),
        ("No", False),
        ("maybe", True),
    ],
)
def test_one_reader_for_switches(monkeypatch, value, expected):
    for name, read in (
        ("QUIZ_RASA_SPEEDUPS", settings.response_validation_cache),
        ("QUIZ_RESTART_NEW_SESSION", settings.restart_new_session),
    ):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
        assert read() is expected, name


@pytest.mark.parametrize(
    "value, default",
    [(True, False), (False, True), ("on", False), ("TRUE", False), ("off", True), (None, False)],
)
def test_endpoint_values_are_read_as_switches_too(value, default):
    expected = {True: True, False: False, "on": True, "TRUE": True, "off": False}.get(
        value, default
    )
    assert settings.parse_flag(value, default) is expected


@pytest.mark.parametrize(
    "name, read, value, expected",
    [
        ("QUIZ_ACTION_TIMEOUT", settings.action_timeout, None, 5.0),
        ("QUIZ_ACTION_TIMEOUT", settings.action_timeout, "2.5", 2.5),
        ("QUIZ_ACTION_TIMEOUT", settings.action_timeout, "0", 5.0),
        ("QUIZ_ACTION_TIMEOUT", settings.action_timeout, "-1", 5.0),
        ("QUIZ_ACTION_TIMEOUT", settings.action_timeout, "nan", 5.0),
        ("QUIZ_ACTION_TIMEOUT", settings.action_timeout, "schnell", 5.0),
        ("QUIZ_OUTBOX_RETRY_SECONDS", settings.outbox_retry_seconds, None, 5.0),
        ("QUIZ_OUTBOX_RETRY_SECONDS", settings.outbox_retry_seconds, "0.01", 0.1),
        ("QUIZ_OUTBOX_RETRY_SECONDS", settings.outbox_retry_seconds, "x", 5.0),
        ("QUIZ_RETENTION_DAYS", settings.retention_days, "30", 30),
        ("QUIZ_RETENTION_DAYS", settings.retention_days, "0", 1),
        ("QUIZ_RETENTION_DAYS", settings.retention_days, "viele", 90),
        ("QUIZ_LOCK_POLL_SECONDS", settings.lock_poll_seconds, None, 0.02),
        ("QUIZ_LOCK_POLL_SECONDS", settings.lock_poll_seconds, "0.5", 0.5),
        ("QUIZ_LOCK_POLL_SECONDS", settings.lock_poll_seconds, "0", 0.02),
        ("WEB_PORT", settings.web_port, None, 8080),
        ("WEB_PORT", settings.web_port, "9000", 9000),
        ("WEB_PORT", settings.web_port, "achtzig", 8080),
    ],
)
def test_one_reader_for_numbers(monkeypatch, name, read, value, expected):
    if value is None:
        monkeypatch.delenv(name, raising=False)
    else:
        monkeypatch.setenv(name, value)
    assert read() == expected
    assert type(read()) is type(expected)


@pytest.mark.parametrize(
    "env, expected",
    [
        ({}, "http://127.0.0.1:5005"),
        ({"RASA_INTERFACE": "0.0.0.0", "RASA_PORT": "5006"}, "http://127.0.0.1:5006"),
        ({"RASA_INTERFACE": "::1"}, "http://[::1]:5005"),
        ({"RASA_INTERFACE": "bot.example", "RASA_PORT": " "}, "http://bot.example:5005"),
        ({"WEB_SOCKET_URL": " https://chat.example ", "RASA_PORT": "1"}, "https://chat.example"),
    ],
)
def test_the_page_connects_to_the_rasa_server(monkeypatch, env, expected):
    for name in ("WEB_SOCKET_URL", "RASA_INTERFACE", "RASA_PORT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert settings.web_socket_url() == expected


def test_texts_are_stripped_and_fall_back(monkeypatch):
    monkeypatch.setenv("WEB_ORIGINS", "  https://a.example  ")
    monkeypatch.setenv("QUIZ_DATABASE_URL", "   ")
    monkeypatch.delenv("QUIZ_ACTION_TOKEN", raising=False)
    assert settings.web_origins() == "https://a.example"
    assert settings.database_url() == settings.DEFAULT_DATABASE_URL
    assert settings.action_token() == ""
    monkeypatch.setenv("QUIZ_ACTION_TOKEN", "s3cret")
    assert settings.action_token() == "s3cret"


def test_variables_are_expanded_as_rasa_expands_endpoint_files(monkeypatch):
    monkeypatch.setenv("QUIZ_TEST_HOST", "db.example")
    monkeypatch.delenv("QUIZ_TEST_UNSET", raising=False)
    assert (
        settings.expand_variables("postgresql://${QUIZ_TEST_HOST}/x${QUIZ_TEST_UNSET}")
        == "postgresql://db.example/x"
    )


def test_relative_endpoint_files_are_found_from_the_repository(monkeypatch, tmp_path):
    monkeypatch.setenv("RASA_ENDPOINTS", "endpoints.scaled.yml")
    assert settings.endpoints_file() == ROOT / "endpoints.scaled.yml"
    monkeypatch.setenv("RASA_ENDPOINTS", str(tmp_path / "e.yml"))
    assert settings.endpoints_file() == tmp_path / "e.yml"


# -- the hash salt ---------------------------------------------------------------------


def test_a_salt_is_generated_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.delenv("QUIZ_HASH_SALT", raising=False)
    monkeypatch.setenv("QUIZ_HASH_SALT_FILE", str(tmp_path / "var" / "hash_salt"))
    first = settings.hash_salt()
    assert len(first) == 64
    assert settings.hash_salt() == first
    mode = stat.S_IMODE(os.stat(tmp_path / "var" / "hash_salt").st_mode)
    assert mode == 0o600
    monkeypatch.setenv("QUIZ_HASH_SALT", "configured")
    assert settings.hash_salt() == "configured"


def test_stored_hashes_are_salted_by_default(tmp_path, monkeypatch):
    import hashlib

    from career_quiz.repository import hash_conversation

    monkeypatch.delenv("QUIZ_HASH_SALT", raising=False)
    monkeypatch.setenv("QUIZ_HASH_SALT_FILE", str(tmp_path / "hash_salt"))
    salted = hash_conversation("known-id", settings.hash_salt())
    assert salted != hashlib.sha256(b"known-id").hexdigest()


def test_an_origin_is_checked_and_named_in_the_error():
    assert settings.check_origin(" https://chat.example:8443/ ") == "https://chat.example:8443"
    with pytest.raises(ValueError, match="Invalid socket URL 'https://chat.example/x'"):
        settings.check_origin("https://chat.example/x", "socket URL")
    with pytest.raises(ValueError, match="Invalid web origin"):
        settings.check_origin("*")


def test_retention_setting(monkeypatch):
    monkeypatch.delenv("QUIZ_RETENTION_DAYS", raising=False)
    assert settings.retention_days() == 90
    monkeypatch.setenv("QUIZ_RETENTION_DAYS", "30")
    assert settings.retention_days() == 30
    monkeypatch.setenv("QUIZ_RETENTION_DAYS", "viele")
    assert settings.retention_days() == 90
