"""Views do their work one way (coursehub.lib.work), and query-string keys are Swedish.

Views commit through `lib.work.attempt` and write no queries (CONVENTIONS.md 2 and 4): reads live
in the area's `queries`, writes in its `services`. Query-string keys follow the paths' rule.
"""

import ast
import re
from pathlib import Path

from wtforms.fields.core import UnboundField

PACKAGE = Path(__file__).resolve().parent.parent / "coursehub"
TEMPLATES = PACKAGE.parent / "templates"

# Every query-string key the app reads or writes: ASCII lower-case Swedish words.
QUERY_KEYS = {
    "sida",  # a listing's page
    "citera",  # the forum post a reply quotes
    "sok",
    "roll",
    "handelse",  # the user list and the audit log
    # The audit log's other filters.
    "person",
    "utforare",
    "posttyp",
    "postnummer",
    "utfall",
    "fran",
    "till",
    "avvikande",
    "typ",
    "kommun",
    "manad",
    "satt",
    "platser",
    "lansdel",
    "hemtyp",  # the public catalogue
    "status",
    "termin",
    "per",  # staff's run list, counts per municipality, attendance figures
    "tema",  # the theme proposed for a replacement session
    "kod",  # the public certificate check
    "mapp",  # a folder of a network's documents
    "handlaggare",
    "kanal",  # the recruitment board's staff member and channel (with kommun, typ)
    "period",
    "omrade",  # the report's half-year or year, and its area (county, part, municipality)
    "halvarssida",  # which ten half-years the evaluation results show
}
# Flask-Login writes ?next= itself when it sends a person to the login page; the key is its own.
LIBRARY_KEYS = {"next"}

SESSION_WRITES = {"commit", "rollback", "flush", "add", "add_all", "delete", "merge"}
SESSION_READS = {"execute", "scalar", "scalars", "get", "query"}


def _python_files():
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _view_modules():
    return sorted(p for p in _python_files() if p.parent.name == "views" or p.name == "views.py")


