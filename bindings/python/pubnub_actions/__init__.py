"""PubNub Message Actions for Python, in the vocabulary of PubNub's Python SDK.

A thin ctypes layer over the pubnub-actions Rust library: the HTTP requests,
their worker threads and connection reuse happen in the library.

    from pubnub_actions import PNConfiguration, PNMessageAction, PubNub

    config = PNConfiguration()
    config.subscribe_key = "sub-c-demo"
    config.user_id = "user-1"
    config.origin = "127.0.0.1:8090"   # required: there is no default origin
    config.ssl = False

    with PubNub(config) as pubnub:
        action = PNMessageAction()
        action.type = "reaction"
        action.value = "smiley_face"
        action.message_timetoken = 17579669463728661
        envelope = pubnub.add_message_action().channel("chats.room1").message_action(action).sync()
        print(envelope.result.action_timetoken)

Timetokens are accepted as int or as a string of decimal digits, and returned as int.
Library log records go to the ``pubnub_actions`` logger.
"""

from . import _native
from .client import PubNub, PubNubAsyncio
from .endpoints import AddMessageAction, Call, GetMessageActions, Publish, RemoveMessageAction
from .enums import PNOperationType, PNStatusCategory
from .exceptions import PubNubException, PubNubTypeError, PubNubValueError
from .models import (
    Envelope,
    PNAddMessageActionResult,
    PNBoundedPage,
    PNConfiguration,
    PNErrorData,
    PNGetMessageActionsResult,
    PNMessageAction,
    PNPublishResult,
    PNStatus,
)

__version__ = "0.1.0"


def native_version() -> str:
    """Return the version of the loaded pubnub-actions library."""
    return _native.version()


__all__ = [
    "AddMessageAction",
    "Call",
    "Envelope",
    "GetMessageActions",
    "PNAddMessageActionResult",
    "PNBoundedPage",
    "PNConfiguration",
    "PNErrorData",
    "PNGetMessageActionsResult",
    "PNMessageAction",
    "PNOperationType",
    "PNPublishResult",
    "PNStatus",
    "PNStatusCategory",
    "Publish",
    "PubNub",
    "PubNubAsyncio",
    "PubNubException",
    "PubNubTypeError",
    "PubNubValueError",
    "RemoveMessageAction",
    "native_version",
]
