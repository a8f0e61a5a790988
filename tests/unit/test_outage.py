"""The outage exceptions (rasa_addons/outage.py): they pass through Rasa's `except
Exception` handlers, end one asyncio task and not the event loop, and each names an
apology of the domain. What the channels answer: test_rest_channel.py,
test_socketio_channel.py; the real outages: tests/integration/test_outages.py.
"""

from __future__ import annotations

import asyncio

import pytest
import yaml

from rasa_addons import outage
from tests.helpers import ROOT

OUTAGES = [outage.ServiceUnavailable, *outage.ServiceUnavailable.__subclasses__()]


def test_the_outages_are_the_three_known_ones():
    assert {cls.__name__ for cls in OUTAGES} == {
        "ServiceUnavailable",
        "TrackerStoreUnavailable",
        "ActionServerUnavailable",
    }


@pytest.mark.parametrize("cls", OUTAGES)
def test_an_outage_passes_a_handler_for_every_exception(cls):
    def rasa_code() -> str:
        try:
            raise cls()
        except Exception:  # what Rasa's store, processor and action wrappers catch
            return "swallowed"

    with pytest.raises(outage.ServiceUnavailable):
        rasa_code()
    assert not issubclass(cls, (Exception, SystemExit, KeyboardInterrupt, GeneratorExit))


@pytest.mark.parametrize("cls", OUTAGES)
def test_an_outage_ends_its_task_not_the_event_loop(cls):
    async def failing() -> None:
        raise cls()

    async def both() -> list:
        return await asyncio.gather(failing(), asyncio.sleep(0, "next"), return_exceptions=True)

    failed, other = asyncio.run(both())
    assert isinstance(failed, cls) and other == "next"


def test_each_outage_names_its_own_apology_in_the_domain():
    service = yaml.safe_load((ROOT / "domain" / "service.yml").read_text(encoding="utf-8"))
    keys = [cls.text_key for cls in OUTAGES]
    assert len(set(keys)) == len(keys)
    for key in keys:
        (variant,) = service["responses"][f"utter_service_{key}"]
        assert variant["text"].startswith("Entschuldigung")