def _problems_in_view(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module.split(".")[0] == "sqlalchemy":
                found.append(f"{line}: imports {node.module} (queries belong in queries.py)")
            if node.module == "coursehub.extensions" and any(a.name == "db" for a in node.names):
                found.append(f"{line}: imports db (use lib.work: attempt, load_or_404)")
        elif isinstance(node, ast.Import):
            found += [f"{line}: imports {a.name}" for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
        elif isinstance(node, ast.Attribute):
            if node.attr == "query":
                found.append(f"{line}: .query")
            if (
                isinstance(node.value, ast.Attribute)
                and node.value.attr == "session"
                and (node.attr in SESSION_WRITES | SESSION_READS)
            ):
                found.append(f"{line}: session.{node.attr}")
            if isinstance(node.value, ast.Name) and node.value.id == "db":
                found.append(f"{line}: db.{node.attr}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name == "select":
                found.append(f"{line}: select(...)")
    return found


def test_there_are_view_modules_to_check():
    names = {str(p.relative_to(PACKAGE)) for p in _view_modules()}
    assert {
        "notifications/views.py",
        "pages/views.py",
        "courses/views/manage.py",
        "enrollment/views/family.py",
        "attendance/views/sheet.py",
        "accounts/views/admin.py",
    } <= names


def test_the_checker_finds_what_it_forbids(tmp_path):
    sample = tmp_path / "views.py"
    sample.write_text(
        "from sqlalchemy import select\n"
        "from coursehub.extensions import db\n"
        "def view():\n"
        "    db.session.commit()\n"
        "    db.session.rollback()\n"
        "    Thing.query.all()\n"
        "    return db.session.scalars(select(Thing))\n",
        encoding="utf-8",
    )
    problems = " ".join(_problems_in_view(sample))
    for wanted in (
        "imports sqlalchemy",
        "imports db",
        "session.commit",
        "session.rollback",
        ".query",
        "session.scalars",
        "select(...)",
    ):
        assert wanted in problems


def test_no_view_commits_rolls_back_or_writes_a_query():
    problems = [
        f"{path.relative_to(PACKAGE)}:{problem}"
        for path in _view_modules()
        for problem in _problems_in_view(path)
    ]
    assert problems == []


def test_only_the_edges_commit():
    """The unit of work (lib.work), the job wrapper, the CLI and the outbox sender commit."""
    edges = {"lib/work.py", "cli.py", "notifications/scheduler.py", "notifications/jobs.py"}
    committing = {
        str(p.relative_to(PACKAGE))
        for p in _python_files()
        if "session.commit()" in p.read_text(encoding="utf-8")
    }
    assert committing <= edges
    assert "lib/work.py" in committing


# -- query-string keys ---------------------------------------------------------------------------


def _is_request_args(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr == "args"
        and isinstance(node.value, ast.Name)
        and node.value.id == "request"
    )


def _module_strings(tree) -> dict[str, str]:
    """Module-level NAME = "text" constants (a key may be named once, like lib.params.PAGE_KEY)."""
    names = {}
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            names.update({t.id: node.value.value for t in node.targets if isinstance(t, ast.Name)})
    return names


def _form_fields(module: str, class_name: str) -> set[str]:
    import importlib

    cls = getattr(importlib.import_module(module), class_name)
    return {
        name
        for klass in cls.__mro__
        for name, value in vars(klass).items()
        if isinstance(value, UnboundField)
    }


def _imported_names(tree) -> dict[str, str]:
    return {
        alias.asname or alias.name: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }


def _query_keys_read(path: Path) -> list[tuple[int, str]]:
    """Every key `path` reads from request.args; a key that cannot be read off is reported too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    constants, imported = _module_strings(tree), _imported_names(tree)
    keys = []

    def key_of(node) -> str:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name) and node.id in constants:
            return constants[node.id]
        return f"<cannot tell: {ast.unparse(node)}>"

    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    for node in ast.walk(tree):
        if not _is_request_args(node):
            continue
        parent = parents[node]
        if isinstance(parent, ast.Attribute) and parent.attr in ("get", "getlist"):
            call = parents[parent]
            keys.append((node.lineno, key_of(call.args[0])))
        elif isinstance(parent, ast.Subscript):
            keys.append((node.lineno, key_of(parent.slice)))
        elif isinstance(parent, ast.Attribute) and parent.attr in ("items", "keys", "to_dict"):
            continue  # copies the keys already read elsewhere (the catalogue's filter links)
        elif isinstance(parent, (ast.Call, ast.keyword)):
            call = parent if isinstance(parent, ast.Call) else parents[parent]
            form = call.func.id if isinstance(call.func, ast.Name) else None
            if form in imported:
                keys += [(node.lineno, field) for field in _form_fields(imported[form], form)]
            else:
                keys.append((node.lineno, f"<cannot tell: {ast.unparse(call)}>"))
        else:
            keys.append((node.lineno, f"<cannot tell: {ast.unparse(parent)}>"))
    return keys


def test_every_query_string_key_read_is_swedish_from_the_list():
    read = {
        (str(path.relative_to(PACKAGE)), line, key)
        for path in _python_files()
        for line, key in _query_keys_read(path)
    }
    assert {key for _path, _line, key in read} >= {"sida", "sok", "roll", "handelse", "typ"}
    wrong = sorted(item for item in read if item[2] not in QUERY_KEYS | LIBRARY_KEYS)
    assert wrong == []
    assert all(re.fullmatch(r"[a-z]+", key) for key in QUERY_KEYS)


def _url_for_calls(text: str):
    """Yield (endpoint or None, keyword names) of each url_for(...) call in a template."""
    for match in re.finditer(r"url_for\(", text):
        depth, start = 1, match.end()
        end = start
        while depth and end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        inner = text[start : end - 1]
        endpoint = re.match(r"\s*['\"]([\w.]+)['\"]", inner)
        # Keyword names at the top level of the call (not inside a nested call or literal).
        top, depth = [], 0
        for char in inner:
            depth += {"(": 1, "[": 1, "{": 1, ")": -1, "]": -1, "}": -1}.get(char, 0)
            top.append(char if depth == 0 else " ")
        names = set(re.findall(r"(?<![\w.*])(\w+)\s*=(?!=)", "".join(top)))
        yield (endpoint.group(1) if endpoint else None), names


def test_every_query_string_key_in_a_link_is_swedish_from_the_list(app):
    rule_args = {}
    for rule in app.url_map.iter_rules():
        rule_args.setdefault(rule.endpoint, set()).update(rule.arguments)
    wrong = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for endpoint, names in _url_for_calls(path.read_text(encoding="utf-8")):
            query = {n for n in names if not n.startswith("_")} - rule_args.get(endpoint, set())
            if endpoint is None:
                # A macro's endpoint is a variable (run links, pagination): any route argument.
                query -= set().union(*rule_args.values())
            wrong += [
                f"{path.relative_to(TEMPLATES)}: {endpoint}?{key}="
                for key in sorted(query - QUERY_KEYS - LIBRARY_KEYS)
            ]
    assert wrong == []


def test_the_link_checker_sees_page_numbers():
    calls = list(
        _url_for_calls(
            "{{ url_for(endpoint, sida=page.next_num, **args) }}"
            "{{ url_for('courses.detail', run_id=run.id, page=2) }}"
        )
    )
    assert calls == [(None, {"sida"}), ("courses.detail", {"run_id", "page"})]
