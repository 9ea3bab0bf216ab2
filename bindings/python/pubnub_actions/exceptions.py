"""Exceptions, shaped like PubNub's Python SDK ``PubNubException``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

if TYPE_CHECKING:
    from .models import PNStatus


class PubNubException(Exception):
    """A rejected call or a failed request.

    ``str(exception)`` reads like the SDK's: ``"<pn_error> (<HTTP status>): <errormsg>"``,
    without the HTTP part when no reply arrived. ``pn_error`` is the SDK's short
    error (for example ``"Channel missing"`` or ``"HTTP Client Error"``) and
    ``errormsg`` is the library's full message.

    Attributes:
        code: the library's ``pna_code_t`` number (for example 1011 for an empty
            channel, 3013 for HTTP 409), or None for an error found by this
            package before calling the library.
        status: the request's ``PNStatus``, or None when no status exists.
        result: data that came with an error, such as the stored action of an
            HTTP 207 reply to an add; otherwise None.
    """

    def __init__(
        self,
        errormsg: str = "",
        status_code: int = 0,
        pn_error: Optional[str] = None,
        status: Optional[PNStatus] = None,
        *,
        code: Optional[int] = None,
        result: Any = None,
    ) -> None:
        self._errormsg = errormsg
        self._status_code = status_code
        self._pn_error = pn_error
        self.status = status
        self.code = code
        self.result = result

        if errormsg and status_code > 0:
            text = f"{pn_error} ({status_code}): {errormsg}"
        elif errormsg:
            text = f"{pn_error}: {errormsg}"
        else:
            text = str(pn_error)
        super().__init__(text)

    @property
    def pn_error(self) -> Optional[str]:
        """The SDK's short error text, such as ``"Channel missing"``."""
        return self._pn_error

    @property
    def errormsg(self) -> str:
        """The library's full message."""
        return self._errormsg

    def get_status_code(self) -> int:
        """Return the HTTP status of the reply, or 0 when none arrived."""
        return self._status_code

    def get_error_message(self) -> str:
        """Return the library's message, or the short error when there is none."""
        return self._errormsg or str(self._pn_error)


class PubNubTypeError(PubNubException, TypeError):
    """An argument has the wrong type, such as a float timetoken; raised before sending."""


class PubNubValueError(PubNubException, ValueError):
    """An argument has an invalid value, such as a timetoken string with a
    letter in it; raised before sending."""
