"""Live fuzz run: a few hundred random requests against the real Rasa and action servers.

The requests come from a seeded `random.Random` (seed `QUIZ_FUZZ_SEED`, default below), so
a failure is reproducible: the summary prints the seed, and each mismatch names the
request number and the body. Checked:

* no status >= 500 except the documented 503 (an outage answer);
* each status is the one the REST contract promises for that body (rasa_addons/rest_channel.py):
  400 for no JSON object, a bad `sender` or a bad `message`; 413 (or 400) for bodies
  over 80 KB (career_quiz.input_checks.MAX_BODY_BYTES); 200 (or 503) for an accepted message;
* messages over 2,000 characters get a "please shorten" answer and are not stored;
* slash commands (built-in, unknown, forged entities) each get an answer, do not
  restart the conversation and make Rasa run no built-in intent;
* both servers stay up throughout, and a fresh visitor's "Hallo" is answered at the end
  (the last test, which also prints the summary: requests, status counts, duration, seed).

The slash-command cases include what the first runs found (now fixed): whitespace
before a "/" and deeply nested JSON in a payload.

Needs the trained model (models/quiz.tar.gz); `make test` trains it first.
"""

from __future__ import annotations

import json
import os
import random
import time
from collections import Counter
from typing import Any, Dict, List, Optional, Set, Tuple

import pytest
import requests

from career_quiz.input_checks import MAX_BODY_BYTES
from devtools.stack import running_stack

try:  # Sanic parses request bodies with ujson when it is installed
    from ujson import loads as server_json_loads
except ImportError:  # pragma: no cover
    from json import loads as server_json_loads

pytestmark = pytest.mark.live

SEED = int(os.environ.get("QUIZ_FUZZ_SEED", "20261202"))
RANDOM_REQUESTS = 300
MAX_CHARS = 2000
MAX_BODY = MAX_BODY_BYTES
SENDER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.:-"
TIMEOUT = 60

QUIZ_MESSAGES = [
    "Hallo",
    "Quiz starten",
    "/start_quiz",
    "Ich bin Bankkauffrau",
    "Kauffrau für Büromanagement",
    "Ich habe BWL studiert",
    "weder Lehre noch Uni",
    "Dipl.-Kffr. (FH)",
    "keine",
    "Englisch fließend und etwas Französisch",
    "ES B2, IT A2",
    "nur Deutsch",
    "weiß nicht",
    "Tschechisch spreche ich nicht",
    "Ich organisiere gern Termine und Reisen",
    "Am liebsten plane und koordiniere ich Projekte",
    "Reisekostenabrechnung und Fuhrparkverwaltung",
    "Überspringen",
    "Was heißt verhandlungssicher?",
    "Brauche ich ein Studium?",
    "Warum?",
    "Ich habe doch studiert",
    "Neu starten",
    "ja",
    "nein",
    "Das hat mir geholfen",
    '/inform{"training": "office"}',
    '/inform{"languages": ["en:good"]}',
    '/inform{"task_preference": "specialist"}',
    "Tschüss",
    "🙂",
    "   ",
    "",
]
ODD = [
    "\u200b",
    "\u202e",
    "\ufeff",
    "\u00ad",
    "\u0301",
    "İ",
    "ß",
    "ẞ",
    "ﬀ",
    "🙂",
    "👩‍💼",
    "\u2028",
    "\u00a0",
    "\t",
    "\n",
    "\r",
    "<script>alert(1)</script>",
    "'; DROP TABLE events;--",
    "%s%n",
    "{{7*7}}",
    "${jndi:ldap://x}",
    "\\",
    '"',
    "中文",
    "ש",
    "\U0010fffd",
]
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85", "\x9f"]


# -- what the server should answer (REST contract) -----------------------------------


def valid_sender(value: Any) -> bool:
    return (
        isinstance(value, str) and 1 <= len(value) <= 128 and all(c in SENDER_CHARS for c in value)
    )


