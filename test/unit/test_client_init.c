/* SPDX-License-Identifier: MIT */
/*
 * test_client_init.c - fc_client_init() names what is wrong: every field
 * of fc_client_config it refuses (step = the field, needed = the least
 * value where one applies), and every way the application's view of the
 * layouts can differ from the library's (the ABI guard: FC_ERR_ABI, step
 * "abi", a detail naming the option or size). Also the version: fc_version()
 * and the User-Agent sent by default.
 */
#include <stdarg.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fluidcloud/fc_api.h"
#include "fluidcloud/fc_version.h"
#include "fc_mock_transport.h"

typedef struct fixture {
    fc_mock mock;
    fc_transport transport;
    fc_fake_clock clock;
    fc_client client;
    fc_client_config cfg;
    uint8_t io[1024];
    fc_json_tok toks[32];
} fixture;

static fixture g_fx;

static int setup(void **state)
{
    fixture *fx = &g_fx;
    memset(fx, 0, sizeof *fx);
    fc_mock_init(&fx->mock);
    fc_mock_transport(&fx->mock, &fx->transport);
    fc_client_config_defaults(&fx->cfg);
    fx->cfg.base_url = "https://api.example.test/api/v1";
    fx->cfg.api_key = "fck_test_key";
    fx->cfg.transports = &fx->transport;
    fx->cfg.transport_count = 1;
    fx->cfg.system = fc_fake_system(&fx->clock);
    fx->cfg.io_buf = fx->io;
    fx->cfg.io_buf_size = sizeof fx->io;
    fx->cfg.tokens = fx->toks;
    fx->cfg.token_count = 32;
    *state = fx;
    return 0;
}

/* fc_client_init refuses cfg with err, naming field (and needed). */
static void expect_refused(fixture *fx, fc_err err, const char *field, size_t needed)
{
    const fc_error_info *ei;
    assert_int_equal(fc_client_init(&fx->client, &fx->cfg), err);
    ei = fc_client_error(&fx->client);
    assert_int_equal(ei->err, err);
    assert_string_equal(ei->step, field);
    assert_int_equal(ei->needed, needed);
}

static void test_valid_config_is_taken(void **state)
{
    fixture *fx = *state;
    assert_int_equal(fc_client_init(&fx->client, &fx->cfg), FC_OK);
    assert_int_equal(fc_client_error(&fx->client)->err, FC_OK);
    assert_string_equal(fc_client_error(&fx->client)->step, "");
}

static void test_base_url(void **state)
{
    fixture *fx = *state;
    fx->cfg.base_url = "ftp://api.example.test/v1";
    expect_refused(fx, FC_ERR_BAD_URL, "base_url", 0);
    fx->cfg.base_url = "https://api.example.test/api/v1?x=1";
    expect_refused(fx, FC_ERR_BAD_URL, "base_url", 0);
    fx->cfg.base_url = NULL; /* the production API */
    assert_int_equal(fc_client_init(&fx->client, &fx->cfg), FC_OK);
}

static void test_base_url_host_too_long(void **state)
{
    fixture *fx = *state;
    static char url[FC_CONFIG_HOST_MAX + 32];
    size_t host_len = FC_CONFIG_HOST_MAX; /* one more than fits with its NUL */
    memcpy(url, "https://", 8);
    memset(url + 8, 'h', host_len);
    memcpy(url + 8 + host_len, "/v1", 4);
    fx->cfg.base_url = url;
    expect_refused(fx, FC_ERR_BAD_URL, "base_url", host_len + 1); /* FC_CONFIG_HOST_MAX needed */
}

static void test_api_key(void **state)
{
    fixture *fx = *state;
    fx->cfg.api_key = NULL;
    expect_refused(fx, FC_ERR_INVALID_ARG, "api_key", 0);
    fx->cfg.api_key = "fck_test\r\nX-Evil: 1";
    expect_refused(fx, FC_ERR_INVALID_ARG, "api_key", 0);
}

static void test_transports(void **state)
{
    fixture *fx = *state;
    fx->cfg.transports = NULL;
    expect_refused(fx, FC_ERR_INVALID_ARG, "transports", 0);
}

static void test_transport_count(void **state)
{
    fixture *fx = *state;
    fx->cfg.transport_count = 0;
    expect_refused(fx, FC_ERR_INVALID_ARG, "transport_count", 1);
    /* needs a larger FC_CONFIG_MAX_CONNECTIONS */
    fx->cfg.transport_count = FC_CONFIG_MAX_CONNECTIONS + 1;
    expect_refused(fx, FC_ERR_INVALID_ARG, "transport_count", FC_CONFIG_MAX_CONNECTIONS + 1);
}

static void test_system(void **state)
{
    fixture *fx = *state;
    fx->cfg.system.now_ms = NULL;
    expect_refused(fx, FC_ERR_INVALID_ARG, "system", 0);
    fx->cfg.system = fc_fake_system(&fx->clock);
    fx->cfg.system.random = NULL;
    expect_refused(fx, FC_ERR_INVALID_ARG, "system", 0);
}

