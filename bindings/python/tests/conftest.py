"""Fixtures: the emulator binary on a free loopback port with its fault
injection, clients configured for it, fresh channels, and a small loopback
HTTP server for the one reply the emulator cannot produce: a body that stalls
halfway."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

import pytest

import pubnub_actions
from pubnub_actions import PNConfiguration, PNMessageAction, PubNub

REPOSITORY = Path(__file__).resolve().parents[3]
# Generous bound on waits for a callback; a test that hits it has failed.
CALLBACK_WAIT_SECONDS = 30
# Delay of faults that keep requests in flight until the test ends.
HOLD_MILLISECONDS = 60_000
# Control requests to the emulator never go through a proxy from the environment.
_LOOPBACK_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def pytest_report_header(config: pytest.Config) -> List[str]:
    from pubnub_actions import _native

    return [
        f"pubnub_actions package: {Path(pubnub_actions.__file__).parent}",
        f"pubnub_actions library: {_native.LIBRARY_PATH}",
    ]


def emulator_path() -> Path:
    override = os.environ.get("PNA_EMULATOR")
    if override:
        return Path(override)
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR", REPOSITORY / "target"))
    return target_dir / "release" / "pubnub-emulator"


class Emulator:
    """A pubnub-emulator process listening on 127.0.0.1 and a free port."""

    def __init__(self, *flags: str) -> None:
        binary = emulator_path()
        if not binary.is_file():
            pytest.fail(
                f"the emulator binary {binary} is missing; build it with "
                "`cargo build --release -p pubnub-emulator` or set PNA_EMULATOR",
                pytrace=False,
            )
        self.process = subprocess.Popen(
            [str(binary), "--host", "127.0.0.1", "--port", "0", "--log-level", "warn", *flags],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert self.process.stdout is not None
        first_line = self.process.stdout.readline().strip()
        prefix = "pubnub-emulator listening on http://"
        if not first_line.startswith(prefix):
            self.stop()
            pytest.fail(f"the emulator printed {first_line!r} instead of its address", pytrace=False)
        self.origin = first_line[len(prefix):]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=CALLBACK_WAIT_SECONDS)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def _control(self, method: str, body: Optional[object] = None) -> dict:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            f"http://{self.origin}/__emulator/faults",
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with _LOOPBACK_OPENER.open(request, timeout=CALLBACK_WAIT_SECONDS) as reply:
                return json.loads(reply.read())
        except urllib.error.HTTPError as error:
            pytest.fail(
                f"the emulator's fault control endpoint returned HTTP {error.code}: {error.read()!r}; an emulator "
                "built before fault injection has none, so rebuild it with `cargo build --release -p pubnub-emulator`",
                pytrace=False,
            )

    def add_fault(self, **fault: object) -> int:
        """Add one fault through the emulator's control endpoint; return its id."""
        return self._control("POST", fault)["faults"][0]["id"]

    def clear_faults(self) -> None:
        self._control("DELETE")

    def wait_for_fault_use(self, fault_id: int, used: int, count: int) -> None:
        """Wait until ``used`` of the ``count`` requests of a fault have arrived."""
        deadline = time.monotonic() + CALLBACK_WAIT_SECONDS
        while time.monotonic() < deadline:
            pending = {fault["id"]: fault["count"] for fault in self._control("GET")["faults"]}
            if count - pending.get(fault_id, 0) >= used:
                return
            time.sleep(0.01)
        raise AssertionError(f"fewer than {used} requests reached fault {fault_id}")


@pytest.fixture(scope="session")
def emulator() -> Iterator[Emulator]:
    server = Emulator()
    yield server
    server.stop()


@pytest.fixture
def faults(emulator: Emulator) -> Iterator[Emulator]:
    """The session's emulator, with every fault cleared when the test ends."""
    yield emulator
    emulator.clear_faults()


def channel_path(channel: str) -> str:
    """Raw path prefix of the actions of ``channel`` (test channels need no percent-encoding)."""
    return f"/v1/message-actions/sub-c-test/channel/{channel}"


def make_config(origin: str, user_id: str = "user-1") -> PNConfiguration:
    config = PNConfiguration()
    config.subscribe_key = "sub-c-test"
    config.publish_key = "pub-c-test"
    config.user_id = user_id
    config.origin = origin
    config.ssl = False
    return config


@pytest.fixture
def config(emulator: Emulator) -> PNConfiguration:
    return make_config(emulator.origin)


@pytest.fixture
def pubnub(config: PNConfiguration) -> Iterator[PubNub]:
    client = PubNub(config)
    yield client
    client.close()


@pytest.fixture
def channel() -> str:
    """A channel no other test uses, so the shared emulator's state never leaks between tests."""
    return f"chats.{uuid.uuid4().hex}"


@pytest.fixture
def message_timetoken(pubnub: PubNub, channel: str) -> int:
    """Timetoken of a message published on ``channel``."""
    return pubnub.publish().channel(channel).message({"text": "hello"}).sync().result.timetoken


def reaction(message_timetoken: object, value: str = "smiley_face", action_type: str = "reaction") -> PNMessageAction:
    action = PNMessageAction()
    action.type = action_type
    action.value = value
    action.message_timetoken = message_timetoken  # type: ignore[assignment]
    return action


class CallbackRecorder:
    """Collects ``pn_async`` callbacks: ``(result, status, thread name)`` each."""

    def __init__(self) -> None:
        self.calls: List[Tuple[object, object, str]] = []
        self._condition = threading.Condition()

    def __call__(self, result: object, status: object) -> None:
        with self._condition:
            self.calls.append((result, status, threading.current_thread().name))
            self._condition.notify_all()

    def wait(self, count: int = 1) -> List[Tuple[object, object, str]]:
        with self._condition:
            arrived = self._condition.wait_for(lambda: len(self.calls) >= count, CALLBACK_WAIT_SECONDS)
        assert arrived, f"expected {count} callbacks, got {len(self.calls)}"
        return self.calls


# ---------------------------------------------------------------------------
# A loopback HTTP server with a scripted reply
# ---------------------------------------------------------------------------


class ScriptedReply:
    """One reply: HTTP status, content type and body. With ``stall_body`` the
    server sends the headers and the first half of the body, then stalls until
    it stops."""

    def __init__(
        self, status: int = 200, body: str = "", content_type: str = "application/json", stall_body: bool = False
    ) -> None:
        self.status = status
        self.body = body
        self.content_type = content_type
        self.stall_body = stall_body


class ScriptedServer:
    """An HTTP server on 127.0.0.1 that gives every request the same scripted reply."""

    def __init__(self, reply: ScriptedReply) -> None:
        self.reply = reply
        self._release = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                if length:
                    self.rfile.read(length)
                body = server.reply.body.encode("utf-8")
                self.send_response(server.reply.status)
                self.send_header("Content-Type", server.reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.reply.stall_body:
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    server._release.wait()
                    return
                self.wfile.write(body)

            do_GET = do_POST = do_DELETE = _answer

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.origin = f"127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="scripted-server", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._release.set()
        self._server.shutdown()
        self._server.server_close()


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    """A scripted server; tests set ``scripted_server.reply`` before calling it."""
    server = ScriptedServer(ScriptedReply())
    yield server
    server.stop()


def closed_port() -> int:
    """Return a loopback port with nothing listening on it."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_python(script: Path, *arguments: str, env: Optional[dict] = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(script), *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
