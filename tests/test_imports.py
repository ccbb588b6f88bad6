"""No module of the diary imports another in a circle.

Two checks. Each module is imported first, on its own, in a fresh interpreter: a circle that
only works in one import order fails there ("partially initialized module"). And the imports
written anywhere in a module, inside functions too, form no circle: an import moved into a
function to dodge the error still counts, since moving it back to the top would fail.
"""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import diary

pytestmark = pytest.mark.no_test_database(reason="imports modules, no database")

PACKAGE = Path(diary.__file__).resolve().parent


def module_names() -> list[str]:
    names = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


MODULES = module_names()

# Run in one fresh interpreter that has loaded no module of the diary: each module is then
# imported in a forked child, which starts from that clean state. Third-party libraries are
# loaded before forking only to save time; they import nothing of ours.
FIRST_IMPORT_OF_EACH = """
import importlib, os, sys
import flask, flask_login, sqlalchemy, sqlmodel, alembic  # noqa: F401
assert not any(name == "diary" or name.startswith("diary.") for name in sys.modules)
failed = []
for name in sys.argv[1:]:
    child = os.fork()
    if child == 0:
        try:
            importlib.import_module(name)
        except BaseException as error:
            print(f"{name}: {type(error).__name__}: {error}", flush=True)
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(child, 0)
    if status:
        failed.append(name)
print("FAILED", *failed)
"""


def test_each_module_imports_first_on_its_own():
    done = subprocess.run([sys.executable, "-c", FIRST_IMPORT_OF_EACH, *MODULES],
                          capture_output=True, text=True, cwd=PACKAGE.parent,
                          env={**os.environ, "PYTHONPATH": str(PACKAGE.parent)})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "FAILED", done.stdout


def imported_by(name: str) -> set[str]:
    """The diary modules ``name`` imports, anywhere in its file."""
    path = PACKAGE.parent / (name.replace(".", "/") + ".py")
    if not path.exists():
        path = PACKAGE.parent / name.replace(".", "/") / "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # "from diary import days" imports the module diary.days; "from diary.x import f", diary.x
            found |= {f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in MODULES
                      else node.module for alias in node.names}
    return {module for module in found if module in MODULES and module != name}


def circle_from(start: str, graph: dict[str, set[str]]) -> list[str] | None:
    path, on_path, done = [], set(), set()

    def visit(name: str):
        if name in on_path:
            return path[path.index(name):] + [name]
        if name in done:
            return None
        path.append(name)
        on_path.add(name)
        for other in sorted(graph[name]):
            if found := visit(other):
                return found
        path.pop()
        on_path.discard(name)
        done.add(name)
        return None

    return visit(start)


def test_no_module_imports_another_in_a_circle():
    graph = {name: imported_by(name) for name in MODULES}
    circles = [circle for name in MODULES if (circle := circle_from(name, graph))]
    assert circles == [], " -> ".join(circles[0])


def test_the_circle_check_finds_a_circle():
    """Guards the check above: it must see a circle hidden in a function."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert circle_from("a", graph) == ["a", "b", "c", "a"]
    assert circle_from("d", graph) is None