static void test_io_buf(void **state)
{
    fixture *fx = *state;
    fx->cfg.io_buf = NULL;
    expect_refused(fx, FC_ERR_INVALID_ARG, "io_buf", 0);
    fx->cfg.io_buf = fx->io;
    fx->cfg.io_buf_size = 255;
    expect_refused(fx, FC_ERR_INVALID_ARG, "io_buf_size", 256);
}

static void test_tokens(void **state)
{
    fixture *fx = *state;
    fx->cfg.tokens = NULL;
    expect_refused(fx, FC_ERR_INVALID_ARG, "tokens", 0);
    fx->cfg.tokens = fx->toks;
    fx->cfg.token_count = 7;
    expect_refused(fx, FC_ERR_INVALID_ARG, "token_count", 8);
}

static void test_max_attempts(void **state)
{
    fixture *fx = *state;
    fx->cfg.retry.max_attempts = 0;
    expect_refused(fx, FC_ERR_INVALID_ARG, "max_attempts", 1);
}

/* A refused init leaves a client whose next init succeeds. */
static void test_refused_then_fixed(void **state)
{
    fixture *fx = *state;
    fx->cfg.io_buf_size = 10;
    expect_refused(fx, FC_ERR_INVALID_ARG, "io_buf_size", 256);
    fx->cfg.io_buf_size = sizeof fx->io;
    assert_int_equal(fc_client_init(&fx->client, &fx->cfg), FC_OK);
    assert_string_equal(fc_client_error(&fx->client)->step, "");
}

/* A refused cfg writes the error info and nothing else of the client. */
static void test_refused_writes_only_the_error_info(void **state)
{
    fixture *fx = *state;
    static unsigned char before[sizeof(fc_client)];
    size_t at = offsetof(fc_client, priv.error), n = sizeof(fc_error_info);
    memset(&fx->client, 0xa5, sizeof fx->client);
    memcpy(before, &fx->client, sizeof before);
    fx->cfg.tokens = NULL;
    expect_refused(fx, FC_ERR_INVALID_ARG, "tokens", 0);
    assert_memory_equal(&fx->client, before, at);
    assert_memory_equal((unsigned char *)&fx->client + at + n, before + at + n,
                        sizeof before - at - n);
    assert_int_equal(fx->mock.closes, 0); /* nor closed a transport */
}

/* ---- the ABI guard: an application whose view differs ------------------ */

/* Init with the view of an application built differently (a changed copy
 * of this program's own view, which is the library's). */
static fc_err init_as(fixture *fx, fc_abi *app)
{
    return fc_client_init_abi(&fx->client, &fx->cfg, app);
}

static void test_abi_same_view_passes(void **state)
{
    fixture *fx = *state;
    fc_abi app = *fc_abi_here();
    char why[64] = "untouched";
    assert_int_equal(fc_abi_check(&app, why, sizeof why), FC_OK);
    assert_string_equal(why, "");
    assert_int_equal(init_as(fx, &app), FC_OK);
}

/* Every word after the version, named as the library built with
 * FC_CONFIG_ANSWER_DETAIL (the host builds) names it. */
static const char *const k_word_names[FC_ABI_WORDS] = {
    "",
#define NAME(n) "FC_CONFIG_" #n,
    FC_CONFIG_LIST(NAME)
#undef NAME
        "sizeof(fc_client)",
    "sizeof(fc_client_config)",
    "sizeof(fc_error_info)",
    "offsetof(fc_client, priv.error)",
};

static void test_abi_each_option_is_named(void **state)
{
    fixture *fx = *state;
    unsigned i;
    assert_int_equal(FC_CONFIG_ANSWER_DETAIL, 1); /* names (test_abi_numbers: without) */
    assert_string_equal(k_word_names[FC_ABI_MAX_CONNECTIONS], "FC_CONFIG_MAX_CONNECTIONS");
    assert_string_equal(k_word_names[FC_ABI_ANSWER_DETAIL], "FC_CONFIG_ANSWER_DETAIL");
    for (i = FC_ABI_VERSION + 1; i < FC_ABI_SIZEOF_CLIENT; i++) {
        fc_abi app = *fc_abi_here();
        char want[96];
        const fc_error_info *ei;
        app.word[i] += 1;
        memset(&fx->client, 0x5a, sizeof fx->client);
        assert_int_equal(init_as(fx, &app), FC_ERR_ABI);
        ei = fc_client_error(&fx->client);
        assert_int_equal(ei->err, FC_ERR_ABI);
        assert_string_equal(ei->step, "abi");
        assert_int_equal(ei->needed, fc_abi_here()->word[i]); /* the library's value */
        (void)snprintf(want, sizeof want, "%s: %lu here, %lu in the library", k_word_names[i],
                       (unsigned long)app.word[i], (unsigned long)fc_abi_here()->word[i]);
        assert_string_equal(ei->detail, want);
    }
}

