"""Fails when a process started by this test run is still running.

    QUIZ_TEST_RUN_ID=$(uuidgen) ...; .venv/bin/python -m devtools.leftovers

scripts/test.sh exports a unique QUIZ_TEST_RUN_ID before the tests start. Every process
a test starts inherits the environment (servers, their workers, supervisord, the
browser), so at the end any process whose environment still holds this run's id was
left behind: a server that keeps ~1 GB and its port after `make test`. This lists them
(pid and command line) and exits 1; 0 when there are none, 2 when the id is not set.
Processes of other users (environment not readable) and of other runs (another id)
are ignored, and so are this process and its parent (the test script itself).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Collection, List, Optional

import psutil
from tenacity import Retrying, retry_if_result, stop_after_delay, wait_fixed

MARKER = "QUIZ_TEST_RUN_ID"


def leftovers(run_id: str, exclude: Collection[int] = ()) -> List[psutil.Process]:
    """Running processes (not zombies) whose environment has MARKER=`run_id`."""
    found = []
    for process in psutil.process_iter():
        if process.pid in exclude:
            continue
        try:
            if process.environ().get(MARKER) == run_id:
                found.append(process)
        except (psutil.AccessDenied, psutil.NoSuchProcess):  # ZombieProcess included
            continue
    return found


def describe(process: psutil.Process) -> str:
    """'pid command line', or 'pid (gone)' when it exited meanwhile."""
    try:
        return f"{process.pid} {' '.join(process.cmdline()) or process.name()}"
    except (psutil.AccessDenied, psutil.NoSuchProcess):
        return f"{process.pid} (gone)"


def main(argv: Optional[List[str]] = None) -> int:
    """Checks for this run's leftovers; 0 none, 1 some (listed), 2 no run id."""
    parser = argparse.ArgumentParser(prog="python -m devtools.leftovers", description=__doc__)
    parser.add_argument(
        "--grace",
        type=float,
        default=5.0,
        help="seconds to let processes that are already stopping exit (default 5)",
    )
    args = parser.parse_args(argv)
    run_id = os.environ.get(MARKER)
    if not run_id:
        print(f"{MARKER} is not set: nothing marks this run's processes", file=sys.stderr)
        return 2
    exclude = {os.getpid(), os.getppid()}
    retrying = Retrying(
        stop=stop_after_delay(args.grace),
        wait=wait_fixed(0.5),
        retry=retry_if_result(bool),
        retry_error_callback=lambda state: state.outcome.result(),
    )
    found = retrying(leftovers, run_id, exclude)
    if found:
        print(f"FAILED: {len(found)} process(es) of this test run still running:", file=sys.stderr)
        for process in found:
            print(f"  {describe(process)}", file=sys.stderr)
        return 1
    print("No process of this test run is left running.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
