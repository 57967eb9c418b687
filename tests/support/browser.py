"""Serve a WSGI app to Debian's Chromium through Playwright and check pages with axe-core."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, make_server

CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # Without this Chromium resolves Google hosts at every start; the EXCLUDEs keep the
    # test server reachable.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1 , EXCLUDE localhost",
)
# How long the rest of a page keeps the browser waiting once the page's head has come, in the
# browser journeys (long against a click's return, short against a journey).
PAGE_PAUSE_SECONDS = 0.15
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
_TARGETS_SHOWN = 3


def arriving_slowly(app: Callable[..., Iterable[bytes]], pause: float) -> Any:
    """Send each HTML page as a slow phone connection brings it: the head at once, the page's
    main content `pause` seconds later. Files (styles, scripts, downloads) pass unchanged.

    The browser commits to a page when its first bytes come, and a click in Playwright returns
    then. A check that does not wait (`is_visible()`, `count()`, `is_checked()`) read the page
    before its content had come, and a journey failed in CI now and then. With the
    pause such a check fails every time; a journey waits for what it checks (Playwright's
    `expect(...)`, or `page.wait_for_load_state()` after a click that leaves the page).
    """

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        is_page = False

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            nonlocal is_page
            is_page = any(
                name.lower() == "content-type" and value.startswith("text/html") for name, value in headers
            )
            return start_response(status, headers, exc_info)

        body = app(environ, start)
        if not is_page:
            return body
        try:
            html = b"".join(body)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        cut = html.find(b"<main")
        if cut < 0:
            return [html]

        def arrive() -> Iterator[bytes]:
            yield html[:cut]
            time.sleep(pause)
            yield html[cut:]

        return arrive()

    return serve


class LiveServer:
    """Serve a WSGI app on 127.0.0.1 at a free port from a daemon thread; with `page_pause`,
    each page arrives as over a slow connection (`arriving_slowly`)."""

    def __init__(self, app: Any, host: str = "127.0.0.1", *, page_pause: float = 0.0) -> None:
        self.app = arriving_slowly(app, page_pause) if page_pause else app
        self.host = host
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("LiveServer is not running; call start() first")
        return self._server.server_port

    @property
    def url(self) -> str:
        """Base URL without a trailing slash, e.g. http://127.0.0.1:41234."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> LiveServer:
        """Start serving; the port is chosen by the kernel."""
        if self._server is not None:
            return self
        server = make_server(self.host, 0, self.app, threaded=True)
        # Wait for requests still in flight (a browser fetching a stylesheet as a test ends)
        # when stopping, so that none runs after the test's database is gone.
        server.daemon_threads = False
        server.block_on_close = True
        thread = threading.Thread(
            target=server.serve_forever, name=f"LiveServer:{server.server_port}", daemon=True
        )
        thread.start()
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        if self._server is None:
            return
        server, thread = self._server, self._thread
        self._server = self._thread = None
        # shutdown() waits for serve_forever() to return; werkzeug closes the socket there.
        server.shutdown()
        if thread is not None:
            thread.join(timeout=10)
        server.server_close()  # joins the request threads (block_on_close)

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def chromium_available() -> bool:
    """Return whether Playwright and Debian's Chromium are both installed."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return os.access(CHROMIUM_PATH, os.X_OK)


def launch_chromium(playwright: Any) -> Any:
    """Launch headless Debian Chromium with the project's offline-safe arguments."""
    return playwright.chromium.launch(executable_path=CHROMIUM_PATH, headless=True, args=list(CHROMIUM_ARGS))


def _describe(violation: dict[str, Any]) -> str:
    nodes = violation.get("nodes", [])
    # A target is a list of selectors, nested when the node sits in an iframe or shadow root.
    targets = [" >> ".join(map(str, node.get("target", []))) for node in nodes]
    shown = ", ".join(targets[:_TARGETS_SHOWN])
    more = f" (+{len(targets) - _TARGETS_SHOWN} more)" if len(targets) > _TARGETS_SHOWN else ""
    return (
        f"- {violation.get('id')} [{violation.get('impact')}]: {violation.get('help')}\n"
        f"    targets: {shown}{more}\n"
        f"    see: {violation.get('helpUrl')}"
    )


