"""The import rules of the code base hold (issue 15): the contracts of `.importlinter`
(the engine independent of the platform, apps layered from the pages down to the shared
foundations, services above tasks above signed links), and no import hides inside a
function without a comment saying why."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("mentorat", "matching_engine")


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run(
        [str(lint_imports), "--no-cache", "--no-logo", "--config", str(ROOT / ".importlinter")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def _function_level_imports(path: Path) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if in_function and isinstance(child, ast.Import | ast.ImportFrom):
                found.append(child)
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef))

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def _explained(lines: list[str], node: ast.Import | ast.ImportFrom) -> bool:
    """A comment on the import's line, or above the run of imports it belongs to."""
    if "#" in lines[node.lineno - 1]:
        return True
    above = node.lineno - 2
    while above >= 0 and lines[above].strip().startswith(("from ", "import ")):
        above -= 1
    return above >= 0 and lines[above].strip().startswith("#")


def test_every_function_level_import_says_why():
    unexplained = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = path.read_text(encoding="utf-8").splitlines()
            unexplained += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for node in _function_level_imports(path)
                if not _explained(lines, node)
            ]
    assert unexplained == [], "function-level imports without a comment saying why"
