"""Failed requests, each in every call style.

The emulator returns 403, 409 and 400 by itself. Its fault injection adds 207,
an HTML 500, a JSON 503, 429, a reply that is not JSON, a truncated body, a
closed connection and a reply too slow for the timeout. A scripted loopback
server sends a body that stalls halfway, and a closed loopback port refuses
the connection.
"""

from __future__ import annotations

import asyncio

import pytest

from conftest import (
    HOLD_MILLISECONDS,
    CallbackRecorder,
    Emulator,
    ScriptedReply,
    channel_path,
    closed_port,
    make_config,
    reaction,
)
from pubnub_actions import (
    PNAddMessageActionResult,
    PNOperationType,
    PNStatusCategory,
    PubNub,
    PubNubException,
)

MESSAGE_TIMETOKEN = 17579669463728661


def outcomes_in_every_style(make_builder):
    """Run a freshly made builder in each call style and return
    ``{style: (result, status, exception or None)}``."""
    outcomes = {}

    try:
        make_builder().sync()
        raise AssertionError("sync() returned for a failed request")
    except PubNubException as error:
        outcomes["sync"] = (error.result, error.status, error)

    recorder = CallbackRecorder()
    make_builder().pn_async(recorder)
    [(result, status, _)] = recorder.wait()
    outcomes["pn_async"] = (result, status, None)

    async def asynchronous():
        envelope = await make_builder().future()
        try:
            await make_builder().result()
            raise AssertionError("result() returned for a failed request")
        except PubNubException as error:
            return envelope, error

    envelope, error = asyncio.run(asynchronous())
    assert envelope.is_error() is True
    outcomes["future"] = (envelope.result, envelope.status, None)
    outcomes["result"] = (error.result, error.status, error)
    return outcomes


def check_failure(outcomes, *, code, category, status_code, text, operation, server_message=None):
    for style, (_, status, exception) in outcomes.items():
        assert status.error is True, style
        assert status.code == code, style
        assert status.category is category, style
        assert status.status_code == status_code, style
        assert status.operation == operation, style
        assert status.server_message == server_message, style
        assert status.error_data.information == text, style
        assert str(status.error_data.exception) == text, style
        assert status.error_data.exception.code == code, style
        if exception is not None:
            assert exception is status.error_data.exception, style
            assert exception.get_status_code() == (status_code or 0), style


# ---------------------------------------------------------------------------
# From the emulator
# ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def access_emulator():
    server = Emulator("--grant", "good-auth:*:rw")
    yield server
    server.stop()


def test_access_denied_403(access_emulator, channel):
    config = make_config(access_emulator.origin)
    config.auth_key = "bad-auth"
    text = (
        "HTTP Client Error (403): the server denied access (check the auth key, its permissions and the request "
        "signature) (HTTP 403): Supplied authorization key does not have the permissions required to perform this "
        "operation."
    )
    with PubNub(config) as pubnub:
        added = outcomes_in_every_style(
            lambda: pubnub.add_message_action().channel(channel).message_action(reaction(MESSAGE_TIMETOKEN))
        )
        listed = outcomes_in_every_style(lambda: pubnub.get_message_actions().channel(channel))
        removed = outcomes_in_every_style(
            lambda: pubnub.remove_message_action().channel(channel).message_timetoken(1).action_timetoken(2)
        )

    server_message = "Supplied authorization key does not have the permissions required to perform this operation."
    for outcomes, operation in [
        (added, PNOperationType.PNAddMessageAction),
        (listed, PNOperationType.PNGetMessageActions),
        (removed, PNOperationType.PNDeleteMessageAction),
    ]:
        check_failure(
            outcomes,
            code=3012,
            category=PNStatusCategory.PNAccessDeniedCategory,
            status_code=403,
            text=text,
            operation=operation,
            server_message=server_message,
        )
        assert [result for result, _, _ in outcomes.values()] == [None] * 4


