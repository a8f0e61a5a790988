"""`make cluster` under faults: scripts/cluster.sh as it ships (nginx on 127.0.0.1:8000,
Rasa replicas on 5005/5006, action servers on 5055/5056), on a throw-away PostgreSQL
database and this test's own redis-server (a free port: the Redis outage below must
not touch the machine's shared one).

Every message goes through nginx; nginx names the replica that answered in
`X-Quiz-Upstream`. Checked, in this order:
- both replicas serve, and one conversation alternating over them completes with the
  right result, its tracker identical on both replicas, no event lost or doubled;
- 20 concurrent messages of one visitor, spread over both replicas: processed one at
  a time in the order sent, none lost (the tail is printed);
- the socket.io route is sticky (engine.io polling of one socket stays on its replica);
- a Rasa replica SIGKILLed mid-quiz: the quiz continues and finishes through the
  other one, exactly one results row;
- an action server SIGKILLed: the other serves, the visitor sees no apology;
- Redis down: the German "please send it again" answer (503, no 500, no exit), then
  recovery with Redis back;
- SIGTERM to cluster.sh stops every process (Ctrl+C is the same trap).
One cluster start (two model loads) for all of it. QUIZ_CLUSTER_TEST_PORT_OFFSET=N
moves every port by N (nginx 8000 + N, ...), for a machine where another cluster runs.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, Iterator, List, Tuple

import psutil
import pytest
import requests
import sqlalchemy as sa

from career_quiz.repository import ResultRepository, make_engine
from devtools.databases import throwaway_postgres_database
from devtools.procs import stop_tree
from devtools.stack import ROOT, free_port, start
from tests.helpers import QUIZZES, texts
from tests.integration.test_supervisor import _session_processes, _supervisor

pytestmark = pytest.mark.live

OFFSET = int(os.environ.get("QUIZ_CLUSTER_TEST_PORT_OFFSET", "0") or 0)
PORTS = {
    "CLUSTER_HTTP_PORT": 8000 + OFFSET,
    "CLUSTER_RASA_PORT": 5005 + OFFSET,
    "CLUSTER_ACTION_PORT": 5055 + OFFSET,
    "CLUSTER_ACTIONS_LB_PORT": 5050 + OFFSET,
    "CLUSTER_WEB_PORT": 8080 + OFFSET,
}
NGINX = f"http://127.0.0.1:{PORTS['CLUSTER_HTTP_PORT']}"
RASA1, RASA2 = PORTS["CLUSTER_RASA_PORT"], PORTS["CLUSTER_RASA_PORT"] + 1
ACTIONS1 = PORTS["CLUSTER_ACTION_PORT"]
REPLICAS = {f"127.0.0.1:{RASA1}": "rasa1", f"127.0.0.1:{RASA2}": "rasa2"}
START_TIMEOUT = 420
RETRY_TEXT = "Bitte senden Sie Ihre letzte Nachricht in einem Moment noch einmal"
APOLOGY = "Entschuldigung"


class Cluster:
    def __init__(self, proc, var: Path, database_url: str, redis_port: int, token: str):
        self.proc, self.var, self.database_url = proc, var, database_url
        self.redis_port, self.token = redis_port, token
        self.redis = None

    def supervisor(self):
        return _supervisor(self.var / "supervisor.sock").supervisor

    def pid(self, program: str) -> int:
        return self.supervisor().getProcessInfo(program)["pid"]

    def send(self, sender: str, message: str, timeout: float = 60) -> Tuple[int, list, str]:
        """(status, replies, replica) of one REST message through nginx."""
        response = requests.post(
            f"{NGINX}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        replica = REPLICAS.get(response.headers.get("X-Quiz-Upstream", "").split(",")[-1].strip())
        return response.status_code, response.json(), replica or "?"

    def tracker(self, sender: str, port: int) -> Dict:
        response = requests.get(
            f"http://127.0.0.1:{port}/conversations/{sender}/tracker",
            params={"token": self.token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def rows(self, sender: str) -> List[Dict]:
        salt = (self.var / "hash_salt").read_text().strip()
        engine = make_engine(self.database_url)
        try:
            return ResultRepository(engine, salt).results_for(sender)
        finally:
            engine.dispose()

    def wait_replicas(self, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        for port in (RASA1, RASA2):
            while True:
                try:
                    if requests.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                assert self.proc.poll() is None, (self.var / "cluster.out").read_text()[-3000:]
                assert time.monotonic() < deadline, f"replica {port} not up"
                time.sleep(1)


def start_redis(port: int, log: Path) -> subprocess.Popen:
    proc = start(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        log,
        dict(os.environ),
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            import redis

            redis.Redis(port=port, socket_timeout=1).ping()
            return proc
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.1)
    raise RuntimeError("own redis-server did not start")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory) -> Iterator[Cluster]:
    work = tmp_path_factory.mktemp("cluster")
    var = work / "var"
    redis_port = free_port()
    token = f"cluster-test-{uuid.uuid4().hex[:8]}"
    redis_proc = start_redis(redis_port, work / "redis.log")
    try:
        with throwaway_postgres_database("quiz_cluster_test_") as url:
            env = {
                k: v
                for k, v in os.environ.items()
                if k
                not in ("QUIZ_ACTION_TOKEN", "WEB_ORIGINS", "QUIZ_DATABASE_URL", "SANIC_WORKERS")
            }
            env.update(
                {
                    "DATABASE_URL": url,
                    "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
                    "CLUSTER_VAR_DIR": str(var),
                    "RASA_AUTH_TOKEN": token,
                    "QUIZ_ACTION_TIMEOUT": "10",  # a loaded machine: no spurious apology
                    "PYTHONPATH": str(ROOT),
                    "TF_CPP_MIN_LOG_LEVEL": "3",
                    "RASA_TELEMETRY_ENABLED": "false",
                    **{name: str(port) for name, port in PORTS.items()},
                }
            )
            proc = subprocess.Popen(
                [str(ROOT / "scripts" / "cluster.sh")],
                cwd=ROOT,
                env=env,
                stdout=open(work / "cluster.out", "w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            (var.mkdir(parents=True, exist_ok=True))
            running = Cluster(proc, var, url, redis_port, token)
            running.redis = redis_proc
            supervisord = 0
            try:
                started = time.monotonic()
                running.wait_replicas()
                print(f"\ncluster up in {time.monotonic() - started:.0f}s")
                supervisord = running.supervisor().getPID()
                yield running
                # Ctrl+C / SIGTERM: everything stops, nothing is left.
                os.kill(proc.pid, signal.SIGTERM)
                proc.wait(timeout=90)
                deadline = time.monotonic() + 30
                while _session_processes(proc.pid, supervisord) and time.monotonic() < deadline:
                    time.sleep(0.3)
                assert not _session_processes(proc.pid, supervisord)
            finally:
                if proc.poll() is None:
                    os.killpg(proc.pid, signal.SIGTERM)
                    try:
                        proc.wait(timeout=60)
                    except subprocess.TimeoutExpired:
                        proc.kill()
                if not supervisord:
                    try:
                        supervisord = int((var / "supervisord.pid").read_text())
                    except (OSError, ValueError):
                        pass
                for line in _session_processes(proc.pid, supervisord):
                    try:
                        os.kill(int(line.split()[0]), signal.SIGKILL)
                    except ProcessLookupError:
                        pass
    finally:
        stop_tree(running.redis if "running" in locals() and running.redis else redis_proc)


def kill(pid: int, port: int) -> None:
    """SIGKILL a server (and any child) and wait until its port refuses connections, as
    between two messages of a visitor (a request in flight at the kill would fail).
    """
    import socket

    for process in psutil.Process(pid).children(recursive=True):
        process.kill()
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) != 0:
                return
        time.sleep(0.05)
    raise AssertionError(f"port {port} still accepts connections after the kill")


def play(cluster: Cluster, sender: str, messages: List[str]) -> Tuple[str, List[str]]:
    """Sends the messages; (all reply texts, replica per message). Every reply 200."""
    replicas, replies = [], []
    for message in messages:
        status, body, replica = cluster.send(sender, message)
        assert status == 200 and body, (message, status, body)
        replicas.append(replica)
        replies.append(texts(body))
    return "\n".join(replies), replicas


def _settled_process_info(cluster: Cluster, timeout: float = 60) -> List[dict]:
    """The process info of supervisord once no program is STARTING any more: a replica that
    answers HTTP before its `startsecs` (20 s) have passed is still STARTING there.
    """
    deadline = time.monotonic() + timeout
    while True:
        info = cluster.supervisor().getAllProcessInfo()
        if all(p["statename"] != "STARTING" for p in info) or time.monotonic() > deadline:
            return info
        time.sleep(0.5)


def test_every_server_came_up_on_the_fresh_database(cluster):
    # Replicas started together on an empty database: none died (schema set up once).
    info = _settled_process_info(cluster)
    assert {p["name"]: p["statename"] for p in info} == {p["name"]: "RUNNING" for p in info}
    assert all(p["start"] > 0 and p["pid"] > 0 for p in info)
    assert "exited" not in (cluster.var / "supervisord.log").read_text()
    engine = sa.create_engine(cluster.database_url)
    with engine.connect() as conn:
        names = {r[0] for r in conn.execute(sa.text("SELECT indexname FROM pg_indexes"))}
    engine.dispose()
    assert "ix_events_sender_type_time" in names


def test_one_conversation_alternates_over_both_replicas(cluster):
    sender = f"cl-alt-{uuid.uuid4().hex[:10]}"
    messages, variant, heading = QUIZZES[0]
    replies, replicas = play(cluster, sender, ["Hallo", *messages])
    print(f"\nreplicas per message: {replicas}")
    assert set(replicas) == {"rasa1", "rasa2"}, replicas
    assert all(a != b for a, b in zip(replicas, replicas[1:])), replicas  # round-robin
    assert heading in replies and APOLOGY not in replies
    # Both replicas read the same conversation: same events, none doubled or lost.
    one, two = cluster.tracker(sender, RASA1), cluster.tracker(sender, RASA2)
    assert one["events"] == two["events"]
    users = [e["text"] for e in one["events"] if e["event"] == "user"]
    assert users == ["Hallo", *messages]
    stamps = [(e["event"], e["timestamp"]) for e in one["events"]]
    assert len(stamps) == len(set(stamps))
    assert one["slots"]["recommended_variant"] == variant
    [row] = cluster.rows(sender)
    assert row["variant"] == variant


class LockMonitor(threading.Thread):
    """Records, through Redis MONITOR on the test's own Redis, the tickets the lock
    store's Lua scripts issue (ZADD) and release (ZREMRANGEBYSCORE) for one sender.
    """

    def __init__(self, port: int, sender: str):
        super().__init__(daemon=True)
        self.port, self.key = port, f"quiz:lock:q:{sender}"
        self.issued: List[int] = []
        self.released: List[int] = []
        self.done = threading.Event()
        self.ready = threading.Event()

    def run(self) -> None:
        import redis

        with redis.Redis(port=self.port).monitor() as monitor:
            self.ready.set()
            while not self.done.is_set():
                words = monitor.next_command()["command"].split()
                if len(words) >= 3 and words[1] == self.key:
                    if words[0] == "ZADD":
                        self.issued.append(int(words[2]))
                    elif words[0] == "ZREMRANGEBYSCORE":
                        self.released.append(int(words[2]))

    def stop(self) -> None:
        import redis

        self.done.set()
        redis.Redis(port=self.port).ping()  # wakes next_command()
        self.join(timeout=10)


def test_twenty_concurrent_messages_of_one_visitor_in_order(cluster):
    sender = f"cl-burst-{uuid.uuid4().hex[:10]}"
    assert cluster.send(sender, "Hallo")[0] == 200
    messages = [f"Hallo Nummer {i}" for i in range(20)]
    monitor = LockMonitor(cluster.redis_port, sender)
    monitor.start()
    assert monitor.ready.wait(10)
    started = time.monotonic()

    def send(i: int):
        time.sleep(i * 0.02)  # all 20 within 0.4 s, alternating over the replicas
        status, body, replica = cluster.send(sender, messages[i])
        return status, replica, time.monotonic() - started

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(send, range(20)))
    time.sleep(0.5)
    monitor.stop()
    tail = max(seconds for _, _, seconds in results)
    events = cluster.tracker(sender, RASA1)["events"]
    users = [e["text"] for e in events if e["event"] == "user"]
    moved = sum(a != b for a, b in zip(users[1:], messages))
    print(
        f"\n20 concurrent messages of one sender: last reply after {tail:.2f}s; "
        f"{moved} processed away from their sending position (a busy replica takes "
        "its ticket later)"
    )
    assert all(status == 200 for status, _, _ in results), results
    assert {replica for _, replica, _ in results} == {"rasa1", "rasa2"}
    # Each message processed exactly once, none lost.
    assert users[0] == "Hallo" and sorted(users[1:]) == sorted(messages)
    # One at a time, first come first served: 20 distinct tickets, released in the
    # order they were drawn (each holder finished before the next one started).
    assert len(monitor.issued) == 20 and len(set(monitor.issued)) == 20, monitor.issued
    assert monitor.released == sorted(monitor.issued), (monitor.issued, monitor.released)
    # Every message's events are complete before the next message's begin.
    kinds = [e["event"] for e in events if e["event"] in ("user", "action")]
    for i, kind in enumerate(kinds):
        if kind == "user" and i:
            assert kinds[i - 1] == "action", kinds  # the previous turn ended (listen)
    assert tail < 20, tail  # Rasa's one-second poll: about 20 s; goal < 3 s (printed)


def test_socketio_route_is_sticky(cluster):
    session = requests.Session()
    handshake = session.get(f"{NGINX}/socket.io/?EIO=4&transport=polling", timeout=10)
    assert handshake.status_code == 200, handshake.text
    replica = handshake.headers["X-Quiz-Upstream"]
    assert "quiz_route" in session.cookies
    sid = handshake.text[handshake.text.index("{") :].split('"sid":"')[1].split('"')[0]
    for _ in range(6):  # the socket's requests: each on the same replica, sid known there
        connect = session.post(
            f"{NGINX}/socket.io/?EIO=4&transport=polling&sid={sid}", data="40", timeout=10
        )
        assert connect.status_code == 200 and connect.headers["X-Quiz-Upstream"] == replica
    assert session.get(f"{NGINX}/", timeout=10).status_code == 200  # the page, same origin


def test_browser_socket_survives_its_replica_killed(cluster):
    """The widget in Chromium through nginx; the replica holding its socket is killed
    mid-quiz; the widget reconnects (to the other replica) and the quiz finishes.
    """
    from playwright.sync_api import expect, sync_playwright

    from tests.e2e.test_browser import CHROMIUM, CHROMIUM_ARGS

    cluster.wait_replicas()  # both up (a replica killed before is back)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(locale="de-DE")
        context.set_default_timeout(60_000)
        page = context.new_page()

        def bot(text: str):
            return expect(page.locator(".rw-response", has_text=text).first).to_be_visible(
                timeout=60_000
            )

        def say(text: str) -> None:
            box = page.locator(".rw-new-message")
            box.fill(text)
            box.press("Enter")

        try:
            page.goto(f"{NGINX}/")
            page.get_by_role("button", name="Chat starten").click()  # connects only now
            bot("Guten Tag!")
            page.get_by_role("button", name="Quiz starten", exact=True).click()
            bot("Welche Ausbildung")
            say("Ich bin Bankkaufmann")
            bot("Welche Fremdsprachen")
            [route] = [c["value"] for c in context.cookies() if c["name"] == "quiz_route"]
            probe = requests.get(
                f"{NGINX}/socket.io/?EIO=4&transport=polling",
                cookies={"quiz_route": route},
                timeout=10,
            )
            victim_name = REPLICAS[probe.headers["X-Quiz-Upstream"]]
            victim = cluster.pid(victim_name)
            kill(victim, RASA1 if victim_name == "rasa1" else RASA2)
            time.sleep(3)  # socket.io-client notices and reconnects (1 s delay)
            say("Tschechisch verhandlungssicher")
            bot("Welche Arbeit machen Sie am liebsten?")
            say("Zahlen und Buchhaltung")
            bot("Empfehlung: Fach-Backoffice")
            session = page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")
            shown = page.locator(".rw-response").all_inner_texts()
        finally:
            context.close()
            browser.close()
    print(f"\nbrowser: killed {victim_name} (held the socket); the visitor saw no error")
    assert not any(APOLOGY in text for text in shown), shown
    [row] = cluster.rows(session)
    assert row["variant"] == "specialist"


def test_rasa_replica_killed_mid_quiz(cluster):
    sender = f"cl-kill-{uuid.uuid4().hex[:10]}"
    messages, variant, heading = QUIZZES[1]
    cluster.wait_replicas()  # the replica the browser test killed is back
    play(cluster, sender, ["Hallo", *messages[:2]])
    victim = cluster.pid("rasa1")
    kill(victim, RASA1)
    replies, replicas = play(cluster, sender, messages[2:])
    print(f"\nafter SIGKILL of rasa1: replicas {replicas}")
    assert set(replicas) == {"rasa2"}
    assert heading in replies and APOLOGY not in replies
    [row] = cluster.rows(sender)
    assert row["variant"] == variant
    assert cluster.tracker(sender, RASA2)["slots"]["recommended_variant"] == variant
    deadline = time.monotonic() + 30  # supervisord starts it again (after a back-off)
    while cluster.pid("rasa1") in (0, victim) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert cluster.pid("rasa1") not in (0, victim)


def test_action_server_killed(cluster):
    sender = f"cl-act-{uuid.uuid4().hex[:10]}"
    messages, variant, heading = QUIZZES[2]
    victim = cluster.pid("actions1")
    kill(victim, ACTIONS1)
    replies, _ = play(cluster, sender, ["Hallo", *messages])
    assert heading in replies and APOLOGY not in replies
    [row] = cluster.rows(sender)
    assert row["variant"] == variant


def test_redis_down_gets_the_retry_message_then_recovers(cluster):
    sender = f"cl-redis-{uuid.uuid4().hex[:10]}"
    play(cluster, sender, ["Hallo"])
    pids = {name: cluster.pid(name) for name in ("rasa1", "rasa2")}
    stop_tree(cluster.redis)
    try:
        for _ in range(2):  # one message per replica
            status, body, replica = cluster.send(sender, "Quiz starten")
            print(f"\nRedis down: {replica} answered {status}: {texts(body)[:80]}")
            assert status == 503, (status, body)
            assert RETRY_TEXT in texts(body)
    finally:
        cluster.redis = start_redis(cluster.redis_port, cluster.var.parent / "redis-2.log")
    assert {name: cluster.pid(name) for name in pids} == pids  # no replica exited
    replies, _ = play(cluster, sender, ["Quiz starten"])
    assert "Welche Ausbildung" in replies
    users = [e["text"] for e in cluster.tracker(sender, RASA2)["events"] if e["event"] == "user"]
    # The refused messages left nothing behind. A typed button title is stored as the
    # button's payload (career_quiz/typed_buttons.py), so "Quiz starten" is "/start_quiz".
    assert users == ["Hallo", "/start_quiz"]
