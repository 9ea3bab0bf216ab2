/*
 * Calls every function of the C API against a running emulator, including the
 * invalid-argument paths, and checks exact codes, categories and messages.
 *
 * Usage: PNA_EMULATOR_ORIGIN=127.0.0.1:PORT ./api_test
 * Built with -fsanitize=address,undefined by `make test-c`, and run under
 * valgrind as well.
 */

#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "pubnub_actions.h"

static int failures = 0;

#define CHECK(condition)                                                        \
    do {                                                                        \
        if (!(condition)) {                                                     \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__,    \
                    #condition);                                                \
            failures++;                                                         \
        }                                                                       \
    } while (0)

#define CHECK_CODE(actual, expected)                                            \
    do {                                                                        \
        pna_code_t actual_code = (actual);                                      \
        if (actual_code != (expected)) {                                        \
            fprintf(stderr, "%s:%d: expected code %u (%s), got %u (%s)\n",      \
                    __FILE__, __LINE__, (unsigned)(expected),                   \
                    pna_code_message(expected), (unsigned)actual_code,          \
                    pna_code_message(actual_code));                             \
            failures++;                                                         \
        }                                                                       \
    } while (0)

#define CHECK_STR(actual, expected)                                             \
    do {                                                                        \
        const char *actual_text = (actual);                                     \
        if (actual_text == NULL || strcmp(actual_text, (expected)) != 0) {      \
            fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__,   \
                    __LINE__, (expected),                                       \
                    actual_text ? actual_text : "(NULL)");                      \
            failures++;                                                         \
        }                                                                       \
    } while (0)

static const uint64_t MESSAGE_TT = 15610547826969050ULL;
static const char *origin;

/* A latch that callbacks count down and the test thread waits on. */
typedef struct latch {
    pthread_mutex_t mutex;
    pthread_cond_t cond;
    int remaining;
} latch;

static void latch_init(latch *l, int count) {
    pthread_mutex_init(&l->mutex, NULL);
    pthread_cond_init(&l->cond, NULL);
    l->remaining = count;
}

static void latch_count_down(latch *l) {
    pthread_mutex_lock(&l->mutex);
    l->remaining--;
    pthread_cond_broadcast(&l->cond);
    pthread_mutex_unlock(&l->mutex);
}

static void latch_wait(latch *l) {
    pthread_mutex_lock(&l->mutex);
    while (l->remaining > 0) {
        pthread_cond_wait(&l->cond, &l->mutex);
    }
    pthread_mutex_unlock(&l->mutex);
}

static void latch_destroy(latch *l) {
    pthread_mutex_destroy(&l->mutex);
    pthread_cond_destroy(&l->cond);
}

static pna_client_t *new_client(const char *client_origin, const char *user_id) {
    pna_config_t config;
    pna_config_init(&config);
    config.subscribe_key = "sub-c-TEST";
    config.publish_key = "pub-c-TEST";
    config.user_id = user_id;
    config.origin = client_origin;
    config.tls = false;
    config.request_timeout_ms = 2000;
    pna_client_t *client = NULL;
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_OK);
    CHECK(client != NULL);
    return client;
}

/* ------------------------------------------------------------------------ */

static void test_messages_and_names(void) {
    CHECK_STR(pna_code_message(PNA_CODE_OK), "success");
    CHECK_STR(pna_code_message(PNA_CODE_CHANNEL_NULL), "invalid argument: channel is NULL");
    CHECK_STR(pna_code_message(PNA_CODE_TYPE_EMPTY), "invalid argument: type is empty");
    CHECK_STR(pna_code_message(PNA_CODE_VALUE_NOT_UTF8), "invalid argument: value is not valid UTF-8");
    CHECK_STR(pna_code_message(PNA_CODE_CALLBACK_NULL), "invalid argument: callback is NULL");
    CHECK_STR(pna_code_message(PNA_CODE_CANCELLED), "the request was cancelled");
    CHECK_STR(pna_code_message(1), "unknown code");
    CHECK_STR(pna_category_name(PNA_CATEGORY_ACCESS_DENIED), "PNAccessDeniedCategory");
    CHECK_STR(pna_category_name(99), "unknown category");
    CHECK_STR(pna_operation_name(PNA_OPERATION_ADD_MESSAGE_ACTION), "PNAddMessageAction");
    CHECK_STR(pna_operation_name(44), "PNDeleteMessageAction");
    CHECK_STR(pna_operation_name(0), "unknown operation");
    CHECK(PNA_OPERATION_GET_MESSAGE_ACTIONS == 43);
    CHECK(PNA_CATEGORY_MALFORMED_RESPONSE == 13);
    CHECK(pna_version() != NULL);
    CHECK(strlen(pna_version()) > 0);
}

