"""`make run` keeps its servers running: scripts/serve.sh under supervisord.

Starts scripts/serve.sh as `make run` does, on free ports with its own endpoints file
(SQLite tracker store, action endpoint on ACTION_PORT with the action-token header),
results database and SERVE_VAR_DIR (logs, supervisord's socket), then kills each server
and checks that supervisord starts it again while the other two keep running, and that
Ctrl+C leaves no process behind. One Rasa start-up plus one restart: about one minute on 2 cores.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
import xmlrpc.client
from pathlib import Path
from typing import Callable, Dict, List

import psutil
import pytest
import requests

from career_quiz.input_checks import MAX_BODY_BYTES
from devtools.stack import ROOT, free_port, init_results_db, write_endpoints

pytestmark = pytest.mark.live

PROGRAMS = ("actions", "web", "rasa")
START_TIMEOUT = 240  # s: first start of all three (Rasa loads the model)


def _supervisor(socket: Path) -> xmlrpc.client.ServerProxy:
    """XML-RPC client of supervisord's control socket (what supervisorctl uses)."""
    from supervisor.xmlrpc import SupervisorTransport

    return xmlrpc.client.ServerProxy(
        "http://127.0.0.1", transport=SupervisorTransport(None, None, f"unix://{socket}")
    )


def _environ(pid: int) -> Dict[str, str]:
    return psutil.Process(pid).environ()


def _session_processes(*sids: int) -> List[str]:
    """Live (non-zombie) processes of the sessions `sids`: serve.sh's own (serve.sh, the
    output filter) and supervisord's (supervisord and the servers).
    """
    sids = tuple(sid for sid in sids if sid > 0)  # 0: kernel threads, or not known yet
    found = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) in sids and process.status() != psutil.STATUS_ZOMBIE:
                found.append(f"{process.pid} {' '.join(process.cmdline())}")
        except (OSError, psutil.Error):
            continue  # gone meanwhile
    return found


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=3).status_code == 200
    except requests.RequestException:
        return False


def _wait(
    condition: Callable[[], bool], timeout: float, what: str, serve: subprocess.Popen, output: Path
) -> float:
    """Seconds until `condition()` holds; fails when serve.sh ends or time runs out."""
    started = time.monotonic()
    while not condition():
        if serve.poll() is not None:
            pytest.fail(
                f"serve.sh exited ({serve.returncode}) while waiting for {what}:\n"
                + output.read_text()[-3000:]
            )
        if time.monotonic() - started > timeout:
            pytest.fail(f"{what} not within {timeout} s:\n" + output.read_text()[-3000:])
        time.sleep(0.2)
    return time.monotonic() - started


def _read_until(fd: int, pattern: str, timeout: float, seen: bytearray) -> str:
    """Reads a pty until `pattern` shows in its text (ANSI codes removed)."""
    import re
    import select

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:  # the other side closed
                break
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen.decode("utf-8", "replace"))
        if pattern in text:
            return text
    pytest.fail(f"{pattern!r} not within {timeout} s; the terminal showed:\n{text[-3000:]}")


def _shell_beside_the_run(env: Dict[str, str], var_dir: Path) -> None:
    """`make shell` while `make run` runs: rasa shell uses the running action server
    (its token from SERVE_VAR_DIR/action_token) and another Rasa port; custom actions
    answer.
    """
    import pty

    token_file = var_dir / "action_token"
    assert token_file.stat().st_mode & 0o077 == 0  # only the owner may read the token
    master, slave = pty.openpty()
    shell = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh"), "shell"],
        cwd=ROOT,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,
    )
    os.close(slave)
    seen = bytearray()
    try:
        _read_until(master, "Using the action server that answers", 30, seen)
        _read_until(master, "Your input", START_TIMEOUT, seen)
        # The shell's own Rasa server listens on loopback only (never 0.0.0.0).
        listening = [
            conn.laddr.ip
            for process in [psutil.Process(shell.pid), *psutil.Process(shell.pid).children(True)]
            for conn in process.net_connections(kind="inet")
            if conn.status == psutil.CONN_LISTEN
        ]
        assert listening and set(listening) <= {"127.0.0.1"}, listening
        os.write(master, "Hallo\r".encode())
        _read_until(master, "Quiz starten", 60, seen)
        os.write(master, b"\r")  # the first button: "Quiz starten" runs custom actions
        _read_until(master, "Welche Ausbildung", 60, seen)
        assert token_file.read_text().strip() not in seen.decode("utf-8", "replace")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGKILL)
        shell.wait(timeout=30)
        os.close(master)
    assert token_file.exists()  # the shell leaves the run's token alone


