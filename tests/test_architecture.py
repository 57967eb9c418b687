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
    "forum": 5,
    "evaluations": 6,
    "recruitment": 7,
    "reports": 8,
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


# -- how areas plug in (DESIGN.md): named events and init_app, nothing collected by name ----------

# `register_` functions that are domain actions (a family registers for a course) and their views.
DOMAIN_VERBS = {"register_family", "register_family_done"}
HOOK_LIST_SUFFIXES = ("_hooks", "_checks", "_counters", "_handlers", "_listeners", "_callbacks")


def _python_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def test_the_events_module_imports_no_area():
    tree = ast.parse((PACKAGE / "events.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            imported.add((node.module or "").split(".")[0] if node.level == 0 else ".")
    assert imported <= {"__future__", "blinker", "typing"}


def test_no_importlib_in_the_package():
    users = [
        str(path.relative_to(PACKAGE))
        for path in _python_files()
        if "importlib" in path.read_text(encoding="utf-8")
    ]
    assert users == []


def _hook_registries(path: Path) -> set[str]:
    """Module-level lists/tuples of callables and `register_`/`on_` functions of `path`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            annotation = ast.unparse(node.annotation) if isinstance(node, ast.AnnAssign) else ""
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                if target.id.lower().endswith(HOOK_LIST_SUFFIXES) or (
                    "Callable" in annotation and annotation.startswith(("list", "tuple"))
                ):
                    found.add(target.id)
        elif (
            isinstance(node, ast.FunctionDef)
            and node.name not in DOMAIN_VERBS
            and (node.name.startswith(("register_", "on_")))
        ):
            found.add(node.name)
    return found


def test_no_hook_lists_and_no_register_functions_outside_lib():
    found = set()
    for path in _python_files():
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "lib":
            continue
        found |= {f"{relative.as_posix()}: {name}" for name in _hook_registries(path)}
    # Cross-area behaviour goes through coursehub/events.py; setup through each area's init_app.
    assert found == set()


def test_the_hook_list_check_finds_one(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from collections.abc import Callable\n"
        "RUN_CANCELLED_HOOKS: list[Callable] = []\n"
        "_checks: list[Callable] = []\n"
        "def register_check(func):\n    _checks.append(func)\n",
        encoding="utf-8",
    )
    assert _hook_registries(sample) == {"RUN_CANCELLED_HOOKS", "_checks", "register_check"}


def test_every_area_joins_the_app_through_init_app_from_the_one_list():
    import importlib

    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    loops = [
        node for node in ast.walk(tree) if isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple)
    ]
    assert len(loops) == 1, "create_app sets the areas up from one explicit tuple"
    listed = [element.id for element in loops[0].iter.elts]
    areas = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()} - {"lib"}
    assert sorted(listed) == sorted(areas)
    for name in listed:
        assert callable(importlib.import_module(f"coursehub.{name}").init_app), name
