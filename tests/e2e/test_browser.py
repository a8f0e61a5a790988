"""Browser test: the quiz page with the rasa-webchat widget in headless Chromium.

Starts the action server and the Rasa server (devtools/stack.py, free ports, the page's
origin allowed by CORS) and the page server (web/server.py), then drives Debian's
Chromium (/usr/bin/chromium, installed by `make test`) with Playwright. No browser is
ever downloaded. Needs the trained model and `make web` (web/node_modules).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Iterator, List, Optional

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from devtools.procs import stop_tree
from devtools.stack import ROOT, free_port, running_stack, start, wait_until_ready

pytestmark = pytest.mark.live

CHROMIUM = Path("/usr/bin/chromium")
WIDGET = ROOT / "web" / "node_modules" / "rasa-webchat" / "lib" / "index.js"
SCREENSHOTS = ROOT / "results" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 30_000

GREETING = "Guten Tag!"
FIRST_QUESTION = "Welche Ausbildung"
LANGUAGE_QUESTION = "Welche Fremdsprachen"
TASK_QUESTION = "Welche Arbeit machen Sie am liebsten?"
RESULT = "Empfehlung: Fach-Backoffice"
TASK_BUTTON = "Fachaufgaben: Zahlen, Personal, IT, Verträge"
XSS = "<img src=x onerror=alert(1)>"

# Records CSP violations and marks a flag if anything replaces window.alert's result.
INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
});
window.__scriptRan = false;
window.alert = () => { window.__scriptRan = true; };
"""


class PageServer:
    """web/server.py in a subprocess."""

    def __init__(self, port: int, env: dict, log: Path, args: Optional[List[str]] = None):
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.proc = start(
            [sys.executable, str(ROOT / "web" / "server.py"), "--port", str(port), *(args or [])],
            log,
            env,
        )
        try:
            wait_until_ready(self.url + "/", self.proc, log, timeout=20)
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        """Stops the server and anything it started."""
        stop_tree(self.proc, timeout=10)


class Site:
    """The running stack plus the page server."""

    def __init__(self, stack, page: PageServer, rasa_port: int, workdir: Path):
        self.stack = stack
        self.page = page
        self.rasa_port = rasa_port
        self.workdir = workdir


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    """The stack with the page's origin allowed, and the page server."""
    if not WIDGET.exists():
        pytest.fail(f"{WIDGET} is missing: run `make web` (make test does it first)")
    workdir = tmp_path_factory.mktemp("browser")
    web_port = free_port()
    origin = f"http://127.0.0.1:{web_port}"
    with running_stack(workdir, cors_origins=[origin]) as stack:
        rasa_port = int(stack.rasa_url.rsplit(":", 1)[1])
        # No --socket-url: the page server must derive it from RASA_PORT.
        env = {**os.environ, "RASA_PORT": str(rasa_port), "RASA_INTERFACE": "127.0.0.1"}
        env.pop("WEB_SOCKET_URL", None)
        page = PageServer(web_port, env, workdir / "web.log")
        try:
            yield Site(stack, page, rasa_port, workdir)
        finally:
            page.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium, headless, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """One browser context (own sessionStorage) with request and console bookkeeping."""

    def __init__(self, browser: Browser, allowed_hosts: List[str]):
        self.context: BrowserContext = browser.new_context(
            viewport={"width": 1280, "height": 1200}, locale="de-DE"
        )
        self.context.set_default_timeout(TIMEOUT_MS)
        self.context.add_init_script(INIT_SCRIPT)
        self.external: List[str] = []
        self.dialogs: List[str] = []
        self.errors: List[str] = []
        self.page: Page = self.context.new_page()
        self.page.on("request", lambda r: self._check_request(r.url, allowed_hosts))
        self.page.on("dialog", self._on_dialog)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _check_request(self, url: str, allowed_hosts: List[str]) -> None:
        if not url.startswith("data:") and not any(url.startswith(h) for h in allowed_hosts):
            self.external.append(url)

    def _on_dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def close(self) -> None:
        """Closes the browser context."""
        self.context.close()

    # -- widget helpers --------------------------------------------------------------

    def bot(self, text: str):
        """Bot messages containing `text`."""
        return self.page.locator(".rw-response", has_text=text)

    def wait_for_bot(self, text: str, count: int = 1) -> None:
        """Waits until `count` bot messages containing `text` are shown."""
        expect(self.bot(text)).to_have_count(count, timeout=TIMEOUT_MS)

    def type_message(self, text: str) -> None:
        """Types into the input, sends with Enter and waits for the user bubble."""
        box = self.page.locator(".rw-new-message")
        box.fill(text)
        box.press("Enter")
        expect(self.page.locator(".rw-client").last).to_have_text(text)

    def click_button(self, title: str) -> None:
        """Clicks a button (quick reply) by its exact title."""
        self.page.get_by_role("button", name=title, exact=True).click()

    def violations(self) -> List[str]:
        """Content-Security-Policy violations the page reported."""
        return self.page.evaluate("window.__cspViolations")

    def script_ran(self) -> bool:
        """True if anything called window.alert."""
        return self.page.evaluate("window.__scriptRan")


