"""The layers import only in the allowed direction (DESIGN.md): checked on every module's AST.

Every import counts: module-level, inside functions (lazy), absolute and relative. Only
imports under ``if TYPE_CHECKING:`` are left out of the cycle check, since they never run;
they still have to respect the layers.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "scribedesk"

#: layer -> project layers it may import (besides itself)
ALLOWED = {
    "domain": set(),
    "shared": {"domain"},
    "services": {"domain", "shared"},
    "playback": {"domain", "shared"},
    "client": {"domain", "shared"},
    "storage": {"domain", "shared"},
    "config": {"domain", "shared"},
    "server": {"domain", "shared"},
    "ui": {"services", "domain", "config", "playback", "shared"},
}
#: third-party packages a layer must never import; the domain may use only pure
#: computation (rapidfuzz for word alignment), nothing with I/O.
FORBIDDEN = {
    "domain": {
        "PySide6",
        "sqlalchemy",
        "requests",
        "fastapi",
        "vlc",
        "pynput",
        "hid",
        "av",
        "numpy",
        "httpx",
        "starlette",
        "enchant",
        "platformdirs",
        "keyring",
    },
    "shared": {"PySide6", "sqlalchemy", "requests", "fastapi", "vlc", "pynput"},
    "services": {"PySide6", "sqlalchemy", "requests", "fastapi", "vlc"},
    "server": {"PySide6", "vlc", "pynput"},
    "client": {"PySide6", "sqlalchemy", "fastapi"},
    "storage": {"PySide6", "sqlalchemy", "requests", "fastapi"},
    "playback": {"PySide6", "sqlalchemy", "requests", "fastapi"},
}
MODULES = sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = ["scribedesk", *path.relative_to(PACKAGE).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the import nodes under ``if TYPE_CHECKING:``."""
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                found.update(id(n) for n in ast.walk(inner))
    return found


def imports_of(path: Path, runtime_only: bool = False) -> Iterator[str]:
    """Every module name ``path`` imports (relative imports resolved, ``from p import m``
    naming the submodule where ``m`` is one)."""
    yield from imports_in(
        path.read_text(encoding="utf-8"), module_name(path), _is_package(path), runtime_only
    )


def imports_in(
    source: str, module: str, is_package: bool = False, runtime_only: bool = False
) -> Iterator[str]:
    """What the code ``source`` of ``module`` imports."""
    tree = ast.parse(source)
    skip = _type_checking_nodes(tree) if runtime_only else set()
    here = module.split(".")
    package = here if is_package else here[:-1]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[: len(package) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                if _module_path(candidate) is not None:
                    yield candidate


def _module_path(name: str) -> Path | None:
    if not name.startswith("scribedesk."):
        return PACKAGE / "__init__.py" if name == "scribedesk" else None
    rel = Path(*name.split(".")[1:])
    for path in (PACKAGE / rel.with_suffix(".py"), PACKAGE / rel / "__init__.py"):
        if path.is_file():
            return path
    return None


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_the_right_way(path):
    """Each module imports only from its own layer and the layers below it."""
    parts = path.relative_to(PACKAGE).parts
    layer = parts[0] if len(parts) > 1 else None
    if layer not in ALLOWED:
        return
    wrong = []
    for name in set(imports_of(path)):
        top = name.split(".")[0]
        if top == "scribedesk":
            target = name.split(".")[1] if name.count(".") else ""
            if target and target != layer and target in ALLOWED and target not in ALLOWED[layer]:
                wrong.append(name)
        elif top in FORBIDDEN.get(layer, set()):
            wrong.append(name)
    assert wrong == [], f"{path.name} ({layer}) must not import {sorted(wrong)}"


def test_no_import_cycles():
    """No module imports itself through others (lazy imports count, TYPE_CHECKING does not)."""
    graph = {
        module_name(path): {
            name
            for name in imports_of(path, runtime_only=True)
            if _module_path(name) is not None and name != module_name(path)
        }
        for path in MODULES
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == [], "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_relative_lazy_and_type_checking_imports():
    """Relative imports resolve, imports inside functions count, TYPE_CHECKING ones only
    for the layers (the check can fail)."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "from ..domain import failure\n"
        "from . import ports\n"
        "if TYPE_CHECKING:\n"
        "    from scribedesk.ui import main_window\n"
        "def later():\n"
        "    import scribedesk.storage.store\n"
    )
    names = set(imports_in(source, "scribedesk.services.sample"))
    assert {"scribedesk.domain.failure", "scribedesk.services.ports"} <= names
    assert {"scribedesk.storage.store", "scribedesk.ui.main_window"} <= names
    running = set(imports_in(source, "scribedesk.services.sample", runtime_only=True))
    assert "scribedesk.ui.main_window" not in running


def test_every_module_has_a_docstring():
    """A one-line docstring opens every module."""
    missing = [
        str(p.relative_to(PACKAGE))
        for p in MODULES
        if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text())) is None
    ]
    assert missing == []


def test_no_module_is_over_400_lines():
    """Modules stay small enough to read whole (STYLE.md): none over 400 lines."""
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in MODULES
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert long == {}


#: Outside the standard library, the domain uses only pure computation libraries.
DOMAIN_THIRD_PARTY = {"rapidfuzz"}


def test_the_domain_uses_the_standard_library_and_rapidfuzz_only():
    """The domain is shared by the service and the workstation and imports nothing with
    I/O: the standard library, its own modules, and rapidfuzz (word alignment in C++)."""
    import sys

    strays = {
        f"{module_name(path)} imports {name}"
        for path in MODULES
        if module_name(path).startswith("scribedesk.domain")
        for name in imports_of(path)
        if (top := name.split(".")[0])
        and top not in sys.stdlib_module_names
        and top not in {"scribedesk", "__future__", *DOMAIN_THIRD_PARTY}
    }
    assert strays == set()
