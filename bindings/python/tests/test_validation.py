"""Every argument and configuration error, with its exact code, category and
message, in every call style. Rejected calls send nothing; only the signing
and publish-key tests send requests to an emulator."""

from __future__ import annotations

import asyncio
import threading

import pytest

from conftest import make_config, reaction
from pubnub_actions import (
    PNConfiguration,
    PNMessageAction,
    PNOperationType,
    PNStatusCategory,
    PubNub,
    PubNubException,
    PubNubTypeError,
    PubNubValueError,
)

BAD_REQUEST = PNStatusCategory.PNBadRequestCategory
UNKNOWN = PNStatusCategory.PNUnknownCategory
ADD = PNOperationType.PNAddMessageAction
GET = PNOperationType.PNGetMessageActions
REMOVE = PNOperationType.PNDeleteMessageAction
PUBLISH = PNOperationType.PNPublishOperation
LONE_SURROGATE = "\ud800"


def action(message_timetoken=17000000000000000, action_type="reaction", value="smiley_face"):
    built = PNMessageAction()
    built.type = action_type
    built.value = value
    built.message_timetoken = message_timetoken
    return built


# (id, builder factory, operation, code, category, str(exception), channel in the status)
CALL_ERRORS = [
    ("add-channel-none", lambda p: p.add_message_action().message_action(action()), ADD, 1010, BAD_REQUEST,
     "Channel missing: invalid argument: channel is NULL", None),
    ("add-channel-empty", lambda p: p.add_message_action().channel("").message_action(action()), ADD, 1011, BAD_REQUEST,
     "Channel missing: invalid argument: channel is empty", ""),
    ("add-channel-not-utf8", lambda p: p.add_message_action().channel(LONE_SURROGATE).message_action(action()), ADD,
     1012, BAD_REQUEST, "Channel is not valid UTF-8: invalid argument: channel is not valid UTF-8", LONE_SURROGATE),
    ("add-channel-nul", lambda p: p.add_message_action().channel("a\0b").message_action(action()), ADD, None,
     BAD_REQUEST, "Invalid argument: channel contains a NUL character (U+0000), which the library cannot accept", "a\0b"),
    ("add-action-missing", lambda p: p.add_message_action().channel("ch"), ADD, None, BAD_REQUEST,
     "Message action is missing: message_action is None; pass a PNMessageAction with type, value and message_timetoken",
     "ch"),
    ("add-type-none", lambda p: p.add_message_action().channel("ch").message_action(action(action_type=None)), ADD,
     1020, BAD_REQUEST, "Message action type is missing: invalid argument: type is NULL", "ch"),
    ("add-type-empty", lambda p: p.add_message_action().channel("ch").message_action(action(action_type="")), ADD,
     1021, BAD_REQUEST, "Message action type is missing: invalid argument: type is empty", "ch"),
    ("add-type-not-utf8",
     lambda p: p.add_message_action().channel("ch").message_action(action(action_type=LONE_SURROGATE)), ADD, 1022,
     BAD_REQUEST, "Message action type is not valid UTF-8: invalid argument: type is not valid UTF-8", "ch"),
    ("add-type-not-str", lambda p: p.add_message_action().channel("ch").message_action(action(action_type=5)), ADD,
     None, BAD_REQUEST, "Invalid argument: type must be a str, not int (5)", "ch"),
    ("add-value-none", lambda p: p.add_message_action().channel("ch").message_action(action(value=None)), ADD, 1030,
     BAD_REQUEST, "Message action value is missing: invalid argument: value is NULL", "ch"),
    ("add-value-empty", lambda p: p.add_message_action().channel("ch").message_action(action(value="")), ADD, 1031,
     BAD_REQUEST, "Message action value is missing: invalid argument: value is empty", "ch"),
    ("add-value-not-utf8",
     lambda p: p.add_message_action().channel("ch").message_action(action(value=LONE_SURROGATE)), ADD, 1032,
     BAD_REQUEST, "Message action value is not valid UTF-8: invalid argument: value is not valid UTF-8", "ch"),
    ("add-value-nul", lambda p: p.add_message_action().channel("ch").message_action(action(value="a\0")), ADD, None,
     BAD_REQUEST, "Invalid argument: value contains a NUL character (U+0000), which the library cannot accept", "ch"),
    ("add-message-timetoken-none",
     lambda p: p.add_message_action().channel("ch").message_action(action(message_timetoken=None)), ADD, 1050,
     BAD_REQUEST,
     "Message timetoken is missing: invalid argument: message_timetoken is 0 or not set; "
     "pass the timetoken that publish returned for the message", "ch"),
    ("add-message-timetoken-zero",
     lambda p: p.add_message_action().channel("ch").message_action(action(message_timetoken="0")), ADD, 1050,
     BAD_REQUEST,
     "Message timetoken is missing: invalid argument: message_timetoken is 0 or not set; "
     "pass the timetoken that publish returned for the message", "ch"),
    ("get-channel-none", lambda p: p.get_message_actions(), GET, 1010, BAD_REQUEST,
     "Channel missing: invalid argument: channel is NULL", None),
    ("get-channel-empty", lambda p: p.get_message_actions().channel(""), GET, 1011, BAD_REQUEST,
     "Channel missing: invalid argument: channel is empty", ""),
    ("get-limit-too-large", lambda p: p.get_message_actions().channel("ch").limit(101), GET, 1052, BAD_REQUEST,
     "Limit is too large: invalid argument: limit is above 100, the maximum number of actions per page; "
     "pass 1 to 100, or 0 for 100", "ch"),
    ("get-range-empty", lambda p: p.get_message_actions().channel("ch").start(5).end(5), GET, 1053, BAD_REQUEST,
     "Range is empty: invalid argument: end is not below start; start is exclusive and end inclusive, "
     "so end must be lower than start", "ch"),
    ("remove-channel-empty",
     lambda p: p.remove_message_action().channel("").message_timetoken(1).action_timetoken(2), REMOVE, 1011,
     BAD_REQUEST, "Channel missing: invalid argument: channel is empty", ""),
    ("remove-message-timetoken-none", lambda p: p.remove_message_action().channel("ch").action_timetoken(2), REMOVE,
     1050, BAD_REQUEST,
     "Message timetoken is missing: invalid argument: message_timetoken is 0 or not set; "
     "pass the timetoken that publish returned for the message", "ch"),
    ("remove-action-timetoken-none", lambda p: p.remove_message_action().channel("ch").message_timetoken(1), REMOVE,
     1051, BAD_REQUEST,
     "Message action timetoken is missing: invalid argument: action_timetoken is 0 or not set; "
     "pass the action_timetoken that add or get returned", "ch"),
    ("publish-message-none", lambda p: p.publish().channel("ch"), PUBLISH, 1040, BAD_REQUEST,
     "Message missing: invalid argument: message is NULL", "ch"),
    ("publish-message-not-json", lambda p: p.publish().channel("ch").message(object()), PUBLISH, None, BAD_REQUEST,
     "Trying to publish not JSON serializable object: message cannot be converted to JSON: "
     "Object of type object is not JSON serializable", "ch"),
    ("publish-channel-none", lambda p: p.publish().message("hi"), PUBLISH, 1010, BAD_REQUEST,
     "Channel missing: invalid argument: channel is NULL", None),
]


