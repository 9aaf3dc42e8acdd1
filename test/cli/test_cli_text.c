/* SPDX-License-Identifier: MIT */
/* test_cli_text.c - the CLI's pure text helpers (examples/cli/cli_text.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "cli.h"

static void test_sizes(void **state)
{
    char b[32];
    (void)state;
    assert_string_equal(cli_size_text(0, 0, b, sizeof b), "0 B");
    assert_string_equal(cli_size_text(1023, 0, b, sizeof b), "1023 B");
    assert_string_equal(cli_size_text(1024, 0, b, sizeof b), "1.0 KiB");
    assert_string_equal(cli_size_text(1536, 0, b, sizeof b), "1.5 KiB");
    assert_string_equal(cli_size_text(150000, 0, b, sizeof b), "146.5 KiB");
    assert_string_equal(cli_size_text(1048575, 0, b, sizeof b), "1.0 MiB");
    assert_string_equal(cli_size_text(125829120, 0, b, sizeof b), "120.0 MiB");
    assert_string_equal(cli_size_text(UINT64_C(5368709120), 0, b, sizeof b), "5.0 GiB");
    assert_string_equal(cli_size_text(UINT64_MAX, 0, b, sizeof b), "16384.0 PiB");
    assert_string_equal(cli_size_text(150000, 1, b, sizeof b), "150000");
}

static void test_durations(void **state)
{
    char b[32];
    (void)state;
    assert_string_equal(cli_duration_text(0, b, sizeof b), "0:00");
    assert_string_equal(cli_duration_text(62, b, sizeof b), "1:02");
    assert_string_equal(cli_duration_text(3723, b, sizeof b), "1:02:03");
}

#define KEY "fck_live_0123456789abcdef0123456789abcdef"

static void test_mask(void **state)
{
    char b[512];
    (void)state;
    assert_string_equal(cli_mask("PUT https://127.0.0.1:9/o/k?partNumber=1&X-Fc-Signature=ab"
                                 " failed",
                                 NULL, b, sizeof b),
                        "PUT https://127.0.0.1:9/o/k?<redacted> failed");
    assert_string_equal(cli_mask("no query https://h/s/TOKEN here", NULL, b, sizeof b),
                        "no query https://h/s/TOKEN here");
    assert_string_equal(cli_mask("key " KEY " end", KEY, b, sizeof b), "key fck_live_...cdef end");
    assert_null(strstr(cli_mask("\"" KEY "\"", KEY, b, sizeof b), "0123456789"));
    /* A '?' outside a URL stays. */
    assert_string_equal(cli_mask("what? ok", NULL, b, sizeof b), "what? ok");
    /* Bounded: cut, still terminated. */
    assert_string_equal(cli_mask("abcdef", NULL, b, 4), "abc");
    assert_string_equal(cli_mask_key(KEY, b, sizeof b), "fck_live_...cdef");
    assert_string_equal(cli_mask_key("short", b, sizeof b), "<hidden>");
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(cli_edit_distance("list", "list"), 0);
    assert_int_equal(cli_edit_distance("lst", "list"), 1);
    assert_int_equal(cli_edit_distance("lsit", "list"), 1); /* transposition */
    assert_int_equal(cli_edit_distance("--jsn", "--json"), 1);
    assert_int_equal(cli_edit_distance("", "abc"), 3);
    assert_int_equal(cli_edit_distance("completely", "other"), 8);
    assert_int_equal(cli_edit_distance("abcdefghijkl", ""), 9); /* capped */
}

static void test_names(void **state)
{
    char b[256];
    (void)state;
    assert_string_equal(cli_name_from_url("https://h:1/s/TOKEN", b, sizeof b), "TOKEN");
    assert_string_equal(cli_name_from_url("https://h/o/a/caf%C3%A9%20x.jpg?sig=1", b, sizeof b),
                        "caf\xc3\xa9 x.jpg");
    assert_string_equal(cli_name_from_url("https://h/", b, sizeof b), "");
    assert_string_equal(cli_name_from_url("https://h", b, sizeof b), "");
    assert_string_equal(cli_name_from_url("https://h/a/%2e%2e%2fetc", b, sizeof b), "etc");
    assert_string_equal(cli_name_from_url("https://h/a/..%2Fpasswd", b, sizeof b), "passwd");
    assert_string_equal(cli_safe_name("../../x.txt", b, sizeof b), "x.txt");
    assert_string_equal(cli_safe_name(".bashrc", b, sizeof b), "bashrc");
    assert_string_equal(cli_safe_name("a\\b\nc", b, sizeof b), "b_c");
    assert_true(cli_is_url("http://x/"));
    assert_true(cli_is_url("https://x/"));
    assert_false(cli_is_url("8f4b0c2a-3d1e-4a9f-9c77-2b6e5a1d0e44"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes), cmocka_unit_test(test_durations),
        cmocka_unit_test(test_mask),  cmocka_unit_test(test_distance),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
