"""The engine is a plain package: no module may import Django."""

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import matching_engine

PACKAGE_DIR = Path(matching_engine.__file__).parent


def _modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="matching_engine.")]


def test_importing_every_module_does_not_load_django():
    code = (
        "import importlib, sys\n"
        f"for name in {_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def test_no_source_file_mentions_a_django_import():
    offenders = []
    for path in PACKAGE_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path}: {n}" for n in names if n.split(".")[0] in {"django", "mentorat"}
            ]
    assert offenders == []