def test_supervisor_restarts_each_server_and_ctrl_c_stops_all(tmp_path: Path) -> None:
    """Kill -9 actions, kill -9 web, SIGTERM rasa: each comes back alone; `make shell`
    works beside it; Ctrl+C ends all.
    """
    action_port, rasa_port, web_port = free_port(), free_port(), free_port()
    var_dir = tmp_path / "var"
    database_url = f"sqlite:///{tmp_path / 'quiz.db'}"
    endpoints = write_endpoints(tmp_path / "endpoints.yml", tmp_path / "tracker.db")
    env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in (
            "QUIZ_ACTION_TOKEN",
            "RASA_AUTH_TOKEN",
            "WEB_ORIGINS",
            "SANIC_REQUEST_MAX_SIZE",
            "SANIC_WEBSOCKET_MAX_SIZE",
        )
    }
    env.update(
        {
            "RASA_PORT": str(rasa_port),
            "WEB_PORT": str(web_port),
            "ACTION_PORT": str(action_port),
            "RASA_INTERFACE": "127.0.0.1",
            "RASA_ENDPOINTS": str(endpoints),
            "SERVE_VAR_DIR": str(var_dir),
            "QUIZ_DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "RASA_TELEMETRY_ENABLED": "false",
        }
    )
    init_results_db(database_url, env)

    urls = {
        "actions": f"http://127.0.0.1:{action_port}/health",
        "web": f"http://127.0.0.1:{web_port}/",
        "rasa": f"http://127.0.0.1:{rasa_port}/",
    }
    rasa = f"http://127.0.0.1:{rasa_port}"
    output = tmp_path / "serve.out"
    # Its own session and process group, like a terminal running `make run`; SIGINT not
    # ignored even when pytest runs as a background job (bash cannot trap an ignored signal).
    serve = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=open(output, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    timings: Dict[str, float] = {}
    supervisord = 0
    try:
        supervisor = _supervisor(var_dir / "supervisor.sock")

        def pids() -> Dict[str, int]:
            return {name: supervisor.supervisor.getProcessInfo(name)["pid"] for name in PROGRAMS}

        def all_answer() -> bool:
            return all(_answers(url) for url in urls.values())

        timings["start_s"] = _wait(all_answer, START_TIMEOUT, "all three servers", serve, output)
        before = pids()
        assert all(before.values()), before
        supervisord = supervisor.supervisor.getPID()

        # The generated action token reaches both servers, and only the Rasa server gets
        # the request size limits; the token is never printed.
        actions_env, rasa_env = _environ(before["actions"]), _environ(before["rasa"])
        token = actions_env.get("QUIZ_ACTION_TOKEN", "")
        assert len(token) >= 32 and rasa_env.get("QUIZ_ACTION_TOKEN") == token
        assert token not in output.read_text()
        assert rasa_env.get("SANIC_REQUEST_MAX_SIZE") == str(MAX_BODY_BYTES)
        assert rasa_env.get("SANIC_WEBSOCKET_MAX_SIZE") == str(MAX_BODY_BYTES)
        assert "SANIC_REQUEST_MAX_SIZE" not in actions_env
        assert "SANIC_WEBSOCKET_MAX_SIZE" not in actions_env

        # A body over the limit (80 KB) is refused before parsing; the server stays up.
        big = {"sender": "sup-test-big", "message": "a" * (MAX_BODY_BYTES + 1)}
        assert (
            requests.post(f"{rasa}/webhooks/rest/webhook", json=big, timeout=10).status_code == 413
        )
        assert _answers(urls["rasa"]) and pids()["rasa"] == before["rasa"]

        # kill -9 one server at a time: it comes back with a new pid, the others keep
        # theirs and answer throughout.
        for name in ("actions", "web"):
            old = pids()
            os.kill(old[name], signal.SIGKILL)
            timings[f"{name}_restart_s"] = _wait(
                lambda name=name, old=old: (
                    pids()[name] not in (0, old[name]) and _answers(urls[name])
                ),
                90,
                f"{name} restarted",
                serve,
                output,
            )
            now = pids()
            for other in PROGRAMS:
                if other != name:
                    assert now[other] == old[other], (name, other, old, now)
                    assert _answers(urls[other]), (name, other)

        # The Rasa server, stopped (SIGTERM; it exits cleanly): started again too.
        old = pids()
        os.kill(old["rasa"], signal.SIGTERM)
        timings["rasa_restart_s"] = _wait(
            lambda: pids()["rasa"] not in (0, old["rasa"]) and _answers(urls["rasa"]),
            START_TIMEOUT,
            "rasa restarted",
            serve,
            output,
        )
        now = pids()
        assert now["actions"] == old["actions"] and now["web"] == old["web"], (old, now)
        assert _answers(urls["actions"]) and _answers(urls["web"])
        reply = requests.post(
            f"{rasa}/webhooks/rest/webhook",
            json={"sender": "sup-test", "message": "Hallo"},
            timeout=30,
        )
        reply.raise_for_status()  # 503 when the action server refuses the Rasa server
        assert isinstance(reply.json(), list) and reply.json(), reply.text

        _shell_beside_the_run(env, var_dir)
        assert pids() == now  # the shell started no server of its own

        # Ctrl+C as in a terminal (SIGINT to the foreground process group).
        started = time.monotonic()
        os.killpg(serve.pid, signal.SIGINT)
        serve.wait(timeout=90)
        timings["stop_s"] = time.monotonic() - started
        left = _session_processes(serve.pid, supervisord)
        assert not left, left
        for pid in (supervisord, *now.values()):
            with pytest.raises(ProcessLookupError):
                os.kill(pid, 0)
        assert not (var_dir / "action_token").exists()
        print("supervisor timings: " + ", ".join(f"{k}={v:.1f}" for k, v in timings.items()))
    finally:
        if not supervisord:
            try:
                supervisord = int((var_dir / "supervisord.pid").read_text())
            except (OSError, ValueError):
                pass
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGTERM)
            try:
                serve.wait(timeout=60)
            except subprocess.TimeoutExpired:
                pass
        for line in _session_processes(serve.pid, supervisord):  # never leave servers behind
            try:
                os.kill(int(line.split()[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
        if serve.poll() is None:
            serve.kill()
            serve.wait()
