"""The emulator driven by PubNub's official Python SDK (the `pubnub` package,
10.x), a client this project did not write.

Run through scripts/test-emulator-sdk, which installs the SDK and pytest in
build/venv-sdk and builds the emulator. PNA_EMULATOR names the emulator
binary; the default is target/release/pubnub-emulator (under
CARGO_TARGET_DIR when set), relative to the repository root.
"""

import json
import os
import pathlib
import queue
import subprocess
import time
import urllib.request

import pytest
from pubnub.callbacks import SubscribeCallback
from pubnub.enums import PNStatusCategory
from pubnub.exceptions import PubNubException
from pubnub.models.consumer.message_actions import PNMessageAction
from pubnub.pnconfiguration import PNConfiguration
from pubnub.pubnub import PubNub

REPOSITORY = pathlib.Path(__file__).resolve().parents[3]
SUBSCRIBE_KEY = "sub-c-TEST"
PUBLISH_KEY = "pub-c-TEST"
SECRET_KEY = "sec-c-TEST"

# Upper bound on waits for the emulator and for subscribe events, in seconds.
# Events arrive in milliseconds; the bound only stops a broken run from hanging.
WAIT_SECONDS = 10


def emulator_binary() -> pathlib.Path:
    configured = os.environ.get("PNA_EMULATOR")
    if configured:
        return pathlib.Path(configured)
    target_dir = pathlib.Path(os.environ.get("CARGO_TARGET_DIR", REPOSITORY / "target"))
    if not target_dir.is_absolute():
        target_dir = REPOSITORY / target_dir
    return target_dir / "release" / "pubnub-emulator"


