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
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
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
window.__printed = 0;
window.print = () => { window.__printed += 1; };
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

    def __init__(
        self,
        browser: Browser,
        allowed_hosts: List[str],
        viewport: Optional[dict] = None,
        bypass_csp: bool = False,
        touch: bool = False,
    ):
        self.context: BrowserContext = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 1200},
            locale="de-DE",
            bypass_csp=bypass_csp,
            has_touch=touch,
            is_mobile=touch,
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

    def open_chat(self) -> None:
        """Clicks "Chat starten": the widget connects only then."""
        self.page.get_by_role("button", name="Chat starten").click()

    def start(self, url: str) -> None:
        """Opens the page and the chat, and waits for the greeting."""
        self.page.goto(url)
        self.open_chat()
        self.wait_for_bot(GREETING)

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


def visit(site: Site, browser: Browser, **options) -> Visit:
    """A fresh browser context that may talk to the page server and Rasa only."""
    socket = f"127.0.0.1:{site.rasa_port}"
    return Visit(browser, [site.page.url + "/", f"http://{socket}/", f"ws://{socket}/"], **options)


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
        # (1) Nothing connects before the visitor opens the chat; then the greeting
        # arrives on its own (initPayload), with German widget texts.
        sockets: List[str] = []
        page.on("request", lambda r: sockets.append(r.url) if "/socket.io/" in r.url else None)
        page.goto(site.page.url + "/")
        page.wait_for_timeout(1500)
        assert sockets == [], sockets
        expect(page.locator(".rw-response")).to_have_count(0)
        v.open_chat()
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
        v.start(site.page.url + "/")
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

        def tab_to(predicate: str, limit: int = 30) -> None:
            for _ in range(limit):
                page.keyboard.press("Tab")
                script = f"(() => {{ const el = document.activeElement; return {predicate}; }})()"
                if page.evaluate(script):
                    return
            pytest.fail(f"Tab never reached: {predicate}")

        # "Chat starten" is reachable with Tab and opens the chat with Enter.
        tab_to("el.id === 'quiz-open'")
        page.keyboard.press("Enter")
        v.wait_for_bot(GREETING)
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
    # Every text the status line shows, in order.
    context.add_init_script(
        "window.__status = []; document.addEventListener('DOMContentLoaded', () => {"
        " new MutationObserver(() => { const s = document.getElementById('quiz-status');"
        " if (s && s.textContent && window.__status.at(-1) !== s.textContent)"
        " window.__status.push(s.textContent); })"
        ".observe(document.body, {subtree: true, childList: true, characterData: true});"
        " });"
    )
    try:
        page = context.new_page()
        statuses: List[int] = []
        page.on("response", lambda r: statuses.append(r.status) if "/socket.io/" in r.url else None)
        failed: List[str] = []
        page.on("requestfailed", lambda r: failed.append(r.url) if "/socket.io/" in r.url else None)
        page.goto(other.url + "/")
        page.get_by_role("button", name="Chat starten").click()
        deadline = time.monotonic() + 15
        while not statuses and not failed and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert statuses or failed, "the widget never tried to connect"
        assert 200 not in statuses, statuses
        page.wait_for_timeout(1500)
        assert page.locator(".rw-response").count() == 0
        expect(page.locator("#quiz-status")).to_contain_text(
            "Der Chat ist gerade nicht erreichbar", timeout=TIMEOUT_MS
        )
        expect(page.locator("#quiz-status")).to_have_attribute("role", "alert")
        # Not a blank box: first "connecting", then the German error.
        shown = page.evaluate("window.__status")
        assert shown[0].startswith("Verbindung wird hergestellt"), shown
    finally:
        context.close()
        other.stop()


# -- phone-first widget, result, keeping it, limits, accessibility ----------------------


def _in_viewport(locator, viewport: dict) -> bool:
    box = locator.bounding_box()
    return (
        box is not None
        and box["y"] >= 0
        and box["y"] + box["height"] <= viewport["height"]
        and box["x"] >= 0
        and box["x"] + box["width"] <= viewport["width"]
    )


