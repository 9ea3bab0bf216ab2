// Compiles the header as C++ (with -Wall -Wextra -Werror) and links a call
// to every function, so C++ users get a header that builds cleanly.

#include <cstdio>
#include <cstring>

#include "pubnub_actions.h"

static void on_add(void *, const pna_status_t *status, const pna_action_t *action) {
    std::printf("add: %s %s\n", status->message, action ? action->value : "(none)");
}

static void on_get(void *, const pna_status_t *status, const pna_actions_page_t *page) {
    std::printf("get: %s %zu\n", status->message, page ? page->count : 0);
}

static void on_remove(void *, const pna_status_t *status) {
    std::printf("remove: %s\n", status->message);
}

static void on_log(void *, uint32_t level, const char *target, const char *message) {
    std::printf("log %u %s %s\n", level, target, message);
}

int main(int argc, char **) {
    pna_config_t config;
    pna_config_init(&config);
    config.subscribe_key = "sub-c-TEST";
    config.user_id = "user-1";
    config.origin = "127.0.0.1:1";
    config.tls = false;
    pna_set_log_callback(on_log, nullptr, 0);

    pna_client_t *client = nullptr;
    pna_code_t code = pna_client_new(&config, &client);
    std::printf("%s\n", pna_code_message(code));
    if (argc > 1) {
        // Never run by the test: it only proves that every call links.
        uint64_t id = 0;
        pna_add_message_action(client, "c", 1, "t", "v", on_add, nullptr, &id);
        pna_get_message_actions(client, "c", 0, 0, 0, on_get, nullptr, &id);
        pna_remove_message_action(client, "c", 1, 1, on_remove, nullptr, &id);
        pna_cancel(client, id);
        pna_add_result_t *added = nullptr;
        pna_add_message_action_sync(client, "c", 1, "t", "v", &added);
        pna_add_result_free(added);
        pna_get_result_t *page = nullptr;
        pna_get_message_actions_sync(client, "c", 0, 0, 0, &page);
        pna_get_result_free(page);
        pna_remove_result_t *removed = nullptr;
        pna_remove_message_action_sync(client, "c", 1, 1, &removed);
        pna_remove_result_free(removed);
        pna_publish_result_t *published = nullptr;
        pna_publish_sync(client, "c", "1", &published);
        pna_publish_result_free(published);
    }
    std::printf("%s %s %s\n", pna_category_name(PNA_CATEGORY_CANCELLED), pna_operation_name(PNA_OPERATION_PUBLISH),
                pna_version());
    pna_client_free(client);
    return code == PNA_CODE_OK ? 0 : 1;
}