_AXE_LOADED_JS = "() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"
# Every running transition or animation that ends (not a spinner that loops for ever), ended.
_SETTLED_JS = """() => Promise.all(document.getAnimations()
    .filter(a => a.effect && Number.isFinite(a.effect.getComputedTiming().endTime))
    .map(a => a.finished.catch(() => null)))"""
_AXE_RUN_JS = "options => axe.run(document, options).then(results => results.violations)"


def axe_violations(page: Any, *, also: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """Return the WCAG 2.0/2.1 A and AA violations axe-core finds on the current page, once it
    has loaded and its running transitions and animations have ended.

    `also` names more rules (axe-core's best-practice ones) to run in the same pass. axe-core is
    put into the page only when the page does not have it yet: checking one page at two widths
    reads the 570 kB script once, and only the violations come back from the browser.
    """
    from axe_playwright_python.sync_playwright import Axe

    # A click on a link returns once the browser has committed to the new page, before the page
    # has come: axe-core then found a document without an element and a journey failed now and
    # then. The check is of the page as loaded.
    page.wait_for_load_state("load")
    # axe-core reads the colours as drawn at that moment: during a transition (a button's colour
    # as the phone menu opens) it judged them half way, and a page whose colours are fine failed
    # now and then. The page is checked once what is moving has come to rest.
    page.evaluate(_SETTLED_JS)
    if not page.evaluate(_AXE_LOADED_JS):
        page.evaluate(Axe().axe_script)
    options = {
        "runOnly": {"type": "tag", "values": list(WCAG_TAGS)},
        # An explicitly enabled rule runs whatever its tags (axe-core's ruleShouldRun).
        "rules": {rule: {"enabled": True} for rule in also},
        "resultTypes": ["violations"],
    }
    return page.evaluate(_AXE_RUN_JS, options)


_FITS_WIDTH_JS = "() => document.documentElement.scrollWidth <= window.innerWidth"


def fits_width(page: Any) -> bool:
    """Whether the current page, once loaded, fits its screen's width without sideways scrolling."""
    page.wait_for_load_state("load")  # as for axe-core: a page just committed has no document yet
    return page.evaluate(_FITS_WIDTH_JS)


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """One entry per violation: the rule, its impact, where (the first few targets) and a link."""
    return "\n".join(_describe(violation) for violation in violations)


def assert_accessible(page: Any, *, context: str = "") -> None:
    """Fail with every WCAG 2.0/2.1 A and AA violation axe-core finds on the current page."""
    violations = axe_violations(page)
    if not violations:
        return
    where = f"{context} at {page.url}" if context else page.url
    raise AssertionError(
        f"{len(violations)} accessibility violation(s) (WCAG 2.1 A/AA) on {where}:\n"
        + describe_violations(violations)
    )


@contextlib.contextmanager
def screenshot_on_failure(page: Any, path: str | os.PathLike[str]) -> Iterator[None]:
    """Save a full-page screenshot to path if the block raises, then re-raise."""
    try:
        yield
    except Exception as error:
        target = Path(path)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(target), full_page=True)
            error.add_note(f"screenshot of {page.url}: {target}")
        except Exception as shot_error:  # noqa: BLE001 - never hide the original failure
            error.add_note(f"screenshot to {target} failed: {shot_error}")
        raise


def open_menu(page):
    """Open the main menu where it hides behind its button (a phone), and return the menu.

    On a phone the menu is closed behind "Meny" (static/js/menu.js); a person taps the button, then
    the link, and so does a journey.
    """
    button = page.get_by_role("button", name="Meny")
    if button.is_visible() and button.get_attribute("aria-expanded") != "true":
        button.click()
    return page.get_by_role("navigation", name="Huvudmeny")


def menu_link(page, name: str):
    """Return the main menu's link `name`, opening the menu, and the disclosures of grouped pages
    (Administration, Kommunen) until the link shows, first (templates/base.html)."""
    menu = open_menu(page)
    link = menu.get_by_role("link", name=name)
    closed = menu.locator("details:not([open]) > summary")
    while not link.count() and closed.count():
        closed.first.click()
    return link
