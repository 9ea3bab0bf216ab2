"""The client: ``PubNub`` and ``PubNubAsyncio``, named as in PubNub's Python SDK."""

from __future__ import annotations

import asyncio
import atexit
import threading
import weakref
from ctypes import byref
from typing import Any, Callable, Optional, Tuple

from . import _calls, _native
from .endpoints import AddMessageAction, Endpoint, GetMessageActions, Publish, RemoveMessageAction
from .exceptions import PubNubException, PubNubTypeError, PubNubValueError
from .models import Envelope, PNConfiguration, PNErrorData, PNStatus, Timetoken

_MAX_UINT32 = 2**32 - 1

# Clients not yet closed, so that they can be closed before the interpreter exits.
_live_clients: "weakref.WeakSet[PubNub]" = weakref.WeakSet()


_CODE_CA_FILE_INVALID = 1091


def _config_error(code: int, config: Optional[PNConfiguration] = None) -> PubNubException:
    message = _native.code_message(code)
    if code == _CODE_CA_FILE_INVALID and config is not None:
        # The library's message is static, so the path is added here.
        message = f"{message}: {config.ca_file!r}"
    return PubNubException(
        errormsg=message,
        pn_error=_calls.short_error(code, None),
        code=code,
    )


def _text_setting(value: Any, name: str) -> Optional[bytes]:
    """Encode a string setting; lone surrogates pass through, so the library
    reports the setting as invalid UTF-8."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise PubNubTypeError(
            errormsg=f"{name} must be a str, not {type(value).__name__}",
            pn_error="Invalid configuration",
        )
    if "\0" in value:
        raise PubNubValueError(
            errormsg=f"{name} contains a NUL character (U+0000), which the library cannot accept",
            pn_error="Invalid configuration",
        )
    return value.encode("utf-8", "surrogatepass")


def _timeout_milliseconds(seconds: Any, name: str) -> int:
    """Convert a timeout in seconds to the library's milliseconds."""
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise PubNubTypeError(
            errormsg=f"{name} must be a number of seconds, not {type(seconds).__name__}",
            pn_error="Invalid configuration",
        )
    milliseconds = round(seconds * 1000)
    # The library reads 0 as "default", so anything that rounds to 0 is rejected here.
    if not 1 <= milliseconds <= _MAX_UINT32:
        raise _config_error(_native.CODE_TIMEOUT_INVALID)
    return milliseconds


