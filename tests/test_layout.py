"""The house keeps its shape: imports flow config → helhedsplaner → cases → committees → core.

Read from the source with ``ast`` (imports inside functions count too), so a new module
that imports "up" fails here rather than in review.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each app may not import (directly or through a submodule).
FORBIDDEN = {
    "core": {"config", "committees", "cases", "helhedsplaner", "demo"},
    "committees": {"config", "cases", "helhedsplaner", "demo"},
    "cases": {"config", "helhedsplaner", "demo"},
    "helhedsplaner": {"config", "demo"},
    "demo": {"config"},
}
ROOMS = (
    *("plans", "indicators", "cofinancing", "followup"),
    *("policy", "status", "dashboard", "search"),
)


def _imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_only_downwards(app):
    offending = []
    for path in sorted((ROOT / app).rglob("*.py")):
        bad = _imported_packages(path) & FORBIDDEN[app]
        if bad:
            offending.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(bad))}")
    assert offending == []


def test_helhedsplaner_root_holds_no_capability_prefixed_module():
    names = [p.stem for p in (ROOT / "helhedsplaner").glob("*.py")]
    prefixed = [n for n in names if any(n.startswith(room.rstrip("s")) for room in ROOMS)]
    assert prefixed == []
    # What spans the rooms: admin, the authority rules and the page-cache scopes.
    assert sorted(names) == ["__init__", "admin", "apps", "cachescopes", "rules"]
