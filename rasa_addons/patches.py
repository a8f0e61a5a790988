"""Every place the project changes the behaviour of Rasa (or of Sanic and engine.io
under it) at run time, in one file. Loaded by the Rasa server.

`install()` applies the changes to Rasa's classes; the REST and the socket.io channel
call it when Rasa builds them (`blueprint()`), so importing this module changes
nothing and `rasa train` never runs it. It checks the Rasa version once, is
idempotent and logs one line naming every override:

* the custom-action time limit: `RemoteAction.run` is wrapped (`limit_action_calls`);
* the response-validation cache: `RemoteAction._validate_action_result` is replaced
  (rasa_addons/response_validation_cache.py; only on the Rasa it was written for).

Two more changes need an object the channels build, so the channels apply them
through the functions here:

* `protect_http_api(app)`: every Sanic route handler of the Rasa server is wrapped so
  that an outage answers 503 (the REST channel, before the server starts);
* `without_engineio_cors_headers(sio)`: engine.io's private `_cors_headers` of the
  socket.io server is replaced (the socket.io channel).

The subclasses Rasa loads by name (credentials.yml, endpoints.yml, config.yml) and the
console of `rasa shell` (rasa_addons/shell.py) are listed in `OVERRIDES` too, with the
Rasa attributes each relies on; tests/unit/test_patches.py checks that every one of
them still exists. docs/rasa-overrides.md is the table for readers.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import inspect
import logging
from dataclasses import dataclass
from typing import Any, Callable, List, Optional, Tuple

from career_quiz import settings
from rasa_addons import channel_support, outage, response_validation_cache

logger = logging.getLogger(__name__)

WRITTEN_FOR = "3.6.21"
_MARK = "quiz_override"


@dataclass(frozen=True)
class Override:
    """One change to Rasa's (or Sanic's, engine.io's) behaviour."""

    name: str  # as the start-up log line names it
    module: str  # the project file that makes it
    touches: Tuple[str, ...]  # "module:Class.attribute" of the library, must exist


OVERRIDES: Tuple[Override, ...] = (
    Override(
        "custom-action time limit",
        "rasa_addons/patches.py",
        ("rasa.core.actions.action:RemoteAction.run",),
    ),
    Override(
        "response-validation cache",
        "rasa_addons/response_validation_cache.py",
        (
            "rasa.core.actions.action:RemoteAction._validate_action_result",
            "rasa.core.actions.action:RemoteAction.action_response_format_spec",
            "rasa.utils.endpoints:EndpointConfig.kwargs",
        ),
    ),
    Override(
        "HTTP routes answer outages with 503",
        "rasa_addons/patches.py",
        ("sanic_routing.route:Route.handler", "sanic_routing.router:BaseRouter.routes"),
    ),
    Override(
        "engine.io CORS headers off",
        "rasa_addons/patches.py",
        ("engineio:AsyncServer._cors_headers",),
    ),
    Override(
        "socket.io channel with origin and input checks",
        "rasa_addons/socketio_channel.py",
        (
            "rasa.core.channels.socketio:SocketIOInput.blueprint",
            "rasa.core.channels.socketio:SocketIOOutput._send_message",
            "rasa.core.channels.socketio:SocketBlueprint.register",
        ),
    ),
    Override(
        "REST channel with input checks",
        "rasa_addons/rest_channel.py",
        ("rasa.core.channels.rest:RestInput.blueprint",),
    ),
    Override(
        "indexed SQL tracker store",
        "rasa_addons/tracker_store.py",
        (
            "rasa.core.tracker_store:SQLTrackerStore._event_query",
            "rasa.core.tracker_store:SQLTrackerStore.session_scope",
            "rasa.core.tracker_store:SQLTrackerStore.SQLEvent",
        ),
    ),
    Override(
        "atomic Redis and short-poll lock stores",
        "rasa_addons/lock_store.py",
        (
            "rasa.core.lock_store:RedisLockStore._set_key_prefix",
            "rasa.core.lock_store:LockStore._log_deletion",
            "rasa.core.lock_store:InMemoryLockStore.lock",
        ),
    ),
    Override(
        "readable rasa shell",
        "rasa_addons/shell.py",
        (
            "rasa.core.channels.console:_print_bot_output",
            "rasa.core.channels.console:print_buttons",
            "rasa.cli.utils:button_choices_from_message_data",
            "rasa.cli.utils:button_to_string",
        ),
    ),
)

_announced = False


def install() -> List[str]:
    """Applies the changes to Rasa's classes (idempotent) and names them in one log line
    the first time. Returns the names of the class changes now active.
    """
    global _announced
    import rasa

    same_rasa = rasa.__version__ == WRITTEN_FOR
    active = [OVERRIDES[0].name] if limit_action_calls() else []
    if same_rasa and response_validation_cache.install():
        active.append(OVERRIDES[1].name)
    if not _announced:
        _announced = True
        per_channel = ", ".join(o.name for o in OVERRIDES[2:4])
        logger.info(
            "Rasa %s overrides (rasa_addons/patches.py): %s; per channel: %s",
            rasa.__version__,
            ", ".join(active),
            per_channel,
        )
        if not same_rasa:
            logger.warning(
                "The %s is not installed: it replaces private code of Rasa %s, this is Rasa %s",
                OVERRIDES[1].name,
                WRITTEN_FOR,
                rasa.__version__,
            )
    return active


