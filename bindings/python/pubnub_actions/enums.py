"""Status categories and operation types, with the names and numbers of
PubNub's Python SDK (pubnub 10.x, ``pubnub/enums.py``)."""

from __future__ import annotations

from enum import Enum, IntEnum


class PNStatusCategory(Enum):
    """Category of a request's outcome, as in PubNub's Python SDK.

    The library reports these categories:

    - ``PNAcknowledgmentCategory``: success.
    - ``PNAccessDeniedCategory``: HTTP 403.
    - ``PNBadRequestCategory``: HTTP 400, and arguments rejected before sending.
    - ``PNTimeoutCategory``, ``PNCancelledCategory``,
      ``PNTLSConnectionFailedCategory``, ``PNMalformedResponseCategory`` and
      ``PNInternalExceptionCategory``.
    - ``PNUnexpectedDisconnectCategory``: a failed or broken connection.
    - ``PNUnknownCategory``: other errors, HTTP 207, 409, 429 and 5xx among them.

    The subscribe-only categories exist so that the numbers match the SDK.
    """

    PNUnknownCategory = 1
    PNAcknowledgmentCategory = 2
    PNAccessDeniedCategory = 3
    PNTimeoutCategory = 4
    PNNetworkIssuesCategory = 5
    PNConnectedCategory = 6
    PNReconnectedCategory = 7
    PNDisconnectedCategory = 8
    PNUnexpectedDisconnectCategory = 9
    PNCancelledCategory = 10
    PNBadRequestCategory = 11
    PNMalformedFilterExpressionCategory = 12
    PNMalformedResponseCategory = 13
    PNDecryptionErrorCategory = 14
    PNTLSConnectionFailedCategory = 15
    PNTLSUntrustedCertificateCategory = 16
    PNInternalExceptionCategory = 17
    PNSubscriptionChangedCategory = 18
    PNConnectionErrorCategory = 19
    PNSerializationErrorCategory = 20

    @classmethod
    def from_number(cls, number: int) -> PNStatusCategory:
        """Return the category with this number, or ``PNUnknownCategory`` for a
        number that a newer library may add."""
        try:
            return cls(number)
        except ValueError:
            return cls.PNUnknownCategory


class PNOperationType(IntEnum):
    """Operation of a request, with the Python SDK's ``PNOperationType`` numbers.

    The SDK defines these as plain integers; an ``IntEnum`` compares equal to
    them. Only the operations this package performs are listed.
    """

    PNPublishOperation = 3
    PNAddMessageAction = 42
    PNGetMessageActions = 43
    PNDeleteMessageAction = 44