def check_rejection(status, operation, code, category, text, channel, config):
    assert status.error is True
    assert status.code == code
    assert status.category is category
    assert status.operation == operation
    assert status.status_code is None
    assert status.request_id is None
    assert status.origin == config.origin
    assert status.uuid == config.user_id
    assert status.tls_enabled is False
    assert status.affected_channels == (None if channel is None else [channel])
    assert status.error_data.information == text
    exception = status.error_data.exception
    assert isinstance(exception, PubNubException)
    assert str(exception) == text
    assert exception.code == code
    assert exception.status is status
    assert exception.get_status_code() == 0


@pytest.mark.parametrize(
    "make_builder, operation, code, category, text, channel",
    [case[1:] for case in CALL_ERRORS],
    ids=[case[0] for case in CALL_ERRORS],
)
def test_rejected_call_in_every_style(pubnub, config, make_builder, operation, code, category, text, channel):
    with pytest.raises(PubNubException) as raised:
        make_builder(pubnub).sync()
    check_rejection(raised.value.status, operation, code, category, text, channel, config)

    callbacks = []
    make_builder(pubnub).pn_async(lambda result, status: callbacks.append((result, status, threading.get_ident())))
    if operation == PUBLISH:
        # Publish runs pn_async on its own thread; wait for it.
        for thread in threading.enumerate():
            if thread.name == "pubnub-actions-publish":
                thread.join()
    [(result, status, thread_ident)] = callbacks
    assert result is None
    check_rejection(status, operation, code, category, text, channel, config)
    if operation != PUBLISH:
        assert thread_ident == threading.get_ident()

    async def asynchronous():
        envelope = await make_builder(pubnub).future()
        with pytest.raises(PubNubException) as raised_by_result:
            await make_builder(pubnub).result()
        return envelope, raised_by_result.value

    envelope, exception = asyncio.run(asynchronous())
    assert envelope.is_error() is True
    assert envelope.result is None
    check_rejection(envelope.status, operation, code, category, text, channel, config)
    check_rejection(exception.status, operation, code, category, text, channel, config)


