"""Starts the real action server and Rasa server for live tests and benchmarks.

Also the helpers both need to run other servers and Rasa commands: `start` (output to a
log), `wait_until_ready`, `finish` (wait with a time limit) and `run_rasa`; stopping is
devtools/procs.py's `stop_tree`, which stops a process with all its descendants.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence

import requests
import yaml
from tenacity import Retrying, retry_if_exception_type, stop_after_delay, wait_fixed

from devtools.procs import stop_tree

if TYPE_CHECKING:
    from career_quiz.repository import ResultRepository

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


TRACKER_STORE = "rasa_addons.tracker_store.IndexedSQLTrackerStore"  # as in endpoints.yml
ACTION_TOKEN = "live-test-action-token"
HASH_SALT = "live-test-salt"
# Only for the Rasa server, as in scripts/serve.sh: Sanic refuses bigger bodies (413).
# career_quiz.input_checks.MAX_BODY_BYTES: a 6,000-character job ad fits in any JSON encoding.
RASA_ONLY_ENV = {"SANIC_REQUEST_MAX_SIZE": "81920", "SANIC_WEBSOCKET_MAX_SIZE": "81920"}


def scaled_endpoints(database_url: str, redis_db: int, key_prefix: str) -> str:
    """The tracker and lock store sections of endpoints.scaled.yml (several workers),
    pointed at `database_url` (PostgreSQL) and Redis database `redis_db`; for
    running_stack(endpoints_extra=...).
    """
    config = yaml.safe_load((ROOT / "endpoints.scaled.yml").read_text(encoding="utf-8"))
    tracker = {"type": config["tracker_store"]["type"], "url": database_url}
    lock = {
        **config["lock_store"],
        "url": f"redis://127.0.0.1:6379/{redis_db}",
        "key_prefix": key_prefix,
    }
    return yaml.safe_dump({"tracker_store": tracker, "lock_store": lock}, sort_keys=False)


def serving_env() -> Dict[str, str]:
    """KEY=value settings of scripts/serving.env (the environment of `make run`)."""
    env = {}
    for line in (ROOT / "scripts" / "serving.env").read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        if sep and not line.lstrip().startswith("#"):
            env[key.strip()] = value.strip()
    return env


def free_port() -> int:
    """An unused TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rasa_env(**extra: str) -> Dict[str, str]:
    """This environment plus what every Rasa command here gets (quiet, no telemetry)."""
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
        **extra,
    }


def start(
    command: Sequence[str], log: Path, env: Dict[str, str], cwd: Path = ROOT
) -> subprocess.Popen:
    """Starts `command` with its output (stdout and stderr) going to `log`."""
    with open(log, "w") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            list(command), cwd=cwd, env=env, stdout=handle, stderr=subprocess.STDOUT
        )


def finish(proc: subprocess.Popen, timeout: float) -> int:
    """Waits for `proc` to exit; after `timeout` seconds stops its tree. Its exit code."""
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop_tree(proc)
        return proc.returncode


def run_rasa(args: Sequence[str], log: Path, timeout: float, **env: str) -> int:
    """`rasa ARGS` from the repository root (output to `log`); its exit code."""
    return finish(start([str(BIN / "rasa"), *args], log, rasa_env(**env)), timeout)


class _NotReady(Exception):
    pass


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-3000:]


def wait_until_ready(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    """Polls `url` until it answers 200; RuntimeError with the log's tail when `proc`
    exits first or `timeout` seconds pass.
    """

    def probe() -> None:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} died on start:\n{_tail(log)}")
        try:
            status = requests.get(url, timeout=2).status_code
        except requests.RequestException as error:
            raise _NotReady(url) from error
        if status != 200:
            raise _NotReady(url)

    retrying = Retrying(
        stop=stop_after_delay(timeout),
        wait=wait_fixed(0.5),
        retry=retry_if_exception_type(_NotReady),
        reraise=True,
    )
    try:
        retrying(probe)
    except _NotReady:
        raise RuntimeError(f"{url} did not come up within {timeout}s:\n{_tail(log)}") from None


