"""Add, get and remove against the emulator, in every call style."""

from __future__ import annotations

import asyncio
import threading

import pytest

from conftest import CallbackRecorder, make_config, reaction
from pubnub_actions import (
    Envelope,
    PNAddMessageActionResult,
    PNBoundedPage,
    PNGetMessageActionsResult,
    PNMessageAction,
    PNOperationType,
    PNStatusCategory,
    PubNub,
    PubNubAsyncio,
)


def assert_success(status, operation, channel, origin):
    assert status.error is False
    assert status.is_error() is False
    assert status.error_data is None
    assert status.category is PNStatusCategory.PNAcknowledgmentCategory
    assert status.operation == operation
    assert status.status_code == 200
    assert status.code == 0
    assert status.message == "success"
    assert status.origin == origin
    assert status.tls_enabled is False
    assert status.uuid == "user-1"
    assert status.auth_key is None
    assert status.affected_channels == [channel]
    assert status.affected_groups is None


def assert_stored(action, message_timetoken, value="smiley_face"):
    assert isinstance(action, PNAddMessageActionResult)
    assert action.type == "reaction"
    assert action.value == value
    assert action.uuid == "user-1"
    assert action.message_timetoken == message_timetoken
    assert type(action.action_timetoken) is int
    assert action.action_timetoken > message_timetoken


# ---------------------------------------------------------------------------
# sync()
# ---------------------------------------------------------------------------


def test_sync_add_get_remove(pubnub, channel, message_timetoken, emulator):
    added = pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken)).sync()

    assert isinstance(added, Envelope)
    assert_stored(added.result, message_timetoken)
    assert_success(added.status, PNOperationType.PNAddMessageAction, channel, emulator.origin)
    assert added.status.request_id is None

    listed = pubnub.get_message_actions().channel(channel).sync()

    assert isinstance(listed.result, PNGetMessageActionsResult)
    assert listed.result.actions == [added.result]
    assert type(listed.result.actions[0]) is PNMessageAction
    assert listed.result.next_page is None
    assert_success(listed.status, PNOperationType.PNGetMessageActions, channel, emulator.origin)

    removed = (
        pubnub.remove_message_action()
        .channel(channel)
        .message_timetoken(message_timetoken)
        .action_timetoken(added.result.action_timetoken)
        .sync()
    )

    assert removed.result == {}
    assert_success(removed.status, PNOperationType.PNDeleteMessageAction, channel, emulator.origin)
    assert pubnub.get_message_actions().channel(channel).sync().result.actions == []


def test_sync_accepts_string_timetokens(pubnub, channel, message_timetoken):
    added = pubnub.add_message_action().channel(channel).message_action(reaction(str(message_timetoken))).sync()
    action_timetoken = added.result.action_timetoken

    listed = pubnub.get_message_actions().channel(channel).start(str(action_timetoken + 1)).end(str(action_timetoken)).limit("1").sync()
    removed = (
        pubnub.remove_message_action()
        .channel(channel)
        .message_timetoken(str(message_timetoken))
        .action_timetoken(str(action_timetoken))
        .sync()
    )

    assert added.result.message_timetoken == message_timetoken
    assert [action.action_timetoken for action in listed.result.actions] == [action_timetoken]
    assert removed.result == {}


def test_builder_keyword_arguments(pubnub, channel, message_timetoken):
    added = pubnub.add_message_action(channel=channel, message_action=reaction(message_timetoken)).sync().result

    listed = pubnub.get_message_actions(channel=channel, limit=10).sync().result
    removed = pubnub.remove_message_action(
        channel=channel, message_timetoken=message_timetoken, action_timetoken=added.action_timetoken
    ).sync()

    assert listed.actions == [added]
    assert removed.result == {}


def test_get_pages_oldest_first(pubnub, channel, message_timetoken):
    values = [f"value-{index}" for index in range(5)]
    added = [
        pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken, value)).sync().result
        for value in values
    ]
    timetokens = [action.action_timetoken for action in added]

    first = pubnub.get_message_actions().channel(channel).limit(2).sync().result

    assert [action.value for action in first.actions] == ["value-3", "value-4"]
    assert first.next_page == PNBoundedPage(start=timetokens[3], end=None, limit=2)

    second = (
        pubnub.get_message_actions()
        .channel(channel)
        .start(first.next_page.start)
        .end(first.next_page.end)
        .limit(first.next_page.limit)
        .sync()
        .result
    )
    third = pubnub.get_message_actions().channel(channel).start(second.next_page.start).limit(2).sync().result

    assert [action.value for action in second.actions] == ["value-1", "value-2"]
    assert [action.value for action in third.actions] == ["value-0"]
    assert third.next_page is None


def test_get_range_bounds(pubnub, channel, message_timetoken):
    added = [
        pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken, f"v{index}")).sync().result
        for index in range(4)
    ]
    timetokens = [action.action_timetoken for action in added]

    middle = pubnub.get_message_actions().channel(channel).start(timetokens[3]).end(timetokens[1]).sync().result

    assert [action.action_timetoken for action in middle.actions] == timetokens[1:3]


def test_publish_returns_timetoken(pubnub, channel):
    first = pubnub.publish().channel(channel).message("hello").sync()
    second = pubnub.publish().channel(channel).message({"text": "hi", "count": 2}).sync()

    assert type(first.result.timetoken) is int
    assert second.result.timetoken > first.result.timetoken
    assert first.status.operation == PNOperationType.PNPublishOperation
    assert first.status.category is PNStatusCategory.PNAcknowledgmentCategory