static void test_abi_sizes_are_named(void **state)
{
    fixture *fx = *state;
    unsigned i;
    for (i = FC_ABI_SIZEOF_CLIENT; i < FC_ABI_WORDS; i++) {
        fc_abi app = *fc_abi_here();
        char want[96];
        const fc_error_info *ei;
        app.word[i] += 8; /* a larger struct, or the error info further on: still inside */
        memset(&fx->client, 0x5a, sizeof fx->client);
        assert_int_equal(init_as(fx, &app), FC_ERR_ABI);
        /* Written where that layout keeps it. */
        ei = (const fc_error_info *)(const void *)((const unsigned char *)&fx->client +
                                                   app.word[FC_ABI_OFFSETOF_ERROR]);
        (void)snprintf(want, sizeof want, "%s: %lu here, %lu in the library", k_word_names[i],
                       (unsigned long)app.word[i], (unsigned long)fc_abi_here()->word[i]);
        assert_int_equal(ei->err, FC_ERR_ABI);
        assert_string_equal(ei->step, "abi");
        assert_string_equal(ei->detail, want);
    }
}

static void test_abi_other_headers_write_nothing(void **state)
{
    fixture *fx = *state;
    fc_abi app = *fc_abi_here();
    unsigned char before[sizeof fx->client];
    char why[64];
    app.word[FC_ABI_VERSION] = FC_VERSION_NUMBER + 0x100u; /* a newer minor version */
    memset(&fx->client, 0xa5, sizeof fx->client);
    memcpy(before, &fx->client, sizeof before);
    assert_int_equal(init_as(fx, &app), FC_ERR_ABI);
    assert_memory_equal(&fx->client, before, sizeof before);
    assert_int_equal(fc_abi_check(&app, why, sizeof why), FC_ERR_ABI);
    {
        char want[64];
        (void)snprintf(want, sizeof want, "headers %d.%d.%d, library %s", FC_VERSION_MAJOR,
                       FC_VERSION_MINOR + 1, FC_VERSION_PATCH, FC_VERSION_STRING);
        assert_string_equal(why, want);
    }
}

static void test_abi_detail_fits_the_smaller_buffer(void **state)
{
    char small[12];
    fc_abi app = *fc_abi_here();
    (void)state;
    app.word[FC_ABI_MAX_CONNECTIONS] += 1;
    assert_int_equal(fc_abi_check(&app, small, sizeof small), FC_ERR_ABI);
    assert_int_equal(strlen(small), sizeof small - 1);
    assert_int_equal(fc_abi_check(&app, NULL, 0), FC_ERR_ABI);
}

/* ---- the version -------------------------------------------------------- */

static void test_version(void **state)
{
    fixture *fx = *state;
    size_t len = 0;
    const char *req;
    fc_me me;
    assert_string_equal(fc_version(), FC_VERSION_STRING);
    assert_int_equal(FC_VERSION_NUMBER,
                     (FC_VERSION_MAJOR << 16) | (FC_VERSION_MINOR << 8) | FC_VERSION_PATCH);
    /* The default User-Agent carries it. */
    fc_mock_add(&fx->mock, "HTTP/1.1 500 Oops\r\nContent-Length: 0\r\n\r\n");
    fx->cfg.retry.max_attempts = 1;
    assert_int_equal(fc_client_init(&fx->client, &fx->cfg), FC_OK);
    assert_int_equal(fc_me_get(&fx->client, &me), FC_AGAIN);
    (void)fc_mock_run(&fx->client, &fx->clock, 1000, NULL);
    req = fc_mock_request(&fx->mock, 0, &len);
    assert_non_null(req);
    assert_non_null(strstr(req, "\r\nUser-Agent: fluidcloud-c/" FC_VERSION_STRING "\r\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_valid_config_is_taken, setup),
        cmocka_unit_test_setup(test_base_url, setup),
        cmocka_unit_test_setup(test_base_url_host_too_long, setup),
        cmocka_unit_test_setup(test_api_key, setup),
        cmocka_unit_test_setup(test_transports, setup),
        cmocka_unit_test_setup(test_transport_count, setup),
        cmocka_unit_test_setup(test_system, setup),
        cmocka_unit_test_setup(test_io_buf, setup),
        cmocka_unit_test_setup(test_tokens, setup),
        cmocka_unit_test_setup(test_max_attempts, setup),
        cmocka_unit_test_setup(test_refused_then_fixed, setup),
        cmocka_unit_test_setup(test_refused_writes_only_the_error_info, setup),
        cmocka_unit_test_setup(test_abi_same_view_passes, setup),
        cmocka_unit_test_setup(test_abi_each_option_is_named, setup),
        cmocka_unit_test_setup(test_abi_sizes_are_named, setup),
        cmocka_unit_test_setup(test_abi_other_headers_write_nothing, setup),
        cmocka_unit_test_setup(test_abi_detail_fits_the_smaller_buffer, setup),
        cmocka_unit_test_setup(test_version, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