def test_granted_auth_key_is_allowed(access_emulator, channel):
    config = make_config(access_emulator.origin)
    config.auth_key = "good-auth"
    with PubNub(config) as pubnub:
        added = pubnub.add_message_action().channel(channel).message_action(reaction(MESSAGE_TIMETOKEN)).sync()

    assert added.result.value == "smiley_face"
    assert added.status.auth_key == "good-auth"


def test_already_added_409(pubnub, channel, message_timetoken):
    pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken)).sync()

    outcomes = outcomes_in_every_style(
        lambda: pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken))
    )

    check_failure(
        outcomes,
        code=3013,
        category=PNStatusCategory.PNUnknownCategory,
        status_code=409,
        text=(
            "HTTP Client Error (409): this user already added an action with this type and value to the message "
            "(HTTP 409): Action Already Added"
        ),
        operation=PNOperationType.PNAddMessageAction,
        server_message="Action Already Added",
    )
    assert len(pubnub.get_message_actions().channel(channel).sync().result.actions) == 1


def test_remove_by_other_user_400(pubnub, emulator, channel, message_timetoken):
    added = pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken)).sync().result

    with PubNub(make_config(emulator.origin, user_id="user-2")) as other:
        outcomes = outcomes_in_every_style(
            lambda: other.remove_message_action()
            .channel(channel)
            .message_timetoken(message_timetoken)
            .action_timetoken(added.action_timetoken)
        )

    check_failure(
        outcomes,
        code=3011,
        category=PNStatusCategory.PNBadRequestCategory,
        status_code=400,
        text=(
            "HTTP Client Error (400): the server rejected the request as invalid (HTTP 400): "
            "Not deleting message action: wrong uuid specified"
        ),
        operation=PNOperationType.PNDeleteMessageAction,
        server_message="Not deleting message action: wrong uuid specified",
    )
    assert pubnub.get_message_actions().channel(channel).sync().result.actions == [added]


def test_remove_missing_action_400(pubnub, channel):
    outcomes = outcomes_in_every_style(
        lambda: pubnub.remove_message_action().channel(channel).message_timetoken(1).action_timetoken(2)
    )

    check_failure(
        outcomes,
        code=3011,
        category=PNStatusCategory.PNBadRequestCategory,
        status_code=400,
        text=(
            "HTTP Client Error (400): the server rejected the request as invalid (HTTP 400): "
            "No matching message actions to delete"
        ),
        operation=PNOperationType.PNDeleteMessageAction,
        server_message="No matching message actions to delete",
    )


# ---------------------------------------------------------------------------
# From the emulator's fault injection
# ---------------------------------------------------------------------------


def test_add_stored_but_not_published_207(faults, pubnub, channel, message_timetoken):
    faults.add_fault(kind="event_not_published", method="POST", path_prefix=channel_path(channel), count=4)
    values = iter(["style-1", "style-2", "style-3", "style-4"])

    outcomes = outcomes_in_every_style(
        lambda: pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken, next(values)))
    )

    check_failure(
        outcomes,
        code=3010,
        category=PNStatusCategory.PNUnknownCategory,
        status_code=207,
        text=(
            "HTTP Client Error (207): the server stored the change but could not publish its event to subscribers "
            "(HTTP 207): Stored but failed to publish message action."
        ),
        operation=PNOperationType.PNAddMessageAction,
        server_message="Stored but failed to publish message action.",
    )
    stored = pubnub.get_message_actions().channel(channel).sync().result.actions
    assert [result.value for result, _, _ in outcomes.values()] == ["style-1", "style-2", "style-3", "style-4"]
    for style, (result, status, _) in outcomes.items():
        assert isinstance(result, PNAddMessageActionResult), style
        assert result.message_timetoken == message_timetoken, style
        assert result.uuid == "user-1", style
        assert status.error_data.exception.result is result, style
    assert stored == [result for result, _, _ in outcomes.values()]