def _axe_violations(page: Page) -> List[str]:
    """Serious and critical axe-core violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return list(found)


def _take_quiz(v: Visit) -> None:
    """Bank training typed, Czech typed, the specialist button: a Fach-Backoffice result."""
    v.click_button("Quiz starten")
    v.wait_for_bot(FIRST_QUESTION)
    v.type_message("Ich bin Bankkaufmann")
    v.wait_for_bot(LANGUAGE_QUESTION)
    v.type_message("Tschechisch verhandlungssicher")
    v.wait_for_bot(TASK_QUESTION)
    v.click_button(TASK_BUTTON)
    v.wait_for_bot(RESULT)
    expect(v.page.locator(".quiz-score")).to_have_count(3)
    v.page.wait_for_timeout(1200)  # the remaining bubbles and the widget's scrolling


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone-390x844", "desktop-1366x768"])
def test_the_chat_is_on_the_first_screen(site, browser, size):
    """The button that opens the chat is on the first screen; once open, so is the input."""
    v = visit(site, browser, viewport=size)
    page = v.page
    try:
        page.goto(site.page.url + "/")
        opener = page.get_by_role("button", name="Chat starten")
        expect(opener).to_be_visible()
        assert _in_viewport(opener, size), opener.bounding_box()
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS / f"first-screen-{size['width']}x{size['height']}.png")
        )
        opener.click()
        v.wait_for_bot(GREETING)
        box = page.locator(".rw-new-message")
        expect(box).to_be_visible()
        assert _in_viewport(box, size), box.bounding_box()
        assert _in_viewport(page.get_by_role("button", name="Quiz starten"), size)
        if size == PHONE:
            # Full screen on a phone; "Chat schließen" goes back to the page.
            frame = page.locator(".chat").bounding_box()
            assert frame is not None and frame["height"] >= size["height"] - 1, frame
            page.get_by_role("button", name="Chat schließen").click()
            expect(page.get_by_role("button", name="Chat fortsetzen")).to_be_visible()
            expect(page.locator(".rw-new-message")).to_be_hidden()
            page.get_by_role("button", name="Chat fortsetzen").click()
            expect(page.locator(".rw-new-message")).to_be_visible()
            v.wait_for_bot(GREETING)  # the same conversation, not a new greeting
        assert v.errors == [], v.errors
    finally:
        v.close()


def test_a_result_on_a_phone_starts_at_its_first_line_with_score_bars(site, browser):
    """The view shows the result's first line; three bars match variant_scores."""
    from career_quiz.recommender import rubric

    v = visit(site, browser, viewport=PHONE)
    page = v.page
    try:
        v.start(site.page.url + "/")
        _take_quiz(v)
        heading = v.bot(RESULT).locator("strong").first
        box = page.locator(".rw-messages-container").bounding_box()
        top = heading.bounding_box()
        assert box is not None and top is not None
        assert box["y"] - 1 <= top["y"] <= box["y"] + box["height"] - top["height"], (box, top)

        session = page.evaluate("JSON.parse(sessionStorage.getItem('chat_session')).session_id")
        scores = site.stack.tracker(session)["slots"]["variant_scores"]
        short = {rubric().title(k).split(" (")[0]: k for k in scores}
        bars = {
            short[item.locator(".quiz-score-label").inner_text()]: int(
                item.get_attribute("data-score")
            )
            for item in page.locator(".quiz-score").all()
        }
        assert bars == scores
        # The numbers stay text (screen readers, no colour needed); the bar's width follows.
        for item in page.locator(".quiz-score").all():
            value = int(item.get_attribute("data-score"))
            assert item.locator(".quiz-score-value").inner_text() == f"{value} von 100"
            width = item.locator(".quiz-score-fill").evaluate("el => el.style.width")
            assert width == f"{value}%"
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "phone-result.png"))
        assert v.errors == [], v.errors
    finally:
        v.close()


def test_the_result_can_be_printed_and_copied(site, browser):
    """The print view ("Ergebnis speichern") and the copied text ("Als Text kopieren")."""
    v = visit(site, browser, viewport=DESKTOP)
    page = v.page
    v.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.page.url)
    try:
        v.start(site.page.url + "/")
        expect(page.get_by_role("button", name="Ergebnis speichern")).to_be_hidden()
        _take_quiz(v)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "desktop-result.png"))
        page.get_by_role("button", name="Ergebnis speichern").click()
        assert page.evaluate("window.__printed") == 1
        printed = page.locator("#quiz-print").inner_text()
        assert RESULT in printed and "Nächste Schritte" in printed, printed
        assert "Notiert" in printed  # the answers as understood
        page.emulate_media(media="print")
        expect(page.locator("#quiz-print")).to_be_visible()
        expect(page.locator(".page")).to_be_hidden()
        # After printing, the page prints as a whole again (Ctrl+P on a host page).
        page.evaluate("window.dispatchEvent(new Event('afterprint'))")
        expect(page.locator(".page")).to_be_visible()
        page.emulate_media(media="screen")
        expect(page.locator("#quiz-print")).to_be_hidden()

        page.get_by_role("button", name="Als Text kopieren").click()
        expect(page.locator("#quiz-status")).to_contain_text("kopiert")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert RESULT in copied, copied
        assert "**" not in copied and "Notiert" in copied, copied
    finally:
        v.close()