def test_unicode_and_nul_free_text_round_trip(pubnub, channel, message_timetoken):
    action = reaction(message_timetoken, value="👋 héllo", action_type="réaction")
    emoji_channel = channel + ".émoji/#?"

    added = pubnub.add_message_action().channel(emoji_channel).message_action(action).sync()
    listed = pubnub.get_message_actions().channel(emoji_channel).sync()

    assert added.result.type == "réaction"
    assert added.result.value == "👋 héllo"
    assert added.status.affected_channels == [emoji_channel]
    assert listed.result.actions == [added.result]


# ---------------------------------------------------------------------------
# pn_async()
# ---------------------------------------------------------------------------


def test_pn_async_add_get_remove(pubnub, channel, message_timetoken, emulator):
    added_callback = CallbackRecorder()
    call = pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken)).pn_async(added_callback)
    [(added, added_status, thread_name)] = added_callback.wait()

    assert_stored(added, message_timetoken)
    assert_success(added_status, PNOperationType.PNAddMessageAction, channel, emulator.origin)
    assert added_status.request_id == call.request_id
    assert thread_name != threading.current_thread().name

    listed_callback = CallbackRecorder()
    pubnub.get_message_actions().channel(channel).pn_async(listed_callback)
    [(listed, listed_status, _)] = listed_callback.wait()

    assert listed.actions == [added]
    assert_success(listed_status, PNOperationType.PNGetMessageActions, channel, emulator.origin)

    removed_callback = CallbackRecorder()
    (
        pubnub.remove_message_action()
        .channel(channel)
        .message_timetoken(message_timetoken)
        .action_timetoken(added.action_timetoken)
        .pn_async(removed_callback)
    )
    [(removed, removed_status, _)] = removed_callback.wait()

    assert removed == {}
    assert_success(removed_status, PNOperationType.PNDeleteMessageAction, channel, emulator.origin)


def test_pn_async_publish(pubnub, channel):
    recorder = CallbackRecorder()

    pubnub.publish().channel(channel).message("hi").pn_async(recorder)
    [(result, status, _)] = recorder.wait()

    assert type(result.timetoken) is int
    assert status.category is PNStatusCategory.PNAcknowledgmentCategory


def test_pn_async_callback_may_start_next_call(pubnub, channel, message_timetoken):
    recorder = CallbackRecorder()

    def after_add(result, status):
        pubnub.get_message_actions().channel(channel).pn_async(recorder)

    pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken)).pn_async(after_add)
    [(listed, status, _)] = recorder.wait()

    assert [action.value for action in listed.actions] == ["smiley_face"]
    assert status.error is False


# ---------------------------------------------------------------------------
# future() and result()
# ---------------------------------------------------------------------------


def test_future_add_get_remove(config, channel, message_timetoken, emulator):
    async def scenario():
        async with PubNubAsyncio(config) as pubnub:
            added = await pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken)).future()
            listed = await pubnub.get_message_actions().channel(channel).future()
            removed = (
                await pubnub.remove_message_action()
                .channel(channel)
                .message_timetoken(message_timetoken)
                .action_timetoken(added.result.action_timetoken)
                .future()
            )
            return added, listed, removed

    added, listed, removed = asyncio.run(scenario())

    assert isinstance(added, Envelope)
    assert added.is_error() is False
    assert_stored(added.result, message_timetoken)
    assert_success(added.status, PNOperationType.PNAddMessageAction, channel, emulator.origin)
    assert type(added.status.request_id) is int
    assert listed.result.actions == [added.result]
    assert_success(listed.status, PNOperationType.PNGetMessageActions, channel, emulator.origin)
    assert removed.result == {}
    assert_success(removed.status, PNOperationType.PNDeleteMessageAction, channel, emulator.origin)


def test_result_add_get_remove(config, channel, message_timetoken):
    async def scenario():
        pubnub = PubNubAsyncio(config)
        try:
            added = await pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken)).result()
            listed = await pubnub.get_message_actions().channel(channel).result()
            removed = (
                await pubnub.remove_message_action()
                .channel(channel)
                .message_timetoken(message_timetoken)
                .action_timetoken(added.action_timetoken)
                .result()
            )
            after = await pubnub.get_message_actions().channel(channel).result()
        finally:
            await pubnub.stop()
        return added, listed, removed, after

    added, listed, removed, after = asyncio.run(scenario())

    assert_stored(added, message_timetoken)
    assert listed.actions == [added]
    assert removed == {}
    assert after.actions == []


def test_future_and_result_publish(config, channel):
    async def scenario():
        async with PubNub(config) as pubnub:
            envelope = await pubnub.publish().channel(channel).message("one").future()
            result = await pubnub.publish().channel(channel).message("two").result()
            return envelope, result

    envelope, result = asyncio.run(scenario())

    assert envelope.status.error is False
    assert result.timetoken > envelope.result.timetoken


def test_future_completes_on_awaiting_loop(pubnub, channel, message_timetoken):
    async def scenario():
        loop_thread = threading.get_ident()
        envelope = await pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken)).future()
        return loop_thread, threading.get_ident(), envelope

    loop_thread, resumed_thread, envelope = asyncio.run(scenario())

    assert resumed_thread == loop_thread
    assert envelope.result.value == "smiley_face"


def test_status_carries_auth_key_without_showing_it(emulator, channel):
    config = make_config(emulator.origin)
    config.auth_key = "secret-auth"
    with PubNub(config) as pubnub:
        status = pubnub.get_message_actions().channel(channel).sync().status

    assert status.auth_key == "secret-auth"
    assert "secret-auth" not in repr(status)
    assert "secret-auth" not in repr(config)
