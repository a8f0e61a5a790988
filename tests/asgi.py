"""A minimal ASGI client for the channel tests: requests to a Sanic app without a server.

sanic-testing would do this, but no release fits here: the releases for Sanic 21.12
(22.x, the range rasa-sdk 3.6.2's dev dependencies name) need httpx < 0.24, which the
package index this project installs from does not carry, and 23.x and later need
Sanic 22.9 or newer (they use `Route.extra`).
"""

from __future__ import annotations

import asyncio
from typing import Any, Dict, List, Sequence, Tuple


class AsgiClient:
    """Sends HTTP requests to a Sanic app over ASGI (no server, no socket)."""

    def __init__(self, app, loop) -> None:
        # As sanic-testing does: in test mode Sanic keeps the original of each method its
        # start-up rewrites ("touch-up"), so a second app started in this process can
        # rewrite it again (outside test mode the second start-up fails with a KeyError).
        # It stays on for the rest of the test process.
        type(app).test_mode = True
        self.app, self.loop = app, loop
        self.last_headers: Dict[str, str] = {}  # of the last response, names in lower case
        self.loop.run_until_complete(self._lifespan())

    async def _lifespan(self) -> None:
        queue: asyncio.Queue = asyncio.Queue()
        await queue.put({"type": "lifespan.startup"})
        started = asyncio.Event()

        async def send(message):
            if message["type"].startswith("lifespan.startup"):
                started.set()

        self._lifespan_task = asyncio.ensure_future(
            self.app({"type": "lifespan", "asgi": {"version": "3.0"}}, queue.get, send)
        )
        await asyncio.wait_for(started.wait(), 30)

    def close(self) -> None:
        """Ends the lifespan task (the app has no shutdown work here)."""
        self._lifespan_task.cancel()
        self.loop.run_until_complete(asyncio.gather(self._lifespan_task, return_exceptions=True))

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        query: bytes = b"",
        content_type: bytes = b"application/json",
        headers: Sequence[Tuple[bytes, bytes]] = (),
    ) -> Tuple[int, bytes]:
        """(status, body) of one request; `headers` are sent besides host, content type
        and length.
        """
        return self.loop.run_until_complete(
            self._request(method, path, body, query, content_type, headers)
        )

    async def _request(
        self, method, path, body, query, content_type, headers=()
    ) -> Tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query,
            "root_path": "",
            "headers": [
                (b"host", b"test"),
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
            "client": ("127.0.0.1", 40000),
            "server": ("127.0.0.1", 80),
        }
        pending = [{"type": "http.request", "body": body, "more_body": False}]
        sent: List[Dict[str, Any]] = []

        async def receive():
            if pending:
                return pending.pop(0)
            await asyncio.sleep(3600)  # the client never disconnects early

        async def send(message):
            sent.append(message)

        await asyncio.wait_for(self.app(scope, receive, send), 30)
        start = next(m for m in sent if m["type"] == "http.response.start")
        status = start["status"]
        self.last_headers = {k.decode().lower(): v.decode() for k, v in start.get("headers", [])}
        data = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return status, data