def test_the_input_counts_characters_and_a_long_paste_is_never_silent(site, browser):
    """Counter, a paste cut at the limit with a German notice, "please shorten" reply."""
    v = visit(site, browser, viewport=DESKTOP)
    page = v.page
    v.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site.page.url)
    try:
        v.start(site.page.url + "/")
        box = page.locator(".rw-new-message")
        box.fill("Hallo")
        expect(page.locator("#quiz-counter")).to_have_text(
            "5 / 2.000 Zeichen (Stellenanzeigen bis 6.000)"
        )
        box.fill("")
        page.evaluate("navigator.clipboard.writeText('Stellenanzeige '.repeat(500))")
        box.focus()
        page.keyboard.press("Control+V")
        expect(page.locator("#quiz-notice")).to_contain_text("zu lang")
        assert box.evaluate("el => el.value.length") == 6000
        expect(page.locator("#quiz-counter")).to_have_text(
            "6.000 / 6.000 Zeichen – über 2.000 nur für Stellenanzeigen"
        )
        # A message over the server's limit for ordinary messages gets a reply, never silence.
        replies = page.locator(".rw-response").count()
        box.fill("Ich möchte Ihnen gern ausführlich von mir erzählen. " * 60)
        box.press("Enter")
        expect(page.locator(".rw-response")).not_to_have_count(replies)
        expect(page.locator(".rw-response").last).to_contain_text("zu lang")
    finally:
        v.close()


# A job ad of about 2,900 characters: over the limit for a message, under the one for ads.
LONG_AD = (
    "Sachbearbeiter Kreditorenbuchhaltung (m/w/d)\n\n"
    "Wir suchen zum nächstmöglichen Zeitpunkt Verstärkung für unser Team.\n\n"
    "Ihre Aufgaben:\n"
    + "".join(
        f"- Prüfung und Kontierung der Eingangsrechnungen für Standort {n}\n" for n in range(30)
    )
    + "\nIhr Profil:\n"
    "- abgeschlossene kaufmännische Ausbildung\n"
    "- sicherer Umgang mit MS Office\n\n"
    "Wir freuen uns auf Ihre Bewerbung.\n"
)


def test_the_counter_promises_only_what_the_server_accepts(site, browser):
    """The limits come from the server (config.js = input_checks); over the limit for a
    message the counter says the longer limit is for job ads, and such an ad goes through.
    """
    from career_quiz.input_checks import MAX_AD_CHARS, MAX_MESSAGE_CHARS
    from career_quiz.job_ad import looks_like_ad

    assert MAX_MESSAGE_CHARS < len(LONG_AD) < MAX_AD_CHARS and looks_like_ad(LONG_AD)
    config = requests.get(site.page.url + "/config.js", timeout=10).text
    assert f'"maxChars": {MAX_MESSAGE_CHARS}, "maxAdChars": {MAX_AD_CHARS}' in config
    v = visit(site, browser, viewport=PHONE, touch=True)
    page = v.page
    try:
        v.start(site.page.url + "/")
        box = page.locator(".rw-new-message")
        counter = page.locator("#quiz-counter")
        box.fill("Ich bin Bankkaufmann")
        expect(counter).to_have_text("20 / 2.000 Zeichen (Stellenanzeigen bis 6.000)")
        box.fill(LONG_AD[:1900])  # an ad shorter than 2,000: the ordinary limit is shown
        expect(counter).to_have_text("1.900 / 2.000 Zeichen (Stellenanzeigen bis 6.000)")
        box.fill(LONG_AD)
        shown = f"{len(LONG_AD):,}".replace(",", ".")
        expect(counter).to_have_text(
            f"{shown} / 6.000 Zeichen – über 2.000 nur für Stellenanzeigen"
        )
        expect(counter).to_have_class("counter counter-over")
        replies = page.locator(".rw-response").count()
        box.press("Enter")
        expect(page.locator(".rw-response")).not_to_have_count(replies)
        page.wait_for_timeout(1500)  # every bubble of the answer
        answer = " ".join(page.locator(".rw-response").all_inner_texts()[replies:])
        assert "zu lang" not in answer, answer
        expect(counter).to_have_text("0 / 2.000 Zeichen (Stellenanzeigen bis 6.000)")
        assert v.errors == [], v.errors
    finally:
        v.close()