static void test_config_errors(void) {
    pna_config_t config;
    pna_client_t *client = (pna_client_t *)&config; /* any non-NULL value */

    pna_config_init(&config);
    CHECK(config.tls == true);
    CHECK(config.subscribe_key == NULL);
    CHECK(config.worker_count == 0);
    pna_config_init(NULL);

    CHECK_CODE(pna_client_new(&config, NULL), PNA_CODE_OUTPUT_NULL);
    CHECK_CODE(pna_client_new(NULL, &client), PNA_CODE_CONFIG_NULL);
    CHECK(client == NULL);

    client = (pna_client_t *)&config;
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_SUBSCRIBE_KEY_NULL);
    CHECK(client == NULL);
    config.subscribe_key = "";
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_SUBSCRIBE_KEY_EMPTY);
    config.subscribe_key = "sub-\xff";
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_SUBSCRIBE_KEY_NOT_UTF8);
    config.subscribe_key = "sub-c-TEST";
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_USER_ID_NULL);
    config.user_id = "";
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_USER_ID_EMPTY);
    config.user_id = "user-1";
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_ORIGIN_NULL);
    config.origin = "http://127.0.0.1:1";
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_ORIGIN_INVALID);
    config.origin = origin;
    config.secret_key = "sec-c-TEST";
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_SECRET_KEY_WITHOUT_PUBLISH_KEY);
    config.secret_key = NULL;
    config.auth_key = "\xc3\x28";
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_AUTH_KEY_NOT_UTF8);
    config.auth_key = NULL;
    config.ca_file = "/nonexistent/ca.pem";
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_CA_FILE_INVALID);
    config.ca_file = NULL;
    config.worker_count = 257;
    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_WORKER_COUNT_INVALID);
    config.worker_count = 0;
    CHECK(client == NULL);

    CHECK_CODE(pna_client_new(&config, &client), PNA_CODE_OK);
    CHECK(client != NULL);
    pna_client_free(client);
    pna_client_free(NULL);
}

