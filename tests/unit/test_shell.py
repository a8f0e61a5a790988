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
