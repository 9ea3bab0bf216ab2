"""Request builders with the method names of PubNub's Python SDK.

Each builder collects its arguments through chained methods and ends in one of
four call styles:

- ``.sync()`` blocks the calling thread and returns an :class:`Envelope`
  (``.result`` and ``.status``); it raises :class:`PubNubException` on error.
- ``.pn_async(callback)`` returns at once; ``callback(result, status)`` runs
  once on a library thread when the request ends. A call rejected before
  sending (an invalid argument, a closed client) gets its callback on the
  calling thread before ``pn_async`` returns, as in the SDK.
- ``await .future()`` returns an :class:`Envelope` and never raises for a
  failed request.
- ``await .result()`` returns the result and raises :class:`PubNubException`
  on error.

An exception raised by a ``pn_async`` callback is logged on the
``pubnub_actions`` logger and not re-raised, so it never reaches the library.
"""

from __future__ import annotations

import asyncio
import json
import threading
from typing import TYPE_CHECKING, Any, Callable, Dict, Generic, Optional, Tuple, TypeVar

from . import _calls, _native
from .enums import PNOperationType
from .exceptions import PubNubException, PubNubTypeError, PubNubValueError
from .models import (
    Envelope,
    PNAddMessageActionResult,
    PNGetMessageActionsResult,
    PNMessageAction,
    PNPublishResult,
    PNStatus,
    Timetoken,
    parse_timetoken,
)

if TYPE_CHECKING:
    from .client import PubNub

R = TypeVar("R")
Self = TypeVar("Self", bound="Endpoint[Any]")

Callback = Callable[[Optional[Any], PNStatus], None]
"""``callback(result, status)`` of ``pn_async``."""

# Largest value a uint32_t limit carries.
_MAX_UINT32 = 2**32 - 1


def encode_text(value: Optional[str], argument: str) -> Optional[bytes]:
    """Encode a text argument for the library, or return None (NULL) for None.

    Lone surrogates are encoded as they are, so that the library reports the
    argument as invalid UTF-8. A NUL character would end the C string early, so
    it is rejected here.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise PubNubTypeError(
            errormsg=f"{argument} must be a str, not {type(value).__name__} ({value!r})",
            pn_error="Invalid argument",
        )
    if "\0" in value:
        raise PubNubValueError(
            errormsg=f"{argument} contains a NUL character (U+0000), which the library cannot accept",
            pn_error="Invalid argument",
        )
    return value.encode("utf-8", "surrogatepass")


def parse_limit(value: Optional[Any]) -> Optional[int]:
    """Convert a page limit given as an int or a string of digits to an int."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PubNubTypeError(
            errormsg=f"limit must be an int or a string of decimal digits, not {type(value).__name__} ({value!r})",
            pn_error="Invalid argument",
        )
    if isinstance(value, str) and not (value.isascii() and value.isdigit()):
        raise PubNubValueError(
            errormsg=f"limit must contain only the digits 0-9, got {value!r}",
            pn_error="Invalid argument",
        )
    number = int(value)
    if not 0 <= number <= _MAX_UINT32:
        raise PubNubValueError(
            errormsg=f"limit must be between 1 and 100, got {number}",
            pn_error="Invalid argument",
        )
    return number


def _resolve(future: asyncio.Future, envelope: Envelope) -> None:
    """Set the result of ``future`` unless it was cancelled meanwhile."""
    if not future.done():
        future.set_result(envelope)


class Call:
    """An asynchronous call started by ``pn_async``.

    ``request_id`` is the library's id for the call, or None when the call was
    rejected before it started.
    """

    def __init__(self, pubnub: PubNub, request_id: Optional[int]) -> None:
        self._pubnub = pubnub
        self.request_id = request_id

    def cancel(self) -> bool:
        """Cancel the call if it is still pending.

        Returns True when it was: its callback then runs once, on a library
        thread, with a ``PNCancelledCategory`` status. A request already sent
        may still take effect on the server. Returns False when the call has
        completed, was never started, or the client is closed.
        """
        if self.request_id is None:
            return False
        return self._pubnub._cancel(self.request_id)