static void test_sync_round_trip(void) {
    pna_client_t *client = new_client(origin, "user-1");

    pna_publish_result_t *published = NULL;
    CHECK_CODE(pna_publish_sync(client, "c-sync", "{\"text\":\"hi\"}", &published), PNA_CODE_OK);
    CHECK(published != NULL);
    uint64_t message_tt = published ? published->timetoken : 0;
    CHECK(message_tt > 15000000000000000ULL);
    if (published) {
        CHECK(published->status.operation == PNA_OPERATION_PUBLISH);
    }
    pna_publish_result_free(published);

    pna_add_result_t *added = NULL;
    CHECK_CODE(pna_add_message_action_sync(client, "c-sync", message_tt, "reaction", "smiley_face", &added), PNA_CODE_OK);
    CHECK(added != NULL);
    CHECK(added == NULL || added->action != NULL);
    uint64_t action_tt = 0;
    if (added && added->action) {
        CHECK_STR(added->action->type, "reaction");
        CHECK(added->action->type_len == strlen("reaction"));
        CHECK_STR(added->action->value, "smiley_face");
        CHECK_STR(added->action->user_id, "user-1");
        CHECK(added->action->message_timetoken == message_tt);
        CHECK(added->action->action_timetoken > message_tt);
        CHECK(added->status.code == PNA_CODE_OK);
        CHECK(added->status.category == PNA_CATEGORY_ACKNOWLEDGMENT);
        CHECK(added->status.operation == PNA_OPERATION_ADD_MESSAGE_ACTION);
        CHECK(added->status.http_status == 200);
        CHECK(added->status.error == false);
        CHECK(added->status.server_message == NULL);
        CHECK(added->status.tls == false);
        CHECK(added->status.request_id == 0);
        CHECK_STR(added->status.channel, "c-sync");
        CHECK_STR(added->status.user_id, "user-1");
        CHECK_STR(added->status.origin, origin);
        CHECK_STR(added->status.message, "success");
        action_tt = added->action->action_timetoken;
    }
    pna_add_result_free(added);

    pna_add_result_t *duplicate = NULL;
    CHECK_CODE(pna_add_message_action_sync(client, "c-sync", message_tt, "reaction", "smiley_face", &duplicate),
               PNA_CODE_ALREADY_ADDED);
    if (duplicate) {
        CHECK(duplicate->action == NULL);
        CHECK(duplicate->status.error == true);
        CHECK(duplicate->status.http_status == 409);
        CHECK(duplicate->status.category == PNA_CATEGORY_UNKNOWN);
        CHECK_STR(duplicate->status.server_message, "Action Already Added");
        CHECK_STR(duplicate->status.message,
                  "this user already added an action with this type and value to the message (HTTP 409): Action Already Added");
    }
    pna_add_result_free(duplicate);

    pna_get_result_t *page = NULL;
    CHECK_CODE(pna_get_message_actions_sync(client, "c-sync", 0, 0, 0, &page), PNA_CODE_OK);
    CHECK(page != NULL);
    CHECK(page == NULL || page->page != NULL);
    if (page && page->page) {
        CHECK(page->page->count == 1);
        CHECK(page->page->actions != NULL);
        CHECK(page->page->actions == NULL || page->page->actions[0].action_timetoken == action_tt);
        CHECK(page->page->has_next == false);
        CHECK(page->status.operation == PNA_OPERATION_GET_MESSAGE_ACTIONS);
    }
    pna_get_result_free(page);

    pna_remove_result_t *removed = NULL;
    pna_remove_result_t *missing = NULL;
    CHECK_CODE(pna_remove_message_action_sync(client, "c-sync", message_tt, action_tt, &removed), PNA_CODE_OK);
    CHECK(removed != NULL);
    CHECK(removed == NULL || removed->status.operation == PNA_OPERATION_REMOVE_MESSAGE_ACTION);
    pna_remove_result_free(removed);
    CHECK_CODE(pna_remove_message_action_sync(client, "c-sync", message_tt, action_tt, &missing), PNA_CODE_BAD_REQUEST);
    if (missing) {
        CHECK(missing->status.category == PNA_CATEGORY_BAD_REQUEST);
        CHECK_STR(missing->status.server_message, "No matching message actions to delete");
    }
    pna_remove_result_free(missing);

    CHECK_CODE(pna_get_message_actions_sync(client, "c-sync", 0, 0, 0, &page), PNA_CODE_OK);
    CHECK(page != NULL);
    if (page && page->page) {
        CHECK(page->page->count == 0);
        CHECK(page->page->actions == NULL);
    }
    pna_get_result_free(page);

    pna_add_result_free(NULL);
    pna_get_result_free(NULL);
    pna_remove_result_free(NULL);
    pna_publish_result_free(NULL);
    pna_client_free(client);
}

/* ------------------------------------------------------------------------ */

typedef struct async_state {
    latch done;
    atomic_int calls;
    pna_code_t code;
    uint64_t request_id;
    uint64_t action_tt;
    size_t count;
    char value[64];
} async_state;

static void on_add(void *user_data, const pna_status_t *status, const pna_action_t *action) {
    async_state *state = user_data;
    atomic_fetch_add(&state->calls, 1);
    state->code = status->code;
    state->request_id = status->request_id;
    if (action) {
        state->action_tt = action->action_timetoken;
        snprintf(state->value, sizeof state->value, "%s", action->value);
    }
    latch_count_down(&state->done);
}

