"""The job-ad gate: held-out ads played through the real Rasa and action servers.

tests/job_ads/ was written by a helper who never read the training data, and it is
never trained on (the disjointness test below keeps it that way). Each ad is pasted
into a new conversation; the contract slots are compared with the labels
(devtools/job_ads.py). `make test` fails below 90 % for the variant, 85 % for each
requirement field (training set exact, degree_required, languages set exact) and
85 % for the fit. The figures are printed and written to results/job_ads.json.
tests/job_ads_fresh/, a second set, is played the same way for the figures in the
report and was never looked at while the check was built.

Also here: the length rules end to end (an ad of 6,000 characters is checked, a
non-ad over 2,000 characters gets "please shorten"), and the ad's trainings never
become the visitor's answers.
"""

from __future__ import annotations

import asyncio
import time
import uuid

import pytest
import requests

from devtools.job_ads import (
    ADS_DIR,
    FRESH2_DIR,
    FRESH3_DIR,
    FRESH4_DIR,
    FRESH5_DIR,
    FRESH_DIR,
    evaluate,
    load_ads,
    summary_lines,
    write_report,
)
from tests.helpers import ROOT, normalise, training_texts

VARIANT_GATE = 0.90
FIELD_GATE = 0.85
FIT_GATE = 0.85
FOLDERS = [ADS_DIR] + ([FRESH_DIR] if FRESH_DIR.exists() else [])
IDS = [f.name for f in FOLDERS]
# The third to fifth sets (tuned on) and the untouched sixth set are only kept disjoint
# here; devtools/untouched.py reports the sixth.
DISJOINT = FOLDERS + [FRESH2_DIR, FRESH3_DIR, FRESH4_DIR, FRESH5_DIR]


def test_the_ad_set_is_large_enough_and_labelled_with_contract_values():
    from career_quiz.contract import AD_FIT_VALUES, AD_VARIANTS, LEVELS, TRAINING_VALUES

    ads = load_ads(ADS_DIR)
    assert len(ads) >= 60
    for variant in AD_VARIANTS:
        assert sum(ad["variant"] == variant for ad in ads) >= 20, variant
    assert sum(len(ad.get("fit_cases") or []) for ad in ads) >= 30
    for ad in ads:
        requirements = ad["requirements"]
        assert set(requirements["training"]) <= set(TRAINING_VALUES), ad["id"]
        assert isinstance(requirements["degree_required"], bool), ad["id"]
        assert all(entry.split(":")[1] in LEVELS for entry in requirements["languages"])
        assert all(case["fit"] in AD_FIT_VALUES for case in ad.get("fit_cases") or [])


@pytest.mark.parametrize("folder", DISJOINT, ids=[f.name for f in DISJOINT])
def test_ad_sets_are_disjoint_from_training_data(folder):
    trained = training_texts()
    leaked = []
    for ad in load_ads(folder):
        pieces = [ad["text"], *(line for line in ad["text"].splitlines() if len(line) >= 25)]
        leaked += [p for p in pieces if normalise(p) in trained]
    assert leaked == []


def _gate(report):
    fields = report["fields"]
    low = {
        name: r["accuracy"]
        for name, r in fields.items()
        if r["accuracy"]
        < (VARIANT_GATE if name == "variant" else FIT_GATE if name == "fit" else FIELD_GATE)
    }
    return low


@pytest.mark.live
@pytest.mark.parametrize("folder", FOLDERS, ids=IDS)
def test_job_ad_gate(gate_stack, capsys, folder):
    stack = gate_stack
    report = evaluate(stack, folder)
    write_report(report, ROOT / "results" / f"{folder.name}.json")
    with capsys.disabled():  # the figures show in every `make test`, not only on failure
        print(f"\nJob-ad check ({folder.name}), contract slots vs labels:")
        for line in summary_lines(report):
            print("  " + line)
        for miss in report["failures"]:
            wrong = [k for k, ok in miss["checks"].items() if not ok]
            print(f"  MISS {miss['id']} {wrong}: got {miss['got']} expected {miss['expected']}")
        for miss in report["fit_failures"]:
            print(f"  MISS fit {miss['id']}: got {miss['got']} expected {miss['expected']}")
    low = _gate(report)
    assert not low, f"job-ad check below the gate: {low}"


