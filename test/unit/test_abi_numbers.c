/* SPDX-License-Identifier: MIT */
/*
 * test_abi_numbers.c - the ABI guard's words in a library built without
 * FC_CONFIG_ANSWER_DETAIL, as firmware builds it: no names, a word named
 * by its index in fc_abi and both values. The test builds' library has the
 * option on, so the guard's source is compiled here, with it off (this
 * file's definitions take the place of the library's fc_abi.o).
 */
#undef FC_CONFIG_ANSWER_DETAIL
#define FC_CONFIG_ANSWER_DETAIL 0
#include "fc_abi.c"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <cmocka.h>

static fc_client g_client;

static void test_option_named_by_its_word(void **state)
{
    fc_abi app = *fc_abi_here();
    char why[96], want[96];
    const fc_error_info *ei = fc_client_error(&g_client);
    (void)state;
    assert_int_equal(fc_abi_here()->word[FC_ABI_ANSWER_DETAIL], 0);
    app.word[FC_ABI_MAX_CONNECTIONS] = FC_CONFIG_MAX_CONNECTIONS + 1;
    (void)snprintf(want, sizeof want, "fc_abi.word[%d]: %d here, %d in the library",
                   (int)FC_ABI_MAX_CONNECTIONS, FC_CONFIG_MAX_CONNECTIONS + 1,
                   FC_CONFIG_MAX_CONNECTIONS);
    assert_int_equal(fc_abi_check(&app, why, sizeof why), FC_ERR_ABI);
    assert_string_equal(why, want);
    assert_int_equal(FC_ABI_MAX_CONNECTIONS, 1); /* as fc_client.h's example says */

    memset(&g_client, 0x5a, sizeof g_client);
    assert_int_equal(fc_abi_guard(&g_client, &app), FC_ERR_ABI);
    assert_int_equal(ei->err, FC_ERR_ABI);
    assert_string_equal(ei->step, "abi");
    assert_int_equal(ei->needed, FC_CONFIG_MAX_CONNECTIONS);
    assert_string_equal(ei->detail, want);
}

static void test_size_named_by_its_word(void **state)
{
    fc_abi app = *fc_abi_here();
    char why[96], want[96];
    (void)state;
    app.word[FC_ABI_SIZEOF_CLIENT] += 4;
    (void)snprintf(want, sizeof want, "fc_abi.word[%d]: %lu here, %lu in the library",
                   (int)FC_ABI_SIZEOF_CLIENT, (unsigned long)sizeof(fc_client) + 4,
                   (unsigned long)sizeof(fc_client));
    assert_int_equal(fc_abi_check(&app, why, sizeof why), FC_ERR_ABI);
    assert_string_equal(why, want);
}

/* Headers of another version: the version as FC_VERSION_NUMBER, and
 * nothing written into the client. */
static void test_version_as_a_number(void **state)
{
    fc_abi app = *fc_abi_here();
    static unsigned char before[sizeof(fc_client)];
    char why[96], want[96];
    (void)state;
    app.word[FC_ABI_VERSION] = FC_VERSION_NUMBER + 0x100u;
    (void)snprintf(want, sizeof want, "fc_abi.word[0]: %lu here, %lu in the library",
                   (unsigned long)FC_VERSION_NUMBER + 0x100u, (unsigned long)FC_VERSION_NUMBER);
    assert_int_equal(fc_abi_check(&app, why, sizeof why), FC_ERR_ABI);
    assert_string_equal(why, want);
    memset(&g_client, 0xa5, sizeof g_client);
    memcpy(before, &g_client, sizeof before);
    assert_int_equal(fc_abi_guard(&g_client, &app), FC_ERR_ABI);
    assert_memory_equal(&g_client, before, sizeof before);
}

static void test_same_view_passes(void **state)
{
    char why[8] = "x";
    (void)state;
    assert_int_equal(fc_abi_check(fc_abi_here(), why, sizeof why), FC_OK);
    assert_string_equal(why, "");
    assert_int_equal(fc_abi_guard(&g_client, fc_abi_here()), FC_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_option_named_by_its_word),
        cmocka_unit_test(test_size_named_by_its_word),
        cmocka_unit_test(test_version_as_a_number),
        cmocka_unit_test(test_same_view_passes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
