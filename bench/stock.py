"""The baseline: the stock bot that `rasa init --no-prompt` creates, trained once and cached."""

from __future__ import annotations

import shutil
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterator, Optional

from devtools.procs import stop_tree
from devtools.stack import (
    BIN,
    ROOT,
    finish,
    free_port,
    rasa_env,
    serving_env,
    start,
    wait_until_ready,
)

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
    shutil.rmtree(stock_dir, ignore_errors=True)  # a half-finished earlier attempt
    stock_dir.mkdir(parents=True)
    log = stock_dir.parent / "stock-init.log"
    print(f"Creating and training the stock bot in {stock_dir} (once; log: {log}) ...", flush=True)
    started = time.monotonic()
    command = [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", "."]
    code = finish(start(command, log, rasa_env(), cwd=stock_dir), INIT_TIMEOUT_S)
    model = stock_model(stock_dir)
    if code != 0 or model is None:
        raise RuntimeError(f"rasa init failed (exit {code}) or trained no model; see {log}")
    return {"model": str(model), "created": True, "init_s": round(time.monotonic() - started, 1)}


@contextmanager
def running_stock(workdir: Path, stock_dir: Path = STOCK_DIR) -> Iterator[StockBot]:
    """Runs the stock bot (its own endpoints and in-memory tracker store) on a free port."""
    model = stock_model(stock_dir)
    if model is None:
        raise RuntimeError("no stock model: call ensure_stock_model() first")
    workdir.mkdir(parents=True, exist_ok=True)
    port, log = free_port(), workdir / "stock-rasa.log"
    command = [
        *(str(BIN / "rasa"), "run", "--model", str(model), "--port", str(port)),
        *("--interface", "127.0.0.1", "--endpoints", "endpoints.yml"),
        *("--credentials", "credentials.yml"),
    ]
    # Our bot's serving settings too (TensorFlow threads), so the comparison stays fair.
    env = {**serving_env(), **rasa_env(SANIC_HOST="127.0.0.1")}
    started = time.monotonic()
    proc = start(command, log, env, cwd=stock_dir)
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/", proc, log, 240)
        yield StockBot(f"http://127.0.0.1:{port}", proc.pid, time.monotonic() - started)
    finally:
        stop_tree(proc)


if __name__ == "__main__":
    print(ensure_stock_model())
    sys.exit(0)