def visit(site: Site, browser: Browser) -> Visit:
    """A fresh browser context that may talk to the page server and Rasa only."""
    socket = f"127.0.0.1:{site.rasa_port}"
    return Visit(browser, [site.page.url + "/", f"http://{socket}/", f"ws://{socket}/"])


def test_page_server_serves_the_page_widget_and_a_config_that_follows_rasa_port(site):
    """The page server answers its fixed paths only; config.js follows RASA_PORT."""
    base = site.page.url
    page = requests.get(base + "/", timeout=10)
    assert page.status_code == 200
    assert "Sekretariat / Teamassistenz" in page.text and "Fach-Backoffice" in page.text
    assert "Projektassistenz" in page.text
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and f"http://127.0.0.1:{site.rasa_port}" in csp
    config = requests.get(base + "/config.js", timeout=10).text
    assert f'"socketUrl": "http://127.0.0.1:{site.rasa_port}"' in config
    widget = requests.get(base + "/vendor/rasa-webchat.js", timeout=10)
    assert widget.status_code == 200 and "WebChat" in widget.text
    assert "fonts.googleapis.com" not in widget.text  # nothing loaded from third parties
    for path in [
        "/server.py",
        "/static/../server.py",
        "/package.json",
        "/node_modules/rasa-webchat/lib/index.js",
        "/static/",
        "/.git/config",
    ]:
        assert requests.get(base + path, timeout=10).status_code == 404, path


