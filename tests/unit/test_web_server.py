"""web/server.py: the page server's paths, headers and insights login, on a real server
bound to a free loopback port (the widget bundle replaced by a small file, so no npm is
needed; the insights figures: tests/integration/test_insights_live.py).
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
from typing import Dict, Optional, Tuple

import pytest

from web import server

TOKEN = "page-test-token"
SOCKET_URL = "http://127.0.0.1:5005"


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    """A page server on a free port; yields its base URL."""
    patch = pytest.MonkeyPatch()
    widget = tmp_path_factory.mktemp("widget") / "index.js"
    widget.write_bytes(b"@import url(https://fonts.googleapis.com/css?family=Inter);.w{color:red}")
    patch.setattr(server, "WIDGET", widget)
    httpd = server.make_server("127.0.0.1", 0, SOCKET_URL + "/", TOKEN)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    patch.undo()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(
    url: str,
    method: str = "GET",
    data: Optional[bytes] = None,
    headers: Optional[Dict[str, str]] = None,
) -> Tuple[int, Dict[str, str], bytes]:
    """(status, headers, body), without following redirects."""
    opener = urllib.request.build_opener(_NoRedirect)
    request = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, dict(answer.headers), answer.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_the_page_and_its_files_are_served_with_a_strict_policy(page):
    status, headers, body = fetch(page + "/")
    assert status == 200 and b"<html" in body.lower()
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    policy = headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy
    assert f"connect-src 'self' {SOCKET_URL} ws://127.0.0.1:5005" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert fetch(page + "/index.html")[2] == body


def test_the_config_names_the_rasa_server(page):
    status, headers, body = fetch(page + "/config.js")
    assert status == 200 and headers["Content-Type"].startswith("text/javascript")
    assert body == (
        b'window.QUIZ_CHAT_CONFIG = {"socketUrl": "http://127.0.0.1:5005", '
        b'"socketPath": "/socket.io/", "maxChars": 2000, "maxAdChars": 6000};\n'
    )


def test_the_widget_loads_nothing_from_third_parties(page):
    status, _, body = fetch(page + "/vendor/rasa-webchat.js")
    assert status == 200
    assert body == b".w{color:red}"


@pytest.mark.parametrize(
    "path", ["/static", "/static/", "/../server.py", "/static/../server.py", "/web/server.py"]
)
def test_nothing_else_is_served(page, path):
    status, _, body = fetch(page + path)
    assert status == 404 and body == b"Nicht gefunden.\n"


def test_head_sends_the_headers_only(page):
    status, headers, body = fetch(page + "/config.js", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) > 0


def test_the_privacy_notice_names_the_retention(page, monkeypatch):
    monkeypatch.setenv("QUIZ_RETENTION_DAYS", "30")
    status, headers, body = fetch(page + "/datenschutz")
    assert status == 200
    assert "30 Tage" in body.decode() and "90 Tage" not in body.decode()
    assert headers["Cache-Control"] == "no-store"


def test_insights_need_the_token(page):
    status, headers, body = fetch(page + "/insights")
    assert status == 401 and headers["WWW-Authenticate"] == 'Bearer realm="insights"'
    assert b"<form" in body
    assert fetch(page + "/insights/funnel.csv")[0] == 401
    wrong = fetch(page + "/insights", headers={"Authorization": "Bearer nope"})
    assert wrong[0] == 401


def test_the_login_form_sets_a_session_cookie_not_the_token(page):
    status, _, body = fetch(page + "/insights/login", "POST", b"token=falsch")
    assert status == 401 and "stimmt nicht" in body.decode()
    status, headers, _ = fetch(page + "/insights/login", "POST", f"token={TOKEN}".encode())
    assert status == 303 and headers["Location"] == "/insights"
    cookie = headers["Set-Cookie"]
    assert cookie.startswith(f"{server.COOKIE}=") and TOKEN not in cookie
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert server.Pages(TOKEN).authorised({"Cookie": cookie.split(";")[0]})


def test_an_oversized_login_form_is_refused(page):
    big = b"token=" + b"x" * server.MAX_FORM_BYTES
    assert fetch(page + "/insights/login", "POST", big)[0] == 413
    assert fetch(page + "/anything", "POST", b"x")[0] == 404


@pytest.mark.parametrize(
    "url, ok",
    [
        ("http://127.0.0.1:5005", True),
        ("https://chat.example/", True),
        ("ws://chat.example", False),
        ("https://chat.example/socket", False),
        ("chat.example", False),
    ],
)
def test_the_socket_url_must_be_an_origin(url, ok):
    if ok:
        assert server.check_socket_url(url) == url.rstrip("/")
    else:
        with pytest.raises(ValueError):
            server.check_socket_url(url)


def test_the_insights_token_is_generated_when_unset(monkeypatch):
    monkeypatch.setenv("INSIGHTS_TOKEN", " fest ")
    assert server.insights_token() == ("fest", False)
    monkeypatch.delenv("INSIGHTS_TOKEN")
    first, generated = server.insights_token()
    assert generated and len(first) >= 24 and server.insights_token()[0] != first


def test_a_port_in_use_is_reported_not_raised(page, capsys):
    port = page.rsplit(":", 1)[1]
    assert server.main(["--port", port, "--socket-url", SOCKET_URL]) == 1
    assert "cannot start the page server" in capsys.readouterr().err
