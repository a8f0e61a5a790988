"""rasa_addons/shell.py: `rasa shell` shows button titles and plain text, and a chosen
button still sends its payload.
"""

from __future__ import annotations

import asyncio

from rasa.cli import utils as cli_utils

from rasa_addons.shell import plain, readable_choices

MESSAGE = {
    "text": "**Empfehlung: Fach-Backoffice** (92 von 100 Punkten).",
    "buttons": [
        {"title": "Warum?", "payload": "/ask_why"},
        {"title": "Alle nächsten Schritte", "payload": "/show_next_steps"},
    ],
}


def test_bold_markers_are_dropped():
    assert plain(MESSAGE["text"]) == "Empfehlung: Fach-Backoffice (92 von 100 Punkten)."
    assert plain("2 ** 3") == "2 ** 3"  # no pair, no bold


def test_choices_show_titles_and_return_what_rasa_reads_the_payload_from():
    choices = readable_choices(MESSAGE)
    assert [c.title for c in choices[:2]] == ["1: Warum?", "2: Alle nächsten Schritte"]
    assert all("/" not in c.title for c in choices[:2])
    assert choices[-1] == cli_utils.FREE_TEXT_INPUT_PROMPT
    assert MESSAGE["buttons"][0] == {"title": "Warum?", "payload": "/ask_why"}  # not popped

    class Answered:
        def __init__(self, value):
            self.value = value

        async def ask_async(self):
            return self.value

    payloads = [
        asyncio.run(cli_utils.payload_from_button_question(Answered(c.value))) for c in choices[:2]
    ]
    assert payloads == ["/ask_why", "/show_next_steps"]


def test_installed_console_prints_titles_and_plain_text(capsys, monkeypatch):
    from rasa.core.channels import console

    from rasa_addons.shell import install

    monkeypatch.setattr(console, "_print_bot_output", console._print_bot_output)
    monkeypatch.setattr(console, "print_buttons", console.print_buttons)
    # Restored after the test: install() patches these module attributes.
    monkeypatch.setattr(
        cli_utils, "button_choices_from_message_data", cli_utils.button_choices_from_message_data
    )
    install()
    assert cli_utils.button_choices_from_message_data is readable_choices
    console._print_bot_output(dict(MESSAGE), is_latest_message=False)
    out = capsys.readouterr().out
    assert "Empfehlung: Fach-Backoffice (92" in out and "**" not in out
    assert "1: Warum?" in out and "/ask_why" not in out
