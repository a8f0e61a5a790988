"""`rasa shell`, readable: buttons by their titles, Markdown bold without its stars.

Rasa 3.6's console channel (rasa/core/channels/console.py) shows each button as
"0: Warum? (/ask_why)" and prints the bot's Markdown as typed ("**Empfehlung: …**").
It reads the chosen button's payload back from between the last parentheses of that
string (rasa.cli.utils.payload_from_button_question), so the payload must stay in the
choice's value. questionary's Choice separates what is shown (title) from what is
returned (value): the title is "1: Warum?", the value the string Rasa expects.

`python -m rasa_addons.shell shell --model …` (scripts/serve.sh, `make shell`) applies
both changes and runs Rasa's command line; nothing happens at import time. The web
widget and the REST channel are not affected.
"""

from __future__ import annotations

import re
import sys
from typing import Any, Dict, List, Text

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def plain(text: Text) -> Text:
    """The text without Markdown bold markers."""
    return _BOLD.sub(r"\1", text)


def readable_choices(message: Dict[Text, Any], allow_free_text_input: bool = True) -> List[Any]:
    """The button choices of a message: titles shown, Rasa's button string returned."""
    from questionary import Choice
    from rasa.cli import utils as cli_utils

    choices: List[Any] = []
    for idx, button in enumerate(message.get("buttons") or []):
        value = cli_utils.button_to_string(dict(button), idx)  # it pops keys: a copy
        choices.append(
            Choice(title=f"{idx + 1}: {plain(str(button.get('title', '')))}", value=value)
        )
    if allow_free_text_input:
        choices.append(cli_utils.FREE_TEXT_INPUT_PROMPT)
    return choices


def install() -> None:
    """Patches Rasa's console output (this process only)."""
    from rasa.cli import utils as cli_utils
    from rasa.core.channels import console

    original = console._print_bot_output
    original_buttons = console.print_buttons

    def print_buttons(
        message: Dict[Text, Any], is_latest_message: bool = False, *args: Any, **kw: Any
    ) -> Any:
        if is_latest_message:
            return original_buttons(message, is_latest_message, *args, **kw)
        print_color = console.rasa.shared.utils.cli.print_color
        color = args[0] if args else kw.get("color", console.rasa.shared.utils.io.bcolors.OKBLUE)
        print_color("Buttons:", color=color)
        for idx, button in enumerate(message.get("buttons") or []):
            print_color(f"{idx + 1}: {plain(str(button.get('title', '')))}", color=color)
        return None

    def print_bot_output(message: Dict[Text, Any], *args: Any, **kwargs: Any) -> Any:
        if isinstance(message.get("text"), str):
            message = {**message, "text": plain(message["text"])}
        return original(message, *args, **kwargs)

    cli_utils.button_choices_from_message_data = readable_choices
    console._print_bot_output = print_bot_output
    console.print_buttons = print_buttons


def main() -> None:
    """Runs `rasa` with the readable console."""
    from rasa.__main__ import main as rasa_main

    install()
    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
