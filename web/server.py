"""Page server: the quiz page with the rasa-webchat widget, the privacy notice and the
owner's insights page.

Usage: python web/server.py [--host 127.0.0.1] [--port 8080] [--socket-url URL]

Serves a fixed set of paths, nothing else (no directory listing):
  /                       index.html
  /static/<file>          the page's CSS and JavaScript (files directly in web/static/)
  /config.js              generated: window.QUIZ_CHAT_CONFIG = {socketUrl, socketPath,
                          maxChars, maxAdChars}; the two limits are the channels' own
                          (career_quiz/input_checks.py), so the counter never drifts
  /vendor/rasa-webchat.js node_modules/rasa-webchat/lib/index.js (`make web` installs it)
  /datenschutz            the privacy notice (web/templates/datenschutz.html)
  /insights               figures for the site owner (career_quiz/insights.py), only with
                          the token: `Authorization: Bearer <token>` or the cookie the login
                          form (POST /insights/login) sets; 401 otherwise. Never linked from
                          the public page. /insights/<table>.csv downloads one table.

The insights token is INSIGHTS_TOKEN, else one generated at start and printed once.
The static part uses the standard library only; the privacy and insights pages use
Jinja2 and SQLAlchemy (both installed with Rasa), imported on first use.

The socket URL the page connects to is --socket-url, else env WEB_SOCKET_URL, else
http://<RASA_INTERFACE>:<RASA_PORT> (defaults 127.0.0.1 and 5005; a wildcard
interface becomes 127.0.0.1). The port is --port, else env WEB_PORT, else 8080.

The widget's bundled CSS imports the font "Inter" from Google Fonts; that @import is
removed when the file is served, so the page loads nothing from third parties (the
Content-Security-Policy would block it anyway). The widget falls back to the page's fonts.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import mimetypes
import re
import secrets
import sys
import time
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Dict, Optional, Tuple
from urllib.parse import parse_qs, urlsplit

WEB = Path(__file__).resolve().parent
if str(WEB.parent) not in sys.path:  # career_quiz, when started as `python web/server.py`
    sys.path.insert(0, str(WEB.parent))
from career_quiz import settings  # noqa: E402  (after the path set-up above)
from career_quiz.input_checks import MAX_AD_CHARS, MAX_MESSAGE_CHARS  # noqa: E402

TEMPLATES = WEB / "templates"
INSIGHTS_STATIC = WEB / "insights_static"
COOKIE = "quiz_insights"
MAX_FORM_BYTES = 4096
WIDGET = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
GOOGLE_FONTS_IMPORT = re.compile(rb"@import url\(https://fonts\.googleapis\.com/[^)]*\);")
SOCKET_PATH = "/socket.io/"

# path -> (loader, content type); files are read on each request so page edits show
# on reload, except the widget bundle, which is read (and stripped) once.
Asset = Tuple[Callable[[], bytes], str]


def default_socket_url() -> str:
    """WEB_SOCKET_URL, else the Rasa server's address from RASA_INTERFACE/RASA_PORT."""
    return settings.web_socket_url()


def check_socket_url(url: str) -> str:
    """scheme://host[:port] with http(s); raises ValueError otherwise."""
    return settings.check_origin(url, "socket URL")


def load_widget() -> bytes:
    """The widget bundle without its Google Fonts @import."""
    if not WIDGET.is_file():
        raise FileNotFoundError(f"{WIDGET} is missing: run `make web` (npm ci in web/) first")
    return GOOGLE_FONTS_IMPORT.sub(b"", WIDGET.read_bytes())


def build_assets(socket_url: str) -> Dict[str, Asset]:
    """Every path the server answers."""
    config = json.dumps(
        {
            "socketUrl": socket_url,
            "socketPath": SOCKET_PATH,
            # What the channels accept (the input's counter and maxlength in quiz.js).
            "maxChars": MAX_MESSAGE_CHARS,
            "maxAdChars": MAX_AD_CHARS,
        }
    )
    config = config.replace("<", "\\u003c")  # never close a <script> element
    config_js = f"window.QUIZ_CHAT_CONFIG = {config};\n".encode()
    widget = load_widget()
    assets: Dict[str, Asset] = {
        "/": ((WEB / "index.html").read_bytes, "text/html; charset=utf-8"),
        "/config.js": (lambda: config_js, "text/javascript; charset=utf-8"),
        "/vendor/rasa-webchat.js": (lambda: widget, "text/javascript; charset=utf-8"),
    }
    assets["/index.html"] = assets["/"]
    for path in sorted((WEB / "static").iterdir()):
        if path.is_file() and not path.name.startswith("."):
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind.endswith("javascript"):
                kind += "; charset=utf-8"
            assets[f"/static/{path.name}"] = (path.read_bytes, kind)
    return assets


def security_headers(socket_url: str) -> Dict[str, str]:
    """CSP and friends: only this server's files, sockets only to the Rasa server."""
    ws_url = "ws" + socket_url[len("http") :]
    csp = "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # The widget injects its CSS in <style> elements and sets inline colours.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            f"connect-src 'self' {socket_url} {ws_url}",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'self'",
        ]
    )
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-cache",
    }


