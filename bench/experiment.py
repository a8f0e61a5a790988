"""Experiments for changes outside bench/: measure a proposal without applying it.

    python -m bench.experiment NAME [more bench.run options]
    python -m bench.experiment --list

Each experiment runs `bench.run` with extra options (a patch inside the Rasa
server via bench/patches/sitecustomize.py, a patched copy of the action code, a
different endpoints.yml, environment variables or another model) and writes
var/bench/experiments/NAME.json. `make report` shows every stored experiment next
to the plain `make bench` numbers. Nothing in the repository is changed.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Callable, Dict, List

from tests.live import ROOT

EXP_DIR = ROOT / "var" / "bench" / "experiments"
TF_ONE_THREAD = ["--env", "TF_INTRA_OP_PARALLELISM_THREADS=1",
                 "--env", "TF_INTER_OP_PARALLELISM_THREADS=1"]


def _session_copy() -> List[str]:
    from bench.patches.session_restart import make_patched_copy

    target = Path(tempfile.gettempdir()) / "bench-session-restart"
    return ["--action-root", str(make_patched_copy(target))]


def _no_ted_model() -> List[str]:
    """config.yml without TEDPolicy, trained once into var/bench/experiments/no-ted/."""
    import os
    import re
    import subprocess

    from tests.live import BIN

    folder = EXP_DIR / "no-ted"
    model = folder / "quiz.tar.gz"
    if not model.exists():
        folder.mkdir(parents=True, exist_ok=True)
        config = (ROOT / "config.yml").read_text(encoding="utf-8")
        config = re.sub(r"\n  - name: TEDPolicy\n(    .*\n?)*", "\n", config)
        if "TEDPolicy" in config:
            raise RuntimeError("could not remove TEDPolicy from config.yml")
        (folder / "config.yml").write_text(config, encoding="utf-8")
        print(f"Training the model without TEDPolicy into {folder} ...", flush=True)
        with open(folder / "train.log", "w") as log:
            subprocess.run(
                [str(BIN / "rasa"), "train", "--config", str(folder / "config.yml"),
                 "--domain", "domain", "--data", "data/nlu", "data/rules", "data/stories",
                 "--out", str(folder), "--fixed-model-name", "quiz"],
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT),
                               "RASA_CACHE_DIRECTORY": str(folder / "cache")},
                stdout=log, stderr=subprocess.STDOUT, check=True, timeout=1800)
    return ["--model", str(model)]


def _postgres_database(name: str = "bench_tracker") -> None:
    """Creates the experiments' own tracker database on the local PostgreSQL (trust auth)."""
    import sqlalchemy as sa

    engine = sa.create_engine("postgresql://postgres@127.0.0.1:5432/postgres",
                              isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"),
                              {"n": name}).scalar()
        if not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


def _endpoints(name: str, text: str) -> List[str]:
    if "postgresql" in text:
        _postgres_database()
    path = EXP_DIR / f"{name}.endpoints.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return ["--endpoints-extra", str(path)]


WORKERS_ENDPOINTS = """\
tracker_store:
  type: SQL
  dialect: postgresql
  url: 127.0.0.1
  port: 5432
  username: postgres
  db: bench_tracker
lock_store:
  type: redis
  url: 127.0.0.1
  port: 6379
  db: 3
  key_prefix: bench
"""

PRESETS: Dict[str, Callable[[], List[str]]] = {
    # Baseline: exactly what `make bench` measures.
    "baseline": lambda: [],
    # Rasa server: check the action-response JSON schema once, not on every call.
    "jsonschema": lambda: ["--patches", "jsonschema"],
    # TensorFlow with one intra-op and one inter-op thread (env, read by Rasa).
    "tf-threads-1": lambda: TF_ONE_THREAD,
    # Both of the above.
    "jsonschema+tf1": lambda: ["--patches", "jsonschema"] + TF_ONE_THREAD,
    # actions: "Neu starten" / new quiz start a new Rasa session.
    "session-restart": _session_copy,
    "session-restart+jsonschema+tf1": lambda: _session_copy() + ["--patches", "jsonschema"]
    + TF_ONE_THREAD,
    # config.yml without TEDPolicy (rules and memoization only); trained once.
    "no-ted": _no_ted_model,
    "no-ted+session-restart+jsonschema+tf1": lambda: _no_ted_model() + _session_copy()
    + ["--patches", "jsonschema"] + TF_ONE_THREAD,
    # Two Sanic workers (needs a shared tracker store and the Redis lock store).
    "workers2+jsonschema+tf1": lambda: ["--patches", "jsonschema", "--env", "SANIC_WORKERS=2"]
    + TF_ONE_THREAD + _endpoints("workers2", WORKERS_ENDPOINTS),
    # Everything: all proposals plus two workers.
    "workers2+no-ted+session-restart+jsonschema+tf1": lambda: _no_ted_model() + _session_copy()
    + ["--patches", "jsonschema", "--env", "SANIC_WORKERS=2"] + TF_ONE_THREAD
    + _endpoints("workers2", WORKERS_ENDPOINTS),
    # The SQLite tracker store's share: the same on PostgreSQL (no lock store needed).
    "postgres-tracker+jsonschema+tf1": lambda: ["--patches", "jsonschema"] + TF_ONE_THREAD
    + _endpoints("postgres", WORKERS_ENDPOINTS.split("lock_store:")[0]),
}


def main(argv: List[str]) -> int:
    """Runs one experiment preset with bench.run."""
    if not argv or argv[0] in ("-h", "--help", "--list"):
        print(__doc__)
        for name in PRESETS:
            print(f"  {name}")
        return 0
    name, rest = argv[0], argv[1:]
    if name not in PRESETS:
        print(f"unknown experiment {name!r}; --list shows them", file=sys.stderr)
        return 2
    from bench import run

    EXP_DIR.mkdir(parents=True, exist_ok=True)
    args = PRESETS[name]() + rest + ["--no-docs", "--label", f"experiment {name}",
                                     "--out", str(EXP_DIR / f"{name}.json")]
    return run.main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
