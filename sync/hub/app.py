"""The hub's ASGI app (Starlette): routes, body limits, error mapping and structured logs.

Every refusal is a JSON ``{"error": code, "reason": text}`` with a 4xx status;
input that cannot be parsed or checked is a 400, never a 500, and is refused
before anything is written. Logs are one JSON object per line on stderr with
event, device, office, counts and timings, never field values or names of
people.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from contextlib import nullcontext

import anyio
from starlette.applications import Starlette
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from sync import protocol as P
from app.replica.merge import MergeError

from . import audit as hub_audit
from .service import Hub, Refused

log = logging.getLogger("sprechstunde.hub")


def setup_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    log.handlers[:] = [handler]
    log.setLevel(level)
    log.propagate = False


def log_event(event: str, **fields) -> None:
    if log.isEnabledFor(logging.INFO):
        log.info(json.dumps({"ts": round(time.time(), 3), "event": event, **fields}, separators=(",", ":")))


def _json(obj, status: int = 200) -> Response:
    return Response(P.dumps(obj), status_code=status, media_type="application/json")


def _refusal(status: int, code: str, reason: str) -> Response:
    return _json({"error": code, "reason": reason}, status)


async def _body(request: Request, limit: int = P.MAX_BODY) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise Refused(400, "malformed", "bad content-length")
        if int(declared) > limit:
            raise Refused(413, "too_large", f"the request body is larger than {limit} bytes")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise Refused(413, "too_large", f"the request body is larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def create_app(hub: Hub) -> Starlette:
    with hub.lock:
        hub_audit.ensure_tables(hub.conn)  # the audit copy (sync/hub/audit.py) keeps tables of its own
    async def health(request: Request) -> Response:
        return _json({"status": "ok", "protocol": P.PROTOCOL, "time": hub.now_ms(), "hub_id": hub.hub_id})

    def endpoint(name: str, signed: bool, work):
        async def handler(request: Request) -> Response:
            t0 = time.perf_counter()
            info: dict = {}
            try:
                body = await _body(request)
                if signed:
                    device = await anyio.to_thread.run_sync(
                        hub.authenticate, request.method, request.url.path, request.headers, body)
                    info.update(device=device.id, office=device.office)
                else:
                    device = None
                with hub.gc_pause if name == "push" else nullcontext():  # see service.GCPause
                    doc = P.loads(body)
                    if not isinstance(doc, dict):
                        raise P.ProtocolError("the body must be a JSON object")
                    result = await anyio.to_thread.run_sync(work, device, doc)
                    del doc
                status = 200
                response = _json(result)
                info.update({k: result[k] for k in ("received", "new", "duplicates", "conflicts", "cursor", "more",
                                                    "accepted")
                             if k in result})
                if "rows" in result:
                    info["sent"] = len(result["rows"])
                    info["removed"] = len(result["removed"])
                if abs(result.get("skew_ms", 0)) > 3_600_000:
                    info["stamp_skew_ms"] = result["skew_ms"]
            except Refused as exc:
                status, response = exc.status, _refusal(exc.status, exc.code, exc.reason)
                info["error"] = exc.code
            except (P.ProtocolError, MergeError) as exc:
                status, response = 400, _refusal(400, "malformed", str(exc)[:200])
                info["error"] = "malformed"
            except ClientDisconnect:
                status, response = 499, Response(status_code=400)
                info["error"] = "disconnected"
            except Exception as exc:  # a bug: logged without data, answered without detail
                status, response = 500, _refusal(500, "internal", "internal error")
                info["error"] = type(exc).__name__
                log.exception("internal error in %s", name)
            info.update(status=status, ms=round((time.perf_counter() - t0) * 1000, 1))
            log_event(name, **info)
            return response

        return handler

    def do_enroll(_device, doc):
        return hub.enroll(doc)

    routes = [
        Route(f"{P.PREFIX}/health", health, methods=["GET"]),
        Route(f"{P.PREFIX}/enroll", endpoint("enroll", False, do_enroll), methods=["POST"]),
        Route(f"{P.PREFIX}/hello", endpoint("hello", True, lambda d, _doc: hub.hello(d)), methods=["POST"]),
        Route(f"{P.PREFIX}/push", endpoint("push", True, hub.push), methods=["POST"]),
        Route(f"{P.PREFIX}/pull", endpoint("pull", True, hub.pull), methods=["POST"]),
        Route(f"{P.PREFIX}/orders", endpoint("orders", True, hub.orders), methods=["POST"]),
        Route(f"{P.PREFIX}/orders/confirm", endpoint("confirm", True, hub.confirm_orders), methods=["POST"]),
        Route(f"{P.PREFIX}/audit", endpoint("audit", True, lambda d, doc: hub_audit.push(hub, d, doc)), methods=["POST"]),
    ]
    return Starlette(routes=routes)