# Own pages (privacy notice, insights): nothing but this server, forms only to itself.
PAGE_HEADERS = {
    "Content-Security-Policy": "; ".join(
        [
            "default-src 'none'",
            "style-src 'self'",
            "img-src 'self' data:",
            "form-action 'self'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ]
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class Pages:
    """The Jinja2 pages (privacy notice, insights) and the insights token."""

    def __init__(self, token: str) -> None:
        """`token`: the insights token (compared in constant time)."""
        self.token = token
        # The cookie holds a value derived from the token, never the token itself.
        self.session = hmac.new(
            token.encode(), b"quiz-insights-session", hashlib.sha256
        ).hexdigest()
        self._env = None

    def env(self):
        """The Jinja2 environment (autoescaping), created on first use."""
        if self._env is None:
            import jinja2

            self._env = jinja2.Environment(
                loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                autoescape=True,
                undefined=jinja2.StrictUndefined,
            )
        return self._env

    def render(self, name: str, **values) -> bytes:
        """A template as UTF-8."""
        return self.env().get_template(name).render(**values).encode()

    def authorised(self, headers) -> bool:
        """Bearer token or session cookie."""
        auth = headers.get("Authorization", "")
        if auth.startswith("Bearer ") and hmac.compare_digest(
            auth[len("Bearer ") :].strip().encode(), self.token.encode()
        ):
            return True
        for part in headers.get("Cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and hmac.compare_digest(value.encode(), self.session.encode()):
                return True
        return False

    def token_matches(self, candidate: str) -> bool:
        """Whether a typed token is the insights token."""
        return hmac.compare_digest(candidate.strip().encode(), self.token.encode())


def insights_page(pages: Pages, query: str) -> Tuple[int, bytes, str, Dict[str, str]]:
    """(status, body, content type, extra headers) of /insights for a query string."""
    from career_quiz import insights
    from web import insights_charts as charts

    params = {k: v[0] for k, v in parse_qs(query).items()}
    error = ""
    try:
        period = insights.Period.parse(params.get("since"), params.get("until"))
    except ValueError as err:
        error, period = str(err), insights.Period.last_days()
    started = time.perf_counter()
    figures = insights.compute(insights.configured_sources(), period)
    elapsed_ms = (time.perf_counter() - started) * 1000
    tables = figures.tables
    svg = {
        "funnel": charts.bars(
            "Trichter: Gespräche je Schritt", [(r[0], r[1]) for r in tables["funnel"].rows[:-1]]
        ),
        "dropoff": charts.bars(
            "Abbruch nach Frage", [(r[0], r[1]) for r in tables["dropoff"].rows]
        ),
        "variants_daily": charts.stacked_days(
            "Empfehlungen pro Tag",
            [r[0] for r in tables["variants_daily"].rows],
            [
                (name, [r[i + 1] for r in tables["variants_daily"].rows])
                for i, name in enumerate(tables["variants_daily"].columns[1:-1])
            ],
        ),
    }
    body = pages.render(
        "insights.html",
        period=period,
        tables=list(tables.values()),
        charts=svg,
        error=error,
        elapsed_ms=elapsed_ms,
        retention_days=insights.settings_summary()["retention_days"],
    )
    return (400 if error else 200), body, "text/html; charset=utf-8", {}


def insights_csv(key: str, query: str) -> Tuple[int, bytes, str, Dict[str, str]]:
    """One table of /insights as CSV."""
    from career_quiz import insights

    params = {k: v[0] for k, v in parse_qs(query).items()}
    try:
        period = insights.Period.parse(params.get("since"), params.get("until"))
    except ValueError as err:
        return 400, f"{err}\n".encode(), "text/plain; charset=utf-8", {}
    figures = insights.compute(insights.configured_sources(), period)
    table = figures.tables.get(key)
    if table is None:
        return 404, b"Nicht gefunden.\n", "text/plain; charset=utf-8", {}
    name = f"{key}_{period.since}_{period.until}.csv"
    headers = {"Content-Disposition": f'attachment; filename="{name}"'}
    return 200, table.csv().encode(), "text/csv; charset=utf-8", headers


class Handler(BaseHTTPRequestHandler):
    """Answers GET/HEAD for the known paths, 404 for all others."""

    server_version = "QuizPage"
    sys_version = ""

    def __init__(
        self,
        *args,
        assets: Dict[str, Asset],
        headers: Dict[str, str],
        pages: Optional[Pages] = None,
        **kwargs,
    ):
        self.assets = assets
        self.extra_headers = headers
        self.pages = pages or Pages(secrets.token_urlsafe(24))
        super().__init__(*args, **kwargs)

    def _send(
        self,
        status: int,
        body: bytes,
        kind: str,
        with_body: bool,
        headers: Optional[Dict[str, str]] = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in {**PAGE_HEADERS, **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def _own_page(self, path: str, query: str, with_body: bool) -> bool:
        """/datenschutz and /insights*; False for other paths."""
        html = "text/html; charset=utf-8"
        if path == "/datenschutz":
            body = self.pages.render("datenschutz.html", retention_days=settings.retention_days())
            self._send(200, body, html, with_body)
            return True
        if path == "/insights/static/insights.css":
            css = (INSIGHTS_STATIC / "insights.css").read_bytes()
            self._send(200, css, "text/css; charset=utf-8", with_body)
            return True
        if path != "/insights" and not path.startswith("/insights/"):
            return False
        if not self.pages.authorised(self.headers):
            body = self.pages.render("insights_login.html", error="")
            self._send(401, body, html, with_body, {"WWW-Authenticate": 'Bearer realm="insights"'})
            return True
        try:
            if path == "/insights":
                status, body, kind, extra = insights_page(self.pages, query)
            elif path.endswith(".csv"):
                key = path[len("/insights/") : -len(".csv")]
                status, body, kind, extra = insights_csv(key, query)
            else:
                status, body, kind, extra = (
                    404,
                    b"Nicht gefunden.\n",
                    "text/plain; charset=utf-8",
                    {},
                )
        except Exception as error:  # a store is down: say so, never a stack trace
            sys.stderr.write(f"insights failed: {type(error).__name__}\n")
            status, kind, extra = 503, "text/plain; charset=utf-8", {}
            body = "Die Daten sind gerade nicht erreichbar. Bitte später noch einmal.\n".encode()
        self._send(status, body, kind, with_body, extra)
        return True

    def do_POST(self) -> None:  # noqa: D102 (http.server's naming)
        path = urlsplit(self.path).path
        if path != "/insights/login":
            self._send(404, b"Nicht gefunden.\n", "text/plain; charset=utf-8", True)
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if not 0 <= length <= MAX_FORM_BYTES:
            self._send(413, b"Zu gross.\n", "text/plain; charset=utf-8", True)
            return
        form = parse_qs(self.rfile.read(length).decode("utf-8", "replace"))
        if self.pages.token_matches((form.get("token") or [""])[0]):
            cookie = f"{COOKIE}={self.pages.session}; Path=/insights; HttpOnly; SameSite=Strict"
            self._send(
                303,
                b"",
                "text/plain; charset=utf-8",
                True,
                {"Location": "/insights", "Set-Cookie": cookie},
            )
            return
        body = self.pages.render("insights_login.html", error="Der Zugangsschlüssel stimmt nicht.")
        self._send(401, body, "text/html; charset=utf-8", True)

    def _answer(self, with_body: bool) -> None:
        parts = urlsplit(self.path)
        path = parts.path
        if self._own_page(path, parts.query, with_body):
            return
        asset: Optional[Asset] = self.assets.get(path)
        if asset is None:
            body, kind = b"Nicht gefunden.\n", "text/plain; charset=utf-8"
            status = HTTPStatus.NOT_FOUND
        else:
            (load, kind), status = asset, HTTPStatus.OK
            body = load()
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for name, value in self.extra_headers.items():
            self.send_header(name, value)
        self.end_headers()
        if with_body:
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: D102 (http.server's naming)
        self._answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: D102
        self._answer(with_body=False)

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (base signature)
        """Access log on stderr (var/web.log under `make run`): method, path and status,
        without the client's IP address and without query strings.
        """
        if args and isinstance(args[0], str) and "?" in args[0]:
            args = (args[0].split("?", 1)[0] + ' (query omitted)"', *args[1:])
        sys.stderr.write(f"{format % args}\n")


class PageServer(ThreadingHTTPServer):
    """Threaded server whose request threads never block shutdown."""

    daemon_threads = True


def insights_token() -> Tuple[str, bool]:
    """INSIGHTS_TOKEN, else a new random one; and whether it was generated."""
    configured = settings.insights_token()
    return (configured, False) if configured else (secrets.token_urlsafe(24), True)


def make_server(host: str, port: int, socket_url: str, token: Optional[str] = None) -> PageServer:
    """A ready (bound) server; call serve_forever() on it."""
    socket_url = check_socket_url(socket_url)
    handler = partial(
        Handler,
        assets=build_assets(socket_url),
        headers=security_headers(socket_url),
        pages=Pages(token or insights_token()[0]),
    )
    return PageServer((host, port), handler)


def main(argv: Optional[list] = None) -> int:
    """Parses the arguments and serves until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=settings.web_interface())
    parser.add_argument("--port", type=int, default=settings.web_port())
    parser.add_argument("--socket-url", default=None, help="Rasa server URL the widget uses")
    args = parser.parse_args(argv)
    token, generated = insights_token()
    try:
        server = make_server(args.host, args.port, args.socket_url or default_socket_url(), token)
    except (OSError, ValueError) as err:
        print(
            f"ERROR: cannot start the page server on {args.host}:{args.port}: {err}",
            file=sys.stderr,
        )
        return 1
    print(f"Serving the quiz page on http://{args.host}:{args.port}/", file=sys.stderr, flush=True)
    if generated:  # printed once; set INSIGHTS_TOKEN to keep one across restarts
        print(f"Insights token (generated): {token}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