static void on_get(void *user_data, const pna_status_t *status, const pna_actions_page_t *page) {
    async_state *state = user_data;
    atomic_fetch_add(&state->calls, 1);
    state->code = status->code;
    state->request_id = status->request_id;
    state->count = page ? page->count : (size_t)-1;
    latch_count_down(&state->done);
}

static void on_remove(void *user_data, const pna_status_t *status) {
    async_state *state = user_data;
    atomic_fetch_add(&state->calls, 1);
    state->code = status->code;
    state->request_id = status->request_id;
    latch_count_down(&state->done);
}

static void reset(async_state *state) {
    memset(state, 0, sizeof *state);
    latch_init(&state->done, 1);
}

static void test_async_round_trip(void) {
    pna_client_t *client = new_client(origin, "user-1");
    async_state state;
    uint64_t id = 0;

    reset(&state);
    CHECK_CODE(pna_add_message_action(client, "c-async", MESSAGE_TT, "receipt", "read", on_add, &state, &id), PNA_CODE_OK);
    latch_wait(&state.done);
    CHECK(state.calls == 1);
    CHECK_CODE(state.code, PNA_CODE_OK);
    CHECK(id != 0);
    CHECK(state.request_id == id);
    CHECK_STR(state.value, "read");
    uint64_t action_tt = state.action_tt;
    latch_destroy(&state.done);

    reset(&state);
    CHECK_CODE(pna_get_message_actions(client, "c-async", 0, 0, 10, on_get, &state, NULL), PNA_CODE_OK);
    latch_wait(&state.done);
    CHECK_CODE(state.code, PNA_CODE_OK);
    CHECK(state.count == 1);
    latch_destroy(&state.done);

    reset(&state);
    CHECK_CODE(pna_remove_message_action(client, "c-async", MESSAGE_TT, action_tt, on_remove, &state, &id), PNA_CODE_OK);
    latch_wait(&state.done);
    CHECK_CODE(state.code, PNA_CODE_OK);
    CHECK(state.request_id == id);
    latch_destroy(&state.done);

    CHECK_CODE(pna_cancel(client, id), PNA_CODE_REQUEST_NOT_FOUND);
    CHECK_CODE(pna_cancel(NULL, id), PNA_CODE_CLIENT_NULL);
    pna_client_free(client);
}

/* ------------------------------------------------------------------------ */

static atomic_int stray_callbacks;

static void stray_add(void *user_data, const pna_status_t *status, const pna_action_t *action) {
    (void)user_data; (void)status; (void)action;
    atomic_fetch_add(&stray_callbacks, 1);
}

static void stray_get(void *user_data, const pna_status_t *status, const pna_actions_page_t *page) {
    (void)user_data; (void)status; (void)page;
    atomic_fetch_add(&stray_callbacks, 1);
}

static void stray_remove(void *user_data, const pna_status_t *status) {
    (void)user_data; (void)status;
    atomic_fetch_add(&stray_callbacks, 1);
}