def test_remove_done_but_not_published_207(faults, pubnub, channel, message_timetoken):
    added = [
        pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken, f"v{index}")).sync().result
        for index in range(4)
    ]
    faults.add_fault(kind="event_not_published", method="DELETE", path_prefix=channel_path(channel), count=4)
    to_remove = iter(added)

    outcomes = outcomes_in_every_style(
        lambda: pubnub.remove_message_action()
        .channel(channel)
        .message_timetoken(message_timetoken)
        .action_timetoken(next(to_remove).action_timetoken)
    )

    check_failure(
        outcomes,
        code=3010,
        category=PNStatusCategory.PNUnknownCategory,
        status_code=207,
        text=(
            "HTTP Client Error (207): the server stored the change but could not publish its event to subscribers "
            "(HTTP 207): Deleted but failed to publish removed events."
        ),
        operation=PNOperationType.PNDeleteMessageAction,
        server_message="Deleted but failed to publish removed events.",
    )
    assert [result for result, _, _ in outcomes.values()] == [None] * 4
    assert pubnub.get_message_actions().channel(channel).sync().result.actions == []


def get_outcomes_with_fault(faults, pubnub, channel, **fault):
    faults.add_fault(method="GET", path_prefix=channel_path(channel), count=4, **fault)
    return outcomes_in_every_style(lambda: pubnub.get_message_actions().channel(channel))


def test_html_server_error_500(faults, pubnub, channel):
    outcomes = get_outcomes_with_fault(faults, pubnub, channel, kind="reply", status=500)

    # NOTE: the library checks for JSON before it looks at the HTTP status, so a
    # non-JSON 5xx reply gets the malformed-response code (3020) and category;
    # the PubNub Python SDK reports such a reply as PNUnknownCategory.
    check_failure(
        outcomes,
        code=3020,
        category=PNStatusCategory.PNMalformedResponseCategory,
        status_code=500,
        text=(
            "HTTP Server Error (500): the server's reply is not the expected JSON (HTTP 500): not JSON (expected "
            'value at line 1 column 1); the reply starts with "<html><head><title>500 Internal Server Error</title>'
            '</head><body><h1>500 Interna"...'
        ),
        operation=PNOperationType.PNGetMessageActions,
    )


def test_json_server_error_503(faults, pubnub, channel):
    outcomes = get_outcomes_with_fault(faults, pubnub, channel, kind="reply", status=503)

    check_failure(
        outcomes,
        code=3015,
        category=PNStatusCategory.PNUnknownCategory,
        status_code=503,
        text="HTTP Server Error (503): the server failed to process the request (HTTP 503): Service Unavailable",
        operation=PNOperationType.PNGetMessageActions,
        server_message="Service Unavailable",
    )


def test_rate_limited_429_with_retry_after(faults, pubnub, channel):
    outcomes = get_outcomes_with_fault(faults, pubnub, channel, kind="reply", status=429, headers={"Retry-After": "7"})

    check_failure(
        outcomes,
        code=3014,
        category=PNStatusCategory.PNUnknownCategory,
        status_code=429,
        text="HTTP Client Error (429): the server is rate limiting requests (HTTP 429): Too many requests.",
        operation=PNOperationType.PNGetMessageActions,
        server_message="Too many requests.",
    )
    assert [status.retry_after for _, status, _ in outcomes.values()] == [7] * 4


def test_bad_request_details_400(faults, pubnub, channel):
    body = (
        '{"status": 400, "error": {"source": "actions", "message": "Request payload contained invalid input.", '
        '"details": [{"message": "Missing field", "location": "value", "locationType": "body"}]}}'
    )
    outcomes = get_outcomes_with_fault(faults, pubnub, channel, kind="reply", status=400, body=body)

    check_failure(
        outcomes,
        code=3011,
        category=PNStatusCategory.PNBadRequestCategory,
        status_code=400,
        text=(
            "HTTP Client Error (400): the server rejected the request as invalid (HTTP 400): "
            "Request payload contained invalid input."
        ),
        operation=PNOperationType.PNGetMessageActions,
        server_message="Request payload contained invalid input.",
    )
    details = [{"message": "Missing field", "location": "value", "locationType": "body"}]
    assert [status.server_details for _, status, _ in outcomes.values()] == [details] * 4