def test_publish_without_publish_key(emulator):
    config = make_config(emulator.origin)
    config.publish_key = None
    with PubNub(config) as pubnub:
        with pytest.raises(PubNubException) as raised:
            pubnub.publish().channel("ch").message("hi").sync()

    assert raised.value.code == 1064
    assert raised.value.status.category is BAD_REQUEST
    assert str(raised.value) == (
        "Publish key not configured: invalid argument: publish_key is not set; "
        "publishing needs the publish key of the key set"
    )


def test_closed_client_rejects_calls(config, channel):
    pubnub = PubNub(config)
    pubnub.close()
    text = "Client is closed: the client is shutting down and accepts no new requests"

    with pytest.raises(PubNubException) as raised:
        pubnub.get_message_actions().channel(channel).sync()
    callbacks = []
    call = pubnub.get_message_actions().channel(channel).pn_async(lambda result, status: callbacks.append(status))

    assert pubnub.closed is True
    assert raised.value.code == 2002
    assert raised.value.status.category is UNKNOWN
    assert str(raised.value) == text
    assert [status.code for status in callbacks] == [2002]
    assert callbacks[0].error_data.information == text
    assert call.request_id is None
    assert call.cancel() is False


# ---------------------------------------------------------------------------
# Timetokens and limits, checked when they are set
# ---------------------------------------------------------------------------

TIMETOKEN_ERRORS = [
    (1.5, PubNubTypeError, "must be an int or a string of decimal digits, not float (1.5)"),
    (True, PubNubTypeError, "must be an int or a string of decimal digits, not bool (True)"),
    (b"123", PubNubTypeError, "must be an int or a string of decimal digits, not bytes (b'123')"),
    ("12a", PubNubValueError, "must contain only the digits 0-9, got '12a'"),
    ("", PubNubValueError, "must contain only the digits 0-9, got ''"),
    (" 123", PubNubValueError, "must contain only the digits 0-9, got ' 123'"),
    ("-5", PubNubValueError, "must contain only the digits 0-9, got '-5'"),
    ("１２", PubNubValueError, "must contain only the digits 0-9, got '１２'"),
    (-1, PubNubValueError, "must be between 0 and 18446744073709551615, got -1"),
    (2**64, PubNubValueError, "must be between 0 and 18446744073709551615, got 18446744073709551616"),
    ("18446744073709551616", PubNubValueError,
     "must be between 0 and 18446744073709551615, got 18446744073709551616"),
]

TIMETOKEN_SETTERS = [
    ("message_timetoken", lambda p, v: setattr(PNMessageAction(), "message_timetoken", v)),
    ("action_timetoken", lambda p, v: setattr(PNMessageAction(), "action_timetoken", v)),
    ("message_timetoken", lambda p, v: PNMessageAction().create(type="t", value="v", message_timetoken=v)),
    ("start", lambda p, v: p.get_message_actions().start(v)),
    ("end", lambda p, v: p.get_message_actions().end(v)),
    ("start", lambda p, v: p.get_message_actions(start=v)),
    ("message_timetoken", lambda p, v: p.remove_message_action().message_timetoken(v)),
    ("action_timetoken", lambda p, v: p.remove_message_action().action_timetoken(v)),
]


@pytest.mark.parametrize("value, error_type, detail", TIMETOKEN_ERRORS, ids=[repr(case[0]) for case in TIMETOKEN_ERRORS])
def test_invalid_timetoken_raises_naming_argument(pubnub, value, error_type, detail):
    for argument, set_timetoken in TIMETOKEN_SETTERS:
        with pytest.raises(error_type) as raised:
            set_timetoken(pubnub, value)
        assert str(raised.value) == f"Invalid timetoken: {argument} {detail}"
        assert raised.value.code is None
        assert isinstance(raised.value, PubNubException)
        assert isinstance(raised.value, TypeError if error_type is PubNubTypeError else ValueError)