def _focused_input(page: Page) -> bool:
    return page.evaluate(
        "!!document.activeElement && document.activeElement.classList.contains('rw-new-message')"
    )


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["phone-390x844", "desktop-1366x768"])
def test_the_whole_input_bar_focuses_the_input_and_replies_are_big_enough(site, browser, size):
    """A tap on the bar above the text line (a click beside the send button) focuses the input;
    on a phone, quick replies are at least 44 px tall and the header has no empty band.
    """
    phone = size == PHONE
    v = visit(site, browser, viewport=size, touch=phone)
    page = v.page
    try:
        v.start(site.page.url + "/")
        page.wait_for_timeout(800)  # the buttons after the greeting
        bar = page.locator(".rw-sender").bounding_box()
        line = page.locator(".rw-new-message").bounding_box()
        assert bar is not None and line is not None
        # The input is the bar's height, not a 22 px line in it.
        assert line["height"] >= bar["height"] - 2 >= 44, (bar, line)
        spots = [
            (line["x"] + 20, bar["y"] + 3),  # the top edge of the bar
            (line["x"] + 20, line["y"] + line["height"] / 2 - 14),  # above the text line
        ]
        if not phone:  # a finger there hits the send button (Chromium's touch adjustment)
            spots.append((bar["x"] + bar["width"] - 2, bar["y"] + 3))  # beside the button
        for x, y in spots:
            page.evaluate("document.activeElement && document.activeElement.blur()")
            assert not _focused_input(page)
            if phone:
                page.touchscreen.tap(x, y)
            else:
                page.mouse.click(x, y)
            expect(page.locator(".rw-new-message")).to_be_focused(timeout=2000)
        assert _in_viewport(page.locator(".rw-new-message"), size)
        reply = page.get_by_role("button", name="Quiz starten").bounding_box()
        assert reply is not None
        if phone:
            assert reply["height"] >= 44, reply
            header = page.locator(".rw-header").bounding_box()
            close = page.get_by_role("button", name="Chat schließen").bounding_box()
            title = page.locator(".rw-header .rw-title").bounding_box()
            assert header is not None and close is not None and title is not None
            content = max(close["y"] + close["height"], title["y"] + title["height"])
            assert header["y"] + header["height"] - content <= 12, (header, close, title)
        assert v.errors == [], v.errors
    finally:
        v.close()


def test_no_serious_accessibility_violations(site, browser):
    """axe-core: the page, the open chat, and a shown result."""
    v = visit(site, browser, viewport=DESKTOP, bypass_csp=True)
    page = v.page
    try:
        page.goto(site.page.url + "/")
        assert _axe_violations(page) == []
        v.open_chat()
        v.wait_for_bot(GREETING)
        page.wait_for_timeout(800)
        assert _axe_violations(page) == []
        _take_quiz(v)
        assert _axe_violations(page) == []
    finally:
        v.close()


def test_the_documented_snippet_on_a_page_that_is_not_allowed_explains_itself(
    site, browser, tmp_path
):
    """docs/web-widget.md's embedding snippet, as copied, on an origin missing from WEB_ORIGINS."""
    doc = (ROOT / "docs" / "web-widget.md").read_text(encoding="utf-8")
    section = doc.split("### Embedding the widget in another website", 1)[1]
    snippet = section.split("```html\n", 1)[1].split("```", 1)[0]
    assert 'socketUrl: "https://bot.example.de"' in snippet
    # Only the addresses change: files from the page server, the socket from Rasa.
    snippet = snippet.replace(
        'socketUrl: "https://bot.example.de"', f'socketUrl: "{site.stack.rasa_url}"'
    ).replace("https://bot.example.de", site.page.url)
    (tmp_path / "index.html").write_text(
        f'<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Karriere</title>'
        f"</head><body><main><h1>Unsere Stellen</h1>{snippet}</main></body></html>",
        encoding="utf-8",
    )
    port = free_port()
    host = start(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1"],
        tmp_path / "host.log",
        {**os.environ},
        cwd=tmp_path,
    )
    context = browser.new_context()
    try:
        wait_until_ready(f"http://127.0.0.1:{port}/", host, tmp_path / "host.log", timeout=20)
        page = context.new_page()
        page.goto(f"http://127.0.0.1:{port}/")
        page.get_by_role("button", name="Chat starten").click()
        expect(page.locator("#quiz-status")).to_contain_text(
            "Der Chat ist gerade nicht erreichbar", timeout=TIMEOUT_MS
        )
        assert page.locator(".rw-response").count() == 0
    finally:
        context.close()
        stop_tree(host, timeout=10)
