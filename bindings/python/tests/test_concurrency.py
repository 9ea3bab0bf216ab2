"""Concurrent calls, callbacks that raise, cancellation, closing with calls in
flight, and the log bridge."""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
import time
import weakref

import pytest

from conftest import CALLBACK_WAIT_SECONDS, HOLD_MILLISECONDS, CallbackRecorder, channel_path, make_config, reaction
from pubnub_actions import PNStatusCategory, PubNub, PubNubAsyncio, PubNubException, _calls

CLOSED_TEXT = (
    "Request cancelled: the request was cancelled: the client was closed before the request completed; "
    "if the request was already sent, the server may still apply it"
)
CANCELLED_BY_ID_TEXT = (
    "Request cancelled: the request was cancelled: cancelled by request id before the reply was processed; "
    "if the request was already sent, the server may still apply it"
)


class RecordingHandler(logging.Handler):
    """Keeps the records it receives and signals each arrival."""

    def __init__(self) -> None:
        super().__init__(level=1)
        self.records = []
        self._condition = threading.Condition()

    def emit(self, record: logging.LogRecord) -> None:
        with self._condition:
            self.records.append(record)
            self._condition.notify_all()

    def wait_for(self, predicate) -> logging.LogRecord:
        with self._condition:
            found = self._condition.wait_for(
                lambda: next((record for record in self.records if predicate(record)), None), CALLBACK_WAIT_SECONDS
            )
        assert found, f"no matching log record among {[record.getMessage() for record in self.records]}"
        return found


@pytest.fixture
def package_log():
    logger = logging.getLogger("pubnub_actions")
    handler = RecordingHandler()
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def wait_until(condition, description: str) -> None:
    """Poll ``condition`` until it holds; fail after CALLBACK_WAIT_SECONDS."""
    for _ in range(CALLBACK_WAIT_SECONDS * 100):
        if condition():
            return
        time.sleep(0.01)
    raise AssertionError(f"still waiting for {description}")


def wait_until_no_pending_calls() -> None:
    wait_until(lambda: _calls.pending_count() == 0, "every pending call to complete")


def assert_cancelled(status, text):
    assert status.error is True
    assert status.code == 3000
    assert status.category is PNStatusCategory.PNCancelledCategory
    assert status.status_code is None
    assert status.error_data.information == text


# ---------------------------------------------------------------------------
# Many calls at once
# ---------------------------------------------------------------------------


def test_fifty_concurrent_futures(config, channel, message_timetoken):
    values = [f"value-{index:02}" for index in range(50)]

    async def scenario():
        async with PubNubAsyncio(config) as pubnub:
            added = await asyncio.gather(
                *(
                    pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken, value)).future()
                    for value in values
                )
            )
            listed = await pubnub.get_message_actions().channel(channel).future()
            removed = await asyncio.gather(
                *(
                    pubnub.remove_message_action()
                    .channel(channel)
                    .message_timetoken(message_timetoken)
                    .action_timetoken(envelope.result.action_timetoken)
                    .future()
                    for envelope in added
                )
            )
            after = await pubnub.get_message_actions().channel(channel).future()
            return added, listed, removed, after

    added, listed, removed, after = asyncio.run(scenario())

    assert [envelope.status.error for envelope in added] == [False] * 50
    assert [envelope.result.value for envelope in added] == values
    assert len({envelope.result.action_timetoken for envelope in added}) == 50
    assert len({envelope.status.request_id for envelope in added}) == 50
    assert sorted(action.value for action in listed.result.actions) == values
    assert [envelope.result for envelope in removed] == [{}] * 50
    assert after.result.actions == []
    assert _calls.pending_count() == 0