def test_timetokens_stored_as_int():
    built = PNMessageAction()
    built.message_timetoken = "17579669463728661"
    built.action_timetoken = 18446744073709551615

    assert built.message_timetoken == 17579669463728661
    assert built.action_timetoken == 18446744073709551615
    assert PNMessageAction({"type": "t", "value": "v", "uuid": "u", "messageTimetoken": "12",
                            "actionTimetoken": "34"}).action_timetoken == 34


LIMIT_ERRORS = [
    (1.0, PubNubTypeError, "Invalid argument: limit must be an int or a string of decimal digits, not float (1.0)"),
    (False, PubNubTypeError, "Invalid argument: limit must be an int or a string of decimal digits, not bool (False)"),
    ("ten", PubNubValueError, "Invalid argument: limit must contain only the digits 0-9, got 'ten'"),
    (-1, PubNubValueError, "Invalid argument: limit must be between 1 and 100, got -1"),
    (2**32, PubNubValueError, "Invalid argument: limit must be between 1 and 100, got 4294967296"),
]


@pytest.mark.parametrize("value, error_type, text", LIMIT_ERRORS, ids=[repr(case[0]) for case in LIMIT_ERRORS])
def test_invalid_limit_raises(pubnub, value, error_type, text):
    with pytest.raises(error_type) as raised:
        pubnub.get_message_actions().limit(value)

    assert str(raised.value) == text
    assert raised.value.code is None


# ---------------------------------------------------------------------------
# Configuration, checked when the client is created
# ---------------------------------------------------------------------------


def set_config(**settings):
    def change(config: PNConfiguration) -> None:
        for name, value in settings.items():
            setattr(config, name, value)

    return change


CONFIG_ERRORS = [
    ("subscribe-key-none", set_config(subscribe_key=None), 1060,
     "Subscribe key not configured: invalid argument: subscribe_key is NULL"),
    ("subscribe-key-empty", set_config(subscribe_key=""), 1061,
     "Subscribe key not configured: invalid argument: subscribe_key is empty"),
    ("subscribe-key-not-utf8", set_config(subscribe_key=LONE_SURROGATE), 1062,
     "Subscribe key is not valid UTF-8: invalid argument: subscribe_key is not valid UTF-8"),
    ("publish-key-not-utf8", set_config(publish_key=LONE_SURROGATE), 1063,
     "Publish key is not valid UTF-8: invalid argument: publish_key is not valid UTF-8"),
    ("secret-key-not-utf8", set_config(secret_key=LONE_SURROGATE), 1065,
     "Secret key is not valid UTF-8: invalid argument: secret_key is not valid UTF-8"),
    ("secret-key-without-publish-key", set_config(secret_key="sec-c-test", publish_key=None), 1066,
     "Publish key not configured: invalid argument: secret_key is set but publish_key is not; "
     "request signatures need both"),
    ("auth-key-not-utf8", set_config(auth_key=LONE_SURROGATE), 1067,
     "Auth key is not valid UTF-8: invalid argument: auth_key is not valid UTF-8"),
    ("user-id-none", set_config(user_id=None), 1070, "User ID not configured: invalid argument: user_id is NULL"),
    ("uuid-empty", set_config(uuid=""), 1071, "User ID not configured: invalid argument: user_id is empty"),
    ("user-id-not-utf8", set_config(user_id=LONE_SURROGATE), 1072,
     "User ID is not valid UTF-8: invalid argument: user_id is not valid UTF-8"),
    ("user-id-too-long", set_config(user_id="u" * 93), 1073,
     "User ID is too long: invalid argument: user_id is longer than 92 bytes, the service maximum"),
    ("origin-none", set_config(origin=None), 1080,
     "Origin not configured: invalid argument: origin is NULL; set the host (and optional port) of the service, "
     "for example the emulator's 127.0.0.1:PORT"),
    ("origin-empty", set_config(origin=""), 1081,
     "Origin not configured: invalid argument: origin is empty; set the host (and optional port) of the service, "
     "for example the emulator's 127.0.0.1:PORT"),
    ("origin-not-utf8", set_config(origin=LONE_SURROGATE), 1082,
     "Origin is not valid UTF-8: invalid argument: origin is not valid UTF-8"),
    ("origin-with-scheme", set_config(origin="http://127.0.0.1:8090"), 1083,
     "Origin is invalid: invalid argument: origin must be a host or host:port without scheme, path, spaces or "
     "user info"),
    ("ca-file-not-utf8", set_config(ca_file=LONE_SURROGATE), 1090,
     "CA file path is not valid UTF-8: invalid argument: ca_file is not valid UTF-8"),
    ("ca-file-missing", set_config(ca_file="/nonexistent/ca.pem"), 1091,
     "CA file is invalid: invalid argument: ca_file could not be read or contains no PEM certificate: "
     "'/nonexistent/ca.pem'"),
    ("worker-count-zero", set_config(worker_count=0), 1092,
     "Worker count is invalid: invalid argument: worker_count must be between 1 and 256"),
    ("worker-count-too-large", set_config(worker_count=257), 1092,
     "Worker count is invalid: invalid argument: worker_count must be between 1 and 256"),
    ("queue-capacity-zero", set_config(queue_capacity=0), 1093,
     "Queue capacity is invalid: invalid argument: queue_capacity must be between 1 and 1000000"),
    ("queue-capacity-too-large", set_config(queue_capacity=1_000_001), 1093,
     "Queue capacity is invalid: invalid argument: queue_capacity must be between 1 and 1000000"),
    ("connect-timeout-zero", set_config(connect_timeout=0), 1094,
     "Timeout is invalid: invalid argument: connect_timeout and request_timeout must be between 1 ms and "
     "3600000 ms (one hour)"),
    ("request-timeout-negative", set_config(non_subscribe_request_timeout=-1), 1094,
     "Timeout is invalid: invalid argument: connect_timeout and request_timeout must be between 1 ms and "
     "3600000 ms (one hour)"),
    ("request-timeout-above-an-hour", set_config(non_subscribe_request_timeout=3601), 1094,
     "Timeout is invalid: invalid argument: connect_timeout and request_timeout must be between 1 ms and "
     "3600000 ms (one hour)"),
]