class Endpoint(Generic[R]):
    """Common part of the builders: the channel and the four call styles."""

    _operation: PNOperationType

    def __init__(self, pubnub: PubNub) -> None:
        self._pubnub = pubnub
        self._channel: Optional[str] = None

    def channel(self: Self, channel: str) -> Self:
        """Set the channel. A non-str value is converted with ``str()``, as the SDK does."""
        self._channel = None if channel is None else str(channel)
        return self

    # Hooks for each operation.

    def _arguments(self) -> Tuple[Any, ...]:
        """Return the native call's arguments; raise PubNubException when this
        package rejects them before calling the library."""
        raise NotImplementedError

    def _run_sync(self, handle: int, arguments: Tuple[Any, ...], auth_key: Optional[str]) -> _calls.SyncOutcome:
        raise NotImplementedError

    def _start_native(self, handle: int, arguments: Tuple[Any, ...], slot: int, request_id_pointer: Any) -> int:
        raise NotImplementedError

    def _describe(self) -> str:
        return f"{self._operation.name} on channel {self._channel!r}"

    # Call styles.

    def sync(self) -> Envelope[R]:
        """Send the request, wait for the reply and return its envelope.

        Raises PubNubException when the call is rejected or the request fails;
        the exception's ``status`` (and ``result``, for HTTP 207) tell more.
        """
        envelope = self._pubnub._execute_sync(self)
        if envelope.is_error():
            raise _exception_of(envelope)
        return envelope

    def pn_async(self, callback: Callable[[Optional[R], PNStatus], None]) -> Call:
        """Send the request and return at once; ``callback(result, status)``
        runs once on a library thread when it ends."""
        request_id, rejection = self._pubnub._start_async(self, callback)
        if rejection is not None:
            try:
                callback(None, rejection)
            except BaseException:
                _calls.logger.exception(
                    "pubnub_actions: the callback of %s raised an exception; it was logged here and not re-raised",
                    self._describe(),
                )
        return Call(self._pubnub, request_id)

    async def future(self) -> Envelope[R]:
        """Send the request and return its envelope; never raises for a failed request.

        The reply is handed to the running event loop with
        ``call_soon_threadsafe``. Cancelling the awaiting task cancels the
        request in the library too.
        """
        loop = asyncio.get_running_loop()
        future: asyncio.Future = loop.create_future()

        def complete(result: Optional[R], status: PNStatus) -> None:
            try:
                loop.call_soon_threadsafe(_resolve, future, Envelope(result, status))
            except RuntimeError:
                _calls.logger.warning(
                    "pubnub_actions: the event loop of %s closed before the reply arrived; the reply was dropped",
                    self._describe(),
                )

        request_id, rejection = self._pubnub._start_async(self, complete)
        if rejection is not None:
            return Envelope(None, rejection)
        try:
            return await future
        except asyncio.CancelledError:
            if request_id is not None:
                self._pubnub._cancel(request_id)
            raise

    async def result(self) -> R:
        """Send the request and return its result; raises PubNubException on error."""
        envelope = await self.future()
        if envelope.is_error():
            raise _exception_of(envelope)
        return envelope.result  # type: ignore[return-value]


def _exception_of(envelope: Envelope) -> PubNubException:
    error_data = envelope.status.error_data
    assert error_data is not None, "every error status carries error_data"
    return error_data.exception


