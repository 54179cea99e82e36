"""Every error leaves the API as JSON: ``{"error": {"code": "E204", "message": "..."}}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import E601, E605, E606, E607, ApiError, StorylineError

logger = logging.getLogger(__name__)

# HTTP status per error code; codes not listed are client errors (400) unless they are storage failures.
STATUS_BY_CODE = {
    "E204": 404,  # no article
    "E206": 404,  # no story
    "E208": 404,  # no such revision
    "E209": 404,  # no raw input
    "E502": 404,  # story not in the clusterer
    "E503": 409,  # merge a story with itself
    "E504": 409,  # split: articles not in the story
    "E505": 409,  # split would leave a part empty
    "E600": 401,  # token needed
    "E605": 404,
    "E606": 405,
    "E608": 404,  # no job
    "E610": 503,  # shutting down
}
SERVER_SIDE = ("E201", "E202", "E203", "E205", "E212", "E607")


def error_body(message: str) -> dict[str, dict[str, str]]:
    code, _, _ = message.partition(" ")
    return {"error": {"code": code, "message": message}}


def status_of(message: str) -> int:
    code = message.partition(" ")[0]
    if code in SERVER_SIDE:
        return 500
    return STATUS_BY_CODE.get(code, 400)


def error_response(message: str, *, status: int | None = None) -> JSONResponse:
    status = status_of(message) if status is None else status
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(message), status_code=status, headers=headers)


async def _storyline_error(request: Request, exc: Exception) -> JSONResponse:
    if status_of(str(exc)) >= 500:
        logger.error("%s %s failed: %s", request.method, request.url.path, exc)
    return error_response(str(exc))


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    errors = exc.errors() if isinstance(exc, RequestValidationError) else []
    reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors)
    return error_response(E601.format(reason=reasons or exc), status=422)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
    if status == 404:
        message = E605.format(path=request.url.path)
    elif status == 405:
        message = E606.format(method=request.method, path=request.url.path)
    else:
        message = E601.format(reason=getattr(exc, "detail", exc))
    return error_response(message, status=status)


async def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    # A bug, not bad input: logged with its traceback, answered with the same JSON shape.
    logger.exception("%s %s failed", request.method, request.url.path)
    return error_response(E607.format(reason=type(exc).__name__), status=500)


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(StorylineError, _storyline_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


__all__ = ["ApiError", "error_body", "error_response", "install_error_handlers", "status_of"]