static void test_invalid_arguments(void) {
    pna_client_t *client = new_client(origin, "user-1");
    const char *bad_utf8 = "caf\xe9";
    uint64_t id = 12345;

    /* Asynchronous add. */
    CHECK_CODE(pna_add_message_action(NULL, "c", 1, "t", "v", stray_add, NULL, &id), PNA_CODE_CLIENT_NULL);
    CHECK_CODE(pna_add_message_action(client, NULL, 1, "t", "v", stray_add, NULL, &id), PNA_CODE_CHANNEL_NULL);
    CHECK_CODE(pna_add_message_action(client, "", 1, "t", "v", stray_add, NULL, &id), PNA_CODE_CHANNEL_EMPTY);
    CHECK_CODE(pna_add_message_action(client, bad_utf8, 1, "t", "v", stray_add, NULL, &id), PNA_CODE_CHANNEL_NOT_UTF8);
    CHECK_CODE(pna_add_message_action(client, "c", 1, NULL, "v", stray_add, NULL, &id), PNA_CODE_TYPE_NULL);
    CHECK_CODE(pna_add_message_action(client, "c", 1, "", "v", stray_add, NULL, &id), PNA_CODE_TYPE_EMPTY);
    CHECK_CODE(pna_add_message_action(client, "c", 1, bad_utf8, "v", stray_add, NULL, &id), PNA_CODE_TYPE_NOT_UTF8);
    CHECK_CODE(pna_add_message_action(client, "c", 1, "t", NULL, stray_add, NULL, &id), PNA_CODE_VALUE_NULL);
    CHECK_CODE(pna_add_message_action(client, "c", 1, "t", "", stray_add, NULL, &id), PNA_CODE_VALUE_EMPTY);
    CHECK_CODE(pna_add_message_action(client, "c", 1, "t", bad_utf8, stray_add, NULL, &id), PNA_CODE_VALUE_NOT_UTF8);
    CHECK_CODE(pna_add_message_action(client, "c", 0, "t", "v", stray_add, NULL, &id), PNA_CODE_MESSAGE_TIMETOKEN_ZERO);
    CHECK_CODE(pna_add_message_action(client, "c", 1, "t", "v", NULL, NULL, &id), PNA_CODE_CALLBACK_NULL);
    CHECK(id == 12345);

    /* Synchronous add. */
    pna_add_result_t *added = (pna_add_result_t *)&id;
    CHECK_CODE(pna_add_message_action_sync(client, "c", 1, "t", "v", NULL), PNA_CODE_OUTPUT_NULL);
    CHECK_CODE(pna_add_message_action_sync(NULL, "c", 1, "t", "v", &added), PNA_CODE_CLIENT_NULL);
    CHECK(added == NULL);
    CHECK_CODE(pna_add_message_action_sync(client, "", 1, "t", "v", &added), PNA_CODE_CHANNEL_EMPTY);
    CHECK_CODE(pna_add_message_action_sync(client, "c", 0, "t", "v", &added), PNA_CODE_MESSAGE_TIMETOKEN_ZERO);
    CHECK_CODE(pna_add_message_action_sync(client, "c", 1, "", "v", &added), PNA_CODE_TYPE_EMPTY);
    CHECK_CODE(pna_add_message_action_sync(client, "c", 1, "t", NULL, &added), PNA_CODE_VALUE_NULL);
    CHECK(added == NULL);

    /* Get. */
    pna_get_result_t *page = NULL;
    CHECK_CODE(pna_get_message_actions(NULL, "c", 0, 0, 0, stray_get, NULL, NULL), PNA_CODE_CLIENT_NULL);
    CHECK_CODE(pna_get_message_actions(client, NULL, 0, 0, 0, stray_get, NULL, NULL), PNA_CODE_CHANNEL_NULL);
    CHECK_CODE(pna_get_message_actions(client, "c", 0, 0, 101, stray_get, NULL, NULL), PNA_CODE_LIMIT_TOO_LARGE);
    CHECK_CODE(pna_get_message_actions(client, "c", 5, 5, 0, stray_get, NULL, NULL), PNA_CODE_RANGE_EMPTY);
    CHECK_CODE(pna_get_message_actions(client, "c", 0, 0, 0, NULL, NULL, NULL), PNA_CODE_CALLBACK_NULL);
    CHECK_CODE(pna_get_message_actions_sync(client, "c", 0, 0, 0, NULL), PNA_CODE_OUTPUT_NULL);
    CHECK_CODE(pna_get_message_actions_sync(client, bad_utf8, 0, 0, 0, &page), PNA_CODE_CHANNEL_NOT_UTF8);
    CHECK_CODE(pna_get_message_actions_sync(client, "c", 0, 0, 500, &page), PNA_CODE_LIMIT_TOO_LARGE);
    CHECK(page == NULL);

    /* Remove. */
    pna_remove_result_t *removed = NULL;
    CHECK_CODE(pna_remove_message_action(NULL, "c", 1, 1, stray_remove, NULL, NULL), PNA_CODE_CLIENT_NULL);
    CHECK_CODE(pna_remove_message_action(client, "", 1, 1, stray_remove, NULL, NULL), PNA_CODE_CHANNEL_EMPTY);
    CHECK_CODE(pna_remove_message_action(client, "c", 0, 1, stray_remove, NULL, NULL), PNA_CODE_MESSAGE_TIMETOKEN_ZERO);
    CHECK_CODE(pna_remove_message_action(client, "c", 1, 0, stray_remove, NULL, NULL), PNA_CODE_ACTION_TIMETOKEN_ZERO);
    CHECK_CODE(pna_remove_message_action(client, "c", 1, 1, NULL, NULL, NULL), PNA_CODE_CALLBACK_NULL);
    CHECK_CODE(pna_remove_message_action_sync(client, "c", 1, 1, NULL), PNA_CODE_OUTPUT_NULL);
    CHECK_CODE(pna_remove_message_action_sync(client, NULL, 1, 1, &removed), PNA_CODE_CHANNEL_NULL);
    CHECK_CODE(pna_remove_message_action_sync(client, "c", 1, 0, &removed), PNA_CODE_ACTION_TIMETOKEN_ZERO);
    CHECK(removed == NULL);

    /* Publish. */
    pna_publish_result_t *published = NULL;
    CHECK_CODE(pna_publish_sync(client, "c", NULL, &published), PNA_CODE_MESSAGE_NULL);
    CHECK_CODE(pna_publish_sync(client, "c", "", &published), PNA_CODE_MESSAGE_EMPTY);
    CHECK_CODE(pna_publish_sync(client, "c", "not json", &published), PNA_CODE_MESSAGE_NOT_JSON);
    CHECK_CODE(pna_publish_sync(client, "c", "\"caf\xe9\"", &published), PNA_CODE_MESSAGE_NOT_UTF8);
    CHECK_CODE(pna_publish_sync(NULL, "c", "1", &published), PNA_CODE_CLIENT_NULL);
    CHECK_CODE(pna_publish_sync(client, "c", "1", NULL), PNA_CODE_OUTPUT_NULL);
    CHECK(published == NULL);

    pna_client_t *no_publish_key = NULL;
    pna_config_t config;
    pna_config_init(&config);
    config.subscribe_key = "sub-c-TEST";
    config.user_id = "user-1";
    config.origin = origin;
    config.tls = false;
    CHECK_CODE(pna_client_new(&config, &no_publish_key), PNA_CODE_OK);
    CHECK_CODE(pna_publish_sync(no_publish_key, "c", "1", &published), PNA_CODE_PUBLISH_KEY_MISSING);
    pna_client_free(no_publish_key);

    pna_client_free(client);
    CHECK(atomic_load(&stray_callbacks) == 0);
}

