/*
 * Eight threads share one client and start 1,000 asynchronous calls each;
 * every callback must run exactly once, with a success status. Then, over
 * many rounds, a client is freed while its calls complete: every callback
 * must have returned by the time pna_client_free returns.
 *
 * Usage: PNA_EMULATOR_ORIGIN=127.0.0.1:PORT ./concurrency_test
 */

#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pubnub_actions.h"

enum { THREADS = 8, CALLS_PER_THREAD = 1000, TOTAL = THREADS * CALLS_PER_THREAD };

/* One slot per call; a callback finds its slot through user_data. */
static atomic_int runs[TOTAL];
static atomic_int successes;
static atomic_int completed;
static pthread_mutex_t done_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static pna_client_t *client;
static atomic_int start_failures;

static void on_get(void *user_data, const pna_status_t *status, const pna_actions_page_t *page) {
    atomic_int *slot = user_data;
    atomic_fetch_add(slot, 1);
    if (status->code == PNA_CODE_OK && page != NULL) {
        atomic_fetch_add(&successes, 1);
    } else {
        fprintf(stderr, "call failed: %s\n", status->message);
    }
    if (atomic_fetch_add(&completed, 1) + 1 == TOTAL) {
        pthread_mutex_lock(&done_mutex);
        pthread_cond_broadcast(&done_cond);
        pthread_mutex_unlock(&done_mutex);
    }
}

static void *start_calls(void *argument) {
    int thread_index = (int)(intptr_t)argument;
    char channel[32];
    snprintf(channel, sizeof channel, "load-%d", thread_index);
    for (int i = 0; i < CALLS_PER_THREAD; i++) {
        atomic_int *slot = &runs[thread_index * CALLS_PER_THREAD + i];
        pna_code_t code = pna_get_message_actions(client, channel, 0, 0, 10, on_get, slot, NULL);
        if (code != PNA_CODE_OK) {
            fprintf(stderr, "start failed: %s\n", pna_code_message(code));
            atomic_fetch_add(&start_failures, 1);
        }
    }
    return NULL;
}

static atomic_int round_callbacks;

static void count_round_callback(void *user_data, const pna_status_t *status, const pna_action_t *action) {
    (void)user_data;
    (void)status;
    (void)action;
    atomic_fetch_add(&round_callbacks, 1);
}

/* Frees a client at varying moments while 8 adds complete, and returns the
 * number of rounds where pna_client_free returned before every callback had. */
static int free_while_completing(const char *origin) {
    enum { ROUNDS = 300, CALLS = 8 };
    int early_returns = 0;
    for (int round = 0; round < ROUNDS; round++) {
        pna_config_t config;
        pna_config_init(&config);
        config.subscribe_key = "sub-c-TEST";
        config.user_id = "user-1";
        config.origin = origin;
        config.tls = false;
        pna_client_t *round_client = NULL;
        if (pna_client_new(&config, &round_client) != PNA_CODE_OK) {
            return ROUNDS;
        }
        atomic_store(&round_callbacks, 0);
        for (int i = 0; i < CALLS; i++) {
            char value[32];
            snprintf(value, sizeof value, "v-%d-%d", round, i);
            if (pna_add_message_action(round_client, "free-race", 17000000000000000ULL, "r", value,
                                       count_round_callback, NULL, NULL) != PNA_CODE_OK) {
                return ROUNDS;
            }
        }
        struct timespec pause = {0, (round % 50) * 20000L}; /* 0 to 1 ms */
        nanosleep(&pause, NULL);
        pna_client_free(round_client);
        if (atomic_load(&round_callbacks) != CALLS) {
            early_returns++;
        }
    }
    printf("concurrency_test: %d of %d rounds returned from pna_client_free before every callback ran\n",
           early_returns, ROUNDS);
    return early_returns;
}

int main(void) {
    const char *origin = getenv("PNA_EMULATOR_ORIGIN");
    if (origin == NULL || origin[0] == '\0') {
        fprintf(stderr, "set PNA_EMULATOR_ORIGIN to the emulator's host:port\n");
        return 2;
    }
    pna_config_t config;
    pna_config_init(&config);
    config.subscribe_key = "sub-c-TEST";
    config.user_id = "user-1";
    config.origin = origin;
    config.tls = false;
    config.queue_capacity = TOTAL;
    if (pna_client_new(&config, &client) != PNA_CODE_OK) {
        fprintf(stderr, "pna_client_new failed\n");
        return 1;
    }

    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        pthread_create(&threads[t], NULL, start_calls, (void *)(intptr_t)t);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
    }
    if (atomic_load(&start_failures) == 0) {
        pthread_mutex_lock(&done_mutex);
        while (atomic_load(&completed) < TOTAL) {
            pthread_cond_wait(&done_cond, &done_mutex);
        }
        pthread_mutex_unlock(&done_mutex);
    }
    pna_client_free(client);

    int wrong = 0;
    for (int i = 0; i < TOTAL; i++) {
        if (atomic_load(&runs[i]) != 1) {
            wrong++;
        }
    }
    printf("concurrency_test: %d calls started, %d callbacks, %d successes, %d slots not run exactly once\n",
           TOTAL - atomic_load(&start_failures), atomic_load(&completed), atomic_load(&successes), wrong);
    int ok = atomic_load(&start_failures) == 0 && wrong == 0 && atomic_load(&successes) == TOTAL &&
             atomic_load(&completed) == TOTAL;
    int early_returns = free_while_completing(origin);
    return ok && early_returns == 0 ? 0 : 1;
}
