"""Dependencies run one way (DESIGN.md): an area never imports a higher one."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "coursehub"

# Lower numbers are lower layers. An area may import its own layer's shared modules and any lower
# area; `notifications` is used by all and imports none of them; `pages` and `lib` are plain helpers.
RANK = {
    "lib": 0,
    "pages": 0,
    "accounts": 1,
    "courses": 2,
    "enrollment": 3,
    "attendance": 4,
    "evaluations": 4,
    "forum": 5,
    "recruitment": 5,
    "reports": 6,
}
NO_AREA_IMPORTS = {"notifications", "lib", "pages"}


def _imported_areas(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "coursehub" and len(parts) > 1 and (PACKAGE / parts[1]).is_dir():
                found.add(parts[1])
    return found


def _allowed(area: str, target: str) -> bool:
    if target == area or target == "lib":
        return True
    if area in NO_AREA_IMPORTS:
        return target not in RANK and target != "notifications"
    return target == "notifications" or RANK.get(target, 0) < RANK.get(area, 0)


def test_no_area_imports_a_higher_area():
    wrong = []
    for area_dir in sorted(p for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"):
        for path in area_dir.rglob("*.py"):
            for target in _imported_areas(path):
                if not _allowed(area_dir.name, target):
                    wrong.append(f"{path.relative_to(PACKAGE)} imports {target}")
    assert wrong == []


def test_every_area_has_a_rank():
    areas = {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert areas - {"notifications"} <= RANK.keys()
