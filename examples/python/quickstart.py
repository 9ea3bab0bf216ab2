"""Quickstart: add, list and remove a message action with pubnub_actions.

Start the emulator, then run this script with its address:

    target/release/pubnub-emulator --port 8090 &
    python examples/python/quickstart.py 127.0.0.1:8090

or let the repository's helper start one on a free port:

    scripts/with-emulator python examples/python/quickstart.py

The origin comes from the first argument or from PNA_EMULATOR_ORIGIN; there is
no default, so the script never talks to a host you did not name.
"""

import os
import sys
import threading

from pubnub_actions import PNConfiguration, PNMessageAction, PubNub, PubNubException


def main() -> int:
    origin = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("PNA_EMULATOR_ORIGIN")
    if not origin:
        print("usage: quickstart.py HOST:PORT (or set PNA_EMULATOR_ORIGIN)", file=sys.stderr)
        return 2

    config = PNConfiguration()
    config.subscribe_key = "sub-c-demo"
    config.publish_key = "pub-c-demo"
    config.user_id = "quickstart-user"
    config.origin = origin
    config.ssl = False  # the emulator speaks plain HTTP on loopback

    with PubNub(config) as pubnub:
        # Actions attach to a published message, identified by its timetoken.
        message_timetoken = pubnub.publish().channel("chats.room1").message({"text": "hello"}).sync().result.timetoken
        print(f"published a message at timetoken {message_timetoken}")

        # 1. Add, with a callback that runs on a library thread.
        added = threading.Event()
        stored = {}

        def callback(result, status):
            if status.is_error():
                print(f"add failed: {status.error_data.information}", file=sys.stderr)
            else:
                stored["action"] = result
            added.set()

        msg_action = PNMessageAction()
        msg_action.type = "reaction"
        msg_action.value = "smiley_face"
        msg_action.message_timetoken = str(message_timetoken)
        pubnub.add_message_action().channel("chats.room1").message_action(msg_action).pn_async(callback)
        added.wait()
        if "action" not in stored:
            return 1
        action = stored["action"]
        print(f"added {action.type}={action.value} by {action.uuid} at action timetoken {action.action_timetoken}")

        # 2. List the channel's actions, oldest first.
        envelope = pubnub.get_message_actions().channel("chats.room1").limit(25).sync()
        for listed in envelope.result.actions:
            print(f"listed {listed.type}={listed.value} on message {listed.message_timetoken}")

        # 3. Remove the action; only its author may.
        try:
            (
                pubnub.remove_message_action()
                .channel("chats.room1")
                .message_timetoken(action.message_timetoken)
                .action_timetoken(action.action_timetoken)
                .sync()
            )
        except PubNubException as error:
            print(f"remove failed: {error}", file=sys.stderr)
            return 1
        print("removed the action")
    return 0


if __name__ == "__main__":
    sys.exit(main())
