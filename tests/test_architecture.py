"""The layers import only in the allowed direction (DESIGN.md): checked on every module's AST."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "scribedesk"

#: layer -> project layers it may import (besides itself)
ALLOWED = {
    "domain": set(),
    "services": {"domain"},
    "playback": {"domain"},
    "client": {"domain"},
    "storage": {"domain"},
    "config": {"domain"},
    "server": {"domain"},
    "ui": {"services", "domain", "config", "playback"},
}
#: Modules any layer may import: the waveform peaks (numpy only), which the service
#: computes at upload and the workstation when they are missing, so both draw the same;
#: the Hunspell dictionary adapter, so a spelling finding means the same on both sides.
SHARED = {"scribedesk.playback.waveform", "scribedesk.storage.spelling"}
#: third-party packages a layer must never import
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
    },
    "services": {"PySide6", "sqlalchemy", "requests", "fastapi", "vlc"},
    "server": {"PySide6", "vlc", "pynput"},
    "client": {"PySide6", "sqlalchemy", "fastapi"},
    "storage": {"PySide6", "requests", "fastapi"},
    "playback": {"PySide6", "sqlalchemy", "requests", "fastapi"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_point_the_right_way(path):
    """Each module imports only from its own layer and the layers below it."""
    parts = path.relative_to(PACKAGE).parts
    layer = parts[0] if len(parts) > 1 else None
    if layer not in ALLOWED:
        return
    wrong = []
    for name in imports_of(path):
        top = name.split(".")[0]
        if name in SHARED:
            continue
        if top == "scribedesk":
            target = name.split(".")[1] if name.count(".") else ""
            if target and target != layer and target in ALLOWED and target not in ALLOWED[layer]:
                wrong.append(name)
        elif top in FORBIDDEN.get(layer, set()):
            wrong.append(name)
    assert wrong == [], f"{path.name} ({layer}) must not import {wrong}"


def test_every_module_has_a_docstring():
    """A one-line docstring opens every module."""
    missing = [
        str(p.relative_to(PACKAGE))
        for p in MODULES
        if p.stat().st_size and ast.get_docstring(ast.parse(p.read_text())) is None
    ]
    assert missing == []
