"""Conventions a reader cannot see from one file: checked over the whole package."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "coursehub"

# Names whose values are enums (RunStatus, SessionStatus, EnrollmentStatus...) or an encoding
# private to one area (enrollment's scope): never compared with a bare string.
ENUM_NAMES = {"status", "scope"}


def _names_enum(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in ENUM_NAMES
    if isinstance(node, ast.Name):
        return node.id in ENUM_NAMES
    return False


def _is_str_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_str_literal(element) for element in node.elts)
    return isinstance(node, ast.JoinedStr)


def status_compared_with_strings(source: str) -> list[int]:
    """Return the line numbers where a status or scope is compared with a str literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        for left, right in zip(operands, operands[1:], strict=False):
            if (_names_enum(left) and _is_str_literal(right)) or (
                _names_enum(right) and _is_str_literal(left)
            ):
                found.append(node.lineno)
                break
    return found


def test_the_check_finds_string_comparisons():
    assert status_compared_with_strings('x = session.status != "scheduled"') == [1]
    assert status_compared_with_strings('x = "run" == Enrollment.scope') == [1]
    assert status_compared_with_strings('ok = run.status not in ("cancelled", "completed")') == [1]
    assert status_compared_with_strings('ok = status == "waitlisted"') == [1]
    assert status_compared_with_strings('ok = scope == f"session:{n}"') == [1]
    assert status_compared_with_strings("ok = run.status == RunStatus.DRAFT") == []
    assert status_compared_with_strings("ok = run.status in (RunStatus.DRAFT,)") == []
    assert status_compared_with_strings('ok = run.title == "draft"') == []


def test_no_status_or_scope_is_compared_with_a_string():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for line in status_compared_with_strings(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(PACKAGE.parent)}:{line}")
    assert offenders == [], "compare with the enum member, not its string value: " + ", ".join(offenders)


def test_enrollment_s_scope_encoding_stays_inside_enrollment():
    """Other areas ask enrollment.queries (signup_persons, session_participants) who takes part."""
    private = {"scope", "RUN_SCOPE", "makeup_scope"}
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.is_relative_to(PACKAGE / "enrollment"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = (
                node.attr
                if isinstance(node, ast.Attribute)
                else node.id
                if isinstance(node, ast.Name)
                else node.name
                if isinstance(node, ast.alias)
                else None
            )
            if name in private:
                offenders.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}")
    assert offenders == [], "use enrollment.queries instead: " + ", ".join(offenders)
