"""Fixtures of the integration tests that start servers.

The held-out gates (contextual, side questions, corrections, job ads, advice) all play
their sets through the same default stack: Rasa and the action server with SQLite
stores and the shipped model. Each conversation has its own sender id and the gates
read only their own conversations' slots, so one stack serves them all; starting it
once instead of once per gate saves a model load (about 20-40 s) per gate in
`make test`. Tests that need their own configuration (outages, PostgreSQL, other
endpoints) keep starting their own with `running_stack`.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from devtools.stack import Stack, running_stack


@pytest.fixture(scope="session")
def gate_stack(tmp_path_factory) -> Iterator[Stack]:
    """The default stack shared by the held-out gates (started on first use)."""
    with running_stack(tmp_path_factory.mktemp("gates")) as stack:
        yield stack
