"""Benchmark experiments only: applies proposed patches inside the Rasa server.

`python -m bench.experiment` puts this folder on PYTHONPATH of the servers it
starts and names the patches in BENCH_PATCHES (comma-separated). Python imports
sitecustomize at start-up; the patches apply only to `rasa run` (not to
`rasa run actions` or other commands).
"""

import os
import sys

_patches = [p for p in os.environ.get("BENCH_PATCHES", "").split(",") if p]
_argv = [os.path.basename(sys.argv[0])] + sys.argv[1:] if sys.argv else []
if _patches and _argv[:2] == ["rasa", "run"] and "actions" not in _argv[2:3]:
    if "jsonschema" in _patches:
        import rasa_speedups  # noqa: E402  (this folder is on PYTHONPATH)

        rasa_speedups.apply()
        print("bench patch applied: cached action-response validator", file=sys.stderr)
