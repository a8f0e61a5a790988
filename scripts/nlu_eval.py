"""Evaluates the trained model on the held-out NLU test file and fails below the bar.

tests/nlu/test_nlu.yml is never used for training. Prints the intent macro-F1 and the
entity F1 (exact label and span, micro-averaged), lists the errors, and exits 1 if
either F1 is below --min-f1 (`make test`'s last step). The scoring is devtools/nlu.py,
which `make report` uses too.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    # Run as a file (scripts/ is not a package): the repository root is not on sys.path.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from devtools.nlu import main

    sys.exit(main())