class AddMessageAction(Endpoint[PNAddMessageActionResult]):
    """Adds an action to a published message: ``.channel()`` and ``.message_action()``.

    The message action needs ``type``, ``value`` and ``message_timetoken``.
    The result is the stored action with its ``action_timetoken``. On HTTP 207
    (stored, but its event was not published) the call is an error and the
    stored action is still available as the envelope's ``result``, or as the
    exception's ``result``.
    """

    _operation = PNOperationType.PNAddMessageAction

    def __init__(self, pubnub: PubNub, channel: Optional[str] = None, message_action: Optional[PNMessageAction] = None) -> None:
        super().__init__(pubnub)
        self._message_action = message_action
        if channel is not None:
            self.channel(channel)

    def message_action(self, message_action: PNMessageAction) -> AddMessageAction:
        """Set the action to add (``type``, ``value``, ``message_timetoken``)."""
        self._message_action = message_action
        return self

    def _arguments(self) -> Tuple[Any, ...]:
        action = self._message_action
        if action is None:
            raise PubNubException(
                errormsg="message_action is None; pass a PNMessageAction with type, value and message_timetoken",
                pn_error="Message action is missing",
            )
        message_timetoken = parse_timetoken(action.message_timetoken, "message_timetoken")
        return (
            encode_text(self._channel, "channel"),
            message_timetoken or 0,
            encode_text(action.type, "type"),
            encode_text(action.value, "value"),
        )

    def _run_sync(self, handle: int, arguments: Tuple[Any, ...], auth_key: Optional[str]) -> _calls.SyncOutcome:
        return _calls.add_sync(handle, arguments, auth_key)

    def _start_native(self, handle: int, arguments: Tuple[Any, ...], slot: int, request_id_pointer: Any) -> int:
        return _native.lib.pna_add_message_action(
            handle, *arguments, _calls.ADD_TRAMPOLINE, slot, request_id_pointer
        )


class GetMessageActions(Endpoint[PNGetMessageActionsResult]):
    """Lists a channel's actions, oldest first: ``.channel()``, ``.start()``,
    ``.end()`` and ``.limit()``.

    ``start`` (exclusive) and ``end`` (inclusive) bound the action timetokens;
    None or 0 leaves a bound unset. ``limit`` is 1 to 100 (default 100). The
    service returns the newest ``limit`` actions of the range; the result's
    ``next_page`` gives the bounds of the next, older page.
    """

    _operation = PNOperationType.PNGetMessageActions

    def __init__(
        self,
        pubnub: PubNub,
        channel: Optional[str] = None,
        start: Optional[Timetoken] = None,
        end: Optional[Timetoken] = None,
        limit: Optional[Any] = None,
    ) -> None:
        super().__init__(pubnub)
        self._start: Optional[int] = None
        self._end: Optional[int] = None
        self._limit: Optional[int] = None
        if channel is not None:
            self.channel(channel)
        self.start(start)
        self.end(end)
        self.limit(limit)

    def start(self, start: Optional[Timetoken]) -> GetMessageActions:
        """Return actions older than this action timetoken (exclusive)."""
        self._start = parse_timetoken(start, "start")
        return self

    def end(self, end: Optional[Timetoken]) -> GetMessageActions:
        """Return actions at or newer than this action timetoken (inclusive)."""
        self._end = parse_timetoken(end, "end")
        return self

    def limit(self, limit: Optional[Any]) -> GetMessageActions:
        """Return at most this many actions, 1 to 100 (an int or a string of digits)."""
        self._limit = parse_limit(limit)
        return self

    def _arguments(self) -> Tuple[Any, ...]:
        return (
            encode_text(self._channel, "channel"),
            self._start or 0,
            self._end or 0,
            self._limit or 0,
        )

    def _run_sync(self, handle: int, arguments: Tuple[Any, ...], auth_key: Optional[str]) -> _calls.SyncOutcome:
        return _calls.get_sync(handle, arguments, auth_key)

    def _start_native(self, handle: int, arguments: Tuple[Any, ...], slot: int, request_id_pointer: Any) -> int:
        return _native.lib.pna_get_message_actions(
            handle, *arguments, _calls.GET_TRAMPOLINE, slot, request_id_pointer
        )


