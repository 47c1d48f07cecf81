"""Import hygiene: every module imports on its own, the module-level import graph between
stance modules has no cycle, and the top of the package stays small."""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import stance
from tests.conftest import PROJECT

PACKAGE_DIR = Path(stance.__file__).resolve().parent


def stance_modules() -> dict[str, Path]:
    """Every module and package of ``stance``: dotted name → file."""
    modules = {"stance": PACKAGE_DIR / "__init__.py"}
    for info in pkgutil.walk_packages([str(PACKAGE_DIR)], prefix="stance."):
        relative = Path(*info.name.split(".")[1:])
        path = PACKAGE_DIR / relative / "__init__.py" if info.ispkg else PACKAGE_DIR / relative.with_suffix(".py")
        modules[info.name] = path
    return modules


MODULES = stance_modules()


def _runtime_statements(body: list[ast.stmt]):
    """Statements that run when the module is imported: at module level, in class bodies
    and in if/try/with/for blocks; not inside functions, nor under ``if TYPE_CHECKING:``."""
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            yield from _runtime_statements(node.orelse)
            continue
        yield node
        for field in ("body", "orelse", "finalbody"):
            nested = getattr(node, field, None)
            if isinstance(nested, list):
                yield from _runtime_statements(nested)
        for handler in getattr(node, "handlers", ()):
            yield from _runtime_statements(handler.body)


def module_level_imports(name: str, path: Path) -> set[str]:
    """The stance modules ``name`` imports at module level. ``import stance.x.y`` and
    ``from stance.x.y import z`` are edges to ``stance.x.y`` (or to ``stance.x.y.z`` when that
    is a submodule); a package counts as its ``__init__``."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets = set()
    for node in _runtime_statements(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in MODULES else source)
    return {t for t in targets if t in MODULES and t != name}


def import_graph() -> dict[str, set[str]]:
    return {name: module_level_imports(name, path) for name, path in MODULES.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of ``graph`` as a path that returns to its start, or ``None``."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return path[path.index(target) :] + [target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_walk_finds_every_subpackage_and_the_graph_has_the_known_edges():
    assert {"stance.pipeline.core", "stance.lora.model", "stance.cli.defaults", "stance.io.store", "stance.jobs"} <= set(MODULES)
    assert all(path.exists() for path in MODULES.values())
    graph = import_graph()
    assert "stance.pipeline.core" in graph["stance.jobs"]  # from stance.pipeline.core import Pipeline
    assert {"stance.cli.browse", "stance.cli.models", "stance.cli.scoring", "stance.cli.app"} <= graph["stance.cli"]
    assert "stance.pipeline.core" in graph["stance.pipeline"]  # a package's __init__ is a node of its own


def test_only_imports_that_run_at_import_time_are_edges(tmp_path):
    path = tmp_path / "fake.py"
    path.write_text(
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "import numpy\n"
        "from stance.data import Article\n"
        "from . import stage\n"
        "from .clean import TextCleaner\n"
        "import stance.io.store\n"
        "if TYPE_CHECKING:\n"
        "    from stance.classifier.model import StanceClassifier\n"
        "try:\n"
        "    from stance.jobs import score_articles\n"
        "except ImportError:\n"
        "    from stance.aggregate import build_timeline\n"
        "class Holder:\n"
        "    from stance.errors import StanceError\n"
        "def later():\n"
        "    from stance.cli import cli\n",
        encoding="utf-8",
    )
    assert module_level_imports("stance.pipeline.fake", path) == {
        "stance.data", "stance.pipeline.stage", "stance.pipeline.clean", "stance.io.store", "stance.jobs",
        "stance.aggregate", "stance.errors",
    }


def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_module_level_imports_between_stance_modules_form_no_cycle():
    cycle = find_cycle(import_graph())
    assert cycle is None, "module-level import cycle: " + " -> ".join(cycle)


def test_at_most_ten_modules_directly_in_the_package():
    top = sorted(p.name for p in PACKAGE_DIR.glob("*.py"))
    assert len(top) <= 10, top


def _import_alone(name: str) -> tuple[str, int, str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "HF_DATASETS_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-c", f"import {name}"], cwd=PROJECT, env=env, capture_output=True, text=True)
    return name, result.returncode, result.stderr.strip().splitlines()[-1] if result.stderr.strip() else ""


def test_every_module_imports_alone_in_a_fresh_interpreter():
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(_import_alone, sorted(MODULES)))
    failures = [f"{name}: {error}" for name, code, error in results if code != 0]
    assert len(results) == len(MODULES) and failures == []
