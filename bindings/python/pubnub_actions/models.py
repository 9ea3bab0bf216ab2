"""Configuration, message actions, results, statuses and envelopes, named as in
PubNub's Python SDK (pubnub 10.x)."""

from __future__ import annotations

from typing import Any, Generic, List, Optional, TypeVar, Union

from .enums import PNOperationType, PNStatusCategory
from .exceptions import PubNubException, PubNubTypeError, PubNubValueError

# Largest timetoken the C ABI carries (uint64_t).
MAX_TIMETOKEN = 2**64 - 1

Timetoken = Union[int, str]
"""A timetoken as the caller may pass it: an int, or a string of decimal digits."""


def parse_timetoken(value: Optional[Timetoken], argument: str) -> Optional[int]:
    """Convert a timetoken given as an int or a string of digits to an int.

    None stays None. Raises PubNubTypeError for any other type (bool and float
    included) and PubNubValueError for a string with anything but the digits
    0-9 or a number outside 0 to 2**64 - 1. The error names ``argument``.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise PubNubTypeError(
            errormsg=f"{argument} must be an int or a string of decimal digits, not {type(value).__name__} ({value!r})",
            pn_error="Invalid timetoken",
        )
    if isinstance(value, str):
        if not (value.isascii() and value.isdigit()):
            raise PubNubValueError(
                errormsg=f"{argument} must contain only the digits 0-9, got {value!r}",
                pn_error="Invalid timetoken",
            )
        number = int(value)
    else:
        number = value
    if not 0 <= number <= MAX_TIMETOKEN:
        raise PubNubValueError(
            errormsg=f"{argument} must be between 0 and {MAX_TIMETOKEN}, got {number}",
            pn_error="Invalid timetoken",
        )
    return number


class PNConfiguration:
    """Settings of a client, with the attribute names of the SDK's ``PNConfiguration``.

    Attributes:
        subscribe_key: subscribe key of the key set; required.
        publish_key: publish key; needed to publish and to sign with ``secret_key``.
        secret_key: when set (with ``publish_key``), every request is signed.
        auth_key: Access Manager auth key or token, sent as ``auth``.
        user_id: user id sent with every request, and the author of added
            actions; required, at most 92 bytes. ``uuid`` is the same setting.
        origin: host or ``host:port`` of the service, with no scheme. Required:
            unlike the SDK there is no default, so nothing is sent anywhere you
            did not choose. For the local emulator use ``"127.0.0.1:PORT"`` with
            ``ssl = False``.
        ssl: use HTTPS with certificate verification (default True).
        connect_timeout: seconds allowed to connect (default 10, as the SDK).
        non_subscribe_request_timeout: seconds allowed for a whole request
            (default 10, as the SDK).
        ca_file: PEM file of certificate authorities to trust instead of the
            built-in Mozilla roots (not in the SDK).
        worker_count: library threads that run ``pn_async``, ``future`` and
            ``result`` calls; None for the library default of 4 (not in the SDK).
        queue_capacity: calls that may wait for a worker before new ones are
            rejected; None for the library default of 4096 (not in the SDK).

    The client copies the settings when it is created; later changes have no effect on it.
    """

    def __init__(
        self,
        subscribe_key: Optional[str] = None,
        publish_key: Optional[str] = None,
        uuid: Optional[str] = None,
    ) -> None:
        self.subscribe_key = subscribe_key
        self.publish_key = publish_key
        self.secret_key: Optional[str] = None
        self.auth_key: Optional[str] = None
        self.user_id = uuid
        self.origin: Optional[str] = None
        self.ssl = True
        self.connect_timeout: float = 10
        self.non_subscribe_request_timeout: float = 10
        self.ca_file: Optional[str] = None
        self.worker_count: Optional[int] = None
        self.queue_capacity: Optional[int] = None

    @property
    def uuid(self) -> Optional[str]:
        """The user id; the SDK's older name for ``user_id``."""
        return self.user_id

    @uuid.setter
    def uuid(self, value: Optional[str]) -> None:
        self.user_id = value

    def __repr__(self) -> str:
        # Keys that grant access are shown only as set or unset.
        def redacted(value: Optional[str]) -> str:
            return "<set>" if value else "<unset>"

        return (
            f"PNConfiguration(subscribe_key={self.subscribe_key!r}, publish_key={self.publish_key!r}, "
            f"secret_key={redacted(self.secret_key)}, auth_key={redacted(self.auth_key)}, "
            f"user_id={self.user_id!r}, origin={self.origin!r}, ssl={self.ssl!r}, "
            f"connect_timeout={self.connect_timeout!r}, "
            f"non_subscribe_request_timeout={self.non_subscribe_request_timeout!r})"
        )


