"""Compare pubnub_actions with PubNub's official Python SDK on the same emulator.

Two workloads, each run by both packages against one emulator on loopback
(origin 127.0.0.1:PORT, ssl off):

- sequential: ``sync()`` add, get and remove on one channel, one after another;
- concurrent: rounds of 50 ``future()`` adds awaited together, then 50
  ``future()`` removes of those actions awaited together.

Each workload runs ``--trials`` times, each trial after a warm-up and with
trials alternating between the packages. The median operations per second is
printed as a Markdown table, followed by every trial's figure.
Run it through ``benches/python/run``, which prepares the virtual environment.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Callable, List

REPOSITORY = Path(__file__).resolve().parents[2]
CONCURRENCY = 50
KEYS = [("ours", "sequential"), ("official", "sequential"), ("ours", "concurrent"), ("official", "concurrent")]


# ---------------------------------------------------------------------------
# The emulator
# ---------------------------------------------------------------------------


def emulator_binary() -> Path:
    override = os.environ.get("PNA_EMULATOR")
    if override:
        return Path(override)
    target_dir = Path(os.environ.get("CARGO_TARGET_DIR", REPOSITORY / "target"))
    return target_dir / "release" / "pubnub-emulator"


class Emulator:
    """A pubnub-emulator process on 127.0.0.1 and a free port."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [str(emulator_binary()), "--host", "127.0.0.1", "--port", "0", "--log-level", "error"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        first_line = self.process.stdout.readline().strip()
        prefix = "pubnub-emulator listening on http://"
        if not first_line.startswith(prefix):
            self.stop()
            raise SystemExit(f"bench.py: the emulator printed {first_line!r} instead of its address")
        self.origin = first_line[len(prefix):]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stdout.close()


# ---------------------------------------------------------------------------
# Clients: the same five operations for each package
# ---------------------------------------------------------------------------


def ours_clients(origin: str):
    import pubnub_actions

    config = pubnub_actions.PNConfiguration()
    config.subscribe_key = "sub-c-bench"
    config.publish_key = "pub-c-bench"
    config.user_id = "bench-ours"
    config.origin = origin
    config.ssl = False
    return pubnub_actions, pubnub_actions.PubNub(config), (lambda: pubnub_actions.PubNubAsyncio(config))


def official_clients(origin: str):
    from pubnub.models.consumer.message_actions import PNMessageAction
    from pubnub.pnconfiguration import PNConfiguration
    from pubnub.pubnub import PubNub
    from pubnub.pubnub_asyncio import PubNubAsyncio

    def config() -> PNConfiguration:
        settings = PNConfiguration()
        settings.subscribe_key = "sub-c-bench"
        settings.publish_key = "pub-c-bench"
        settings.user_id = "bench-official"
        # Only the emulator on loopback: the SDK's default origin is never used.
        settings.origin = origin
        settings.ssl = False
        settings.enable_subscribe = False
        return settings

    class Models:
        pass

    models = Models()
    models.PNMessageAction = PNMessageAction
    return models, PubNub(config()), (lambda: PubNubAsyncio(config()))


def new_action(models, message_timetoken: int, value: str):
    action = models.PNMessageAction()
    action.type = "reaction"
    action.value = value
    action.message_timetoken = str(message_timetoken)
    return action


def sequential_round(models, pubnub, channel: str, message_timetoken: int, index: int) -> None:
    added = (
        pubnub.add_message_action()
        .channel(channel)
        .message_action(new_action(models, message_timetoken, f"v{index}"))
        .sync()
        .result
    )
    listed = pubnub.get_message_actions().channel(channel).sync().result
    assert len(listed.actions) == 1, "the channel should hold exactly the action just added"
    (
        pubnub.remove_message_action()
        .channel(channel)
        .message_timetoken(message_timetoken)
        .action_timetoken(added.action_timetoken)
        .sync()
    )