@pytest.mark.live
def test_ads_up_to_6000_characters_are_checked_and_other_long_texts_are_not(gate_stack, capsys):
    from career_quiz.job_ad import MAX_AD_CHARS
    from tests.unit.test_job_ad import ADS as ADS_DEV
    from tests.unit.test_job_ad import _long_ad

    stack = gate_stack
    stack.send("ad-warm", "Hallo")  # the first message of a server is slower
    started = time.perf_counter()
    stack.send("ad-hello", "Hallo")
    hello = time.perf_counter() - started
    ad = _long_ad(MAX_AD_CHARS)
    sender = "ad-long-1"
    lead_in = "Passt diese Stelle zu mir?\n"
    message = lead_in + _long_ad(MAX_AD_CHARS - len(lead_in))
    assert len(message) == MAX_AD_CHARS
    started = time.perf_counter()
    replies = stack.send(sender, message)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\nOne 6,000-character ad check: {seconds:.2f} s (a 'Hallo': {hello:.2f} s)")
    text = " ".join(r.get("text", "") for r in replies)
    slots = stack.tracker(sender)["slots"]
    assert slots["ad_variant"] == "secretarial", text
    assert slots["ad_requirements"]["languages"] == ["en:fluent"]
    assert slots["training"] is None and slots["languages"] is None  # the ad's, not hers
    assert slots["ad_fit"] is None and "Fragen" in text  # no answers yet: the offer

    # The offer leads through the quiz, and the comparison follows the result.
    stack.send(sender, "/start_quiz")
    stack.send(sender, '/inform{"training": ["office"]}')
    stack.send(sender, '/inform{"languages": ["en:good"]}')
    replies = stack.send(sender, '/inform{"task_preference": "assistance"}')
    text = " ".join(r.get("text", "") for r in replies)
    assert stack.tracker(sender)["slots"]["ad_fit"] == "partly", text
    assert "nicht erfüllt" in text and "Unterrichtseinheiten" in text

    chatter = ("Ich bin Bankkauffrau und spreche fließend Englisch. " * 60)[:2500]
    replies = stack.send("ad-long-2", chatter)
    assert "2.000" in " ".join(r.get("text", "") for r in replies)
    assert stack.tracker("ad-long-2")["slots"].get("ad_variant") is None

    response = requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": "ad-long-3", "message": "\U0001f600" * MAX_AD_CHARS},
        timeout=60,
    )
    assert response.status_code == 200  # fits the body limit, then "please shorten"
    assert "2.000" in " ".join(r.get("text", "") for r in response.json())

    # Asking first, then pasting the ad in the next message.
    replies = stack.send("ad-ask-1", "Können Sie eine Stellenanzeige für mich prüfen?")
    assert "Anzeige" in " ".join(r.get("text", "") for r in replies)
    stack.send("ad-ask-1", ad[:2500])
    assert stack.tracker("ad-ask-1")["slots"]["ad_variant"] == "secretarial"

    # In the middle of the quiz: the ad is answered, the open question follows, the
    # ad's training does not replace the visitor's, and the comparison follows the result.
    stack.send("ad-mid-1", "/start_quiz")
    stack.send("ad-mid-1", '/inform{"training": ["bank_insurance"]}')
    replies = stack.send("ad-mid-1", ADS_DEV[1]["text"])
    text = " ".join(r.get("text", "") for r in replies)
    slots = stack.tracker("ad-mid-1")["slots"]
    assert slots["ad_variant"] == "secretarial" and slots["training"] == ["bank_insurance"]
    assert slots["requested_slot"] == "languages", text
    stack.send("ad-mid-1", '/inform{"languages": ["en:fluent"]}')
    stack.send("ad-mid-1", '/inform{"task_preference": "assistance"}')
    assert stack.tracker("ad-mid-1")["slots"]["ad_fit"] == "partly"
    # A corrected answer gives a new result, and the comparison follows it.
    replies = stack.send("ad-mid-1", '/inform{"training": ["office"]}')
    assert stack.tracker("ad-mid-1")["slots"]["ad_fit"] == "fits"
    assert "aktualisiert" in " ".join(r.get("text", "") for r in replies)

    # The widget's channel: the same ad over socket.io (HTTP long-polling, whose
    # body carries the whole message: the engine.io limit matters here).
    session = asyncio.run(_socketio_ad(stack, ad))
    assert stack.tracker(session)["slots"]["ad_variant"] == "secretarial"


async def _socketio_ad(stack, ad: str) -> str:
    import socketio

    client = socketio.AsyncClient(reconnection=False)
    bot: asyncio.Queue = asyncio.Queue()
    client.on("bot_uttered", lambda data: bot.put_nowait(data))
    confirmed = asyncio.get_running_loop().create_future()
    client.on("session_confirm", lambda sid: confirmed.set_result(sid))
    await client.connect(
        stack.rasa_url,
        socketio_path="/socket.io",
        headers={"Origin": "http://localhost:8080"},
        transports=["polling"],
    )
    try:
        session = f"sioad{uuid.uuid4().hex}"
        await client.emit("session_request", {"session_id": session})
        assert await asyncio.wait_for(confirmed, 30) == session
        await client.emit("user_uttered", {"message": ad, "session_id": session})
        first = await asyncio.wait_for(bot.get(), 60)
        assert "Sekretariat/Teamassistenz" in first["text"], first
        await asyncio.sleep(1)  # the remaining bubbles of the answer
        return session
    finally:
        await client.disconnect()