def test_cors_allows_only_the_page_origin(site):
    """socket.io and REST accept the page's origin, not others, with one CORS header."""
    rasa = site.stack.rasa_url
    handshake = f"{rasa}/socket.io/?EIO=4&transport=polling"
    ok = requests.get(handshake, headers={"Origin": site.page.url}, timeout=10)
    assert ok.status_code == 200
    # Exactly one Access-Control-Allow-Origin (two would make browsers reject it).
    assert ok.raw.headers.getlist("Access-Control-Allow-Origin") == [site.page.url]
    evil = requests.get(handshake, headers={"Origin": "http://evil.example"}, timeout=10)
    assert evil.status_code == 400
    assert "Access-Control-Allow-Origin" not in evil.headers
    preflight = requests.options(
        f"{rasa}/webhooks/rest/webhook",
        headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") in (None, "")
    preflight = requests.options(
        f"{rasa}/webhooks/rest/webhook",
        headers={"Origin": site.page.url, "Access-Control-Request-Method": "POST"},
        timeout=10,
    )
    assert preflight.headers.get("Access-Control-Allow-Origin") == site.page.url


def test_whole_quiz_in_the_widget_reload_and_start_over(site, browser):
    """Greeting, a whole quiz, the recommendation, screenshot, reload, start over."""
    v = visit(site, browser)
    page = v.page
    try:
        # (1) The greeting arrives on its own (initPayload), with German widget texts.
        page.goto(site.page.url + "/")
        v.wait_for_bot(GREETING)
        expect(page.locator(".rw-header .rw-title")).to_have_text("Karriere-Quiz")
        expect(page.locator(".rw-header")).to_contain_text("Welche Back-Office-Variante")
        expect(page.locator(".rw-new-message")).to_have_attribute(
            "placeholder", "Ihre Antwort eingeben …"
        )
        expect(page.get_by_role("button", name="Quiz neu starten")).to_be_visible()

        # (2) A whole quiz: buttons and free text.
        v.click_button("Quiz starten")
        v.wait_for_bot(FIRST_QUESTION)
        # The question's options are buttons in the widget.
        expect(page.locator(".rw-reply", has_text="Bank oder Versicherung")).to_be_visible()
        v.type_message("Ich bin Bankkaufmann")
        v.wait_for_bot(LANGUAGE_QUESTION)
        v.type_message("Tschechisch verhandlungssicher")
        v.wait_for_bot(TASK_QUESTION)
        v.click_button(TASK_BUTTON)
        expect(page.locator(".rw-client").last).to_have_text(TASK_BUTTON)

        # (3) The recommendation, rendered as Markdown: bold heading and paragraphs (heading,
        # reasons, next step), short enough for a phone; the rest comes on request.
        v.wait_for_bot(RESULT)
        result = v.bot(RESULT)
        expect(result.locator("strong").first).to_contain_text(RESULT)
        assert result.locator("p").count() >= 3, result.inner_html()
        assert "Nächste Schritte" in result.inner_text()
        assert "**" not in result.inner_text() and len(result.inner_text()) <= 520
        expect(
            page.get_by_role("button", name="Alle nächsten Schritte", exact=True)
        ).to_be_visible()
        expect(page.get_by_role("button", name="Neu starten", exact=True)).to_be_visible()

        # (6) Screenshot of the finished quiz (git-ignored folder).
        page.wait_for_timeout(700)  # let the typing indicator and scrolling settle
        # As the widget shows it (scrolled to the end), with the heading in view.
        result.evaluate(
            "el => { const box = el.closest('.rw-messages-container');"
            " box.scrollTop = box.scrollHeight;"
            " if (el.getBoundingClientRect().top < box.getBoundingClientRect().top)"
            " el.scrollIntoView({block: 'start'}); }"
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shot = SCREENSHOTS / "quiz-finished.png"
        page.screenshot(path=str(shot), clip={"x": 0, "y": 0, "width": 1280, "height": 1090})
        assert shot.stat().st_size > 20_000

        # (4) A reload keeps the conversation (session storage + session persistence).
        before = page.locator(".rw-client").all_inner_texts()
        page.reload()
        v.wait_for_bot(RESULT)
        expect(page.locator(".rw-client")).to_have_count(len(before))
        assert page.locator(".rw-client").all_inner_texts() == before
        v.wait_for_bot(GREETING)  # still one greeting: the init payload was not sent again

        # ... and the conversation goes on on the server after the reload.
        v.type_message("Warum?")
        v.wait_for_bot("So ist die Empfehlung entstanden")

        # (5) Start over with the page's button: the first question comes again.
        page.get_by_role("button", name="Quiz neu starten").click()
        expect(page.locator(".rw-client").last).to_have_text("Neu starten")
        v.wait_for_bot(FIRST_QUESTION, count=2)
        tracker = site.stack.tracker(
            page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")
        )
        assert tracker["slots"]["recommended_variant"] is None
        assert tracker["slots"]["training"] in (None, [])

        assert v.external == [], f"requests to other hosts: {v.external}"
        assert v.violations() == [], v.violations()
        assert v.errors == [], v.errors
    finally:
        v.close()


def test_html_in_a_message_is_shown_as_text_and_runs_nothing(site, browser):
    """An HTML payload stays text in the chat, and nothing runs."""
    v = visit(site, browser)
    page = v.page
    try:
        page.goto(site.page.url + "/")
        v.wait_for_bot(GREETING)
        replies_before = page.locator(".rw-response").count()
        v.type_message(XSS)
        expect(page.locator(".rw-response")).not_to_have_count(replies_before)
        page.wait_for_timeout(1000)  # time for an injected handler to fire
        bubble = page.locator(".rw-client").last
        expect(bubble).to_have_text(XSS)
        assert bubble.locator("img").count() == 0
        assert page.locator(".rw-messages-container img").count() == 0
        assert v.dialogs == [], v.dialogs
        assert v.script_ran() is False
        assert v.violations() == [], v.violations()
    finally:
        v.close()


def test_keyboard_alone_suffices(site, browser):
    """Tab reaches the buttons and the input; Enter clicks and sends."""
    v = visit(site, browser)
    page = v.page
    try:
        page.goto(site.page.url + "/")
        v.wait_for_bot(GREETING)

        def tab_to(predicate: str, limit: int = 30) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                script = f"(() => {{ const el = document.activeElement; return {predicate}; }})()"
                if page.evaluate(script):
                    return
            pytest.fail(f"Tab never reached: {predicate}")

        # A button (quick reply) is reachable with Tab and works with Enter.
        tab_to("el.classList.contains('rw-reply') && el.textContent === 'Quiz starten'")
        page.keyboard.press("Enter")
        v.wait_for_bot(FIRST_QUESTION)

        # The input is reachable with Tab; typing and Enter send the answer.
        tab_to("el.classList.contains('rw-new-message')")
        page.keyboard.type("Industriekauffrau")
        page.keyboard.press("Enter")
        expect(page.locator(".rw-client").last).to_have_text("Industriekauffrau")
        v.wait_for_bot(LANGUAGE_QUESTION)
    finally:
        v.close()


def test_a_page_on_another_origin_cannot_connect(site, browser):
    """The same page served from an origin that is not allowed gets no connection."""
    port = free_port()
    env = {**os.environ, "RASA_PORT": str(site.rasa_port), "RASA_INTERFACE": "127.0.0.1"}
    other = PageServer(port, env, site.workdir / "web-other.log")
    context = browser.new_context()
    try:
        page = context.new_page()
        statuses: List[int] = []
        page.on("response", lambda r: statuses.append(r.status) if "/socket.io/" in r.url else None)
        failed: List[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url) if "/socket.io/" in r.url else None)
        page.goto(other.url + "/")
        deadline = time.monotonic() + 15
        while not statuses and not failed and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert statuses or failed, "the widget never tried to connect"
        assert 200 not in statuses, statuses
        page.wait_for_timeout(1500)
        assert page.locator(".rw-response").count() == 0
    finally:
        context.close()
        other.stop()