class Emulator:
    """One emulator process on a free loopback port, with its log in a file."""

    def __init__(self, directory: pathlib.Path, flags: list[str]):
        binary = emulator_binary()
        if not binary.is_file():
            raise FileNotFoundError(
                f"emulator binary {binary} is missing; build it with "
                "cargo build --release -p pubnub-emulator or set PNA_EMULATOR"
            )
        port_file = directory / "port"
        self.log_path = directory / "emulator.log"
        self._log = open(self.log_path, "w")
        # A short hold makes the SDK's last long-poll return soon after the test.
        self.process = subprocess.Popen(
            [str(binary), "--port", "0", "--port-file", str(port_file),
             "--subscribe-hold-seconds", "2", *flags],
            stdout=subprocess.DEVNULL,
            stderr=self._log,
        )
        deadline = time.monotonic() + WAIT_SECONDS
        while not port_file.exists():
            if self.process.poll() is not None:
                raise RuntimeError(f"emulator exited with {self.process.returncode}: {self.log()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"emulator did not listen within {WAIT_SECONDS} s: {self.log()}")
            time.sleep(0.02)
        self.origin = port_file.read_text().strip()

    def log(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def add_fault(self, fault: dict) -> None:
        request = urllib.request.Request(
            f"http://{self.origin}/__emulator/faults",
            data=json.dumps(fault).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as reply:
            assert reply.status == 200

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=WAIT_SECONDS)
        self._log.close()


@pytest.fixture(scope="module")
def plain_emulator(tmp_path_factory):
    emulator = Emulator(tmp_path_factory.mktemp("plain"), [])
    yield emulator
    emulator.stop()


@pytest.fixture(scope="module")
def signed_emulator(tmp_path_factory):
    flags = ["--subscribe-key", SUBSCRIBE_KEY, "--publish-key", PUBLISH_KEY, "--secret-key", SECRET_KEY]
    emulator = Emulator(tmp_path_factory.mktemp("signed"), flags)
    yield emulator
    emulator.stop()


def client(emulator: Emulator, user_id: str, secret_key: str | None = None) -> PubNub:
    config = PNConfiguration()
    config.subscribe_key = SUBSCRIBE_KEY
    config.publish_key = PUBLISH_KEY
    config.user_id = user_id
    config.origin = emulator.origin
    config.ssl = False
    config.secret_key = secret_key
    # The SDK cannot cancel a pending long-poll; daemon threads let the test
    # process exit without waiting for it.
    config.daemon = True
    # Opts in to the locked configuration that later SDK versions make the default.
    config.disable_config_locking = False
    return PubNub(config)


class EventQueue(SubscribeCallback):
    """Collects subscribe events as tuples, for the test thread to read."""

    def __init__(self):
        self.events = queue.Queue()

    def status(self, pubnub, status):
        if status.category == PNStatusCategory.PNConnectedCategory:
            self.events.put(("connected",))

    def message(self, pubnub, message):
        self.events.put(("message", message.channel, message.message, message.publisher))

    def message_action(self, pubnub, message_action):
        self.events.put((
            "action", message_action.channel, message_action.type, message_action.value,
            message_action.uuid, message_action.message_timetoken, message_action.action_timetoken,
        ))

    def next(self):
        return self.events.get(timeout=WAIT_SECONDS)


def reaction(message_timetoken, value: str) -> PNMessageAction:
    return PNMessageAction().create(type="reaction", value=value, message_timetoken=str(message_timetoken))


@pytest.mark.parametrize("mode", ["plain", "signed"])
def test_actions_round_trip(mode, request):
    emulator = request.getfixturevalue(f"{mode}_emulator")
    secret_key = SECRET_KEY if mode == "signed" else None
    channel = f"sdk-round-trip-{mode}"
    actor = client(emulator, "user-1", secret_key)
    subscriber = client(emulator, "user-2", secret_key)
    listener = EventQueue()
    subscriber.add_listener(listener)
    subscriber.subscribe().channels(channel).execute()
    try:
        assert listener.next() == ("connected",)

        published = actor.publish().channel(channel).message({"text": "hello"}).sync()
        message_timetoken = published.result.timetoken
        added = actor.add_message_action(channel=channel, message_action=reaction(message_timetoken, "smile")).sync()
        action_timetoken = added.result.action_timetoken
        listed = actor.get_message_actions(channel=channel).sync()
        fetched = actor.fetch_messages().channels(channel).include_message_actions(True).sync()
        removed = actor.remove_message_action(
            channel=channel, message_timetoken=message_timetoken, action_timetoken=action_timetoken
        ).sync()
        listed_after = actor.get_message_actions(channel=channel).sync()

        assert published.status.status_code == 200
        assert added.status.status_code == 200
        assert vars(added.result) == {
            "type": "reaction", "value": "smile", "uuid": "user-1",
            "message_timetoken": str(message_timetoken), "action_timetoken": action_timetoken,
        }
        assert int(action_timetoken) > message_timetoken
        assert [vars(action) for action in listed.result.actions] == [vars(added.result)]
        items = fetched.result.channels[channel]
        assert [item.message for item in items] == [{"text": "hello"}]
        assert items[0].timetoken == str(message_timetoken)
        assert items[0].actions == {"reaction": {"smile": [{"uuid": "user-1", "actionTimetoken": action_timetoken}]}}
        assert removed.status.status_code == 200
        assert listed_after.result.actions == []

        # The SDK passes "added" and "removed" events to message_action alike,
        # without the event name, so only their order distinguishes them.
        expected_action = (
            "action", channel, "reaction", "smile", "user-1", str(message_timetoken), action_timetoken,
        )
        assert listener.next() == ("message", channel, {"text": "hello"}, "user-1")
        assert listener.next() == expected_action
        assert listener.next() == expected_action
    finally:
        subscriber.unsubscribe_all()
        subscriber.stop()
        actor.stop()

    if mode == "signed":
        log = emulator.log()
        assert "signature=REDACTED" in log
        assert " -> 403 " not in log


def test_wrong_secret_key_is_rejected(signed_emulator):
    actor = client(signed_emulator, "user-1", "sec-c-WRONG")

    with pytest.raises(PubNubException) as raised:
        actor.get_message_actions(channel="sdk-wrong-secret").sync()

    assert raised.value.get_status_code() == 403
    assert raised.value.get_error_message() == {
        "message": "Invalid signature",
        "source": "grant",
        "details": [{
            "message": "Client and server produced different signatures for the same inputs.",
            "location": "signature",
            "locationType": "query",
        }],
    }


def test_duplicate_add_is_409(plain_emulator):
    actor = client(plain_emulator, "user-1")
    action = reaction(15610547826969050, "duplicate")
    actor.add_message_action(channel="sdk-duplicate", message_action=action).sync()

    with pytest.raises(PubNubException) as raised:
        actor.add_message_action(channel="sdk-duplicate", message_action=reaction(15610547826969050, "duplicate")).sync()

    assert raised.value.get_status_code() == 409
    assert raised.value.get_error_message() == {"source": "actions", "message": "Action Already Added"}


def test_partial_success_207_stores_action(plain_emulator):
    actor = client(plain_emulator, "user-1")
    plain_emulator.add_fault({"kind": "event_not_published", "method": "POST"})

    # pubnub 10.x raises for any status other than 200, 207 included.
    with pytest.raises(PubNubException) as raised:
        actor.add_message_action(channel="sdk-partial", message_action=reaction(15610547826969050, "partial")).sync()
    listed = actor.get_message_actions(channel="sdk-partial").sync()

    assert raised.value.get_status_code() == 207
    # pubnub 10.x keeps the whole reply body only in this attribute.
    body = json.loads(raised.value._errormsg)
    assert body["error"] == {"message": "Stored but failed to publish message action.", "source": "actions"}
    assert [action.action_timetoken for action in listed.result.actions] == [body["data"]["actionTimetoken"]]


def test_rate_limit_429_reaches_sdk(plain_emulator):
    actor = client(plain_emulator, "user-1")
    plain_emulator.add_fault({"kind": "reply", "status": 429, "path_prefix": "/v1/message-actions/"})

    with pytest.raises(PubNubException) as raised:
        actor.get_message_actions(channel="sdk-limited").sync()
    retried = actor.get_message_actions(channel="sdk-limited").sync()

    assert raised.value.get_status_code() == 429
    assert json.loads(raised.value._errormsg) == {"status": 429, "error": True, "message": "Too many requests."}
    assert retried.status.status_code == 200