/* ------------------------------------------------------------------------ */

/* A loopback socket that accepts connections (through its backlog) and never
 * replies, so requests to it stay in flight until their timeout. */
static int silent_listener(char *origin_out, size_t size) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    socklen_t length = sizeof address;
    if (fd < 0 || bind(fd, (struct sockaddr *)&address, sizeof address) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&address, &length) != 0) {
        fprintf(stderr, "could not open a loopback listener\n");
        exit(2);
    }
    snprintf(origin_out, size, "127.0.0.1:%u", (unsigned)ntohs(address.sin_port));
    return fd;
}

typedef struct cancel_state {
    atomic_int calls;
    atomic_int cancelled;
} cancel_state;

static void count_cancelled(void *user_data, const pna_status_t *status, const pna_actions_page_t *page) {
    cancel_state *state = user_data;
    atomic_fetch_add(&state->calls, 1);
    if (status->code == PNA_CODE_CANCELLED && status->category == PNA_CATEGORY_CANCELLED && page == NULL) {
        atomic_fetch_add(&state->cancelled, 1);
    }
}

static void test_cancel_and_free_with_calls_in_flight(void) {
    char silent_origin[64];
    int fd = silent_listener(silent_origin, sizeof silent_origin);
    cancel_state state = {0};
    uint64_t first = 0;

    pna_client_t *client = new_client(silent_origin, "user-1");
    CHECK_CODE(pna_get_message_actions(client, "c", 0, 0, 0, count_cancelled, &state, &first), PNA_CODE_OK);
    CHECK_CODE(pna_cancel(client, first), PNA_CODE_OK);
    CHECK_CODE(pna_cancel(client, first), PNA_CODE_REQUEST_NOT_FOUND);
    for (int i = 0; i < 9; i++) {
        CHECK_CODE(pna_get_message_actions(client, "c", 0, 0, 0, count_cancelled, &state, NULL), PNA_CODE_OK);
    }
    /* Every callback has returned once pna_client_free returns. */
    pna_client_free(client);
    CHECK(atomic_load(&state.calls) == 10);
    CHECK(atomic_load(&state.cancelled) == 10);

    /* Let the workers that were blocked on the silent socket time out and exit. */
    sleep(3);
    close(fd);
}