def _count_setting(value: Any, name: str, invalid_code: int) -> int:
    """Convert an optional positive count; None becomes 0, the library default."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int):
        raise PubNubTypeError(
            errormsg=f"{name} must be an int, not {type(value).__name__}",
            pn_error="Invalid configuration",
        )
    # The library reads 0 as "default", so 0 is rejected here like other invalid counts.
    if not 1 <= value <= _MAX_UINT32:
        raise _config_error(invalid_code)
    return value


def _native_config(config: PNConfiguration) -> Tuple[_native.Config, list]:
    """Build the ``pna_config_t``; the returned list keeps its strings alive."""
    strings = [
        _text_setting(config.subscribe_key, "subscribe_key"),
        _text_setting(config.publish_key, "publish_key"),
        _text_setting(config.secret_key, "secret_key"),
        _text_setting(config.auth_key, "auth_key"),
        _text_setting(config.user_id, "user_id"),
        _text_setting(config.origin, "origin"),
        _text_setting(config.ca_file, "ca_file"),
    ]
    native = _native.Config()
    _native.lib.pna_config_init(byref(native))
    (
        native.subscribe_key,
        native.publish_key,
        native.secret_key,
        native.auth_key,
        native.user_id,
        native.origin,
        native.ca_file,
    ) = strings
    native.tls = bool(config.ssl)
    native.connect_timeout_ms = _timeout_milliseconds(config.connect_timeout, "connect_timeout")
    native.request_timeout_ms = _timeout_milliseconds(
        config.non_subscribe_request_timeout, "non_subscribe_request_timeout"
    )
    native.worker_count = _count_setting(config.worker_count, "worker_count", _native.CODE_WORKER_COUNT_INVALID)
    native.queue_capacity = _count_setting(config.queue_capacity, "queue_capacity", _native.CODE_QUEUE_CAPACITY_INVALID)
    return native, strings


class PubNub:
    """A PubNub Message Actions client over the pubnub-actions library.

    Create it from a :class:`PNConfiguration` (``subscribe_key``, ``user_id``
    and ``origin`` are required). A client may be used from any number of
    threads at once.

    Close it with :meth:`close` (or ``stop()``, or a ``with`` block) when done.
    Every ``pn_async``, ``future`` or ``result`` call still pending then
    completes with a ``PNCancelledCategory`` status, although a request already
    sent may still take effect on the server. Later calls are rejected with
    code 2002. A client that is garbage-collected, or still open when the
    interpreter exits, is closed the same way. A pending asynchronous call keeps
    its client alive until it completes.

    Raises PubNubException with the library's code when the configuration is
    invalid (for example 1080 when ``origin`` is not set).
    """

    def __init__(self, config: PNConfiguration) -> None:
        self._state = threading.Condition()
        self._handle: Optional[int] = None
        self._borrowers = 0
        self._closing = False
        self.config = config

        native, strings = _native_config(config)
        handle = _native.ClientHandle()
        code = _native.lib.pna_client_new(byref(native), byref(handle))
        del strings
        if code != _native.CODE_OK:
            raise _config_error(code, config)

        self._handle = handle.value
        self._context = _calls.CallContext(
            origin=str(config.origin), tls=bool(config.ssl), user_id=str(config.user_id), auth_key=config.auth_key
        )
        _live_clients.add(self)
        _calls.forward_native_logs()

    @property
    def uuid(self) -> Optional[str]:
        """The user id this client sends (the configuration's ``user_id``)."""
        return self._context.user_id

    # Builders.

    def add_message_action(
        self, channel: Optional[str] = None, message_action: Any = None
    ) -> AddMessageAction:
        """Return a builder that adds an action to a published message."""
        return AddMessageAction(self, channel, message_action)

    def get_message_actions(
        self,
        channel: Optional[str] = None,
        start: Optional[Timetoken] = None,
        end: Optional[Timetoken] = None,
        limit: Optional[Any] = None,
    ) -> GetMessageActions:
        """Return a builder that lists a channel's actions."""
        return GetMessageActions(self, channel, start, end, limit)

    def remove_message_action(
        self,
        channel: Optional[str] = None,
        message_timetoken: Optional[Timetoken] = None,
        action_timetoken: Optional[Timetoken] = None,
    ) -> RemoveMessageAction:
        """Return a builder that removes an action."""
        return RemoveMessageAction(self, channel, message_timetoken, action_timetoken)

    def publish(self, channel: Optional[str] = None, message: Any = None) -> Publish:
        """Return a builder that publishes a message (needs ``publish_key``)."""
        return Publish(self, channel, message)

    # Closing.

    def close(self) -> None:
        """Close the client; pending asynchronous calls complete as cancelled.

        Waits until synchronous calls in progress on other threads have
        returned and every callback of this client has returned. Called from
        inside such a callback, it returns at once instead, and the remaining
        callbacks run afterwards. Calling it again does nothing.
        """
        with self._state:
            if self._closing or self._handle is None:
                return
            self._closing = True
            while self._borrowers:
                self._state.wait()
            handle, self._handle = self._handle, None
        _native.lib.pna_client_free(handle)
        _live_clients.discard(self)

    def stop(self) -> None:
        """Close the client (the SDK's name for shutting a client down)."""
        self.close()

    @property
    def closed(self) -> bool:
        """True once :meth:`close` has started."""
        return self._closing or self._handle is None

    def __enter__(self) -> PubNub:
        return self

    def __exit__(self, *exception: Any) -> None:
        self.close()

    async def __aenter__(self) -> PubNub:
        return self

    async def __aexit__(self, *exception: Any) -> None:
        await asyncio.get_running_loop().run_in_executor(None, self.close)

    def __del__(self) -> None:
        # During interpreter shutdown module globals may already be gone.
        try:
            self.close()
        except Exception:
            pass

    # Internals used by the builders.

    def _borrow(self) -> Optional[int]:
        """Return the handle and count a user of it, or None once closing started."""
        with self._state:
            if self._closing or self._handle is None:
                return None
            self._borrowers += 1
            return self._handle

    def _give_back(self) -> None:
        with self._state:
            self._borrowers -= 1
            if self._borrowers == 0:
                self._state.notify_all()

    def _rejection(self, endpoint: Any, error: PubNubException) -> PNStatus:
        """Give a call rejected by this package its error status."""
        status = _calls.rejection_status(
            error.code, error.errormsg, endpoint._operation, self._context, endpoint._channel
        )
        error.status = status
        status.error_data = PNErrorData(str(error), error)
        return status

    def _rejection_from_code(self, endpoint: Any, code: int) -> PNStatus:
        return _calls.rejection_from_code(code, endpoint._operation, self._context, endpoint._channel)

    def _execute_sync(self, endpoint: Any) -> Envelope:
        """Run an endpoint's synchronous call; a rejected call gives an error envelope."""
        try:
            arguments = endpoint._arguments()
        except PubNubException as error:
            return Envelope(None, self._rejection(endpoint, error))
        handle = self._borrow()
        if handle is None:
            return Envelope(None, self._rejection_from_code(endpoint, _native.CODE_CLIENT_CLOSED))
        try:
            code, envelope = endpoint._run_sync(handle, arguments, self._context.auth_key)
        finally:
            self._give_back()
        if envelope is None:
            return Envelope(None, self._rejection_from_code(endpoint, code))
        return envelope

    def _start_async(
        self, endpoint: Endpoint[Any], complete: Callable[[Any, PNStatus], None]
    ) -> Tuple[Optional[int], Optional[PNStatus]]:
        """Start an endpoint's asynchronous call.

        Returns ``(request_id, None)`` when it started, so that ``complete``
        will run once on a library thread, or ``(None, status)`` when it was
        rejected, in which case ``complete`` never runs.
        """
        try:
            arguments = endpoint._arguments()
        except PubNubException as error:
            return None, self._rejection(endpoint, error)
        handle = self._borrow()
        if handle is None:
            return None, self._rejection_from_code(endpoint, _native.CODE_CLIENT_CLOSED)
        try:
            code, request_id = _calls.start(
                self,
                self._context.auth_key,
                complete,
                endpoint._describe(),
                lambda slot, request_id_pointer: endpoint._start_native(handle, arguments, slot, request_id_pointer),
            )
        finally:
            self._give_back()
        if code != _native.CODE_OK:
            return None, self._rejection_from_code(endpoint, code)
        return request_id, None

    def _cancel(self, request_id: int) -> bool:
        handle = self._borrow()
        if handle is None:
            return False
        try:
            return _native.lib.pna_cancel(handle, request_id) == _native.CODE_OK
        finally:
            self._give_back()


class PubNubAsyncio(PubNub):
    """The client for asyncio code, as the SDK's ``PubNubAsyncio``.

    Every call style works on both classes; this one adds an awaitable
    ``stop()``, which closes the client without blocking the event loop.
    ``custom_event_loop`` is accepted for compatibility and not used: each
    ``future()`` or ``result()`` completes on the loop that awaits it.
    """

    def __init__(self, config: PNConfiguration, custom_event_loop: Optional[asyncio.AbstractEventLoop] = None) -> None:
        super().__init__(config)

    async def stop(self) -> None:  # type: ignore[override]
        """Close the client on the default executor; pending calls complete as cancelled."""
        await asyncio.get_running_loop().run_in_executor(None, self.close)


@atexit.register
def _close_clients_at_exit() -> None:
    """Close every open client while library threads can still take the GIL,
    then stop the log bridge."""
    for client in list(_live_clients):
        try:
            client.close()
        except Exception:
            _calls.logger.exception("pubnub_actions: closing a client at exit failed")
    _calls.stop_native_logs()
