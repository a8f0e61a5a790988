"""devtools with real processes: stopping whole process trees, waiting for a server,
and the leftover check that `make test` runs at its end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import psutil
import pytest
import requests

from devtools import leftovers
from devtools.procs import stop_tree, tree
from devtools.stack import free_port, start, wait_until_ready

# A parent that starts a child and waits; SIGTERM ends the parent, not the child.
PARENT_WITH_CHILD = ["bash", "-c", "sleep 300 & wait"]
IGNORES_SIGTERM = [
    sys.executable,
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', "
    "flush=True); time.sleep(300)",
]


def alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def children_of(proc: subprocess.Popen, count: int = 1) -> list:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = tree(proc.pid)[1:]
        if len(found) >= count:
            return found
        time.sleep(0.05)
    raise AssertionError(f"{proc.args} started no child")


def wait_gone(pid: int, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while alive(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return not alive(pid)


def test_terminating_only_the_parent_leaves_its_child_running():
    # Why stop_tree exists: this is what happened to Sanic's second worker.
    proc = subprocess.Popen(PARENT_WITH_CHILD)
    (child,) = children_of(proc)
    try:
        proc.terminate()
        proc.wait(timeout=10)
        assert alive(child.pid)
        assert child.ppid() != proc.pid  # orphaned: no longer found through the parent
    finally:
        stop_tree(child.pid)
    assert wait_gone(child.pid)


def test_stop_tree_stops_the_parent_and_its_children():
    proc = subprocess.Popen(PARENT_WITH_CHILD)
    (child,) = children_of(proc)
    stop_tree(proc, timeout=10)
    assert proc.returncode is not None
    assert wait_gone(child.pid)


def test_stop_tree_kills_what_ignores_sigterm():
    proc = subprocess.Popen(IGNORES_SIGTERM, stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    started = time.monotonic()
    stop_tree(proc, timeout=1)
    assert proc.returncode == -signal.SIGKILL
    assert time.monotonic() - started < 10


def test_stop_tree_resumes_a_paused_process_so_that_sigterm_ends_it():
    proc = subprocess.Popen(["sleep", "300"])
    proc.send_signal(signal.SIGSTOP)
    stop_tree(proc, timeout=10)
    assert proc.returncode == -signal.SIGTERM


def test_stop_tree_leaves_an_exited_popen_alone():
    proc = subprocess.Popen(["true"])
    proc.wait()
    # Its pid may belong to another process by now: here it does, and nothing is signalled.
    stranger = subprocess.Popen(["sleep", "300"])
    try:
        proc.pid = stranger.pid
        stop_tree(proc, timeout=1)
        assert not wait_gone(stranger.pid, seconds=1)  # still running a second later
        assert proc.returncode == 0
    finally:
        stop_tree(stranger)


def test_wait_until_ready_returns_once_the_server_answers(tmp_path):
    # The server listens only after a second: returning earlier would be a bug.
    port, log = free_port(), tmp_path / "http.log"
    command = [
        sys.executable,
        "-c",
        "import http.server, time; time.sleep(1); "
        f"http.server.test(http.server.SimpleHTTPRequestHandler, port={port}, bind='127.0.0.1')",
    ]
    proc = start(command, log, dict(os.environ), cwd=tmp_path)
    try:
        started = time.monotonic()
        wait_until_ready(f"http://127.0.0.1:{port}/", proc, log, timeout=30)
        assert time.monotonic() - started >= 0.9
        assert requests.get(f"http://127.0.0.1:{port}/", timeout=5).status_code == 200
    finally:
        stop_tree(proc)


def test_wait_until_ready_reports_a_server_that_died_with_its_log(tmp_path):
    log = tmp_path / "dead.log"
    log.write_text("port already in use\n")
    proc = subprocess.Popen(["false"])
    with pytest.raises(RuntimeError, match="died on start:\nport already in use"):
        wait_until_ready(f"http://127.0.0.1:{free_port()}/", proc, log, timeout=30)


def test_wait_until_ready_gives_up_after_its_timeout(tmp_path):
    log = tmp_path / "silent.log"
    log.write_text("")
    proc = subprocess.Popen(["sleep", "300"])
    started = time.monotonic()
    try:
        with pytest.raises(RuntimeError, match="did not come up within 1.5s"):
            wait_until_ready(f"http://127.0.0.1:{free_port()}/", proc, log, timeout=1.5)
    finally:
        stop_tree(proc)
    assert time.monotonic() - started < 10


def test_leftover_check_lists_a_marked_process_until_it_is_stopped(monkeypatch, capsys):
    run_id = f"test-{uuid.uuid4()}"  # this test's own run, not the one of `make test`
    monkeypatch.setenv(leftovers.MARKER, run_id)
    proc = subprocess.Popen(["sleep", "300"], env={**os.environ, leftovers.MARKER: run_id})
    try:
        deadline = time.monotonic() + 10  # exec has replaced the forked environment
        own = {os.getpid()}
        while not leftovers.leftovers(run_id, own) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert [p.pid for p in leftovers.leftovers(run_id, own)] == [proc.pid]
        assert leftovers.main(["--grace", "0"]) == 1
        assert f"{proc.pid} sleep 300" in capsys.readouterr().err
    finally:
        stop_tree(proc)
    assert leftovers.main(["--grace", "0"]) == 0
    assert "No process of this test run" in capsys.readouterr().out


def test_leftover_check_ignores_other_runs():
    other = subprocess.Popen(["sleep", "300"], env={**os.environ, leftovers.MARKER: "other-run"})
    try:
        assert leftovers.leftovers(f"test-{uuid.uuid4()}") == []
    finally:
        stop_tree(other)
