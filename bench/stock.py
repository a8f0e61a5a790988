"""The baseline: the stock bot that `rasa init --no-prompt` creates, trained once and cached."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, Optional

from devtools.stack import BIN, ROOT, _wait_for, free_port, serving_env

STOCK_DIR = ROOT / "var" / "bench" / "stock"
INIT_TIMEOUT_S = 900


@dataclass
class StockBot:
    """A running stock bot."""

    url: str
    pid: int
    ready_s: float


def stock_model(stock_dir: Path = STOCK_DIR) -> Optional[Path]:
    """The newest trained stock model, if any."""
    models = sorted((stock_dir / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return models[-1] if models else None


def ensure_stock_model(stock_dir: Path = STOCK_DIR) -> Dict[str, object]:
    """Creates and trains the stock bot once (`rasa init --no-prompt`); later runs reuse it."""
    existing = stock_model(stock_dir)
    if existing:
        return {"model": str(existing), "created": False, "init_s": None}
    if stock_dir.exists() and any(stock_dir.iterdir()):
        # A half-finished earlier attempt: start again in an empty folder.
        for child in sorted(stock_dir.rglob("*"), reverse=True):
            child.unlink() if child.is_file() or child.is_symlink() else child.rmdir()
    stock_dir.mkdir(parents=True, exist_ok=True)
    log = stock_dir.parent / "stock-init.log"
    print(f"Creating and training the stock bot in {stock_dir} (once; log: {log}) ...", flush=True)
    started = time.monotonic()
    with open(log, "w") as handle:
        subprocess.run(
            [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", "."],
            cwd=stock_dir,
            stdout=handle,
            stderr=subprocess.STDOUT,
            check=True,
            timeout=INIT_TIMEOUT_S,
        )
    model = stock_model(stock_dir)
    if model is None:
        raise RuntimeError(f"rasa init trained no model; see {log}")
    return {"model": str(model), "created": True, "init_s": round(time.monotonic() - started, 1)}


@contextmanager
def running_stock(workdir: Path, stock_dir: Path = STOCK_DIR) -> Iterator[StockBot]:
    """Runs the stock bot (its own endpoints and in-memory tracker store) on a free port."""
    model = stock_model(stock_dir)
    if model is None:
        raise RuntimeError("no stock model: call ensure_stock_model() first")
    workdir.mkdir(parents=True, exist_ok=True)
    port = free_port()
    log = workdir / "stock-rasa.log"
    env = {
        "SANIC_HOST": "127.0.0.1",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "RASA_TELEMETRY_ENABLED": "false",
    }
    started = time.monotonic()
    proc = subprocess.Popen(
        [
            str(BIN / "rasa"),
            "run",
            "--model",
            str(model),
            "--port",
            str(port),
            "--interface",
            "127.0.0.1",
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
        ],
        cwd=stock_dir,
        env={**serving_env(), **os.environ, **env},
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/", proc, log, 240)
        yield StockBot(f"http://127.0.0.1:{port}", proc.pid, time.monotonic() - started)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    print(ensure_stock_model())
    sys.exit(0)