@dataclass
class Stack:
    """A running action server + Rasa server pair."""

    rasa_url: str
    action_url: str
    token: str
    database_url: str
    tracker_db: Path
    processes: List[subprocess.Popen]
    logs: List[Path]
    action_command: List[str] = field(default_factory=list)
    action_env: Dict[str, str] = field(default_factory=dict)
    hash_salt: str = HASH_SALT

    def send(self, sender: str, message: str, timeout: float = 30) -> List[Dict]:
        """Sends one message over the REST channel and returns the bot's replies."""
        response = requests.post(
            f"{self.rasa_url}/webhooks/rest/webhook",
            json={"sender": sender, "message": message},
            timeout=timeout,
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> Dict:
        """The conversation tracker from the token-protected HTTP API."""
        response = requests.get(
            f"{self.rasa_url}/conversations/{sender}/tracker",
            params={"token": self.token},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def pids(self) -> Dict[str, int]:
        """Process ids of the action server and the Rasa server."""
        return {"actions": self.processes[0].pid, "rasa": self.processes[1].pid}

    def stop_actions(self) -> None:
        """Stops the action server and its processes (a fault test's outage)."""
        stop_tree(self.processes[0])

    def start_actions(self, timeout: float = 120) -> None:
        """Starts the action server again on its port, as running_stack did."""
        log = self.logs[0].with_suffix(f".{len(self.processes)}.log")
        proc = start(self.action_command, log, self.action_env)
        self.processes[0] = proc
        self.processes.append(proc)  # stopped with the others at the end
        wait_until_ready(f"{self.action_url}/health", proc, log, timeout)


@contextmanager
def results_repository(stack: Stack) -> Iterator["ResultRepository"]:
    """The stack's results database, hashed with the stack's salt."""
    from career_quiz.repository import ResultRepository, make_engine

    engine = make_engine(stack.database_url)
    try:
        yield ResultRepository(engine, stack.hash_salt)
    finally:
        engine.dispose()


def write_endpoints(path: Path, tracker_db: Path, extra: Optional[str] = None) -> Path:
    """endpoints.yml as `make run` uses it (token header, cached response validation, the
    tracker store class) with the SQLite tracker store at `tracker_db`; `extra` (YAML)
    adds sections or replaces endpoints.yml's. The action port stays ${ACTION_PORT}.
    """
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text(encoding="utf-8"))
    config["tracker_store"]["db"] = str(tracker_db)
    config.update(yaml.safe_load(extra or "") or {})
    path.write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    return path


def init_results_db(database_url: str, env: Dict[str, str]) -> None:
    """Creates the results schema as `make db` does."""
    subprocess.run(
        [sys.executable, "-m", "career_quiz.cli", "init-db", "--url", database_url],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )


@contextmanager
def running_stack(
    workdir: Path,
    model: Path = ROOT / "models" / "quiz.tar.gz",
    database_url: Optional[str] = None,
    extra_env: Optional[Dict[str, str]] = None,
    timings: Optional[Dict[str, float]] = None,
    cors_origins: Optional[Sequence[str]] = None,
    endpoints_extra: Optional[str] = None,
) -> Iterator[Stack]:
    """Starts both servers on free ports with a fresh results DB and tracker store.

    Optional, for benchmarks and experiments: `timings` (a dict) receives the seconds
    from starting each server to its first successful health check
    (`actions_ready_s`, `rasa_ready_s`).
    `cors_origins` (web page origins) are passed to `rasa run --cors` and, as
    `WEB_ORIGINS`, to the socket.io channel (unless `extra_env` sets WEB_ORIGINS).
    `endpoints_extra` (YAML) adds sections to the generated endpoints.yml (endpoints.yml
    with this stack's port and SQLite file), e.g. a `lock_store:`; a section it names
    replaces endpoints.yml's (`tracker_store:` instead of the SQLite one).
    On the way out every process the servers started is stopped (devtools/procs.py).
    """
    if not Path(model).exists():
        raise FileNotFoundError(f"{model} is missing: run `make train` (make test does it first)")
    workdir.mkdir(parents=True, exist_ok=True)
    action_port, rasa_port = free_port(), free_port()
    token = "live-test-token"
    database_url = database_url or f"sqlite:///{workdir / 'quiz.db'}"
    tracker_db = workdir / "tracker.db"
    endpoints = write_endpoints(workdir / "endpoints.yml", tracker_db, endpoints_extra)
    own = {
        "QUIZ_DATABASE_URL": database_url,
        "ACTION_PORT": str(action_port),  # endpoints.yml's action server URL
        "SANIC_HOST": "127.0.0.1",
        "QUIZ_ACTION_TOKEN": ACTION_TOKEN,
        "QUIZ_HASH_SALT": HASH_SALT,
        "QUIZ_OUTBOX_PATH": str(workdir / "outbox.db"),
        # The action server reads the tracker store from it ("Meine Daten löschen").
        "RASA_ENDPOINTS": str(endpoints),
        **({"WEB_ORIGINS": ",".join(cors_origins)} if cors_origins else {}),
    }
    env = {**serving_env(), **rasa_env(**{**own, **(extra_env or {})})}
    init_results_db(database_url, env)
    logs = [workdir / "actions.log", workdir / "rasa.log"]
    procs: List[subprocess.Popen] = []
    action_command = [str(BIN / "rasa"), "run", "actions", "--port", str(action_port)]
    rasa_command = [
        *(str(BIN / "rasa"), "run", "--model", str(model), "--endpoints", str(endpoints)),
        *("--credentials", str(ROOT / "credentials.yml"), "--port", str(rasa_port)),
        *("--interface", "127.0.0.1", "--enable-api", "--auth-token", token),
        *(["--cors", *cors_origins] if cors_origins else []),
    ]
    started = time.monotonic()
    try:
        # Both start at once, as in `make run`: start-up is the slower of the two.
        procs.append(start(action_command, logs[0], env))
        procs.append(start(rasa_command, logs[1], {**RASA_ONLY_ENV, **env}))
        wait_until_ready(f"http://127.0.0.1:{action_port}/health", procs[0], logs[0], 120)
        if timings is not None:
            timings["actions_ready_s"] = time.monotonic() - started
        wait_until_ready(f"http://127.0.0.1:{rasa_port}/", procs[1], logs[1], 240)
        if timings is not None:
            timings["rasa_ready_s"] = time.monotonic() - started
        yield Stack(
            f"http://127.0.0.1:{rasa_port}",
            f"http://127.0.0.1:{action_port}",
            token,
            database_url,
            tracker_db,
            procs,
            logs,
            action_command,
            env,
        )
    finally:
        stop_tree(*procs)