class PNMessageAction:
    """An action (a ``type`` and a ``value``) attached to a published message.

    ``message_timetoken`` and ``action_timetoken`` accept an int or a string of
    decimal digits and are stored as int, so reading them back gives an int
    (the SDK keeps strings). An invalid value raises PubNubTypeError or
    PubNubValueError at assignment. ``uuid`` is the author's user id; the
    server sets it from the client's ``user_id``.
    """

    def __init__(self, message_action: Optional[dict] = None) -> None:
        self.type: Optional[str] = None
        self.value: Optional[str] = None
        self.uuid: Optional[str] = None
        self._message_timetoken: Optional[int] = None
        self._action_timetoken: Optional[int] = None
        if message_action is not None:
            # The wire names, as the SDK's constructor reads them.
            self.type = message_action["type"]
            self.value = message_action["value"]
            self.uuid = message_action.get("uuid")
            self.message_timetoken = message_action.get("messageTimetoken")
            self.action_timetoken = message_action.get("actionTimetoken")

    @property
    def message_timetoken(self) -> Optional[int]:
        """Timetoken of the message the action is attached to."""
        return self._message_timetoken

    @message_timetoken.setter
    def message_timetoken(self, value: Optional[Timetoken]) -> None:
        self._message_timetoken = parse_timetoken(value, "message_timetoken")

    @property
    def action_timetoken(self) -> Optional[int]:
        """Timetoken the server assigned to the action when it was added."""
        return self._action_timetoken

    @action_timetoken.setter
    def action_timetoken(self, value: Optional[Timetoken]) -> None:
        self._action_timetoken = parse_timetoken(value, "action_timetoken")

    def create(
        self,
        *,
        type: Optional[str] = None,
        value: Optional[str] = None,
        message_timetoken: Optional[Timetoken] = None,
        user_id: Optional[str] = None,
    ) -> PNMessageAction:
        """Set the type, value, message timetoken and author, and return self."""
        self.type = type
        self.value = value
        self.message_timetoken = message_timetoken
        self.uuid = user_id
        return self

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PNMessageAction):
            return NotImplemented
        return (
            self.type == other.type
            and self.value == other.value
            and self.uuid == other.uuid
            and self.message_timetoken == other.message_timetoken
            and self.action_timetoken == other.action_timetoken
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(type={self.type!r}, value={self.value!r}, uuid={self.uuid!r}, "
            f"message_timetoken={self.message_timetoken!r}, action_timetoken={self.action_timetoken!r})"
        )


class PNAddMessageActionResult(PNMessageAction):
    """Result of an add: the action as the server stored it, with its ``action_timetoken``."""


class PNBoundedPage:
    """Bounds of the next, older page of a get: pass ``start``, ``end`` and
    ``limit`` to the next ``get_message_actions()`` call.

    ``start`` is exclusive and ``end`` inclusive, both action timetokens; ``end``
    is None when the page has no lower bound.
    """

    def __init__(self, start: int, end: Optional[int], limit: int) -> None:
        self.start = start
        self.end = end
        self.limit = limit

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PNBoundedPage):
            return NotImplemented
        return (self.start, self.end, self.limit) == (other.start, other.end, other.limit)

    def __repr__(self) -> str:
        return f"PNBoundedPage(start={self.start!r}, end={self.end!r}, limit={self.limit!r})"


