"""The layering that .importlinter cannot see: tests/ is not a package, so the rule
"tests and bench never import each other" is checked here for the tests' side.
"""

from __future__ import annotations

import ast

from tests.helpers import ROOT


def _imported_roots(path) -> set:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_test_imports_bench():
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if "bench" in _imported_roots(path)
    ]
    assert offenders == []


def test_the_check_sees_an_import_of_bench(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from bench.run import main\n", encoding="utf-8")
    assert "bench" in _imported_roots(sample)
