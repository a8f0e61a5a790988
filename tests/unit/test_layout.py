"""The layering that .importlinter cannot see: tests/ is not a package, so the rule
"tests and bench never import each other" is checked here for the tests' side. The one
exception: tests/unit/test_bench_<module>.py tests bench/<module>.py itself (a pure
module such as bench/goals.py) and imports only that. Also: every module has a test
file of its own name.
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


# -- every module has a test file of its name (CONTRIBUTING.md) --------------------

PACKAGES = ("career_quiz", "actions", "rasa_addons", "web")
# Modules whose tests still live in files of other names, and why (a path such as
# "career_quiz/x.py" with a comment). Empty: every module has its test file.
PENDING: set[str] = set()


def _test_files(module) -> list:
    """The test files named after `module` (a path): tests/unit/test_X.py or
    test_X_*.py, tests/integration/test_X*.py; web/X.py may also be test_web_X.py.
    """
    names = [module.stem] + ([f"web_{module.stem}"] if module.parent.name == "web" else [])
    found = []
    for name in names:
        found += (ROOT / "tests" / "unit").glob(f"test_{name}.py")
        found += (ROOT / "tests" / "unit").glob(f"test_{name}_*.py")
        found += (ROOT / "tests" / "integration").glob(f"test_{name}*.py")
    return found


def test_every_module_has_a_test_file_of_its_name():
    modules = [
        path
        for package in PACKAGES
        for path in sorted((ROOT / package).glob("*.py"))
        if path.name != "__init__.py"
    ]
    missing = [
        str(path.relative_to(ROOT))
        for path in modules
        if not _test_files(path) and str(path.relative_to(ROOT)) not in PENDING
    ]
    assert missing == [], "add tests/unit/test_<module>.py (CONTRIBUTING.md)"


def test_the_module_check_finds_the_files_it_names():
    names = {p.name for p in _test_files(ROOT / "career_quiz" / "outbox.py")}
    assert {"test_outbox.py", "test_outbox_live.py", "test_outbox_restart.py"} <= names
    assert [p.name for p in _test_files(ROOT / "web" / "server.py")] == ["test_web_server.py"]
    assert {p.name for p in _test_files(ROOT / "career_quiz" / "parsing.py")} == {
        "test_parsing.py",
        "test_parsing_button_denied.py",
        "test_parsing_properties.py",
        "test_parsing_whose_answer.py",
        "test_parsing_wrong_click.py",
        "test_parsing_visit10.py",
        "test_parsing_visit11.py",
    }
    assert _test_files(ROOT / "career_quiz" / "no_such_module.py") == []
