"""Static server for the quiz page and the rasa-webchat widget (Python stdlib only).

Usage: python web/server.py [--host 127.0.0.1] [--port 8080] [--socket-url URL]

Serves a fixed set of paths, nothing else (no directory listing):
  /                       index.html
  /static/<file>          the page's CSS and JavaScript (files directly in web/static/)
  /config.js              generated: window.QUIZ_CHAT_CONFIG = {socketUrl, socketPath}
  /vendor/rasa-webchat.js node_modules/rasa-webchat/lib/index.js (`make web` installs it)

The socket URL the page connects to is --socket-url, else env WEB_SOCKET_URL, else
http://<RASA_INTERFACE>:<RASA_PORT> (defaults 127.0.0.1 and 5005; a wildcard
interface becomes 127.0.0.1). The port is --port, else env WEB_PORT, else 8080.

The widget's bundled CSS imports the font "Inter" from Google Fonts; that @import is
removed when the file is served, so the page loads nothing from third parties (the
Content-Security-Policy would block it anyway). The widget falls back to the page's fonts.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import re
import sys
from functools import partial
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Dict, Optional, Tuple
from urllib.parse import urlsplit

WEB = Path(__file__).resolve().parent
WIDGET = WEB / "node_modules" / "rasa-webchat" / "lib" / "index.js"
GOOGLE_FONTS_IMPORT = re.compile(rb"@import url\(https://fonts\.googleapis\.com/[^)]*\);")
SOCKET_PATH = "/socket.io/"

# path -> (loader, content type); files are read on each request so page edits show
# on reload, except the widget bundle, which is read (and stripped) once.
Asset = Tuple[Callable[[], bytes], str]


def default_socket_url() -> str:
    """WEB_SOCKET_URL, else the Rasa server's address from RASA_INTERFACE/RASA_PORT."""
    explicit = os.environ.get("WEB_SOCKET_URL", "").strip()
    if explicit:
        return explicit
    host = os.environ.get("RASA_INTERFACE", "").strip() or "127.0.0.1"
    if host in ("0.0.0.0", "::", "[::]"):
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{os.environ.get('RASA_PORT', '5005').strip() or '5005'}"


def check_socket_url(url: str) -> str:
    """scheme://host[:port] with http(s); raises ValueError otherwise."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or parts.path
        or parts.query
        or parts.fragment
    ):
        raise ValueError(f"invalid socket URL {url!r}: use http(s)://host[:port]")
    return url


def load_widget() -> bytes:
    """The widget bundle without its Google Fonts @import."""
    if not WIDGET.is_file():
        raise FileNotFoundError(f"{WIDGET} is missing: run `make web` (npm ci in web/) first")
    return GOOGLE_FONTS_IMPORT.sub(b"", WIDGET.read_bytes())


def build_assets(socket_url: str) -> Dict[str, Asset]:
    """Every path the server answers."""
    config = json.dumps({"socketUrl": socket_url, "socketPath": SOCKET_PATH})
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


class Handler(BaseHTTPRequestHandler):
    """Answers GET/HEAD for the known paths, 404 for all others."""

    server_version = "QuizPage"
    sys_version = ""

    def __init__(self, *args, assets: Dict[str, Asset], headers: Dict[str, str], **kwargs):
        self.assets = assets
        self.extra_headers = headers
        super().__init__(*args, **kwargs)

    def _answer(self, with_body: bool) -> None:
        path = urlsplit(self.path).path
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
        """Access log on stderr (var/web.log under `make run`)."""
        sys.stderr.write(f"{self.address_string()} {format % args}\n")


class PageServer(ThreadingHTTPServer):
    """Threaded server whose request threads never block shutdown."""

    daemon_threads = True


def make_server(host: str, port: int, socket_url: str) -> PageServer:
    """A ready (bound) server; call serve_forever() on it."""
    socket_url = check_socket_url(socket_url)
    handler = partial(
        Handler, assets=build_assets(socket_url), headers=security_headers(socket_url)
    )
    return PageServer((host, port), handler)


def main(argv: Optional[list] = None) -> int:
    """Parses the arguments and serves until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("WEB_INTERFACE", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("WEB_PORT", "8080")))
    parser.add_argument("--socket-url", default=None, help="Rasa server URL the widget uses")
    args = parser.parse_args(argv)
    try:
        server = make_server(args.host, args.port, args.socket_url or default_socket_url())
    except (OSError, ValueError) as err:
        print(
            f"ERROR: cannot start the page server on {args.host}:{args.port}: {err}",
            file=sys.stderr,
        )
        return 1
    print(f"Serving the quiz page on http://{args.host}:{args.port}/", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
