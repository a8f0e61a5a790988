"""Command line for the project's explicit set-up steps.

python -m career_quiz.cli build-spacy [--base blank:de] [--out PATH]   (also trains the
    work-preference and side-question topic classifiers beside the pipeline)
python -m career_quiz.cli build-lookups
python -m career_quiz.cli build-rules                  (data/rules/digressions.yml,
    data/rules/action_responses.yml and career_quiz/dialogue.yml from the domain and rules)
python -m career_quiz.cli init-db [--url URL]          (create or upgrade the results schema)
python -m career_quiz.cli flush-outbox [--url URL] [--outbox PATH]
python -m career_quiz.cli parse "Ich bin Bankkauffrau ..." [--slot training]
python -m career_quiz.cli purge [--older-than 90d]  (delete conversations, results and outbox
    entries past the retention period, QUIZ_RETENTION_DAYS)
python -m career_quiz.cli insights [--since 2026-11-01] [--until ...] [--csv-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import List, Optional

from career_quiz import settings


def _build_spacy(args: argparse.Namespace) -> int:
    from career_quiz.lexicon import load_lexicon
    from career_quiz.nlp import build_pipeline, save_pipeline

    lex = load_lexicon()
    nlp = build_pipeline(lex, base=args.base)
    out = Path(args.out or settings.spacy_model())
    save_pipeline(nlp, out)
    ruler = nlp.get_pipe("entity_ruler")
    print(
        f"spaCy pipeline {nlp.pipe_names} with {len(ruler)} patterns "
        f"(lexicon {lex.version}) -> {out}"
    )
    from career_quiz.task_model import load_examples, save, train

    texts, labels = load_examples()
    path = save(train(texts, labels), out.parent)
    print(f"Work-preference classifier trained on {len(texts)} examples -> {path}")
    from career_quiz import side_model

    texts, labels = side_model.training_data()
    path = side_model.save(side_model.train(texts, labels), out.parent)
    print(f"Side-question topic classifier trained on {len(texts)} texts -> {path}")
    return 0


LOOKUPS_FILE = settings.PROJECT_ROOT / "data" / "nlu" / "lookups.yml"
LOOKUPS_HEADER = (
    "# Generated from data/knowledge/lexicon.yml by `python -m career_quiz.cli build-lookups`.\n"
    "# Do not edit by hand; tests/unit/test_nlp.py checks that it is up to date.\n"
)


def render_lookups() -> str:
    """The text of data/nlu/lookups.yml for the current lexicon."""
    import yaml

    from career_quiz.lexicon import load_lexicon, nlu_lookup_data

    class _Literal(str):
        pass

    yaml.SafeDumper.add_representer(
        _Literal,
        lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|"),
    )
    data = nlu_lookup_data(load_lexicon())
    for entry in data["nlu"]:
        entry["examples"] = _Literal(entry["examples"])
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return LOOKUPS_HEADER + body


def _write_generated(path: Path, text: str) -> None:
    """Writes a generated file only when its text changed: a new modification time alone
    would make `make train` retrain.
    """
    if path.exists() and path.read_text(encoding="utf-8") == text:
        print(f"Up to date: {path}")
        return
    path.write_text(text, encoding="utf-8")
    print(f"Wrote {path}")


def _build_lookups(args: argparse.Namespace) -> int:
    _write_generated(LOOKUPS_FILE, render_lookups())
    return 0


def _build_rules(args: argparse.Namespace) -> int:
    from career_quiz.dialogue import generated_files

    for path, text in generated_files().items():
        _write_generated(path, text)
    return 0


def _init_db(args: argparse.Namespace) -> int:
    from career_quiz.repository import make_engine, upgrade_schema

    url = args.url or settings.database_url()
    engine = make_engine(url)
    try:
        report = upgrade_schema(engine)
    finally:
        engine.dispose()
    where = engine.url.render_as_string(hide_password=True)
    if report.stamped:
        print(f"Found a results schema without migration history: stamped as {report.stamped}")
    before = report.before or report.stamped or "empty"
    print(f"Schema ready at {where}: revision {report.after} (was {before})")
    return 0


def _flush_outbox(args: argparse.Namespace) -> int:
    from career_quiz.outbox import Outbox

    url = args.url or settings.database_url()
    outbox = Outbox(args.outbox or settings.outbox_path(), url)
    report = outbox.flush(wait=args.wait)
    if report.busy:
        print(f"Another process is delivering from {outbox.path}; try again later", file=sys.stderr)
    print(
        f"Delivered {report.delivered} queued operation(s) to {outbox.target} "
        f"({report.duplicates} already stored); {report.pending} pending"
    )
    if report.error:
        print(f"Delivery stopped: {report.error}", file=sys.stderr)
    others = {t: n for t, n in outbox.pending_by_target().items() if t != outbox.target}
    for target, n in sorted(others.items()):
        print(f"{n} pending for another database: {target} (flush-outbox --url ...)")
    return 1 if report.pending or report.busy else 0


def _parse(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from career_quiz.answers import merge_answers
    from career_quiz.lexicon import lexicon
    from career_quiz.nlp import pipeline
    from career_quiz.parsing import MessageParser
    from career_quiz.task_model import task_classifier

    parser = MessageParser(pipeline(), lexicon(), task_classifier().probabilities)
    parsed = parser.parse(args.text, args.slot)
    print(
        json.dumps(
            {"parsed": asdict(parsed), "slots": merge_answers({}, parsed, args.slot)},
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0


def _purge(args: argparse.Namespace) -> int:
    from career_quiz.erasure import configured_stores, parse_age, purge

    try:
        age = parse_age(args.older_than or f"{settings.retention_days()}d")
    except ValueError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    report = purge(age, configured_stores())
    print(
        f"Deleted what is older than {args.older_than or str(settings.retention_days()) + 'd'}: "
        f"{report.events} tracker events, {report.results} results, "
        f"{report.outbox} outbox entries"
    )
    for what in report.skipped:
        print(f"Not purged: {what}", file=sys.stderr)
    return 0


def _insights(args: argparse.Namespace) -> int:
    from career_quiz import insights

    try:
        period = insights.Period.parse(args.since, args.until)
    except ValueError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return 2
    figures = insights.compute(insights.configured_sources(), period)
    print(insights.render_text(figures))
    if args.csv_dir:
        written = insights.write_csv(figures, Path(args.csv_dir))
        print(f"Wrote {len(written)} CSV files to {args.csv_dir}")
    return 0


def main(argv: Optional[List[str]] = None) -> int:
    """Runs one sub-command."""
    parser = argparse.ArgumentParser(prog="python -m career_quiz.cli")
    sub = parser.add_subparsers(dest="command", required=True)
    spacy_cmd = sub.add_parser("build-spacy", help="build the German spaCy pipeline")
    spacy_cmd.add_argument(
        "--base",
        default="blank:de",
        help='"blank:de" or an installed pipeline such as de_core_news_md',
    )
    spacy_cmd.add_argument("--out", help="output folder (default: QUIZ_SPACY_MODEL)")
    spacy_cmd.set_defaults(func=_build_spacy)
    lookups_cmd = sub.add_parser("build-lookups", help="write data/nlu/lookups.yml")
    lookups_cmd.set_defaults(func=_build_lookups)
    rules_cmd = sub.add_parser(
        "build-rules",
        help="write the files generated from the domain and rules (digression and response "
        "rules, the action server's career_quiz/dialogue.yml)",
    )
    rules_cmd.set_defaults(func=_build_rules)
    db_cmd = sub.add_parser("init-db", help="create or upgrade the results schema (Alembic)")
    db_cmd.add_argument("--url", help="database URL (default: QUIZ_DATABASE_URL)")
    db_cmd.set_defaults(func=_init_db)
    flush_cmd = sub.add_parser(
        "flush-outbox", help="deliver the results queued while the database was down"
    )
    flush_cmd.add_argument("--url", help="database URL (default: QUIZ_DATABASE_URL)")
    flush_cmd.add_argument("--outbox", help="outbox file (default: QUIZ_OUTBOX_PATH)")
    flush_cmd.add_argument(
        "--wait",
        type=float,
        default=30.0,
        help="seconds to wait for a delivery that is running (default 30)",
    )
    flush_cmd.set_defaults(func=_flush_outbox)
    parse_cmd = sub.add_parser("parse", help="show how a message is understood")
    parse_cmd.add_argument("text")
    parse_cmd.add_argument("--slot", choices=["training", "languages", "task_preference"])
    parse_cmd.set_defaults(func=_parse)
    purge_cmd = sub.add_parser(
        "purge", help="delete tracker events, results and outbox entries past the retention"
    )
    purge_cmd.add_argument(
        "--older-than",
        help="age such as 90d, 12h or 30m (default: QUIZ_RETENTION_DAYS days, 90)",
    )
    purge_cmd.set_defaults(func=_purge)
    insights_cmd = sub.add_parser("insights", help="print the figures of the /insights page")
    insights_cmd.add_argument("--since", help="first day, YYYY-MM-DD (default: 30 days ago)")
    insights_cmd.add_argument("--until", help="last day, YYYY-MM-DD (default: today)")
    insights_cmd.add_argument("--csv-dir", help="also write every table as CSV into DIR")
    insights_cmd.set_defaults(func=_insights)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