def limit_action_calls() -> bool:
    """Wraps Rasa's `RemoteAction.run` once (idempotent); returns True when active.

    Every custom-action call is bounded by `settings.action_timeout()` seconds, and a
    failed call (connection refused, timeout, a 5xx or 401 from the action server)
    becomes `ActionServerUnavailable` (rasa_addons/outage.py), which our channels
    answer with an apology. A rejection (HTTP 400, `ActionExecutionRejection`, used
    by forms) passes unchanged. The wrapper calls Rasa's own method, so it works on
    any Rasa version.
    """
    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.exceptions import RasaException

    if getattr(RemoteAction.run, _MARK, False):
        return True
    unlimited = RemoteAction.run

    async def run(self: Any, *args: Any, **kwargs: Any) -> List[Any]:
        timeout = settings.action_timeout()
        try:
            return await asyncio.wait_for(unlimited(self, *args, **kwargs), timeout)
        except ActionExecutionRejection:
            raise
        except asyncio.TimeoutError as error:
            logger.error(
                "Custom action %s took longer than %.1f s; this message is not processed.",
                self.name(),
                timeout,
            )
            raise outage.ActionServerUnavailable(self.name()) from error
        except RasaException as error:
            logger.error(
                "Custom action %s failed (%s); this message is not processed.", self.name(), error
            )
            raise outage.ActionServerUnavailable(self.name()) from error

    setattr(run, _MARK, True)
    run.unlimited = unlimited  # type: ignore[attr-defined]
    RemoteAction.run = run
    return True


def remove_action_limit() -> None:
    """Puts Rasa's own `RemoteAction.run` back (tests)."""
    from rasa.core.actions.action import RemoteAction

    if getattr(RemoteAction.run, _MARK, False):
        RemoteAction.run = RemoteAction.run.unlimited


def protect_http_api(app: Any) -> int:
    """Wraps every route handler of `app` (Rasa's HTTP API included) so that an outage
    answers 503 with the apology instead of a dropped connection: Sanic's own error
    handling does not see the `BaseException` outages. Returns the number wrapped.
    """
    from sanic import response

    def guarded(handler: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(handler)
        async def run(request: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                result = handler(request, *args, **kwargs)
                return await result if inspect.isawaitable(result) else result
            except outage.ServiceUnavailable as error:
                # The route's pattern: a path may hold a conversation id.
                route = getattr(getattr(request, "route", None), "path", None) or request.path
                logger.warning(
                    "%s %s not processed: %s", request.method, route, type(error).__name__
                )
                return response.json(
                    {"error": error.text_key, "message": channel_support.text(error.text_key)},
                    status=503,
                )

        setattr(run, _MARK, True)
        return run

    wrapped = 0
    for route in app.router.routes:
        if not getattr(route.handler, _MARK, False):
            route.handler = guarded(route.handler)
            wrapped += 1
    return wrapped


def without_engineio_cors_headers(sio: Any) -> Any:
    """Stops engine.io from adding CORS headers to the responses of `sio` (returned).

    Rasa's Sanic CORS middleware (`rasa run --cors ORIGIN`) adds the CORS headers to
    every response, these included; engine.io adding them as well would send
    Access-Control-Allow-Origin twice, which browsers reject. engine.io's origin check
    stays on: it runs before any header is written.
    """
    sio.eio._cors_headers = lambda environ: []
    return sio


def missing_attributes(overrides: Optional[Tuple[Override, ...]] = None) -> List[str]:
    """The library attributes in `OVERRIDES` that do not exist (empty when all do)."""
    missing = []
    for override in overrides or OVERRIDES:
        for target in override.touches:
            module_name, _, path = target.partition(":")
            try:
                value: Any = importlib.import_module(module_name)
                for part in path.split("."):
                    value = _attribute(value, part)
            except (ImportError, AttributeError):
                missing.append(target)
    return missing


def _attribute(owner: Any, name: str) -> Any:
    """`getattr`, and for a class also an attribute set in its `__init__` or declared
    in its annotations or slots (instance attributes such as `EndpointConfig.kwargs`).
    """
    if hasattr(owner, name):
        return getattr(owner, name)
    if inspect.isclass(owner):
        for cls in owner.__mro__:
            if name in getattr(cls, "__slots__", ()) or name in getattr(cls, "__annotations__", {}):
                return name
            init = cls.__dict__.get("__init__")
            if init is not None and f"self.{name} =" in _source(init):
                return name
    raise AttributeError(name)


def _source(function: Any) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):
        return ""
