"""Starts the real action server and Rasa server for live tests and benchmarks."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Dict, Iterator, List, Optional, Sequence

import requests

if TYPE_CHECKING:
    from career_quiz.repository import ResultRepository

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


TRACKER_STORE = "rasa_addons.tracker_store.IndexedSQLTrackerStore"  # as in endpoints.yml
ACTION_TOKEN = "live-test-action-token"
HASH_SALT = "live-test-salt"
# Only for the Rasa server, as in scripts/serve.sh: Sanic refuses bigger bodies (413).
RASA_ONLY_ENV = {"SANIC_REQUEST_MAX_SIZE": "16384", "SANIC_WEBSOCKET_MAX_SIZE": "16384"}


def scaled_endpoints(database_url: str, redis_db: int, key_prefix: str) -> str:
    """The tracker and lock store sections of endpoints.scaled.yml (several workers),
    pointed at `database_url` (PostgreSQL) and Redis database `redis_db`; for
    running_stack(endpoints_extra=...).
    """
    import yaml

    config = yaml.safe_load((ROOT / "endpoints.scaled.yml").read_text(encoding="utf-8"))
    tracker = {"type": config["tracker_store"]["type"], "url": database_url}
    lock = {**config["lock_store"], "db": redis_db, "key_prefix": key_prefix}
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
    action_cwd: Path = ROOT
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
        """Stops the action server (a fault test's outage)."""
        _stop(self.processes[0])

    def start_actions(self, timeout: float = 120) -> None:
        """Starts the action server again on its port, as running_stack did."""
        log = self.logs[0].with_suffix(f".{len(self.processes)}.log")
        proc = subprocess.Popen(
            self.action_command,
            cwd=self.action_cwd,
            env=self.action_env,
            stdout=open(log, "w"),
            stderr=subprocess.STDOUT,
        )
        self.processes[0] = proc
        self.processes.append(proc)  # stopped with the others at the end
        _wait_for(f"{self.action_url}/health", proc, log, timeout)


@contextmanager
def results_repository(stack: Stack) -> Iterator["ResultRepository"]:
    """The stack's results database, hashed with the stack's salt."""
    from career_quiz.repository import ResultRepository, make_engine

    engine = make_engine(stack.database_url)
    try:
        yield ResultRepository(engine, stack.hash_salt)
    finally:
        engine.dispose()


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url} died on start:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up within {timeout}s:\n{log.read_text()[-3000:]}")


@contextmanager
def running_stack(
    workdir: Path,
    model: Path = ROOT / "models" / "quiz.tar.gz",
    database_url: Optional[str] = None,
    extra_env: Optional[Dict[str, str]] = None,
    timings: Optional[Dict[str, float]] = None,
    action_root: Optional[Path] = None,
    cors_origins: Optional[Sequence[str]] = None,
    endpoints_extra: Optional[str] = None,
) -> Iterator[Stack]:
    """Starts both servers on free ports with a fresh results DB and tracker store.

    Optional, for benchmarks and experiments: `timings` (a dict) receives the seconds
    from starting each server to its first successful health check
    (`actions_ready_s`, `rasa_ready_s`); `action_root` runs the action server from
    another checkout (e.g. a patched copy under /tmp) instead of this repository.
    `cors_origins` (web page origins) are passed to `rasa run --cors` and, as
    `WEB_ORIGINS`, to the socket.io channel (unless `extra_env` sets WEB_ORIGINS).
    `endpoints_extra` (YAML) is appended to the generated endpoints.yml, e.g. a
    `lock_store:` section; a `tracker_store:` section in it replaces the SQLite one.
    """
    if not Path(model).exists():
        raise FileNotFoundError(f"{model} is missing: run `make train` (make test does it first)")
    workdir.mkdir(parents=True, exist_ok=True)
    action_port, rasa_port = free_port(), free_port()
    token = "live-test-token"
    database_url = database_url or f"sqlite:///{workdir / 'quiz.db'}"
    tracker_db = workdir / "tracker.db"
    endpoints = workdir / "endpoints.yml"
    tracker_section = (
        f"tracker_store:\n  type: {TRACKER_STORE}\n  dialect: sqlite\n  db: {tracker_db}\n"
    )
    if endpoints_extra and "\ntracker_store:" in f"\n{endpoints_extra}":
        tracker_section = ""
    endpoints.write_text(
        f'action_endpoint:\n  url: "http://127.0.0.1:{action_port}/webhook"\n'
        "  headers:\n    X-Quiz-Action-Token: ${QUIZ_ACTION_TOKEN}\n"
        + tracker_section
        + (endpoints_extra or ""),
        encoding="utf-8",
    )
    env = {
        **serving_env(),
        **os.environ,
        "QUIZ_DATABASE_URL": database_url,
        "SANIC_HOST": "127.0.0.1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
        "PYTHONPATH": str(ROOT),
        "QUIZ_ACTION_TOKEN": ACTION_TOKEN,
        "QUIZ_HASH_SALT": HASH_SALT,
        "QUIZ_OUTBOX_PATH": str(workdir / "outbox.db"),
        **({"WEB_ORIGINS": ",".join(cors_origins)} if cors_origins else {}),
        **(extra_env or {}),
    }
    subprocess.run(
        [sys.executable, "-m", "career_quiz.cli", "init-db", "--url", database_url],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    logs = [workdir / "actions.log", workdir / "rasa.log"]
    procs: List[subprocess.Popen] = []
    action_env = env if action_root is None else {**env, "PYTHONPATH": str(action_root)}
    action_command = [str(BIN / "rasa"), "run", "actions", "--port", str(action_port)]
    started = time.monotonic()
    try:
        procs.append(
            subprocess.Popen(
                action_command,
                cwd=action_root or ROOT,
                env=action_env,
                stdout=open(logs[0], "w"),
                stderr=subprocess.STDOUT,
            )
        )
        procs.append(
            subprocess.Popen(
                [
                    str(BIN / "rasa"),
                    "run",
                    "--model",
                    str(model),
                    "--endpoints",
                    str(endpoints),
                    "--credentials",
                    str(ROOT / "credentials.yml"),
                    "--port",
                    str(rasa_port),
                    "--interface",
                    "127.0.0.1",
                    "--enable-api",
                    "--auth-token",
                    token,
                    *(["--cors", *cors_origins] if cors_origins else []),
                ],
                cwd=ROOT,
                env={**RASA_ONLY_ENV, **env},
                stdout=open(logs[1], "w"),
                stderr=subprocess.STDOUT,
            )
        )
        _wait_for(f"http://127.0.0.1:{action_port}/health", procs[0], logs[0], 120)
        if timings is not None:
            timings["actions_ready_s"] = time.monotonic() - started
        _wait_for(f"http://127.0.0.1:{rasa_port}/", procs[1], logs[1], 240)
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
            action_env,
            action_root or ROOT,
        )
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGCONT)  # a fault test may have paused it
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
