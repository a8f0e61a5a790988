"""The one definition of what Rasa trains and validates on.

data/knowledge/ holds the project's own knowledge files, not Rasa training data, so
Rasa's default `--data data` cannot be used. The Makefile, scripts/test.sh and bench
read the arguments from here (`python -m devtools.training` prints them).
"""

from __future__ import annotations

from typing import List

DOMAIN = "domain"
TRAINING_DATA = ("data/nlu", "data/rules", "data/stories")


def data_args() -> List[str]:
    """`--domain ... --data ...` for `rasa train`, `rasa data validate` and friends."""
    return ["--domain", DOMAIN, "--data", *TRAINING_DATA]


if __name__ == "__main__":
    print(" ".join(data_args()))
