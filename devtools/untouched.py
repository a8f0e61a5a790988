"""Figures on the untouched held-out sets, for a session's note.

    python -m devtools.untouched [out.json]

The untouched sets were written by helpers from docs/domain.md only, without the
training data or the bot's answers, and nobody tunes on them:
tests/side_questions_fresh19/ (side questions, endings, corrections; written in the
sixth session of 2026-12-05, when fresh18 became a tuning set) and
tests/job_ads_fresh5/ (job ads and advice profiles; fresh4 until that session).
`make test` only keeps them disjoint from the training data; this command plays them
once through new servers and prints the same figures as the gates of the other sets.
Read the totals, not the items: reading a miss to fix it turns the set into a tuning set.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import List, Optional

from devtools import advice_eval, corrections, job_ads, side_questions
from devtools.stack import ROOT, running_stack


def main(argv: Optional[List[str]] = None) -> int:
    """Plays the untouched sets on one new stack and prints their figures."""
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else ROOT / "results" / "untouched.json"
    with tempfile.TemporaryDirectory() as tmp, running_stack(Path(tmp)) as stack:
        reports = {
            "side": side_questions.evaluate(stack, folder=side_questions.FRESH19_DIR),
            "corrections": corrections.evaluate(stack, corrections.FRESH19_FILE),
            "ads": job_ads.evaluate(stack, job_ads.FRESH5_DIR),
            "advice": advice_eval.evaluate(stack, advice_eval.SETS[advice_eval.UNTOUCHED]),
        }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(reports, ensure_ascii=False, indent=1, default=str), "utf-8")
    lines = {
        "side": side_questions.summary_lines(reports["side"]),
        "corrections": corrections.summary_lines(reports["corrections"], failures=False),
        "ads": job_ads.summary_lines(reports["ads"]),
        # Totals only: the per-profile miss lines (indented) are not printed.
        "advice": [
            line
            for line in advice_eval.summary_lines(reports["advice"])
            if not line.startswith("  ")
        ],
    }
    for name, block in lines.items():
        print(f"== {name}")
        print("\n".join(block))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
