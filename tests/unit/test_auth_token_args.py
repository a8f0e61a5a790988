"""A generated HTTP API token may start with "-" (secrets.token_urlsafe): every place that
starts the Rasa server must pass it so that Rasa's argument parser still reads it as the
token. A clean-clone CI run failed once on this (test_supervisor: "argument
-t/--auth-token: expected one argument").
"""

from __future__ import annotations

import importlib.util
import re
import shlex
from typing import List

import yaml

from tests.helpers import ROOT

TOKEN = "-0T2ZIPtTZrqHx8nkY1bIGg-hYgA4A5o"  # the token of that run


def _parse_run(args: List[str]):
    """Rasa's own parser on the arguments from "run" on."""
    from rasa.__main__ import create_argument_parser

    return create_argument_parser().parse_args(args[args.index("run") :])


def _commands(conf: str, program: str) -> List[List[str]]:
    """The argument lists of the supervisord programs whose name starts with `program`."""
    found = []
    for block in re.split(r"\n(?=\[)", conf):
        if block.strip().startswith(f"[program:{program}"):
            command = block.split("command=", 1)[1].split("\ndirectory=", 1)[0]
            found.append(shlex.split(command.replace("\n", " ")))
    return found


def test_make_run_passes_a_token_that_starts_with_a_dash():
    conf = (ROOT / "scripts" / "supervisord.conf").read_text(encoding="utf-8")
    conf = conf.replace("%(ENV_RASA_AUTH_TOKEN)s", TOKEN)
    conf = re.sub(r"%\(ENV_[A-Z_]*PORT\)s", "5005", conf)
    conf = re.sub(r"%\([A-Za-z_]+\)s", "x", conf)
    (command,) = _commands(conf, "rasa")
    assert _parse_run(command).auth_token == TOKEN


def test_the_cluster_passes_a_token_that_starts_with_a_dash(monkeypatch, tmp_path):
    spec = importlib.util.spec_from_file_location(
        "cluster_config", ROOT / "scripts" / "cluster_config.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    monkeypatch.setenv("RASA_AUTH_TOKEN", TOKEN)
    monkeypatch.setenv("WEB_ORIGINS", "http://127.0.0.1:8080")
    commands = _commands(module.supervisord_conf(tmp_path), "rasa")
    assert commands and all(_parse_run(c).auth_token == TOKEN for c in commands)


def test_the_kubernetes_manifest_passes_the_token_as_one_argument():
    docs = yaml.safe_load_all((ROOT / "deploy" / "kubernetes" / "rasa.yaml").read_text("utf-8"))
    deployment = next(d for d in docs if d and d.get("kind") == "Deployment")
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    args = [a.replace("$(RASA_AUTH_TOKEN)", TOKEN) for a in container["args"]]
    args = args if "run" in args else ["run", *args]
    assert _parse_run(args).auth_token == TOKEN
