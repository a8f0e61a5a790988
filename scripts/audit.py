"""Runs pip-audit on requirements.lock and checks its findings against docs/dependency-audit.md.

The accepted findings are the rows of the table between the markers
`<!-- accepted-vulns:start -->` and `<!-- accepted-vulns:end -->` in
docs/dependency-audit.md: `| ID | Package | Version | Why accepted |`.

pip-audit runs once, without `--ignore-vuln`, and writes JSON; this script then applies
the same rule as `--ignore-vuln` (a finding is accepted when its ID or one of its aliases
is in the table), because findings hidden by `--ignore-vuln` are missing from the JSON and
a stale row could not be told from a current one. The audit fails when
  * a finding is not in the table (new vulnerability, or a new lock brought one in),
  * a row is no longer reported (fixed by an upgrade, or withdrawn: delete the row),
  * a row's package or version does not match the locked one (re-check the reason),
  * pip-audit could not audit a package (PyPI did not answer for it: no data is no pass),
  * pip-audit itself failed (e.g. PyPI unreachable).
Standard library only: it runs in .venv-audit, called by scripts/audit.sh.
Extra command-line arguments are passed on to pip-audit.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "dependency-audit.md"
LOCK = ROOT / "requirements.lock"
PIP_AUDIT = ROOT / ".venv-audit" / "bin" / "pip-audit"
START, END = "<!-- accepted-vulns:start -->", "<!-- accepted-vulns:end -->"
HEADER = ["ID", "Package", "Version", "Why accepted"]


def canonical(name: str) -> str:
    """PEP 503 normalised project name, as pip-audit prints it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def fail(message: str) -> None:
    """Prints why the audit failed and exits with status 1."""
    print(f"\nAUDIT FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def accepted_rows(doc: Path) -> list[dict]:
    """The rows of the accepted-findings table in the audit page (the single source)."""
    text = doc.read_text(encoding="utf-8")
    if text.count(START) != 1 or text.count(END) != 1 or text.index(START) > text.index(END):
        fail(f"{doc.name} must contain exactly one {START} ... {END} block")
    block = text[text.index(START) + len(START) : text.index(END)]
    lines = [line.strip() for line in block.splitlines() if line.strip()]
    if not lines or [c.strip() for c in lines[0].strip("|").split("|")] != HEADER:
        fail(f"the accepted-findings table must start with | {' | '.join(HEADER)} |")
    rows, seen = [], set()
    for n, line in enumerate(lines[1:], start=2):
        if not line.startswith("|"):
            fail(f"line {n} of the accepted-findings table is not a table row: {line!r}")
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if set("".join(cells)) <= set("-: "):
            continue  # the |---|---| separator
        if len(cells) != 4 or not all(cells):
            fail(f"accepted-findings row {line!r} needs 4 non-empty cells: {', '.join(HEADER)}")
        vuln_id, package, version, reason = (c.strip("`") for c in cells)
        if vuln_id in seen:
            fail(f"{vuln_id} is listed twice in the accepted-findings table")
        seen.add(vuln_id)
        rows.append(
            {"id": vuln_id, "package": canonical(package), "version": version, "reason": reason}
        )
    return rows


def run_pip_audit(extra: list[str]) -> dict:
    """Runs pip-audit on the lock (no resolving, no installing) and returns its JSON report."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        cmd = [
            str(PIP_AUDIT),
            "-r",
            str(LOCK),
            "--no-deps",
            "--disable-pip",
            "--vulnerability-service",
            "pypi",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--desc",
            "on",
            "--aliases",
            "on",
            "--output",
            str(out),
            *extra,
        ]
        started = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        seconds = time.monotonic() - started
        # Exit 0: nothing found; exit 1: findings (JSON written) or a fatal error (no JSON).
        report = None
        if out.exists() and out.stat().st_size:
            try:
                report = json.loads(out.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                report = None
        if proc.returncode not in (0, 1) or report is None:
            print("\n".join(proc.stderr.strip().splitlines()[-6:]), file=sys.stderr)
            fail(
                f"pip-audit did not produce a report (exit {proc.returncode}). If it says it "
                "could not connect, PyPI's JSON API (/pypi/NAME/VERSION/json) is "
                "not reachable from here; the audit cannot pass without PyPI's vulnerability data."
            )
    print(f"pip-audit: {len(report['dependencies'])} packages of {LOCK.name} in {seconds:.1f}s")
    return report


def main() -> None:
    """Runs pip-audit on the lock file and checks its findings against the accepted table."""
    sys.stdout.reconfigure(line_buffering=True)  # keep stdout and stderr in order in logs
    rows = accepted_rows(TABLE)
    report = run_pip_audit(sys.argv[1:])
    locked = {
        canonical(line.split("==")[0]): line.split("==")[1].strip()
        for line in LOCK.read_text().splitlines()
        if "==" in line and not line.startswith("#")
    }

    skipped = [d for d in report["dependencies"] if d.get("skip_reason")]
    if skipped:
        for d in skipped[:10]:
            print(f"  not audited: {d['name']}: {d['skip_reason']}", file=sys.stderr)
        fail(
            f"{len(skipped)} of {len(report['dependencies'])} packages could not be audited "
            "(PyPI's per-release JSON API answered 404 for them, so there is no vulnerability "
            "data; pip-audit alone would report 'No known vulnerabilities found'). "
            "Check that PyPI's /pypi/NAME/VERSION/json answers from here."
        )

    new, matched, mismatched = [], set(), []
    for dep in report["dependencies"]:
        for vuln in dep.get("vulns", []):
            ids = {vuln["id"], *vuln.get("aliases", [])}
            row = next((r for r in rows if r["id"] in ids and r["package"] == dep["name"]), None)
            label = f"{dep['name']}=={dep['version']} {vuln['id']}"
            aliases = ", ".join(sorted(set(vuln.get("aliases", [])) - {vuln["id"]}))
            fixes = ", ".join(vuln.get("fix_versions", [])) or "none"
            if row is None:
                new.append((label, aliases, fixes, vuln.get("description") or ""))
                continue
            matched.add(row["id"])
            if row["version"] != dep["version"]:
                mismatched.append(
                    f"{row['id']}: the row says {row['package']} {row['version']}, "
                    f"the lock has {dep['version']}"
                )
            print(f"  accepted  {label} ({aliases or 'no aliases'}; fixed in {fixes})")

    stale = [r for r in rows if r["id"] not in matched]
    found = sum(len(d.get("vulns", [])) for d in report["dependencies"])
    print(
        f"{found} findings: {found - len(new)} accepted in {TABLE.relative_to(ROOT)}, "
        f"{len(new)} new; "
        f"{len(rows)} accepted rows, {len(stale)} no longer reported"
    )

    problems = []
    for label, aliases, fixes, desc in new:
        print(f"\nNEW  {label} ({aliases or 'no aliases'}); fixed in: {fixes}", file=sys.stderr)
        print(
            textwrap.indent(textwrap.shorten(desc, 900, placeholder=" ..."), "     "),
            file=sys.stderr,
        )
        problems.append(f"new finding {label}")
    for r in stale:
        where = (
            "not in the lock"
            if r["package"] not in locked
            else f"{r['package']}=={locked[r['package']]}"
        )
        print(
            f"\nSTALE  {r['id']} ({r['package']} {r['version']}) is no longer reported ({where}): "
            "delete its row from docs/dependency-audit.md",
            file=sys.stderr,
        )
        problems.append(f"stale row {r['id']}")
    for m in mismatched:
        print(f"\nVERSION  {m}: re-check the reason and update the row", file=sys.stderr)
        problems.append(f"version changed for {m.split(':')[0]}")
    if problems:
        fail(
            "; ".join(problems) + ".\nFor a new finding: upgrade the package in pyproject.toml "
            "and `make lock` if Rasa 3.6's pins allow a fixed version, otherwise add a row to the "
            "table in docs/dependency-audit.md saying why it does not affect this project."
        )
    print("pip-audit: no unaccepted findings")


if __name__ == "__main__":
    main()