class PNGetMessageActionsResult:
    """Result of a get.

    Attributes:
        actions: the page's actions, oldest first (``PNMessageAction``).
        next_page: a ``PNBoundedPage`` with the bounds of the next, older
            page, or None when this page is the last (not in the SDK).
    """

    def __init__(self, actions: List[PNMessageAction], next_page: Optional[PNBoundedPage]) -> None:
        self.actions = actions
        self.next_page = next_page

    def __repr__(self) -> str:
        return f"PNGetMessageActionsResult(actions={self.actions!r}, next_page={self.next_page!r})"


class PNPublishResult:
    """Result of a publish: the message's ``timetoken``, which actions refer to."""

    def __init__(self, timetoken: int) -> None:
        self.timetoken = timetoken

    def __repr__(self) -> str:
        return f"PNPublishResult(timetoken={self.timetoken!r})"


class PNErrorData:
    """Details of a failed request: ``information`` is ``str(exception)``."""

    def __init__(self, information: str, exception: PubNubException) -> None:
        self.information = information
        self.exception = exception


class PNStatus:
    """Outcome of a request, with the attributes of the SDK's ``PNStatus``.

    SDK attributes: ``category`` (PNStatusCategory), ``operation``
    (PNOperationType), ``status_code`` (HTTP status, None when no reply
    arrived), ``error``, ``error_data`` (PNErrorData with the exception, None
    on success), ``origin``, ``tls_enabled``, ``uuid``, ``auth_key``,
    ``affected_channels`` (the request's channel in a list) and
    ``affected_groups`` (always None). ``client_request``, ``client_response``
    and ``original_response`` are always None, because the HTTP exchange
    happens inside the library.

    Attributes not in the SDK:

    - ``code``: the library's ``pna_code_t`` number, or None for an error
      found by this package before calling the library.
    - ``message``: the library's description of the outcome.
    - ``server_message`` and ``server_details``: the server's error message
      and its ``error.details`` list, when the reply had them.
    - ``retry_after``: seconds from a ``Retry-After`` header, or None.
    - ``request_id``: the library's id of an asynchronous call, or None.
    """

    def __init__(self) -> None:
        self.category: PNStatusCategory = PNStatusCategory.PNUnknownCategory
        self.operation: Union[PNOperationType, int, None] = None
        self.status_code: Optional[int] = None
        self.error = False
        self.error_data: Optional[PNErrorData] = None
        self.origin: Optional[str] = None
        self.tls_enabled: Optional[bool] = None
        self.uuid: Optional[str] = None
        self.auth_key: Optional[str] = None
        self.affected_channels: Optional[List[str]] = None
        self.affected_groups: Optional[List[str]] = None
        self.client_request: Any = None
        self.client_response: Any = None
        self.original_response: Any = None
        self.code: Optional[int] = None
        self.message = ""
        self.server_message: Optional[str] = None
        self.server_details: Any = None
        self.retry_after: Optional[int] = None
        self.request_id: Optional[int] = None

    def is_error(self) -> bool:
        """Return True when the request failed (HTTP 207 included, as in the SDK)."""
        return bool(self.error)

    def __repr__(self) -> str:
        # auth_key is a secret and is left out.
        return (
            f"PNStatus(category={self.category.name}, operation={self.operation!r}, "
            f"status_code={self.status_code!r}, error={self.error!r}, code={self.code!r}, "
            f"message={self.message!r}, origin={self.origin!r}, uuid={self.uuid!r}, "
            f"affected_channels={self.affected_channels!r})"
        )


R = TypeVar("R")


class Envelope(Generic[R]):
    """The ``result`` and ``status`` of a request.

    ``result`` is None on error, except where an error comes with data (HTTP
    207 to an add carries the stored action).
    """

    def __init__(self, result: Optional[R], status: PNStatus) -> None:
        self.result = result
        self.status = status

    def is_error(self) -> bool:
        """Return True when the request failed."""
        return self.status.is_error()

    def __repr__(self) -> str:
        return f"Envelope(result={self.result!r}, status={self.status!r})"
