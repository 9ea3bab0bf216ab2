"""Calls into the library: conversion of its results, the table of pending
asynchronous calls, the callback trampolines and the log bridge.

Asynchronous calls cross the C boundary with an integer slot number as
``user_data``. The slot maps to a :class:`PendingCall` in a module-level table.
A trampoline removes the entry before it does anything else, so a completion
runs at most once even if the library misbehaved. The entry also keeps the
client object alive until its call completes. The trampolines are module-level
objects, so ctypes never frees them while the library may still call them.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from ctypes import POINTER, byref, c_uint64
from typing import Any, Callable, Dict, Optional, Tuple

from . import _native
from .enums import PNOperationType, PNStatusCategory
from .exceptions import PubNubException
from .models import (
    Envelope,
    PNAddMessageActionResult,
    PNBoundedPage,
    PNErrorData,
    PNGetMessageActionsResult,
    PNMessageAction,
    PNPublishResult,
    PNStatus,
)

logger = logging.getLogger("pubnub_actions")

Completion = Callable[[Any, PNStatus], None]
"""Receives ``(result, status)`` once when a call ends."""

CODE_INTERNAL = 9000

# The SDK's short error for each invalid-argument code (pubnub 10.x,
# ``pubnub/errors.py``), or a short error in the same style where the SDK has none.
_INVALID_ARGUMENT_ERRORS = {
    1010: "Channel missing",
    1011: "Channel missing",
    1012: "Channel is not valid UTF-8",
    1020: "Message action type is missing",
    1021: "Message action type is missing",
    1022: "Message action type is not valid UTF-8",
    1030: "Message action value is missing",
    1031: "Message action value is missing",
    1032: "Message action value is not valid UTF-8",
    1040: "Message missing",
    1041: "Message missing",
    1042: "Message is not valid UTF-8",
    1043: "Message is not valid JSON",
    1050: "Message timetoken is missing",
    1051: "Message action timetoken is missing",
    1052: "Limit is too large",
    1053: "Range is empty",
    1060: "Subscribe key not configured",
    1061: "Subscribe key not configured",
    1062: "Subscribe key is not valid UTF-8",
    1063: "Publish key is not valid UTF-8",
    1064: "Publish key not configured",
    1065: "Secret key is not valid UTF-8",
    1066: "Publish key not configured",
    1067: "Auth key is not valid UTF-8",
    1070: "User ID not configured",
    1071: "User ID not configured",
    1072: "User ID is not valid UTF-8",
    1073: "User ID is too long",
    1080: "Origin not configured",
    1081: "Origin not configured",
    1082: "Origin is not valid UTF-8",
    1083: "Origin is invalid",
    1090: "CA file path is not valid UTF-8",
    1091: "CA file is invalid",
    1092: "Worker count is invalid",
    1093: "Queue capacity is invalid",
    1094: "Timeout is invalid",
}

_CLIENT_STATE_ERRORS = {
    2000: "Request queue is full",
    2001: "Request not found",
    2002: "Client is closed",
    2003: "Worker threads could not start",
}

# Errors of sent requests that no HTTP status explains.
_REQUEST_ERRORS = {
    3000: "Request cancelled",
    3001: "Client Timeout",
    3002: "Connection Error",
    3003: "TLS connection failed",
    3004: "TLS certificate not trusted",
    3020: "JSON decoding failed",
    CODE_INTERNAL: "Internal error",
}


def short_error(code: Optional[int], status_code: Optional[int]) -> str:
    """Return the SDK-style short error for a library code and HTTP status.

    HTTP errors follow the SDK: "HTTP Server Error" for 5xx and "HTTP Client
    Error" for other replies the SDK treats as errors (207 and 4xx).
    """
    if code is None:
        return "Invalid argument"
    if code in _INVALID_ARGUMENT_ERRORS:
        return _INVALID_ARGUMENT_ERRORS[code]
    if code in _CLIENT_STATE_ERRORS:
        return _CLIENT_STATE_ERRORS[code]
    if status_code is not None and status_code >= 500:
        return "HTTP Server Error"
    if status_code is not None and (status_code == 207 or 400 <= status_code < 500):
        return "HTTP Client Error"
    if code in _REQUEST_ERRORS:
        return _REQUEST_ERRORS[code]
    if status_code is not None:
        return "HTTP Error"
    return "Unknown Error"


def category_for_rejection(code: Optional[int]) -> PNStatusCategory:
    """Return the category of a call the library or this package rejected:
    ``PNBadRequestCategory`` for an invalid argument, as the library reports it."""
    if code is None or 1000 <= code < 2000:
        return PNStatusCategory.PNBadRequestCategory
    return PNStatusCategory.PNUnknownCategory


def operation_type(number: int) -> Any:
    """Return the PNOperationType for a number, or the number itself if unknown."""
    try:
        return PNOperationType(number)
    except ValueError:
        return number


def attach_error(status: PNStatus, result: Any = None) -> None:
    """Give an error status its ``error_data``, with the exception that
    ``sync()`` and ``result()`` raise for it."""
    if not status.error:
        return
    exception = PubNubException(
        errormsg=status.message,
        status_code=status.status_code or 0,
        pn_error=short_error(status.code, status.status_code),
        status=status,
        code=status.code,
        result=result,
    )
    status.error_data = PNErrorData(str(exception), exception)


class CallContext:
    """Settings of the client that statuses report, copied when the client is created."""

    __slots__ = ("origin", "tls", "user_id", "auth_key")

    def __init__(self, origin: str, tls: bool, user_id: str, auth_key: Optional[str]) -> None:
        self.origin = origin
        self.tls = tls
        self.user_id = user_id
        self.auth_key = auth_key


def rejection_status(
    code: Optional[int],
    message: str,
    operation: PNOperationType,
    context: CallContext,
    channel: Optional[str],
) -> PNStatus:
    """Return the error status of a call rejected before anything was sent."""
    status = PNStatus()
    status.code = code
    status.category = category_for_rejection(code)
    status.operation = operation
    status.error = True
    status.message = message
    status.origin = context.origin
    status.tls_enabled = context.tls
    status.uuid = context.user_id
    status.auth_key = context.auth_key
    status.affected_channels = [channel] if channel is not None else None
    attach_error(status)
    return status


def rejection_from_code(
    code: int, operation: PNOperationType, context: CallContext, channel: Optional[str]
) -> PNStatus:
    """Return the error status of a call the library rejected with ``code``."""
    return rejection_status(code, _native.code_message(code), operation, context, channel)


def status_from_native(native: _native.Status, auth_key: Optional[str]) -> PNStatus:
    """Copy a ``pna_status_t`` into a PNStatus (without ``error_data``)."""
    status = PNStatus()
    status.code = native.code
    status.category = PNStatusCategory.from_number(native.category)
    status.operation = operation_type(native.operation)
    status.status_code = native.http_status or None
    status.error = bool(native.error)
    status.message = _native.static_string(native.message)
    status.server_message = _native.optional_string(native.server_message)
    details = _native.optional_string(native.server_details)
    if details is not None:
        try:
            status.server_details = json.loads(details)
        except ValueError:
            status.server_details = details
    status.retry_after = native.retry_after_seconds or None
    status.origin = _native.static_string(native.origin)
    status.tls_enabled = bool(native.tls)
    status.uuid = _native.static_string(native.user_id)
    status.auth_key = auth_key
    status.affected_channels = [_native.static_string(native.channel)]
    status.request_id = native.request_id or None
    return status


def action_from_native(native: _native.Action, cls: type = PNMessageAction) -> Any:
    """Copy a ``pna_action_t`` into a PNMessageAction (or subclass ``cls``)."""
    action = cls()
    action.type = _native.sized_string(native.type, native.type_len)
    action.value = _native.sized_string(native.value, native.value_len)
    action.uuid = _native.sized_string(native.user_id, native.user_id_len)
    # The library's timetokens are already valid ints, so the setters' checks are skipped.
    action._message_timetoken = native.message_timetoken
    action._action_timetoken = native.action_timetoken
    return action


def page_from_native(native: _native.ActionsPage) -> PNGetMessageActionsResult:
    """Copy a ``pna_actions_page_t`` into a PNGetMessageActionsResult."""
    actions = [action_from_native(native.actions[index]) for index in range(native.count)]
    next_page = None
    if native.has_next:
        next_page = PNBoundedPage(native.next_start, native.next_end or None, native.next_limit)
    return PNGetMessageActionsResult(actions, next_page)


def internal_error_status(error: BaseException, auth_key: Optional[str]) -> PNStatus:
    """Return the status of a completion whose data this package failed to read."""
    status = PNStatus()
    status.code = CODE_INTERNAL
    status.category = PNStatusCategory.PNInternalExceptionCategory
    status.error = True
    status.message = f"pubnub_actions failed to read the library's reply: {error!r}; please report it"
    status.auth_key = auth_key
    attach_error(status)
    return status


# ---------------------------------------------------------------------------
# Synchronous calls
# ---------------------------------------------------------------------------

SyncOutcome = Tuple[int, Optional[Envelope]]
"""The returned code, and the envelope when the request was sent or attempted
(None when the library rejected the call)."""


def add_sync(handle: int, arguments: tuple, auth_key: Optional[str]) -> SyncOutcome:
    """Run ``pna_add_message_action_sync`` and convert its owned result."""
    out = POINTER(_native.AddResult)()
    code = _native.lib.pna_add_message_action_sync(handle, *arguments, byref(out))
    if not out:
        return code, None
    try:
        native = out.contents
        status = status_from_native(native.status, auth_key)
        result = action_from_native(native.action.contents, PNAddMessageActionResult) if native.action else None
    finally:
        _native.lib.pna_add_result_free(out)
    attach_error(status, result)
    return code, Envelope(result, status)


def get_sync(handle: int, arguments: tuple, auth_key: Optional[str]) -> SyncOutcome:
    """Run ``pna_get_message_actions_sync`` and convert its owned result."""
    out = POINTER(_native.GetResult)()
    code = _native.lib.pna_get_message_actions_sync(handle, *arguments, byref(out))
    if not out:
        return code, None
    try:
        native = out.contents
        status = status_from_native(native.status, auth_key)
        result = page_from_native(native.page.contents) if native.page else None
    finally:
        _native.lib.pna_get_result_free(out)
    attach_error(status, result)
    return code, Envelope(result, status)


def remove_sync(handle: int, arguments: tuple, auth_key: Optional[str]) -> SyncOutcome:
    """Run ``pna_remove_message_action_sync`` and convert its owned result."""
    out = POINTER(_native.RemoveResult)()
    code = _native.lib.pna_remove_message_action_sync(handle, *arguments, byref(out))
    if not out:
        return code, None
    try:
        status = status_from_native(out.contents.status, auth_key)
    finally:
        _native.lib.pna_remove_result_free(out)
    attach_error(status)
    # The SDK returns an empty dict for a successful remove.
    return code, Envelope(None if status.error else {}, status)


def publish_sync(handle: int, arguments: tuple, auth_key: Optional[str]) -> SyncOutcome:
    """Run ``pna_publish_sync`` and convert its owned result."""
    out = POINTER(_native.PublishResult)()
    code = _native.lib.pna_publish_sync(handle, *arguments, byref(out))
    if not out:
        return code, None
    try:
        status = status_from_native(out.contents.status, auth_key)
        timetoken = out.contents.timetoken
    finally:
        _native.lib.pna_publish_result_free(out)
    attach_error(status)
    return code, Envelope(None if status.error else PNPublishResult(timetoken), status)


# ---------------------------------------------------------------------------
# Asynchronous calls
# ---------------------------------------------------------------------------


class PendingCall:
    """An asynchronous call that the library has not completed yet."""

    __slots__ = ("owner", "auth_key", "complete", "description")

    def __init__(self, owner: object, auth_key: Optional[str], complete: Completion, description: str) -> None:
        # Holding the client keeps its handle open until the call completes.
        self.owner = owner
        self.auth_key = auth_key
        self.complete = complete
        self.description = description


_pending: Dict[int, PendingCall] = {}
_pending_lock = threading.Lock()
_slots = itertools.count(1)


def pending_count() -> int:
    """Return the number of asynchronous calls not yet completed (for tests)."""
    with _pending_lock:
        return len(_pending)


def _take(slot: Optional[int]) -> Optional[PendingCall]:
    if slot is None:
        return None
    with _pending_lock:
        return _pending.pop(slot, None)


def _finish(slot: Optional[int], status_pointer: Any, read_result: Callable[[], Any]) -> None:
    """Complete the call in ``slot`` once; nothing raised here reaches the library."""
    try:
        call = _take(slot)
    except BaseException:
        logger.exception("pubnub_actions: looking up the call in slot %s failed", slot)
        return
    if call is None:
        logger.error("pubnub_actions: the library completed call slot %s, which is not pending; ignored", slot)
        return

    try:
        status = status_from_native(status_pointer.contents, call.auth_key)
        result = read_result()
        attach_error(status, result)
    except BaseException as error:
        logger.exception("pubnub_actions: reading the reply of %s failed", call.description)
        status = internal_error_status(error, call.auth_key)
        result = None

    try:
        call.complete(result, status)
    except BaseException:
        logger.exception(
            "pubnub_actions: the callback of %s (request id %s) raised an exception; "
            "it was logged here and not re-raised",
            call.description,
            status.request_id,
        )


def _on_add(slot: Optional[int], status_pointer: Any, action_pointer: Any) -> None:
    def read_result() -> Any:
        if not action_pointer:
            return None
        return action_from_native(action_pointer.contents, PNAddMessageActionResult)

    _finish(slot, status_pointer, read_result)


def _on_get(slot: Optional[int], status_pointer: Any, page_pointer: Any) -> None:
    def read_result() -> Any:
        if not page_pointer:
            return None
        return page_from_native(page_pointer.contents)

    _finish(slot, status_pointer, read_result)


def _on_remove(slot: Optional[int], status_pointer: Any) -> None:
    def read_result() -> Any:
        return None if status_pointer.contents.error else {}

    _finish(slot, status_pointer, read_result)


# Module-level, so they live as long as the library can call them.
ADD_TRAMPOLINE = _native.ADD_CALLBACK(_on_add)
GET_TRAMPOLINE = _native.GET_CALLBACK(_on_get)
REMOVE_TRAMPOLINE = _native.REMOVE_CALLBACK(_on_remove)

StartFunction = Callable[[int, Any], int]
"""Starts the native call with ``(slot, request_id_pointer)`` and returns its code."""


def start(owner: object, auth_key: Optional[str], complete: Completion, description: str, start_native: StartFunction) -> Tuple[int, Optional[int]]:
    """Register ``complete`` and start an asynchronous native call.

    Returns the library's code and, when it is 0, the request id. For any
    other code the library will not call back, so the registration is removed.
    """
    slot = next(_slots)
    with _pending_lock:
        _pending[slot] = PendingCall(owner, auth_key, complete, description)
    request_id = c_uint64(0)
    try:
        code = start_native(slot, byref(request_id))
    except BaseException:
        _take(slot)
        raise
    if code != _native.CODE_OK:
        _take(slot)
        return code, None
    return code, request_id.value


# ---------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------

# Library levels (1 error ... 5 trace) as logging levels; trace has no logging
# name, so it is level 5, below DEBUG.
_LOGGING_LEVELS = {
    _native.LOG_ERROR: logging.ERROR,
    _native.LOG_WARN: logging.WARNING,
    _native.LOG_INFO: logging.INFO,
    _native.LOG_DEBUG: logging.DEBUG,
    _native.LOG_TRACE: 5,
}


def _logger_name(target: str) -> str:
    """Map a Rust log target such as ``pubnub_actions::dispatch`` to a logger
    under ``pubnub_actions``, such as ``pubnub_actions.dispatch``."""
    dotted = target.replace("::", ".")
    if dotted == "pubnub_actions" or dotted.startswith("pubnub_actions."):
        return dotted
    return f"pubnub_actions.{dotted}"


def _on_log(_user_data: Optional[int], level: int, target: Optional[int], message: Optional[int]) -> None:
    try:
        name = _logger_name(_native.static_string(target))
        logging.getLogger(name).log(_LOGGING_LEVELS.get(level, 5), "%s", _native.static_string(message))
    except BaseException:
        # A failing handler must not unwind into the library; logging reports its own errors.
        pass


LOG_TRAMPOLINE = _native.LOG_CALLBACK(_on_log)


def native_log_level(logging_level: int) -> int:
    """Return the most verbose library level that a logger at ``logging_level`` shows."""
    if logging_level <= 5:
        return _native.LOG_TRACE
    if logging_level <= logging.DEBUG:
        return _native.LOG_DEBUG
    if logging_level <= logging.INFO:
        return _native.LOG_INFO
    if logging_level <= logging.WARNING:
        return _native.LOG_WARN
    if logging_level <= logging.CRITICAL:
        return _native.LOG_ERROR
    return _native.LOG_OFF


def forward_native_logs() -> None:
    """Send the library's log records to the ``pubnub_actions`` logger, at
    the level that logger has now."""
    if logger.disabled:
        level = _native.LOG_OFF
    else:
        level = native_log_level(logger.getEffectiveLevel())
    _native.lib.pna_set_log_callback(LOG_TRAMPOLINE, None, level)


def stop_native_logs() -> None:
    """Stop the library from calling into Python for log records."""
    _native.lib.pna_set_log_callback(_native.LOG_CALLBACK(), None, _native.LOG_OFF)