def test_threads_share_one_client(pubnub, channel, message_timetoken):
    errors = []

    def add_from_thread(index: int) -> None:
        try:
            pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken, f"t{index}")).sync()
        except PubNubException as error:
            errors.append(error)

    threads = [threading.Thread(target=add_from_thread, args=(index,)) for index in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    listed = pubnub.get_message_actions().channel(channel).sync().result
    assert errors == []
    assert sorted(action.value for action in listed.actions) == sorted(f"t{index}" for index in range(16))


# ---------------------------------------------------------------------------
# Exceptions in callbacks
# ---------------------------------------------------------------------------


def test_raising_callback_is_logged_once(pubnub, channel, message_timetoken, package_log):
    calls = []

    def failing_callback(result, status):
        calls.append(status)
        raise RuntimeError("callback failure")

    call = pubnub.add_message_action().channel(channel).message_action(reaction(message_timetoken)).pn_async(failing_callback)
    record = package_log.wait_for(lambda record: record.exc_info is not None)
    after = pubnub.get_message_actions().channel(channel).sync()
    pubnub.close()

    assert len(calls) == 1
    assert calls[0].error is False
    assert record.name == "pubnub_actions"
    assert record.levelno == logging.ERROR
    assert record.getMessage() == (
        f"pubnub_actions: the callback of PNAddMessageAction on channel {channel!r} (request id {call.request_id}) "
        "raised an exception; it was logged here and not re-raised"
    )
    assert isinstance(record.exc_info[1], RuntimeError)
    assert str(record.exc_info[1]) == "callback failure"
    assert [action.value for action in after.result.actions] == ["smiley_face"]


def test_raising_callback_for_rejected_call(pubnub, package_log):
    calls = []

    def failing_callback(result, status):
        calls.append(status)
        raise ValueError("rejected callback failure")

    pubnub.get_message_actions().channel("").pn_async(failing_callback)

    record = package_log.wait_for(lambda record: record.exc_info is not None)
    assert [status.code for status in calls] == [1011]
    assert record.getMessage() == (
        "pubnub_actions: the callback of PNGetMessageActions on channel '' raised an exception; "
        "it was logged here and not re-raised"
    )
    assert str(record.exc_info[1]) == "rejected callback failure"


def test_unreadable_reply_completes_with_internal_error(pubnub, channel, package_log, monkeypatch):
    def broken_page(native):
        raise RuntimeError("boom")

    monkeypatch.setattr(_calls, "page_from_native", broken_page)
    recorder = CallbackRecorder()

    pubnub.get_message_actions().channel(channel).pn_async(recorder)
    [(result, status, _)] = recorder.wait()

    assert result is None
    assert status.code == 9000
    assert status.category is PNStatusCategory.PNInternalExceptionCategory
    assert status.error_data.information == (
        "Internal error: pubnub_actions failed to read the library's reply: RuntimeError('boom'); please report it"
    )
    record = package_log.wait_for(lambda record: record.exc_info is not None)
    assert record.getMessage() == f"pubnub_actions: reading the reply of PNGetMessageActions on channel {channel!r} failed"


# ---------------------------------------------------------------------------
# Cancelling and closing
# ---------------------------------------------------------------------------


HELD_REQUESTS = 20


def held_client(faults, channel, **settings):
    """Return a client whose get requests on ``channel`` stay in flight until
    the test ends, and the id of the emulator fault that delays them."""
    fault_id = faults.add_fault(
        kind="delay", delay_ms=HOLD_MILLISECONDS, method="GET", path_prefix=channel_path(channel), count=HELD_REQUESTS
    )
    config = make_config(faults.origin)
    for name, value in settings.items():
        setattr(config, name, value)
    return PubNub(config), fault_id


def wait_for_held(faults, fault_id, count):
    faults.wait_for_fault_use(fault_id, count, HELD_REQUESTS)


def test_close_completes_calls_in_flight(faults, channel):
    pubnub, fault_id = held_client(faults, channel, worker_count=2)
    recorder = CallbackRecorder()

    async def scenario():
        for _ in range(5):
            pubnub.get_message_actions().channel(channel).pn_async(recorder)
        tasks = [asyncio.ensure_future(pubnub.get_message_actions().channel(channel).future()) for _ in range(5)]
        remove = pubnub.remove_message_action().channel(channel).message_timetoken(1).action_timetoken(2)
        tasks.append(asyncio.ensure_future(remove.result()))
        await asyncio.sleep(0)
        wait_for_held(faults, fault_id, 2)
        pubnub.close()
        # close() returns after every callback has returned.
        completed_before_await = len(recorder.calls)
        return completed_before_await, await asyncio.gather(*tasks, return_exceptions=True)

    completed_before_await, outcomes = asyncio.run(scenario())

    assert completed_before_await == 5
    for result, status, _ in recorder.calls:
        assert result is None
        assert_cancelled(status, CLOSED_TEXT)
    envelopes, result_error = outcomes[:5], outcomes[5]
    for envelope in envelopes:
        assert envelope.result is None
        assert_cancelled(envelope.status, CLOSED_TEXT)
    assert isinstance(result_error, PubNubException)
    assert str(result_error) == CLOSED_TEXT
    assert_cancelled(result_error.status, CLOSED_TEXT)
    assert len(recorder.calls) == 5
    assert _calls.pending_count() == 0


def test_context_manager_closes_with_calls_in_flight(faults, channel):
    recorder = CallbackRecorder()
    client, fault_id = held_client(faults, channel, worker_count=1)
    with client as pubnub:
        for _ in range(3):
            pubnub.get_message_actions().channel(channel).pn_async(recorder)
        wait_for_held(faults, fault_id, 1)

    assert pubnub.closed is True
    assert len(recorder.calls) == 3
    for _, status, _ in recorder.calls:
        assert_cancelled(status, CLOSED_TEXT)


def test_close_waits_for_sync_call_on_other_thread(faults, channel):
    pubnub, fault_id = held_client(faults, channel, non_subscribe_request_timeout=0.3)
    sync_outcome = []

    def call_sync() -> None:
        try:
            pubnub.get_message_actions().channel(channel).sync()
        except PubNubException as error:
            sync_outcome.append(error)

    caller = threading.Thread(target=call_sync)
    caller.start()
    wait_for_held(faults, fault_id, 1)
    pubnub.close()
    caller.join()

    # The call had started, so close() let it finish: it timed out instead of
    # being rejected as closed (2002) or touching a freed handle.
    assert [error.code for error in sync_outcome] == [3001]
    assert pubnub.closed is True


def test_close_inside_callback(emulator, channel):
    config = make_config(emulator.origin)
    config.worker_count = 1
    client = PubNub(config)
    queued = CallbackRecorder()
    all_queued = threading.Event()
    closed_inside = threading.Event()

    def close_from_callback(result, status):
        # The only worker waits here, so the next three calls stay queued.
        all_queued.wait(CALLBACK_WAIT_SECONDS)
        client.close()
        closed_inside.set()

    client.get_message_actions().channel(channel).pn_async(close_from_callback)
    for _ in range(3):
        client.get_message_actions().channel(channel).pn_async(queued)
    all_queued.set()
    calls = queued.wait(3)

    assert closed_inside.wait(CALLBACK_WAIT_SECONDS)
    assert client.closed is True
    for _, status, _ in calls:
        assert_cancelled(status, CLOSED_TEXT)


def test_call_cancel(faults, channel):
    pubnub, fault_id = held_client(faults, channel, worker_count=1)
    running, queued = CallbackRecorder(), CallbackRecorder()

    first = pubnub.get_message_actions().channel(channel).pn_async(running)
    wait_for_held(faults, fault_id, 1)
    second = pubnub.get_message_actions().channel(channel).pn_async(queued)

    assert second.cancel() is True
    [(_, queued_status, _)] = queued.wait()
    assert second.cancel() is False
    assert first.cancel() is True
    [(_, running_status, _)] = running.wait()
    pubnub.close()

    assert_cancelled(queued_status, CANCELLED_BY_ID_TEXT)
    assert_cancelled(running_status, CANCELLED_BY_ID_TEXT)
    assert queued_status.request_id == second.request_id
    assert running_status.request_id == first.request_id
    assert first.cancel() is False


def test_cancelled_task_cancels_request(faults, channel):
    pubnub, fault_id = held_client(faults, channel, worker_count=1)

    async def scenario():
        task = asyncio.ensure_future(pubnub.get_message_actions().channel(channel).future())
        await asyncio.sleep(0)
        wait_for_held(faults, fault_id, 1)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    asyncio.run(scenario())
    wait_until_no_pending_calls()
    pubnub.close()


def test_queue_full_rejects_call(faults, channel):
    pubnub, fault_id = held_client(faults, channel, worker_count=1, queue_capacity=1)
    recorder = CallbackRecorder()

    pubnub.get_message_actions().channel(channel).pn_async(recorder)
    wait_for_held(faults, fault_id, 1)
    pubnub.get_message_actions().channel(channel).pn_async(recorder)
    rejected = []
    call = pubnub.get_message_actions().channel(channel).pn_async(lambda result, status: rejected.append(status))
    pubnub.close()

    [status] = rejected
    assert call.request_id is None
    assert status.code == 2000
    assert status.category is PNStatusCategory.PNUnknownCategory
    assert status.error_data.information == (
        "Request queue is full: the client's request queue is full; wait for callbacks to complete or raise "
        "queue_capacity"
    )
    assert len(recorder.calls) == 2


def test_pending_call_keeps_client_alive(config, channel):
    recorder = CallbackRecorder()
    pubnub = PubNub(config)
    alive = weakref.ref(pubnub)

    pubnub.get_message_actions().channel(channel).pn_async(recorder)
    del pubnub
    [(result, status, _)] = recorder.wait()
    # The library thread drops the last reference once the callback returns.
    wait_until(lambda: gc.collect() is not None and alive() is None, "the client to be collected")

    assert status.error is False
    assert result.actions == []


def test_stop_is_awaitable_on_asyncio_client(config):
    async def scenario():
        pubnub = PubNubAsyncio(config)
        await pubnub.stop()
        return pubnub.closed

    assert asyncio.run(scenario()) is True


# ---------------------------------------------------------------------------
# Library logs
# ---------------------------------------------------------------------------


def test_library_logs_reach_logging(config, channel, package_log):
    logger = logging.getLogger("pubnub_actions")
    previous_level = logger.level
    logger.setLevel(logging.DEBUG)
    try:
        with PubNub(config) as pubnub:
            recorder = CallbackRecorder()
            call = pubnub.get_message_actions().channel(channel).pn_async(recorder)
            recorder.wait()
            record = package_log.wait_for(lambda record: record.getMessage() == f"request {call.request_id} queued")
    finally:
        logger.setLevel(previous_level)
        _calls.forward_native_logs()

    assert record.name == "pubnub_actions.dispatch"
    assert record.levelno == logging.DEBUG