class RemoveMessageAction(Endpoint[Dict[str, Any]]):
    """Removes an action: ``.channel()``, ``.message_timetoken()`` and
    ``.action_timetoken()``. Only the action's author (the same user id) may
    remove it. The result is an empty dict, as in the SDK."""

    _operation = PNOperationType.PNDeleteMessageAction

    def __init__(
        self,
        pubnub: PubNub,
        channel: Optional[str] = None,
        message_timetoken: Optional[Timetoken] = None,
        action_timetoken: Optional[Timetoken] = None,
    ) -> None:
        super().__init__(pubnub)
        self._message_timetoken: Optional[int] = None
        self._action_timetoken: Optional[int] = None
        if channel is not None:
            self.channel(channel)
        self.message_timetoken(message_timetoken)
        self.action_timetoken(action_timetoken)

    def message_timetoken(self, message_timetoken: Optional[Timetoken]) -> RemoveMessageAction:
        """Set the timetoken of the message the action is attached to."""
        self._message_timetoken = parse_timetoken(message_timetoken, "message_timetoken")
        return self

    def action_timetoken(self, action_timetoken: Optional[Timetoken]) -> RemoveMessageAction:
        """Set the action's timetoken, as add or get returned it."""
        self._action_timetoken = parse_timetoken(action_timetoken, "action_timetoken")
        return self

    def _arguments(self) -> Tuple[Any, ...]:
        return (
            encode_text(self._channel, "channel"),
            self._message_timetoken or 0,
            self._action_timetoken or 0,
        )

    def _run_sync(self, handle: int, arguments: Tuple[Any, ...], auth_key: Optional[str]) -> _calls.SyncOutcome:
        return _calls.remove_sync(handle, arguments, auth_key)

    def _start_native(self, handle: int, arguments: Tuple[Any, ...], slot: int, request_id_pointer: Any) -> int:
        return _native.lib.pna_remove_message_action(
            handle, *arguments, _calls.REMOVE_TRAMPOLINE, slot, request_id_pointer
        )


class Publish:
    """Publishes a message: ``.channel()`` and ``.message()``; the result's
    ``timetoken`` identifies the message for actions.

    The message is any value ``json.dumps`` accepts. The client needs a
    ``publish_key``. The library publishes synchronously only, so ``pn_async``
    runs the request on a new Python thread and ``future``/``result`` on the
    event loop's default executor.
    """

    _operation = PNOperationType.PNPublishOperation

    def __init__(self, pubnub: PubNub, channel: Optional[str] = None, message: Any = None) -> None:
        self._pubnub = pubnub
        self._channel: Optional[str] = None if channel is None else str(channel)
        self._message = message

    def channel(self, channel: str) -> Publish:
        """Set the channel. A non-str value is converted with ``str()``, as the SDK does."""
        self._channel = None if channel is None else str(channel)
        return self

    def message(self, message: Any) -> Publish:
        """Set the message, any value that ``json.dumps`` accepts."""
        self._message = message
        return self

    def _describe(self) -> str:
        return f"{self._operation.name} on channel {self._channel!r}"

    def _arguments(self) -> Tuple[Any, ...]:
        message_json = None
        if self._message is not None:
            try:
                message_json = json.dumps(self._message)
            except (TypeError, ValueError) as error:
                raise PubNubTypeError(
                    errormsg=f"message cannot be converted to JSON: {error}",
                    pn_error="Trying to publish not JSON serializable object",
                ) from error
        return (encode_text(self._channel, "channel"), encode_text(message_json, "message"))

    def _run_sync(self, handle: int, arguments: Tuple[Any, ...], auth_key: Optional[str]) -> _calls.SyncOutcome:
        return _calls.publish_sync(handle, arguments, auth_key)

    def sync(self) -> Envelope[PNPublishResult]:
        """Publish, wait for the reply and return its envelope; raises PubNubException on error."""
        envelope = self._pubnub._execute_sync(self)
        if envelope.is_error():
            raise _exception_of(envelope)
        return envelope

    def pn_async(self, callback: Callable[[Optional[PNPublishResult], PNStatus], None]) -> None:
        """Publish on a new thread; ``callback(result, status)`` runs there once."""

        def run() -> None:
            envelope = self._pubnub._execute_sync(self)
            try:
                callback(envelope.result, envelope.status)
            except BaseException:
                _calls.logger.exception(
                    "pubnub_actions: the callback of %s raised an exception; it was logged here and not re-raised",
                    self._describe(),
                )

        threading.Thread(target=run, name="pubnub-actions-publish", daemon=True).start()

    async def future(self) -> Envelope[PNPublishResult]:
        """Publish on the default executor and return the envelope; never raises for a failed request."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, self._pubnub._execute_sync, self)

    async def result(self) -> PNPublishResult:
        """Publish on the default executor and return the result; raises PubNubException on error."""
        envelope = await self.future()
        if envelope.is_error():
            raise _exception_of(envelope)
        return envelope.result  # type: ignore[return-value]
