/* SPDX-License-Identifier: MIT */
/*
 * test_url.c - fc_url_parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fluidcloud/fc_url.h"

/* Parse s and check every part; target NULL means "no target" (len 0). */
static void check(const char *s, int tls, unsigned port, const char *host, const char *target)
{
    fc_url u;

    if (fc_url_parse(&u, s, strlen(s)) != FC_OK)
        fail_msg("rejected: %s", s);
    assert_int_equal(u.tls, tls);
    assert_int_equal(u.port, port);
    assert_int_equal(u.host_len, strlen(host));
    assert_memory_equal(u.host, host, u.host_len);
    assert_true(u.host >= s && u.host + u.host_len <= s + strlen(s));
    if (target == NULL) {
        assert_int_equal(u.target_len, 0);
    } else {
        assert_int_equal(u.target_len, strlen(target));
        assert_memory_equal(u.target, target, u.target_len);
        assert_int_equal(u.target[0], '/');
    }
}

static void test_url_defaults(void **state)
{
    (void)state;
    check("http://example.com/", 0, 80, "example.com", "/");
    check("https://example.com/", 1, 443, "example.com", "/");
    check("https://api.fluidcloud.test/v1/files?limit=10", 1, 443, "api.fluidcloud.test",
          "/v1/files?limit=10");
    check("http://10.0.0.1/a/b", 0, 80, "10.0.0.1", "/a/b");
    check("http://my_host-1.local/x", 0, 80, "my_host-1.local", "/x");
}

static void test_url_bare_host(void **state)
{
    (void)state;
    check("https://example.com", 1, 443, "example.com", NULL);
    check("http://h:8080", 0, 8080, "h", NULL);
    check("http://[::1]", 0, 80, "::1", NULL);
    check("https://example.com#frag", 1, 443, "example.com", NULL);
}

static void test_url_ports(void **state)
{
    fc_url u;

    (void)state;
    check("http://h:1/", 0, 1, "h", "/");
    check("https://h:8443/p", 1, 8443, "h", "/p");
    check("http://h:65535/", 0, 65535, "h", "/");
    check("https://h:80/", 1, 80, "h", "/");
    check("http://h:00080/", 0, 80, "h", "/");
    assert_int_equal(fc_url_parse(&u, "http://h:0/", 11), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://h:65536/", 15), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://h:99999/", 15), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://h:4294967377/", 20), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://h:18446744073709551697/", 30), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://h:/", 10), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://h:-1/", 12), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://h:8a/", 12), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://h:80:81/", 15), FC_ERR_BAD_URL);
}

static void test_url_ipv6(void **state)
{
    fc_url u;

    (void)state;
    check("https://[::1]:8443/x", 1, 8443, "::1", "/x");
    check("http://[2001:db8::a:B:c]/", 0, 80, "2001:db8::a:B:c", "/");
    check("http://[::ffff:192.0.2.1]:81/", 0, 81, "::ffff:192.0.2.1", "/");
    assert_int_equal(fc_url_parse(&u, "http://[::1/", 12), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://[]/", 10), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://[::1]x/", 14), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://[::1]:/", 14), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://[::g]/", 13), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(&u, "http://::1/", 11), FC_ERR_BAD_URL);
}

static void test_url_scheme(void **state)
{
    static const char *const bad[] = {
        "example.com/x",
        "//example.com/x",
        "ftp://example.com/",
        "file:///etc/passwd",
        "http:/example.com/",
        "http:example.com",
        "https//example.com/",
        "httpx://h/",
        "htt://h/",
        "ws://h/",
        "http://",
        "https://",
        "http:///path",
        "http://:80/",
        "",
        "h",
        "https:",
        "http:/",
    };
    size_t i;
    fc_url u;

    (void)state;
    check("HTTP://Example.COM/A", 0, 80, "Example.COM", "/A");
    check("HtTpS://h/", 1, 443, "h", "/");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (fc_url_parse(&u, bad[i], strlen(bad[i])) != FC_ERR_BAD_URL)
            fail_msg("accepted: %s", bad[i]);
    }
}

static void test_url_rejects(void **state)
{
    static const char *const bad[] = {
        "http://user@h/", "http://user:pw@h/", "https://@h/",
        "http://h/a b",   "http://h/a\tb",     "http://h/\r\nX-Injected: 1",
        " http://h/",     "http://h/ ",        "http://h /",
        "http://h/\x7f",  "http://h/\xc3\xa9", "http://h?x=1",
        "http://h!/",     "http://h%41/",      "http://a,b/",
    };
    size_t i;
    fc_url u;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (fc_url_parse(&u, bad[i], strlen(bad[i])) != FC_ERR_BAD_URL)
            fail_msg("accepted: %s", bad[i]);
    }
    /* Embedded NUL inside len. */
    assert_int_equal(fc_url_parse(&u, "http://h/\0x", 11), FC_ERR_BAD_URL);
    assert_int_equal(fc_url_parse(NULL, "http://h/", 9), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_url_parse(&u, NULL, 0), FC_ERR_INVALID_ARG);
}

static void test_url_fragment_and_len(void **state)
{
    fc_url u;
    static const char s[] = "https://h/p?q=1#frag#more";

    (void)state;
    check(s, 1, 443, "h", "/p?q=1");
    check("http://h/#", 0, 80, "h", "/");
    /* '@' after the path is not userinfo. */
    check("http://h/a@b?c=@", 0, 80, "h", "/a@b?c=@");
    /* Only len bytes are looked at: no NUL needed, trailing junk ignored. */
    assert_int_equal(fc_url_parse(&u, "https://h/abc JUNK", 13), FC_OK);
    assert_int_equal(u.target_len, 4);
    assert_int_equal(fc_url_parse(&u, "https://host:8443/abc", 17), FC_OK);
    assert_int_equal(u.port, 8443);
    assert_int_equal(u.target_len, 0);
    assert_int_equal(fc_url_parse(&u, "https://host:8443/abc", 16), FC_OK);
    assert_int_equal(u.port, 844);
}

static void test_url_long_query(void **state)
{
    static char url[2300];
    size_t n;
    fc_url u;

    (void)state;
    strcpy(url, "https://bucket.s3.example.com:9000/uploads/obj?X-Amz-Signature=");
    n = strlen(url);
    for (; n < 2200; n++)
        url[n] = "0123456789abcdef%2F&="[n % 21];
    url[n] = '\0';
    assert_int_equal(fc_url_parse(&u, url, n), FC_OK);
    assert_int_equal(u.tls, 1);
    assert_int_equal(u.port, 9000);
    assert_int_equal(u.host_len, strlen("bucket.s3.example.com"));
    assert_ptr_equal(u.target, url + strlen("https://bucket.s3.example.com:9000"));
    assert_int_equal(u.target_len, n - strlen("https://bucket.s3.example.com:9000"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_defaults),
        cmocka_unit_test(test_url_bare_host),
        cmocka_unit_test(test_url_ports),
        cmocka_unit_test(test_url_ipv6),
        cmocka_unit_test(test_url_scheme),
        cmocka_unit_test(test_url_rejects),
        cmocka_unit_test(test_url_fragment_and_len),
        cmocka_unit_test(test_url_long_query),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