def valid_text(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    for char in value:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            return False
        if (code < 0x20 or 0x7F <= code <= 0x9F) and char not in "\t\n\r":
            return False
    return True


def expected_statuses(body: bytes) -> Tuple[Set[int], str]:
    """The statuses the REST contract allows for `body`, and why."""
    if len(body) > MAX_BODY:
        return {413, 400}, "body over 80 KB"
    try:
        data = server_json_loads(body)
    except Exception:
        return {400}, "no JSON"
    if not isinstance(data, dict):
        return {400}, "no JSON object"
    sender, message = data.get("sender"), data.get("message")
    if not valid_sender(sender):
        return {400}, "bad sender"
    message = "" if message is None else message
    if not valid_text(message):
        return {400}, "bad message"
    if len(message) > MAX_CHARS:  # the fuzzer's long texts are no job ads
        return {200}, "too long"
    return {200, 503}, "accepted"


# -- random request bodies ------------------------------------------------------------


class Fuzzer:
    """Random request bodies from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pool = [f"fuzz-{seed}-{i}" for i in range(6)]

    def fresh_sender(self, prefix: str) -> str:
        """A new valid sender id, from the seeded generator (reproducible)."""
        return f"fuzz-{prefix}-{self.rng.getrandbits(48):012x}"

    def char(self) -> str:
        r = self.rng.random()
        if r < 0.5:
            return chr(self.rng.randint(0x20, 0x7E))
        if r < 0.8:
            return chr(self.rng.randint(0xA0, 0x2FFF))
        code = self.rng.randint(0x3000, 0x10FFFF)
        return chr(code) if not 0xD800 <= code <= 0xDFFF else "x"

    def text(self, max_len: int = 60) -> str:
        parts = []
        for _ in range(self.rng.randint(0, 6)):
            r = self.rng.random()
            if r < 0.4:
                parts.append(self.rng.choice(QUIZ_MESSAGES))
            elif r < 0.6:
                parts.append(self.rng.choice(ODD))
            else:
                parts.append("".join(self.char() for _ in range(self.rng.randint(1, 12))))
        return " ".join(parts)[:max_len]

    def sender(self) -> Any:
        r = self.rng.random()
        if r < 0.35:
            return self.rng.choice(self.pool)
        if r < 0.55:
            n = self.rng.choice([1, 2, 20, 127, 128])
            return "".join(self.rng.choice(SENDER_CHARS) for _ in range(n))
        return self.rng.choice(
            [
                "",
                " ",
                "a" * 129,
                "a b",
                "abc\n",
                "ä",
                "user/1",
                "../../etc",
                "a\x00b",
                "\udfff",
                "١٢٣",
                "ａｂｃ",
                0,
                12345,
                -1,
                3.5,
                True,
                None,
                [],
                ["a"],
                {},
                {"id": "a"},
                self.text(20),
            ]
        )

    def json_value(self, depth: int = 0) -> Any:
        r = self.rng.random()
        if depth > 2 or r < 0.5:
            return self.rng.choice(
                [None, True, False, 0, -7, 2**70, 1.5, 1e308, "", self.text(20), "Hallo"]
            )
        if r < 0.75:
            return [self.json_value(depth + 1) for _ in range(self.rng.randint(0, 3))]
        return {self.text(8): self.json_value(depth + 1) for _ in range(self.rng.randint(0, 3))}

    def message(self) -> Any:
        r = self.rng.random()
        if r < 0.45:
            return self.rng.choice(QUIZ_MESSAGES)
        if r < 0.7:
            return self.text()
        if r < 0.8:
            text = self.text(30)
            i = self.rng.randint(0, len(text))
            return text[:i] + self.rng.choice(CONTROLS) + text[i:]
        if r < 0.85:
            return self.text(30) + self.rng.choice(["\udfff", "\ud800", "\udc00x"])
        return self.json_value()

    def dumps(self, value: Any) -> bytes:
        # ensure_ascii writes lone surrogates as "\udfff" escapes, as the brief asks.
        return json.dumps(value, ensure_ascii=self.rng.random() < 0.7).encode(
            "utf-8", "surrogatepass"
        )

    def body(self) -> Tuple[str, bytes]:
        r = self.rng.random()
        if r < 0.45:
            obj: Dict[str, Any] = {}
            if self.rng.random() < 0.92:
                obj["sender"] = self.sender()
            if self.rng.random() < 0.92:
                obj["message"] = self.message()
            if self.rng.random() < 0.3:
                obj["metadata"] = self.json_value()
            if self.rng.random() < 0.1:
                obj["input_channel"] = self.json_value()
            return "object", self.dumps(obj)
        if r < 0.60:  # a valid quiz conversation going on
            return "quiz", self.dumps(
                {"sender": self.rng.choice(self.pool), "message": self.rng.choice(QUIZ_MESSAGES)}
            )
        if r < 0.67:
            return "non-object", self.dumps(self.json_value())
        if r < 0.75:  # broken JSON: truncated, flipped bytes, random bytes
            good = self.dumps({"sender": self.rng.choice(self.pool), "message": self.text()})
            kind = self.rng.random()
            if kind < 0.4:
                return "broken", good[: self.rng.randint(0, max(0, len(good) - 1))]
            if kind < 0.8:
                data = bytearray(good)
                for _ in range(self.rng.randint(1, 4)):
                    data[self.rng.randrange(len(data))] = self.rng.randrange(256)
                return "broken", bytes(data)
            return "broken", bytes(self.rng.randrange(256) for _ in range(self.rng.randint(0, 64)))
        if r < 0.82:  # escapes written into the raw body
            escape = self.rng.choice(
                [
                    "\\udfff",
                    "\\ud800",
                    "\\u0000",
                    "\\u001b",
                    "\\u007f",
                    "\\ud83d\\ude00",
                    "\\u2028",
                    "\\t",
                ]
            )
            field = self.rng.choice(["sender", "message", "metadata"])
            values = {
                "sender": json.dumps(self.rng.choice(self.pool)),
                "message": json.dumps("Hallo"),
                "metadata": "{}",
            }
            values[field] = (
                '{"k": "' + escape + '"}' if field == "metadata" else '"x' + escape + 'y"'
            )
            raw = (
                '{"sender": %(sender)s, "message": %(message)s, "metadata": %(metadata)s}' % values
            )
            return "escape", raw.encode()
        if r < 0.86:  # raw control bytes inside JSON strings
            control = self.rng.choice(CONTROLS[:8]).encode()
            return "raw-control", (
                b'{"sender": "'
                + self.rng.choice(self.pool).encode()
                + b'", "message": "a'
                + control
                + b'b"}'
            )
        if r < 0.91:  # huge bodies
            size = self.rng.choice([MAX_BODY + 1, 100_000, 1_000_000])
            return "huge", self.dumps({"sender": self.rng.choice(self.pool), "message": "x" * size})
        if r < 0.96:  # long messages below the body limit
            n = self.rng.randint(MAX_CHARS + 1, 6000)
            return "long", self.dumps(
                {
                    "sender": self.fresh_sender("long"),
                    "message": ("Bankkauffrau, Englisch gut. " * 300)[:n],
                }
            )
        n = self.rng.choice([MAX_CHARS - 1, MAX_CHARS])
        return "limit", self.dumps({"sender": self.rng.choice(self.pool), "message": "a" * n})


# Rasa's built-in intents (rasa.shared.core.constants.DEFAULT_INTENTS).
BUILTIN_INTENTS = {"restart", "back", "out_of_scope", "session_start", "nlu_fallback"}
DEEP_JSON = '/inform{"training": ' + "[" * 985 + "]" * 985 + "}"  # 1,990 characters
DEEP_UNCLOSED = '/inform{"training": ' + "[" * 1975
SLASH_COMMANDS = [
    "/restart",
    "/session_start",
    "/nonexistent_intent",
    '/inform{"training": "evil"}',
    '/inform{"recommended_variant": "specialist"}',
    "/back",
    "/nlu_fallback",
    "/out_of_scope",
    "//restart",
    "/restart@1.0",
    "/ restart",
    '/inform{"languages": ["xx:native"]}',
    "/",
    "/{}",
    "/inform{",
    "/ inform",
    "/inform{}",
    '/start_quiz{"training": ["office"]}',
    pytest.param(" /restart", id="space-restart"),
    pytest.param("/\t/restart", id="slash-tab-restart"),
    pytest.param("\u00a0/session_start", id="nbsp-session_start"),
    pytest.param("\n/back", id="newline-back"),
    pytest.param(DEEP_JSON, id="deep-json"),
    pytest.param(DEEP_UNCLOSED, id="deep-json-unclosed"),
]
OTHER_PATHS = [
    ("GET", "/", {}),
    ("GET", "/version", {}),
    ("GET", "/status", {}),
    ("GET", "/webhooks/rest/", {}),
    ("GET", "/webhooks/rest/webhook", {}),
    (
        "OPTIONS",
        "/webhooks/rest/webhook",
        {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
    ),
    ("OPTIONS", "/", {}),
    ("GET", "/conversations/fuzz/tracker", {}),
    ("GET", "/conversations/fuzz/tracker?token=wrong", {}),
    ("GET", "/domain", {}),
    ("GET", "/nonexistent", {}),
    ("GET", "/%00", {}),
    ("GET", "/%ED%BF%BF", {}),
    ("GET", "/" + "a" * 5000, {}),
    ("GET", "/webhooks/rest/webhook?stream=true", {}),
    ("DELETE", "/webhooks/rest/webhook", {}),
    ("PUT", "/webhooks/rest/webhook", {}),
    ("HEAD", "/webhooks/rest/webhook", {}),
    ("GET", "/webhooks/rest/webhook/../../status", {}),
]


# -- the run ---------------------------------------------------------------------------


class Run:
    """Sends requests, checks each status and that both servers stay up; counts for the
    summary the last test prints.
    """

    def __init__(self, stack, fuzzer: Fuzzer) -> None:
        self.stack = stack
        self.fuzzer = fuzzer
        self.statuses: Counter = Counter()
        self.kinds: Counter = Counter()
        self.problems: List[str] = []
        self.count = 0
        self.session = requests.Session()
        self.started = time.monotonic()

    def alive(self) -> bool:
        return all(p.poll() is None for p in self.stack.processes[:2])

    def request(
        self,
        method: str,
        path: str,
        kind: str,
        expected: Optional[Set[int]] = None,
        why: str = "",
        **kwargs,
    ) -> Optional[requests.Response]:
        self.count += 1
        self.kinds[kind] += 1
        number = self.count
        try:
            response = self.session.request(
                method, self.stack.rasa_url + path, timeout=TIMEOUT, **kwargs
            )
        except requests.RequestException as error:
            self.statuses["error"] += 1
            self.problems.append(
                f"#{number} {kind} {method} {path[:60]}: "
                f"{type(error).__name__}: {error} "
                f"body={_short(kwargs.get('data'))}"
            )
            self._check_alive(number)
            return None
        self.statuses[response.status_code] += 1
        if response.status_code >= 500 and response.status_code != 503:
            self.problems.append(
                f"#{number} {kind} {method} {path[:60]}: "
                f"{response.status_code} body={_short(kwargs.get('data'))} "
                f"reply={response.text[:200]!r}"
            )
        elif expected is not None and response.status_code not in expected:
            self.problems.append(
                f"#{number} {kind} ({why}) {method} {path[:60]}: "
                f"{response.status_code}, expected {sorted(expected)} "
                f"body={_short(kwargs.get('data'))} reply={response.text[:200]!r}"
            )
        self._check_alive(number)
        return response

    def post(self, kind: str, body: bytes, query: str = "") -> Optional[requests.Response]:
        expected, why = expected_statuses(body)
        return self.request(
            "POST",
            "/webhooks/rest/webhook" + query,
            kind,
            expected,
            why,
            data=body,
            headers={"Content-Type": "application/json"},
        )

    def send(self, kind: str, sender: str, message: str) -> List[Dict[str, Any]]:
        """A well-formed message; returns the replies (problems noted, not raised)."""
        response = self.post(kind, json.dumps({"sender": sender, "message": message}).encode())
        if response is None or response.status_code != 200:
            return []
        try:
            replies = response.json()
        except ValueError:
            self.problems.append(f"#{self.count} {kind}: reply is no JSON: {response.text[:200]!r}")
            return []
        if not isinstance(replies, list):
            self.problems.append(f"#{self.count} {kind}: reply is no list: {replies!r}")
            return []
        return replies

    def _check_alive(self, number: int) -> None:
        if not self.alive():
            codes = [p.poll() for p in self.stack.processes[:2]]
            self.problems.append(f"#{number}: a server exited (action, rasa) = {codes}")
            raise AssertionError("\n".join(self.problems))

    def assert_no_problems(self, since: int) -> None:
        new = self.problems[since:]
        assert not new, "\n".join(new)


def _short(data: Any) -> str:
    if data is None:
        return "-"
    text = repr(data)
    return text if len(text) <= 300 else f"{text[:200]}...({len(data)} bytes)"


def _has_text(replies: List[Dict[str, Any]]) -> bool:
    return any((r.get("text") or "").strip() or r.get("buttons") for r in replies)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    with running_stack(tmp_path_factory.mktemp("fuzz")) as stack:
        yield Run(stack, Fuzzer(SEED))


def test_random_requests_get_the_statuses_the_rest_contract_promises(run):
    """Random bodies, random types, broken JSON, escapes, control bytes, huge and long
    messages: no 500, each status as promised, long messages answered and never stored.
    """
    since, fuzzer, stack = len(run.problems), run.fuzzer, run.stack
    long_messages: List[Tuple[str, str]] = []
    for _ in range(RANDOM_REQUESTS):
        kind, body = fuzzer.body()
        query = fuzzer.rng.choice(["", "", "", "?stream=true", "?token=x", "?input_channel=x"])
        response = run.post(kind, body, query)
        if kind == "long" and response is not None and response.status_code == 200:
            data = json.loads(body)
            long_messages.append((data["sender"], data["message"]))
            if not _has_text(response.json()):
                run.problems.append(f"#{run.count} long: no 'please shorten' reply")
    # Also in the middle of a quiz.
    mid = fuzzer.fresh_sender("mid")
    run.send("quiz", mid, "Quiz starten")
    for n in (MAX_CHARS + 1, 2500, 5000):
        sender = fuzzer.rng.choice([mid, fuzzer.fresh_sender("long")])
        text = ("Ich bin Bankkauffrau und spreche fließend Englisch. " * 200)[:n]
        if not _has_text(run.send("long", sender, text)):
            run.problems.append(f"#{run.count} long ({n} chars): no 'please shorten' reply")
        long_messages.append((sender, text))
    for sender, text in long_messages:
        tracker = stack.tracker(sender)
        if text in json.dumps(tracker, ensure_ascii=False):
            run.problems.append(f"the long message of {sender} ({len(text)} chars) was stored")
        if any(
            len(e.get("text") or "") > MAX_CHARS
            for e in tracker["events"]
            if e.get("event") == "user"
        ):
            run.problems.append(f"{sender}: a user event over {MAX_CHARS} characters")
    run.assert_no_problems(since)


@pytest.mark.parametrize("command", SLASH_COMMANDS)
def test_a_slash_command_is_answered_and_runs_no_builtin_intent(run, command):
    """After a greeting: the command gets an answer, the greeting stays in the tracker (no
    restart) and no user event carries a built-in intent read from a payload.
    """
    since = len(run.problems)
    sender = run.fuzzer.fresh_sender("slash")
    assert _has_text(run.send("slash", sender, "Hallo"))
    replies = run.send("slash", sender, command)
    if not _has_text(replies):
        run.problems.append(f"#{run.count} slash {command[:40]!r}: no reply ({replies!r})")
    users = [e for e in run.stack.tracker(sender)["events"] if e.get("event") == "user"]
    if not any(e.get("text") == "Hallo" for e in users):
        run.problems.append(f"slash {command[:40]!r} restarted the conversation")
    for event in users:
        intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
        if (event.get("text") or "").startswith("/") and intent in BUILTIN_INTENTS:
            run.problems.append(
                f"slash {command[:40]!r}: Rasa ran the built-in intent "
                f"{intent!r} (stored text {event['text'][:40]!r})"
            )
    run.assert_no_problems(since)


def test_other_paths_and_methods_never_fail(run):
    since = len(run.problems)
    token = run.stack.token
    paths = OTHER_PATHS + [
        ("GET", f"/status?token={token}", {}),
        ("GET", f"/conversations/{run.fuzzer.pool[0]}/tracker?token={token}", {}),
    ]
    for method, path, headers in paths:
        run.request(method, path, "path", headers=headers)
    run.assert_no_problems(since)


def test_the_servers_stayed_up_and_a_fresh_hallo_is_answered(run, capsys):
    """Last in this module: both servers alive after everything above, and a normal message
    from a new visitor answered. Prints the run's summary.
    """
    replies = run.send("final", run.fuzzer.fresh_sender("final"), "Hallo")
    alive = run.alive()
    duration = time.monotonic() - run.started
    with capsys.disabled():
        codes = ", ".join(f"{code}: {n}" for code, n in sorted(run.statuses.items(), key=str))
        kinds = ", ".join(f"{kind} {n}" for kind, n in sorted(run.kinds.items()))
        print(
            f"\nFuzz run (seed {SEED}, QUIZ_FUZZ_SEED): {run.count} requests in "
            f"{duration:.1f} s; status {codes}; kinds {kinds}; problems {len(run.problems)}"
        )
        for problem in run.problems[:20]:
            print(f"  {problem[:300]}")
    assert alive, "a server exited"
    assert _has_text(replies), replies