@pytest.mark.parametrize("change, code, text", [case[1:] for case in CONFIG_ERRORS], ids=[case[0] for case in CONFIG_ERRORS])
def test_invalid_configuration_raises(emulator, change, code, text):
    config = make_config(emulator.origin)
    change(config)

    with pytest.raises(PubNubException) as raised:
        PubNub(config)

    assert raised.value.code == code
    assert str(raised.value) == text
    assert raised.value.status is None


CONFIG_TYPE_ERRORS = [
    (set_config(subscribe_key=5), PubNubTypeError, "Invalid configuration: subscribe_key must be a str, not int"),
    (set_config(origin="127.0.0.1\0:1"), PubNubValueError,
     "Invalid configuration: origin contains a NUL character (U+0000), which the library cannot accept"),
    (set_config(connect_timeout="10"), PubNubTypeError,
     "Invalid configuration: connect_timeout must be a number of seconds, not str"),
    (set_config(worker_count=2.0), PubNubTypeError, "Invalid configuration: worker_count must be an int, not float"),
]


@pytest.mark.parametrize("change, error_type, text", CONFIG_TYPE_ERRORS)
def test_configuration_type_errors(emulator, change, error_type, text):
    config = make_config(emulator.origin)
    change(config)

    with pytest.raises(error_type) as raised:
        PubNub(config)

    assert str(raised.value) == text
    assert raised.value.code is None


def test_secret_key_signs_requests(emulator, channel):
    from conftest import Emulator

    signing = Emulator("--secret-key", "sec-c-test", "--publish-key", "pub-c-test")
    try:
        good = make_config(signing.origin)
        good.secret_key = "sec-c-test"
        wrong = make_config(signing.origin)
        wrong.secret_key = "sec-c-wrong"
        with PubNub(good) as signed, PubNub(wrong) as badly_signed:
            listed = signed.get_message_actions().channel(channel).sync()
            with pytest.raises(PubNubException) as raised:
                badly_signed.get_message_actions().channel(channel).sync()
    finally:
        signing.stop()

    assert listed.result.actions == []
    assert raised.value.code == 3012
    assert raised.value.status.category is PNStatusCategory.PNAccessDeniedCategory
    assert raised.value.get_status_code() == 403