def test_reply_not_json_200(faults, pubnub, channel):
    outcomes = get_outcomes_with_fault(faults, pubnub, channel, kind="malformed_json")

    check_failure(
        outcomes,
        code=3020,
        category=PNStatusCategory.PNMalformedResponseCategory,
        status_code=200,
        text=(
            "JSON decoding failed (200): the server's reply is not the expected JSON (HTTP 200): not JSON (EOF "
            'while parsing a string at line 1 column 50); the reply starts with "{\\"status\\": 200, \\"data\\": '
            '[{\\"type\\": \\"reaction\\", \\"val"'
        ),
        operation=PNOperationType.PNGetMessageActions,
    )


def test_truncated_body(faults, pubnub, channel):
    outcomes = get_outcomes_with_fault(faults, pubnub, channel, kind="truncate")

    check_failure(
        outcomes,
        code=3020,
        category=PNStatusCategory.PNMalformedResponseCategory,
        status_code=200,
        text=(
            "JSON decoding failed (200): the server's reply is not the expected JSON (HTTP 200): "
            "reading the body failed after 11 bytes: gzip decompression failed: Peer disconnected"
        ),
        operation=PNOperationType.PNGetMessageActions,
    )


def test_connection_closed_without_reply(faults, pubnub, channel):
    outcomes = get_outcomes_with_fault(faults, pubnub, channel, kind="close")

    check_failure(
        outcomes,
        code=3002,
        category=PNStatusCategory.PNUnexpectedDisconnectCategory,
        status_code=None,
        text=f"Connection Error: the connection to the origin failed ({faults.origin}): io: Peer disconnected",
        operation=PNOperationType.PNGetMessageActions,
    )


def test_request_timeout(faults, emulator, channel, message_timetoken):
    faults.add_fault(kind="delay", delay_ms=HOLD_MILLISECONDS, method="POST", path_prefix=channel_path(channel), count=4)
    config = make_config(emulator.origin)
    config.non_subscribe_request_timeout = 0.2
    values = iter(["style-1", "style-2", "style-3", "style-4"])
    with PubNub(config) as pubnub:
        outcomes = outcomes_in_every_style(
            lambda: pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken, next(values)))
        )

    check_failure(
        outcomes,
        code=3001,
        category=PNStatusCategory.PNTimeoutCategory,
        status_code=None,
        text=(
            f"Client Timeout: the request timed out ({emulator.origin}): timeout: global; the request may have "
            "reached the server, so check whether the change was applied before repeating it"
        ),
        operation=PNOperationType.PNAddMessageAction,
    )


def test_timeout_while_reading_body(scripted_server):
    # The emulator's faults delay a whole reply or cut it short, but never
    # stall in the middle of a body, so a scripted server does that here.
    scripted_server.reply = ScriptedReply(200, '{"status": 200, "data": []}', stall_body=True)
    config = make_config(scripted_server.origin)
    config.non_subscribe_request_timeout = 0.2
    with PubNub(config) as pubnub:
        outcomes = outcomes_in_every_style(lambda: pubnub.get_message_actions().channel("ch"))

    check_failure(
        outcomes,
        code=3001,
        category=PNStatusCategory.PNTimeoutCategory,
        status_code=200,
        text="Client Timeout (200): the request timed out (HTTP 200): reading the body failed after 13 bytes: timeout: global",
        operation=PNOperationType.PNGetMessageActions,
    )


def test_connection_refused():
    origin = f"127.0.0.1:{closed_port()}"
    with PubNub(make_config(origin)) as pubnub:
        outcomes = outcomes_in_every_style(lambda: pubnub.get_message_actions().channel("ch"))

    check_failure(
        outcomes,
        code=3002,
        category=PNStatusCategory.PNUnexpectedDisconnectCategory,
        status_code=None,
        text=f"Connection Error: the connection to the origin failed ({origin}): io: Connection refused (os error 111)",
        operation=PNOperationType.PNGetMessageActions,
    )