typedef struct free_in_callback_state {
    pna_client_t *client;
    latch done;
    pna_code_t code;
} free_in_callback_state;

static void free_from_callback(void *user_data, const pna_status_t *status, const pna_actions_page_t *page) {
    (void)page;
    free_in_callback_state *state = user_data;
    state->code = status->code;
    pna_client_free(state->client);
    latch_count_down(&state->done);
}

static void test_free_inside_callback(void) {
    free_in_callback_state state;
    state.client = new_client(origin, "user-1");
    state.code = PNA_CODE_INTERNAL;
    latch_init(&state.done, 1);
    CHECK_CODE(pna_get_message_actions(state.client, "c", 0, 0, 0, free_from_callback, &state, NULL), PNA_CODE_OK);
    latch_wait(&state.done);
    CHECK_CODE(state.code, PNA_CODE_OK);
    latch_destroy(&state.done);
    /* The worker thread finishes after the callback returns. */
    struct timespec pause = {0, 200 * 1000 * 1000};
    nanosleep(&pause, NULL);
}

/* ------------------------------------------------------------------------ */

static atomic_int log_records;

static void on_log(void *user_data, uint32_t level, const char *target, const char *message) {
    (void)user_data;
    if (level >= 1 && level <= 5 && target != NULL && message != NULL) {
        atomic_fetch_add(&log_records, 1);
    }
}

static void test_log_callback(void) {
    pna_set_log_callback(on_log, NULL, 4);
    pna_client_t *client = new_client(origin, "user-1");
    pna_get_result_t *page = NULL;
    CHECK_CODE(pna_get_message_actions_sync(client, "c-log", 0, 0, 0, &page), PNA_CODE_OK);
    pna_get_result_free(page);
    CHECK(atomic_load(&log_records) > 0);

    pna_set_log_callback(NULL, NULL, 0);
    int before = atomic_load(&log_records);
    CHECK_CODE(pna_get_message_actions_sync(client, "c-log", 0, 0, 0, &page), PNA_CODE_OK);
    pna_get_result_free(page);
    CHECK(atomic_load(&log_records) == before);
    pna_client_free(client);
}

int main(void) {
    origin = getenv("PNA_EMULATOR_ORIGIN");
    if (origin == NULL || origin[0] == '\0') {
        fprintf(stderr, "set PNA_EMULATOR_ORIGIN to the emulator's host:port\n");
        return 2;
    }

    test_messages_and_names();
    test_config_errors();
    test_sync_round_trip();
    test_async_round_trip();
    test_invalid_arguments();
    test_cancel_and_free_with_calls_in_flight();
    test_free_inside_callback();
    test_log_callback();

    if (failures > 0) {
        fprintf(stderr, "api_test: %d check(s) failed\n", failures);
        return 1;
    }
    printf("api_test: all checks passed\n");
    return 0;
}
