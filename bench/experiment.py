"""Experiments: measure a variant of the assistant without changing the repository.

    python -m bench.experiment NAME [more bench.run options]
    python -m bench.experiment --list

Each experiment runs `bench.run` with extra options (environment variables, a
different endpoints.yml or another model) and writes var/bench/experiments/NAME.json;
`make bench` and `make report` show every stored experiment in docs/benchmarks.md. The
presets undo one of the speed-ups applied for issue 4 (to see what each one buys) or
try a deployment option.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from typing import Callable, Dict, List

import yaml

from devtools.databases import throwaway_postgres_database
from devtools.stack import ROOT, run_rasa, scaled_endpoints
from devtools.training import data_args

EXP_DIR = ROOT / "var" / "bench" / "experiments"
TED_POLICY = """\
  - name: TEDPolicy
    max_history: 5
    epochs: 40
    constrain_similarities: true
    random_seed: 42
"""


def _env(*pairs: str) -> List[str]:
    return [arg for pair in pairs for arg in ("--env", pair)]


def _with_ted_model(_: ExitStack) -> List[str]:
    """config.yml plus the TEDPolicy it had before issue 4, trained once."""
    folder = EXP_DIR / "with-ted"
    model = folder / "quiz.tar.gz"
    config = (ROOT / "config.yml").read_text(encoding="utf-8")
    if "- name: TEDPolicy" in config:
        raise RuntimeError("config.yml already has a TEDPolicy")
    config = config.rstrip("\n") + "\n" + TED_POLICY
    if not model.exists() or (folder / "config.yml").read_text(encoding="utf-8") != config:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "config.yml").write_text(config, encoding="utf-8")
        print(f"Training the model with TEDPolicy into {folder} ...", flush=True)
        args = ["train", "--config", str(folder / "config.yml"), *data_args()]
        args += ["--out", str(folder), "--fixed-model-name", "quiz"]
        if run_rasa(args, folder / "train.log", timeout=1800) != 0:
            raise RuntimeError(f"training with TEDPolicy failed; see {folder / 'train.log'}")
    return ["--model", str(model)]


def _postgres_tracker(resources: ExitStack) -> List[str]:
    """endpoints.scaled.yml's PostgreSQL tracker store (throw-away database), one worker."""
    url = resources.enter_context(throwaway_postgres_database("bench_tracker_experiment_"))
    sections = yaml.safe_load(scaled_endpoints(url, redis_db=3, key_prefix="bench"))
    path = EXP_DIR / "postgres-tracker.endpoints.yml"
    path.write_text(yaml.safe_dump({"tracker_store": sections["tracker_store"]}), encoding="utf-8")
    return ["--endpoints-extra", str(path)]


def _rasa_tracker_store(_: ExitStack) -> List[str]:
    """Rasa's own SQLTrackerStore on a fresh SQLite file instead of the indexed one."""
    db = EXP_DIR / "rasa-tracker-store.db"
    for path in EXP_DIR.glob("rasa-tracker-store.db*"):
        path.unlink()
    path = EXP_DIR / "rasa-tracker-store.endpoints.yml"
    path.write_text(
        f"tracker_store:\n  type: SQL\n  dialect: sqlite\n  db: {db}\n", encoding="utf-8"
    )
    return ["--endpoints-extra", str(path)]


# Each preset gets an ExitStack for what must live until bench.run has finished.
PRESETS: Dict[str, Callable[[ExitStack], List[str]]] = {
    # Exactly what `make bench` measures.
    "baseline": lambda _: [],
    # Undo: Rasa's own validation of action-server responses (schema re-checked per call).
    "no-speedups": lambda _: _env("QUIZ_RASA_SPEEDUPS=0"),
    # Undo: "Neu starten" and a new quiz stay in the same Rasa session (career_quiz/settings.py).
    "no-session-restart": lambda _: _env("QUIZ_RESTART_NEW_SESSION=0"),
    # Undo: TEDPolicy back in config.yml (model trained once by the experiment).
    "with-ted": _with_ted_model,
    # Undo: Rasa's own SQL tracker store (every message reads the whole conversation).
    "rasa-tracker-store": _rasa_tracker_store,
    # Undo: TensorFlow's default thread pools in the Rasa server (0 = one thread per core,
    # as before scripts/serving.env).
    "tf-threads-default": lambda _: _env(
        "TF_INTRA_OP_PARALLELISM_THREADS=0", "TF_INTER_OP_PARALLELISM_THREADS=0"
    ),
    # Deployment option: PostgreSQL instead of SQLite as the tracker store, one worker
    # (make bench measures two workers with PostgreSQL and Redis itself).
    "postgres-tracker": _postgres_tracker,
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
    with ExitStack() as resources:
        args = [*PRESETS[name](resources), "--skip-scaled", *rest, "--no-docs"]
        args += ["--label", f"experiment {name}", "--out", str(EXP_DIR / f"{name}.json")]
        return run.main(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