async def concurrent_round(models, pubnub, channel: str, message_timetoken: int, round_index: int) -> None:
    added = await asyncio.gather(
        *(
            pubnub.add_message_action()
            .channel(channel)
            .message_action(new_action(models, message_timetoken, f"r{round_index}-{index}"))
            .future()
            for index in range(CONCURRENCY)
        )
    )
    for envelope in added:
        assert not envelope.status.is_error(), envelope.status
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
    for envelope in removed:
        assert not envelope.status.is_error(), envelope.status


# ---------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------


def sequential_rate(models, pubnub, iterations: int, trial: int) -> float:
    """Return operations per second of ``iterations`` sequential rounds on a fresh channel."""
    channel = f"bench.{uuid.uuid4().hex}"
    message_timetoken = 17000000000000000
    for index in range(20):
        sequential_round(models, pubnub, channel, message_timetoken, -index - 1)

    started = time.perf_counter()
    for index in range(iterations):
        sequential_round(models, pubnub, channel, message_timetoken, trial * iterations + index)
    return 3 * iterations / (time.perf_counter() - started)


def concurrent_rate(models, make_client, rounds: int) -> float:
    """Return operations per second of ``rounds`` concurrent rounds, with a new
    client and one warm-up round on a fresh channel."""
    channel = f"bench.{uuid.uuid4().hex}"
    message_timetoken = 17000000000000000

    async def run() -> float:
        pubnub = make_client()
        try:
            await concurrent_round(models, pubnub, channel, message_timetoken, -1)
            started = time.perf_counter()
            for round_index in range(rounds):
                await concurrent_round(models, pubnub, channel, message_timetoken, round_index)
            return 2 * CONCURRENCY * rounds / (time.perf_counter() - started)
        finally:
            await pubnub.stop()

    return asyncio.run(run())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=300, help="sequential add+get+remove rounds per trial")
    parser.add_argument("--rounds", type=int, default=20, help="concurrent rounds (50 adds, 50 removes) per trial")
    parser.add_argument("--trials", type=int, default=5, help="timed trials per workload; the median is reported")
    arguments = parser.parse_args()

    import pubnub_actions

    official_version = importlib.metadata.version("pubnub")

    emulator = Emulator()
    try:
        ours_models, ours_sync, make_ours_async = ours_clients(emulator.origin)
        official_models, official_sync, make_official_async = official_clients(emulator.origin)

        results = {key: [] for key in KEYS}
        # Trials alternate between the packages, so that load from other
        # processes on the machine affects both alike.
        for trial in range(arguments.trials):
            results["ours", "sequential"].append(sequential_rate(ours_models, ours_sync, arguments.iterations, trial))
            results["official", "sequential"].append(
                sequential_rate(official_models, official_sync, arguments.iterations, trial)
            )
        for _ in range(arguments.trials):
            results["ours", "concurrent"].append(
                concurrent_rate(ours_models, make_ours_async, arguments.rounds)
            )
            results["official", "concurrent"].append(
                concurrent_rate(official_models, make_official_async, arguments.rounds)
            )
        ours_sync.close()
        try:
            official_sync.stop()
        except Exception:
            # The SDK's stop() closes its HTTP client, then raises because
            # subscribe is disabled; only the closing matters here.
            pass
    finally:
        emulator.stop()

    print(f"python {platform.python_version()}, pubnub_actions {pubnub_actions.__version__}, pubnub {official_version}, "
          f"{os.cpu_count()} CPUs, {platform.machine()}")
    print(f"sequential: {arguments.iterations} x (add, get, remove) per trial; concurrent: {arguments.rounds} x "
          f"({CONCURRENCY} adds, then {CONCURRENCY} removes) per trial; {arguments.trials} trials, median shown")
    print()
    print("| workload | pubnub_actions (ops/s) | pubnub (ops/s) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for workload, label in [("sequential", "sequential sync() add+get+remove"), ("concurrent", "50 concurrent future()")]:
        ours = statistics.median(results["ours", workload])
        official = statistics.median(results["official", workload])
        print(f"| {label} | {ours:,.0f} | {official:,.0f} | {ours / official:.1f}x |")
    print()
    for (package, workload), rates in results.items():
        print(f"trials {package} {workload}: " + ", ".join(f"{rate:,.0f}" for rate in rates))
    return 0


if __name__ == "__main__":
    sys.exit(main())
