"""`make run` stops everything on SIGTERM, wherever a service manager sends it.

scripts/serve.sh runs as in tests/integration/test_supervisor.py (own session, free
ports, own SERVE_VAR_DIR); once the action server and the page answer and supervisord
has started the Rasa server, SIGTERM goes to serve.sh, to supervisord, or to serve.sh's
whole process group. Afterwards no process of either session runs, every port is
free again, and the generated action token (SERVE_VAR_DIR/action_token) is gone.
The Rasa server is stopped while it loads its model, so each case takes ~15 s.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from devtools.stack import ROOT, free_port, init_results_db, write_endpoints
from tests.integration.test_supervisor import _answers, _session_processes, _supervisor, _wait

pytestmark = pytest.mark.live


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("target", ["serve.sh", "supervisord", "process group"])
def test_sigterm_stops_everything(tmp_path: Path, target: str) -> None:
    ports = {name: free_port() for name in ("ACTION_PORT", "RASA_PORT", "WEB_PORT")}
    var_dir = tmp_path / "var"
    database_url = f"sqlite:///{tmp_path / 'quiz.db'}"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("QUIZ_ACTION_TOKEN", "RASA_AUTH_TOKEN", "WEB_ORIGINS")
    }
    env.update(
        {
            **{name: str(port) for name, port in ports.items()},
            "RASA_INTERFACE": "127.0.0.1",
            "RASA_ENDPOINTS": str(write_endpoints(tmp_path / "e.yml", tmp_path / "tracker.db")),
            "SERVE_VAR_DIR": str(var_dir),
            "QUIZ_DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
            "TF_CPP_MIN_LOG_LEVEL": "3",
        }
    )
    init_results_db(database_url, env)
    output = tmp_path / "serve.out"
    serve = subprocess.Popen(
        [str(ROOT / "scripts" / "serve.sh")],
        cwd=ROOT,
        env=env,
        stdout=open(output, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    supervisord = 0
    try:
        urls = [
            f"http://127.0.0.1:{ports['ACTION_PORT']}/health",
            f"http://127.0.0.1:{ports['WEB_PORT']}/",
        ]

        def started() -> bool:
            try:  # a new client each time: a failed connection stays failed
                info = _supervisor(var_dir / "supervisor.sock").supervisor.getProcessInfo("rasa")
            except (OSError, Exception):  # socket not there yet
                return False
            return info["pid"] > 0 and all(_answers(url) for url in urls)

        _wait(started, 120, "actions, web and a Rasa process", serve, output)
        supervisord = _supervisor(var_dir / "supervisor.sock").supervisor.getPID()
        assert (var_dir / "action_token").exists()
        assert len(_session_processes(serve.pid, supervisord)) >= 5

        if target == "serve.sh":
            os.kill(serve.pid, signal.SIGTERM)
        elif target == "supervisord":
            os.kill(supervisord, signal.SIGTERM)
        else:  # what `kill -TERM -PGID` or a service manager sends to `make run`'s group
            os.killpg(serve.pid, signal.SIGTERM)
        started_stop = time.monotonic()
        serve.wait(timeout=60)
        deadline = time.monotonic() + 30
        while _session_processes(serve.pid, supervisord) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not _session_processes(serve.pid, supervisord)
        assert all(_port_free(port) for port in ports.values()), ports
        assert not (var_dir / "action_token").exists()
        assert not (var_dir / "supervisord.pid").exists()
        print(f"\nSIGTERM to {target}: all stopped in {time.monotonic() - started_stop:.1f}s")
    finally:
        if not supervisord:
            try:
                supervisord = int((var_dir / "supervisord.pid").read_text())
            except (OSError, ValueError):
                pass
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
        for line in _session_processes(serve.pid, supervisord):
            try:
                os.kill(int(line.split()[0]), signal.SIGKILL)
            except ProcessLookupError:
                pass
