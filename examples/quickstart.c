/*
 * Quickstart: publish a message, add a reaction to it, list the channel's
 * actions, remove the reaction and list again.
 *
 * `make demo` runs it against the bundled emulator (it sets
 * PNA_EMULATOR_ORIGIN). To use the PubNub service instead, set
 * PN_PUBLISH_KEY, PN_SUBSCRIBE_KEY and PN_ORIGIN (the PubNub origin of your
 * account, for example ps.pndsn.com), and optionally PN_USER_ID.
 */

#include <stdio.h>
#include <stdlib.h>

#include "pubnub_actions.h"

static const char *CHANNEL = "chats.room1";

static void print_status(const char *step, const pna_status_t *status) {
    printf("%-8s %s: code %u, category %s, HTTP %u, %s\n", step, pna_operation_name(status->operation),
           (unsigned)status->code, pna_category_name(status->category), (unsigned)status->http_status,
           status->message);
    if (status->server_message != NULL) {
        printf("         server said: %s\n", status->server_message);
    }
}

static void print_action(const pna_action_t *action) {
    printf("         - %s = %s by %s, action timetoken %llu on message %llu\n", action->type, action->value,
           action->user_id, (unsigned long long)action->action_timetoken,
           (unsigned long long)action->message_timetoken);
}

static int list_actions(pna_client_t *client) {
    pna_get_result_t *result = NULL;
    pna_code_t code = pna_get_message_actions_sync(client, CHANNEL, 0, 0, 0, &result);
    if (result == NULL) {
        fprintf(stderr, "get rejected: %s\n", pna_code_message(code));
        return 1;
    }
    print_status("get", &result->status);
    if (result->page != NULL) {
        printf("         %zu action(s) on %s\n", result->page->count, CHANNEL);
        for (size_t i = 0; i < result->page->count; i++) {
            print_action(&result->page->actions[i]);
        }
    }
    pna_get_result_free(result);
    return code == PNA_CODE_OK ? 0 : 1;
}

int main(void) {
    pna_config_t config;
    pna_config_init(&config);
    const char *publish_key = getenv("PN_PUBLISH_KEY");
    const char *subscribe_key = getenv("PN_SUBSCRIBE_KEY");
    if (publish_key != NULL && subscribe_key != NULL) {
        config.publish_key = publish_key;
        config.subscribe_key = subscribe_key;
        config.origin = getenv("PN_ORIGIN");
        config.user_id = getenv("PN_USER_ID") ? getenv("PN_USER_ID") : "quickstart-user";
        if (config.origin == NULL) {
            fprintf(stderr, "set PN_ORIGIN to your PubNub origin (for example ps.pndsn.com)\n");
            return 2;
        }
    } else {
        config.publish_key = "pub-c-demo";
        config.subscribe_key = "sub-c-demo";
        config.user_id = "quickstart-user";
        config.origin = getenv("PNA_EMULATOR_ORIGIN");
        config.tls = false;
        if (config.origin == NULL) {
            fprintf(stderr, "run `make demo`, or set PNA_EMULATOR_ORIGIN to a running emulator's host:port\n");
            return 2;
        }
    }
    printf("pubnub-actions %s, origin %s, TLS %s\n", pna_version(), config.origin, config.tls ? "on" : "off");

    pna_client_t *client = NULL;
    pna_code_t code = pna_client_new(&config, &client);
    if (code != PNA_CODE_OK) {
        fprintf(stderr, "pna_client_new: %s\n", pna_code_message(code));
        return 1;
    }

    /* 1. Publish a message: actions attach to its timetoken. */
    pna_publish_result_t *published = NULL;
    code = pna_publish_sync(client, CHANNEL, "{\"text\":\"Hello from the quickstart\"}", &published);
    if (published == NULL) {
        fprintf(stderr, "publish rejected: %s\n", pna_code_message(code));
        pna_client_free(client);
        return 1;
    }
    print_status("publish", &published->status);
    uint64_t message_timetoken = published->timetoken;
    pna_publish_result_free(published);
    if (code != PNA_CODE_OK) {
        pna_client_free(client);
        return 1;
    }
    printf("         message timetoken %llu\n", (unsigned long long)message_timetoken);

    /* 2. Add a reaction. */
    pna_add_result_t *added = NULL;
    code = pna_add_message_action_sync(client, CHANNEL, message_timetoken, "reaction", "smiley_face", &added);
    if (added == NULL) {
        fprintf(stderr, "add rejected: %s\n", pna_code_message(code));
        pna_client_free(client);
        return 1;
    }
    print_status("add", &added->status);
    uint64_t action_timetoken = 0;
    if (added->action != NULL) {
        print_action(added->action);
        action_timetoken = added->action->action_timetoken;
    }
    pna_add_result_free(added);

    /* 3. List the channel's actions. */
    int failed = code != PNA_CODE_OK || list_actions(client);

    /* 4. Remove the reaction. */
    pna_remove_result_t *removed = NULL;
    code = pna_remove_message_action_sync(client, CHANNEL, message_timetoken, action_timetoken, &removed);
    if (removed != NULL) {
        print_status("remove", &removed->status);
        pna_remove_result_free(removed);
    } else {
        fprintf(stderr, "remove rejected: %s\n", pna_code_message(code));
    }
    failed |= code != PNA_CODE_OK;

    /* 5. List again: the reaction is gone. */
    failed |= list_actions(client);

    pna_client_free(client);
    return failed ? 1 : 0;
}
