"""The layering that .importlinter cannot see: tests/ is not a package, so the rule
"tests and bench never import each other" is checked here for the tests' side. The one
exception: tests/unit/test_bench_<module>.py tests bench/<module>.py itself (a pure
module such as bench/goals.py) and imports only that.
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


def _imported_modules(path) -> set:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
    return modules


def _allowed_bench_imports(path) -> set:
    """What a test may import of bench: the module a test_bench_<module>.py is named after."""
    if path.parent == ROOT / "tests" / "unit" and path.name.startswith("test_bench_"):
        return {f"bench.{path.stem[len('test_bench_') :]}"}
    return set()


def test_no_test_imports_bench():
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "tests").rglob("*.py"))
        if "bench" in _imported_roots(path)
        and {m for m in _imported_modules(path) if m.split(".")[0] == "bench"}
        - _allowed_bench_imports(path)
    ]
    assert offenders == []


def test_a_bench_test_may_import_only_its_own_module():
    unit = ROOT / "tests" / "unit"
    assert _allowed_bench_imports(unit / "test_bench_goals.py") == {"bench.goals"}
    assert _allowed_bench_imports(unit / "test_goals.py") == set()
    assert _allowed_bench_imports(ROOT / "tests" / "test_bench_goals.py") == set()


def test_the_check_sees_an_import_of_bench(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from bench.run import main\n", encoding="utf-8")
    assert "bench" in _imported_roots(sample)
