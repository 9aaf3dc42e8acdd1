/* SPDX-License-Identifier: MIT */
/*
 * test_json.c - fc_json reader and writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fluidcloud/fc_json.h"

#define NTOK 64

/* Parse a C string into the shared token array; assert success. */
static fc_json_tok g_toks[NTOK];

static fc_json_doc parse_ok(const char *s)
{
    fc_json_doc d;
    unsigned needed = 0;

    assert_int_equal(fc_json_parse(&d, s, strlen(s), g_toks, NTOK, &needed), FC_OK);
    assert_int_equal((int)needed, d.count);
    return d;
}

static fc_err parse_err(const char *s)
{
    fc_json_doc d;

    return fc_json_parse(&d, s, strlen(s), g_toks, NTOK, NULL);
}

/* ---- parse ------------------------------------------------------------ */

static void test_parse_valid(void **state)
{
    static const char *const ok[] = {
        "{}",
        "[]",
        " { } ",
        "\n[\t]\r\n",
        "{\"a\":1}",
        "[1,2,3]",
        "{\"a\":{\"b\":[1,{\"c\":null}]},\"d\":\"x\"}",
        "[[[]],[{}]]",
        "[true,false,null,0,-0,1.5,-2e10,3E+2,4e-1,0.25]",
        "\"str\" ",
        "[\"\\u00e9\\n\\\\\\\"\\/\"]",
        "{\"\":\"\"}",
        "17 ",
        "[1e05,0e+1,-0.0,1E-0,10,0.01]",
        "-5 ",
        "null\n",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        fc_json_doc d;

        assert_int_equal(fc_json_parse(&d, ok[i], strlen(ok[i]), g_toks, NTOK, NULL), FC_OK);
        assert_true(d.count > 0);
    }
}

static void test_parse_invalid(void **state)
{
    static const char *const bad[] = {
        "",
        "   ",
        "{",
        "[",
        "}",
        "]",
        "{\"a\":1",
        "[1,2",
        "{\"a\"",
        "{\"a\":}",
        "{\"a\"}",
        "{\"a\",\"b\"}",
        "{\"a\" \"b\"}",
        "{\"a\":1 \"b\":2}",
        "{\"a\":1,}",
        "[1,]",
        "[,1]",
        "[1,,2]",
        "[1 2]",
        "[\"a\" \"b\"]",
        "{,\"a\":1}",
        "{\"a\"::1}",
        "[\"a\":1]",
        "{\"a\":\"b\":\"c\"}",
        "{1:2}",
        "{\"a\":1,2}",
        "{\"a\":1,{}}",
        "{[]:1}",
        "[1:2]",
        "{} {}",
        "{}x",
        "{} ,",
        "[]]",
        "{}}",
        "[}",
        "{]",
        "{\"a\":[}",
        "[tru]",
        "[nul]",
        "[falsey]",
        "[01]",
        "[1.]",
        "[.5]",
        "[-]",
        "[1e]",
        "[+1]",
        "[1.2.3]",
        "[--1]",
        "[0x10]",
        "[\"abc]",
        "[\"a\\x\"]",
        "[\"\\u12\"]",
        "[\"\\uZZZZ\"]",
        "'a'",
        "{'a':1}",
        "[undefined]",
        "[1.e5]",
        "[-01]",
        "[00]",
        "[1e+-5]",
        "[0.0e]",
        "[-.5]",
        "[1E]",
        "[1e5.5]",
        "[1-2]",
        "[true1]",
        "[nulll]",
        "[trUe]",
        "17",
        "true", /* jsmn needs a delimiter after a bare primitive */
        ":",
        ",",
        "{:}",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fc_err e = parse_err(bad[i]);

        if (e != FC_ERR_JSON)
            fail_msg("accepted or wrong error %d for: %s", (int)e, bad[i]);
    }
}

static void test_parse_embedded_nul_and_truncation(void **state)
{
    static const char full[] = "{\"name\":\"x\",\"n\":[1,2,{\"k\":true}]}";
    char buf[64];
    fc_json_doc d;
    size_t len = strlen(full), cut;

    (void)state;
    /* Every proper prefix of the document is rejected. */
    for (cut = 0; cut < len; cut++)
        assert_int_equal(fc_json_parse(&d, full, cut, g_toks, NTOK, NULL), FC_ERR_JSON);
    assert_int_equal(fc_json_parse(&d, full, len, g_toks, NTOK, NULL), FC_OK);
    /* A NUL after the value (len counts it) is trailing garbage. */
    memcpy(buf, full, len + 1);
    assert_int_equal(fc_json_parse(&d, buf, len + 1, g_toks, NTOK, NULL), FC_ERR_JSON);
    /* A NUL inside a string. */
    memcpy(buf, "[\"a\0b\"]", 7);
    assert_int_equal(fc_json_parse(&d, buf, 7, g_toks, NTOK, NULL), FC_ERR_JSON);
}

static void test_parse_token_array_too_small(void **state)
{
    static const char s[] = "{\"a\":[1,2,3],\"b\":{\"c\":\"d\"}}";
    fc_json_tok toks[12];
    fc_json_doc d;
    unsigned needed = 0, n;

    (void)state;
    /* 1 + a,[,1,2,3 + b,{,c,d = 10 tokens */
    for (n = 0; n < 10; n++) {
        needed = 0;
        assert_int_equal(fc_json_parse(&d, s, strlen(s), toks, n, &needed),
                         FC_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(needed, 10);
    }
    assert_int_equal(fc_json_parse(&d, s, strlen(s), toks, 10, &needed), FC_OK);
    assert_int_equal(needed, 10);
    assert_int_equal(d.count, 10);
    /* No array at all is a size query. */
    assert_int_equal(fc_json_parse(&d, s, strlen(s), NULL, 0, &needed), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(needed, 10);
    /* Malformed and short of tokens: malformed wins when counting fails. */
    assert_int_equal(fc_json_parse(&d, "[1,2", 4, toks, 1, &needed), FC_ERR_JSON);
    /* A NULL needed is fine. */
    assert_int_equal(fc_json_parse(&d, s, strlen(s), toks, 3, NULL), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(fc_json_parse(NULL, s, strlen(s), toks, 12, NULL), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_json_parse(&d, NULL, 0, toks, 12, NULL), FC_ERR_INVALID_ARG);
}

static void test_parse_depth_limit(void **state)
{
    char s[80];
    fc_json_tok toks[80];
    fc_json_doc d;
    int i;

    (void)state;
    for (i = 0; i < 32; i++) {
        s[i] = '[';
        s[32 + i] = ']';
    }
    assert_int_equal(fc_json_parse(&d, s, 64, toks, 80, NULL), FC_OK);
    for (i = 0; i < 33; i++) {
        s[i] = '[';
        s[33 + i] = ']';
    }
    assert_int_equal(fc_json_parse(&d, s, 66, toks, 80, NULL), FC_ERR_JSON);
}

/* ---- navigation ------------------------------------------------------- */

static const char k_nested[] =
    "{\"unknown\":{\"x\":[1,[2,3],{\"y\":{}}],\"z\":\"q\"},"
    "\"items\":[{\"id\":1,\"tags\":[\"a\",\"b\"]},{\"id\":2,\"tags\":[]},[],\"s\",null],"
    "\"empty\":{},"
    "\"name\":\"fluid\"}";

static void test_find_skip_nested(void **state)
{
    fc_json_doc d = parse_ok(k_nested);
    int items, name, unk, it, i;
    int64_t v;

    (void)state;
    unk = fc_json_find(&d, 0, "unknown");
    assert_true(fc_json_is_object(&d, unk));
    /* Skipping the root lands at the end. */
    assert_int_equal(fc_json_skip(&d, 0), d.count);
    /* Key after a big unknown value. */
    name = fc_json_find(&d, 0, "name");
    assert_true(fc_json_str_eq(&d, name, "fluid"));
    /* Keys of nested objects are not members of the root. */
    assert_int_equal(fc_json_find(&d, 0, "x"), -1);
    assert_int_equal(fc_json_find(&d, 0, "id"), -1);
    assert_int_equal(fc_json_find(&d, 0, "nope"), -1);
    assert_true(fc_json_is_array(&d, fc_json_find(&d, unk, "x")));
    assert_true(fc_json_str_eq(&d, fc_json_find(&d, unk, "z"), "q"));
    assert_int_equal(fc_json_size(&d, fc_json_find(&d, 0, "empty")), 0);
    assert_int_equal(fc_json_find(&d, fc_json_find(&d, 0, "empty"), "a"), -1);

    items = fc_json_find(&d, 0, "items");
    assert_int_equal(fc_json_size(&d, items), 5);
    assert_int_equal(fc_json_size(&d, 0), 4);
    /* Walk in order with skip, and compare with fc_json_at. */
    for (i = 0, it = items + 1; i < 5; i++, it = fc_json_skip(&d, it))
        assert_int_equal(fc_json_at(&d, items, i), it);
    assert_int_equal(it, fc_json_find(&d, 0, "empty") - 1);
    assert_int_equal(fc_json_at(&d, items, 5), -1);
    assert_int_equal(fc_json_at(&d, items, -1), -1);
    assert_int_equal(fc_json_at(&d, 0, 0), -1); /* object, not array */

    it = fc_json_at(&d, items, 1);
    assert_int_equal(fc_json_get_i64(&d, fc_json_find(&d, it, "id"), &v), FC_OK);
    assert_int_equal(v, 2);
    assert_int_equal(fc_json_size(&d, fc_json_find(&d, it, "tags")), 0);
    it = fc_json_at(&d, items, 0);
    assert_true(fc_json_str_eq(&d, fc_json_at(&d, fc_json_find(&d, it, "tags"), 1), "b"));
    assert_true(fc_json_is_array(&d, fc_json_at(&d, items, 2)));
    assert_true(fc_json_is_string(&d, fc_json_at(&d, items, 3)));
    assert_true(fc_json_is_null(&d, fc_json_at(&d, items, 4)));

    /* Bad indices. */
    assert_int_equal(fc_json_skip(&d, -1), -1);
    assert_int_equal(fc_json_skip(&d, d.count), -1);
    assert_int_equal(fc_json_find(&d, -1, "name"), -1);
    assert_int_equal(fc_json_find(&d, items, "name"), -1);
    assert_int_equal(fc_json_find(&d, 0, NULL), -1);
    assert_int_equal(fc_json_size(&d, name), -1);
    assert_int_equal(fc_json_size(&d, -1), -1);
}

static void test_type_checks(void **state)
{
    fc_json_doc d = parse_ok("{\"s\":\"null\",\"n\":null,\"o\":{},\"a\":[],\"i\":1}");
    int s = fc_json_find(&d, 0, "s"), n = fc_json_find(&d, 0, "n");
    int o = fc_json_find(&d, 0, "o"), a = fc_json_find(&d, 0, "a");
    int i = fc_json_find(&d, 0, "i");

    (void)state;
    assert_true(fc_json_is_string(&d, s));
    assert_false(fc_json_is_null(&d, s)); /* the string "null" */
    assert_true(fc_json_is_null(&d, n));
    assert_false(fc_json_is_string(&d, n));
    assert_true(fc_json_is_object(&d, o));
    assert_false(fc_json_is_array(&d, o));
    assert_true(fc_json_is_array(&d, a));
    assert_false(fc_json_is_object(&d, a));
    assert_false(fc_json_is_null(&d, i));
    assert_false(fc_json_is_string(&d, -1));
    assert_false(fc_json_is_null(&d, -1));
    assert_false(fc_json_is_object(&d, -1));
    assert_false(fc_json_is_array(&d, -1));
    assert_false(fc_json_is_array(&d, d.count));
}

/* ---- strings ---------------------------------------------------------- */

/* Unescape the first element of a one-string array. */
static fc_err get1(const char *doc, char *out, size_t cap, size_t *needed)
{
    fc_json_doc d;
    fc_err e = fc_json_parse(&d, doc, strlen(doc), g_toks, NTOK, NULL);

    if (e != FC_OK)
        return e;
    return fc_json_get_str(&d, 1, out, cap, needed);
}

static void test_get_str_escapes(void **state)
{
    char out[64];
    size_t n = 0;

    (void)state;
    assert_int_equal(get1("[\"plain\"]", out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "plain");
    assert_int_equal(n, 6);
    assert_int_equal(get1("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"]", out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "\"\\/\b\f\n\r\t");
    assert_int_equal(get1("[\"caf\\u00e9\"]", out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "caf\xc3\xa9");
    assert_int_equal(n, 6);
    assert_int_equal(get1("[\"\\u00E9\\u0041\\u20AC\\u07ff\\u0800\\uFFFF\"]", out, sizeof out, &n),
                     FC_OK);
    assert_string_equal(out,
                        "\xc3\xa9"
                        "A"
                        "\xe2\x82\xac"
                        "\xdf\xbf"
                        "\xe0\xa0\x80"
                        "\xef\xbf\xbf");
    assert_int_equal(get1("[\"\\ud83d\\ude00!\"]", out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "\xf0\x9f\x98\x80!");
    assert_int_equal(n, 6);
    assert_int_equal(get1("[\"\\uDBFF\\uDFFF\"]", out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "\xf4\x8f\xbf\xbf");
    /* Raw UTF-8 passes through. */
    assert_int_equal(get1("[\"\xe2\x9c\x93 ok\"]", out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "\xe2\x9c\x93 ok");
    assert_int_equal(get1("[\"\"]", out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "");
    assert_int_equal(n, 1);
}

static void test_get_str_bad_escapes(void **state)
{
    static const char *const bad[] = {
        "[\"\\ud83d\"]",        /* lone high surrogate at end */
        "[\"\\ud83dx\"]",       /* high surrogate then text */
        "[\"\\ud83d\\n\"]",     /* high surrogate then other escape */
        "[\"\\ud83d\\ud83d\"]", /* two highs */
        "[\"\\ude00\"]",        /* lone low surrogate */
        "[\"\\ude00\\ud83d\"]", /* reversed pair */
        "[\"\\u0000\"]",        /* NUL would cut the C string */
        "[\"a\tb\"]",           /* raw control character */
        "[\"a\nb\"]",
    };
    char out[32];
    size_t i, n;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        n = 99;
        memcpy(out, "junk", 5);
        if (get1(bad[i], out, sizeof out, &n) != FC_ERR_JSON)
            fail_msg("accepted: %s", bad[i]);
        assert_string_equal(out, "");
        assert_int_equal(n, 0);
    }
}

static void test_get_str_sizes(void **state)
{
    /* "h\u00e9llo \ud83d\ude00" = h (1) é (2) llo  (4) 😀 (4) = 11 bytes */
    static const char doc[] = "[\"h\\u00e9llo \\ud83d\\ude00\",1]";
    char out[16];
    size_t cap, n;

    (void)state;
    for (cap = 0; cap < 12; cap++) {
        n = 0;
        memset(out, 'X', sizeof out);
        assert_int_equal(get1(doc, cap ? out : NULL, cap, &n), FC_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(n, 12);
        if (cap > 0)
            assert_int_equal(out[0], '\0'); /* never a truncated value */
        assert_int_equal(out[cap], 'X');    /* nothing past cap */
    }
    memset(out, 'X', sizeof out);
    assert_int_equal(get1(doc, out, 12, &n), FC_OK); /* exact fit */
    assert_string_equal(out, "h\xc3\xa9llo \xf0\x9f\x98\x80");
    assert_int_equal(out[12], 'X');
    assert_int_equal(n, 12);
    assert_int_equal(get1(doc, out, 12, NULL), FC_OK);
}

static void test_get_str_wrong_type(void **state)
{
    fc_json_doc d = parse_ok("{\"i\":1,\"o\":{},\"a\":[\"x\"],\"n\":null,\"s\":\"v\"}");
    char out[8] = "junk";
    size_t n = 5;

    (void)state;
    assert_int_equal(fc_json_get_str(&d, fc_json_find(&d, 0, "i"), out, sizeof out, &n),
                     FC_ERR_JSON);
    assert_string_equal(out, "");
    assert_int_equal(fc_json_get_str(&d, fc_json_find(&d, 0, "o"), out, sizeof out, &n),
                     FC_ERR_JSON);
    assert_int_equal(fc_json_get_str(&d, fc_json_find(&d, 0, "a"), out, sizeof out, &n),
                     FC_ERR_JSON);
    assert_int_equal(fc_json_get_str(&d, fc_json_find(&d, 0, "n"), out, sizeof out, &n),
                     FC_ERR_JSON);
    assert_int_equal(fc_json_get_str(&d, fc_json_find(&d, 0, "absent"), out, sizeof out, &n),
                     FC_ERR_JSON);
    assert_int_equal(fc_json_get_str(&d, d.count, out, sizeof out, &n), FC_ERR_JSON);
    /* A key token is a string too; its value is what find returns. */
    assert_int_equal(fc_json_get_str(&d, fc_json_find(&d, 0, "s"), out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "v");

    /* _or_null: null and absent give "", others as get_str. */
    memcpy(out, "junk", 5);
    assert_int_equal(fc_json_get_str_or_null(&d, fc_json_find(&d, 0, "n"), out, sizeof out, &n),
                     FC_OK);
    assert_string_equal(out, "");
    assert_int_equal(n, 1);
    memcpy(out, "junk", 5);
    assert_int_equal(
        fc_json_get_str_or_null(&d, fc_json_find(&d, 0, "absent"), out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "");
    assert_int_equal(fc_json_get_str_or_null(&d, fc_json_find(&d, 0, "s"), out, sizeof out, &n),
                     FC_OK);
    assert_string_equal(out, "v");
    assert_int_equal(n, 2);
    assert_int_equal(fc_json_get_str_or_null(&d, fc_json_find(&d, 0, "i"), out, sizeof out, &n),
                     FC_ERR_JSON);
    assert_int_equal(fc_json_get_str_or_null(&d, fc_json_find(&d, 0, "n"), NULL, 0, &n),
                     FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 1);
    assert_int_equal(fc_json_get_str_or_null(&d, fc_json_find(&d, 0, "s"), out, 1, &n),
                     FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(n, 2);
}

/* fc_json_join: whole strings only, later ones still tried, the size of
 * the whole join reported, the first failure returned. */
static void test_join(void **state)
{
    fc_json_doc d = parse_ok(
        "{\"a\":[\"ab\",\"cdef\",\"g\"],\"e\":[],\"n\":null,"
        "\"s\":\"x\",\"o\":{\"k\":\"v\"},\"m\":[\"ab\",1,{\"k\":[2]},\"c\"],"
        "\"u\":[\"x\\u00e9\",\"\",\"y\"]}");
    int a = fc_json_find(&d, 0, "a");
    char out[16];
    size_t n = 0;

    (void)state;
    assert_int_equal(fc_json_join(&d, a, out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "ab cdef g");
    assert_int_equal(n, 10);
    /* Exactly enough room; one byte short leaves out "g"; with "cdef"
     * left out, "g" still goes in. */
    assert_int_equal(fc_json_join(&d, a, out, 10, &n), FC_OK);
    assert_string_equal(out, "ab cdef g");
    assert_int_equal(fc_json_join(&d, a, out, 9, &n), FC_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(out, "ab cdef");
    assert_int_equal(n, 10);
    assert_int_equal(fc_json_join(&d, a, out, 7, &n), FC_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(out, "ab g");
    assert_int_equal(fc_json_join(&d, a, out, 3, &n), FC_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(out, "ab");
    assert_int_equal(fc_json_join(&d, a, out, 2, &n), FC_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(out, "g");
    assert_int_equal(fc_json_join(&d, a, out, 1, NULL), FC_ERR_BUFFER_TOO_SMALL);
    assert_string_equal(out, "");
    /* Empty, null and absent arrays join nothing. */
    memcpy(out, "junk", 5);
    assert_int_equal(fc_json_join(&d, fc_json_find(&d, 0, "e"), out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "");
    assert_int_equal(n, 1);
    memcpy(out, "junk", 5);
    assert_int_equal(fc_json_join(&d, fc_json_find(&d, 0, "n"), out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "");
    memcpy(out, "junk", 5);
    assert_int_equal(fc_json_join(&d, -1, out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "");
    assert_int_equal(n, 1);
    /* Anything else is a JSON error. */
    memcpy(out, "junk", 5);
    assert_int_equal(fc_json_join(&d, fc_json_find(&d, 0, "s"), out, sizeof out, &n), FC_ERR_JSON);
    assert_string_equal(out, "");
    assert_int_equal(fc_json_join(&d, fc_json_find(&d, 0, "o"), out, sizeof out, &n), FC_ERR_JSON);
    assert_string_equal(out, "");
    /* Non-strings (even nested ones) are skipped, the rest joined. */
    assert_int_equal(fc_json_join(&d, fc_json_find(&d, 0, "m"), out, sizeof out, &n), FC_ERR_JSON);
    assert_string_equal(out, "ab c");
    assert_int_equal(n, 5);
    /* Escapes are decoded; an empty string still takes its space. */
    assert_int_equal(fc_json_join(&d, fc_json_find(&d, 0, "u"), out, sizeof out, &n), FC_OK);
    assert_string_equal(out, "x\xc3\xa9  y");
    assert_int_equal(n, 7);
}

static void test_str_eq(void **state)
{
    fc_json_doc d = parse_ok("[\"caf\\u00e9\",\"a\\\"b\",\"\",1,\"\\ud83d\"]");

    (void)state;
    assert_true(fc_json_str_eq(&d, 1, "caf\xc3\xa9"));
    assert_false(fc_json_str_eq(&d, 1, "caf\\u00e9"));
    assert_false(fc_json_str_eq(&d, 1, "caf"));
    assert_false(fc_json_str_eq(&d, 1, "caf\xc3\xa9!"));
    assert_true(fc_json_str_eq(&d, 2, "a\"b"));
    assert_true(fc_json_str_eq(&d, 3, ""));
    assert_false(fc_json_str_eq(&d, 3, "x"));
    assert_false(fc_json_str_eq(&d, 4, "1"));            /* not a string */
    assert_false(fc_json_str_eq(&d, 5, "\xed\xa0\xbd")); /* lone surrogate */
    assert_false(fc_json_str_eq(&d, -1, ""));
    assert_false(fc_json_str_eq(&d, 1, NULL));
}

/* ---- numbers and booleans --------------------------------------------- */

static fc_err i64_of(const char *num, int64_t *v)
{
    char doc[64];
    fc_json_doc d;
    fc_err e;

    strcpy(doc, "[");
    strcat(doc, num);
    strcat(doc, "]");
    e = fc_json_parse(&d, doc, strlen(doc), g_toks, NTOK, NULL);
    if (e != FC_OK)
        return e;
    return fc_json_get_i64(&d, 1, v);
}

static void test_get_i64(void **state)
{
    int64_t v = 0;

    (void)state;
    assert_int_equal(i64_of("0", &v), FC_OK);
    assert_true(v == 0);
    assert_int_equal(i64_of("-0", &v), FC_OK);
    assert_true(v == 0);
    assert_int_equal(i64_of("42", &v), FC_OK);
    assert_true(v == 42);
    assert_int_equal(i64_of("-42", &v), FC_OK);
    assert_true(v == -42);
    assert_int_equal(i64_of("9223372036854775807", &v), FC_OK);
    assert_true(v == INT64_MAX);
    assert_int_equal(i64_of("9223372036854775806", &v), FC_OK);
    assert_true(v == INT64_MAX - 1);
    assert_int_equal(i64_of("-9223372036854775808", &v), FC_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(i64_of("-9223372036854775807", &v), FC_OK);
    assert_true(v == INT64_MIN + 1);
    v = 7;
    assert_int_equal(i64_of("9223372036854775808", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("-9223372036854775809", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("9223372036854775810", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("92233720368547758070", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("99999999999999999999999", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("1.0", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("1e3", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("true", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("null", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("\"12\"", &v), FC_ERR_JSON);
    assert_int_equal(i64_of("{}", &v), FC_ERR_JSON);
    assert_true(v == 7); /* untouched on failure */
}

static void test_get_i64_absent_and_args(void **state)
{
    fc_json_doc d = parse_ok("{\"a\":5}");
    int64_t v;

    (void)state;
    assert_int_equal(fc_json_get_i64(&d, fc_json_find(&d, 0, "b"), &v), FC_ERR_JSON);
    assert_int_equal(fc_json_get_i64(&d, 0, &v), FC_ERR_JSON);
    assert_int_equal(fc_json_get_i64(&d, 2, NULL), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_json_get_i64(&d, 2, &v), FC_OK);
    assert_true(v == 5);
}

static void test_get_bool(void **state)
{
    fc_json_doc d = parse_ok("[true,false,null,1,\"true\"]");
    int b = 7;

    (void)state;
    assert_int_equal(fc_json_get_bool(&d, 1, &b), FC_OK);
    assert_int_equal(b, 1);
    assert_int_equal(fc_json_get_bool(&d, 2, &b), FC_OK);
    assert_int_equal(b, 0);
    b = 7;
    assert_int_equal(fc_json_get_bool(&d, 3, &b), FC_ERR_JSON);
    assert_int_equal(fc_json_get_bool(&d, 4, &b), FC_ERR_JSON);
    assert_int_equal(fc_json_get_bool(&d, 5, &b), FC_ERR_JSON);
    assert_int_equal(fc_json_get_bool(&d, 0, &b), FC_ERR_JSON);
    assert_int_equal(fc_json_get_bool(&d, -1, &b), FC_ERR_JSON);
    assert_int_equal(b, 7);
    assert_int_equal(fc_json_get_bool(&d, 1, NULL), FC_ERR_INVALID_ARG);
}

/* ---- timestamps ------------------------------------------------------- */

static int64_t ts(const char *s)
{
    int64_t v = -1;

    assert_int_equal(fc_json_parse_time(s, &v), FC_OK);
    return v;
}

static void test_parse_time(void **state)
{
    (void)state;
    assert_true(ts("1970-01-01T00:00:00Z") == 0);
    assert_true(ts("1970-01-02T00:00:01Z") == 86401);
    assert_true(ts("1969-12-31T23:59:59Z") == -1);
    assert_true(ts("2000-01-01T00:00:00Z") == 946684800);
    assert_true(ts("2000-02-29T00:00:00Z") == 951782400); /* 400-year leap */
    assert_true(ts("2024-02-29T12:00:00Z") == 1709208000);
    assert_true(ts("2024-03-01T00:00:00Z") == 1709251200);
    assert_true(ts("2100-03-01T00:00:00Z") == 4107542400);   /* 2100 no leap */
    assert_true(ts("2038-01-19T03:14:08Z") == 2147483648LL); /* past int32 */
    assert_true(ts("2026-06-23T14:05:00Z") == 1782223500);
    assert_true(ts("2026-06-23T14:05:00.123Z") == 1782223500);
    assert_true(ts("2026-06-23T14:05:00.999999Z") == 1782223500);
    assert_true(ts("2026-06-23T14:05:00+00:00") == 1782223500);
    assert_true(ts("2026-06-23T14:05:00.5+00:00") == 1782223500);
    assert_true(ts("2026-06-23t14:05:00z") == 1782223500);
    assert_true(ts("2026-06-23T16:05:00+02:00") == 1782223500);
    assert_true(ts("2026-06-23T09:35:00-04:30") == 1782223500);
    assert_true(ts("2026-12-31T23:59:59Z") == 1798761599);
    assert_true(ts("1970-01-01T00:00:00+00:00") == 0);
    assert_true(ts("1970-01-01T00:00:00-00:00") == 0);
    assert_true(ts("1970-01-01T00:00:00+01:00") == -3600);
    assert_true(ts("1969-12-31T19:00:00-05:00") == 0);
    assert_true(ts("1970-01-01T23:59:59-23:59") == 86399 + 86340);
    assert_true(ts("1970-01-01T00:00:00+23:59") == -86340);
    assert_true(ts("1972-02-29T00:00:00Z") == 68169600); /* first leap day */
    assert_true(ts("1600-02-29T00:00:00Z") == -11670998400LL);
    assert_true(ts("2038-01-19T03:14:07Z") == 2147483647LL);
    assert_true(ts("2106-02-07T06:28:16Z") == 4294967296LL); /* past uint32 */
    assert_true(ts("2400-02-29T23:59:59Z") == 13574649599LL);
    assert_true(ts("2024-02-29T23:30:00-01:00") == 1709253000); /* into March */
    assert_true(ts("2024-03-01T00:30:00+01:00") == 1709249400); /* back to Feb */
    assert_true(ts("0000-02-29T00:00:00Z") == -62162121600LL);  /* year 0 is leap */
    assert_true(ts("0000-01-01T00:00:00Z") == -62167219200LL);
    assert_true(ts("9999-12-31T23:59:59Z") == 253402300799LL);
}

static void test_parse_time_malformed(void **state)
{
    static const char *const bad[] = {
        "",
        "2026",
        "2026-06-23",
        "2026-06-23T14:05:00",
        "2026-06-23T14:05Z",
        "2026-06-23 14:05:00Z",
        "2026/06/23T14:05:00Z",
        "26-06-23T14:05:00Z",
        "2026-6-23T14:05:00Z",
        "2026-06-23T14:05:00ZZ",
        "2026-06-23T14:05:00Z ",
        "2026-06-23T14:05:00.Z",
        "2026-06-23T14:05:00,5Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-06-00T00:00:00Z",
        "2026-06-31T00:00:00Z",
        "2025-02-29T00:00:00Z",
        "1900-02-29T00:00:00Z",
        "2026-06-23T24:00:00Z",
        "2026-06-23T14:60:00Z",
        "2026-06-23T14:05:60Z",
        "2026-06-23T14:05:00+0000",
        "2026-06-23T14:05:00+00",
        "2026-06-23T14:05:00+24:00",
        "2026-06-23T14:05:00+00:60",
        "2026-06-23T14:05:00UTC",
        "x026-06-23T14:05:00Z",
        "2026-06-23T14:05:0aZ",
        "2026\r06-23T14:05:00Z",
        "2026-06-23X14:05:00Z",
        "2100-02-29T00:00:00Z",
        "2023-02-29T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "2024-04-31T00:00:00Z",
        "2024-09-31T00:00:00Z",
        "2024-11-31T00:00:00Z",
        "2024-01-32T00:00:00Z",
        "2024-12-32T00:00:00Z",
        "2024-99-01T00:00:00Z",
        "2024-01-01T00:00:00.5",
        "2024-01-01T00:00:00+01:00Z",
        "2024-01-01T00:00:00*01:00",
        "2024-01-01T00:00:00+1:00",
        "2024-01-01T00:00:00+01:0",
        "2024-01-01T00:00:00-99:00",
        "-024-01-01T00:00:00Z",
        "+2024-01-01T00:00:00Z",
        "20240-01-01T00:00:00Z",
        "2024-01-01T00:00:00z0",
        "2024-01-01t00:00:00.z",
    };
    size_t i;
    int64_t v = 5;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (fc_json_parse_time(bad[i], &v) != FC_ERR_JSON)
            fail_msg("accepted: '%s'", bad[i]);
    }
    assert_true(v == 5);
    assert_int_equal(fc_json_parse_time(NULL, &v), FC_ERR_INVALID_ARG);
    assert_int_equal(fc_json_parse_time("1970-01-01T00:00:00Z", NULL), FC_ERR_INVALID_ARG);
}

/* Every day 1970..2400 against a running day counter. */
static void test_parse_time_every_day(void **state)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t day = 0;
    int y, m, d;

    (void)state;
    for (y = 1970; y <= 2400; y++) {
        int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

        for (m = 1; m <= 12; m++) {
            int n = mdays[m - 1] + (m == 2 && leap);

            for (d = 1; d <= n; d++, day++) {
                char s[32];
                int64_t v;

                snprintf(s, sizeof s, "%04d-%02d-%02dT00:00:07Z", y, m, d);
                assert_int_equal(fc_json_parse_time(s, &v), FC_OK);
                assert_true(v == day * 86400 + 7);
            }
            if (n < 31) {
                char s[32];
                int64_t v;

                snprintf(s, sizeof s, "%04d-%02d-%02dT00:00:00Z", y, m, n + 1);
                assert_int_equal(fc_json_parse_time(s, &v), FC_ERR_JSON);
            }
        }
    }
}

/* ---- writer ----------------------------------------------------------- */

static void test_writer_basic(void **state)
{
    char buf[256];
    fc_json_writer w;

    (void)state;
    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_object_begin(&w);
    fc_json_write_member_str(&w, "name", "a.txt");
    fc_json_write_member_str(&w, "omitted", NULL);
    fc_json_write_member_i64(&w, "size", 123);
    fc_json_write_key(&w, "list");
    fc_json_write_array_begin(&w);
    fc_json_write_i64(&w, 0);
    fc_json_write_i64(&w, -1);
    fc_json_write_i64(&w, INT64_MAX);
    fc_json_write_i64(&w, INT64_MIN);
    fc_json_write_bool(&w, 1);
    fc_json_write_bool(&w, 0);
    fc_json_write_null(&w);
    fc_json_write_array_begin(&w);
    fc_json_write_array_end(&w);
    fc_json_write_object_begin(&w);
    fc_json_write_object_end(&w);
    fc_json_write_string_n(&w, "abcdef", 3);
    fc_json_write_array_end(&w);
    fc_json_write_key(&w, "o");
    fc_json_write_object_begin(&w);
    fc_json_write_member_i64(&w, "x", 4294967296LL);
    fc_json_write_member_i64(&w, "y", 1000000000000000000LL);
    fc_json_write_object_end(&w);
    fc_json_write_object_end(&w);
    assert_int_equal(fc_json_writer_finish(&w), FC_OK);
    assert_string_equal(buf,
                        "{\"name\":\"a.txt\",\"size\":123,\"list\":[0,-1,9223372036854775807,"
                        "-9223372036854775808,true,false,null,[],{},\"abc\"],"
                        "\"o\":{\"x\":4294967296,\"y\":1000000000000000000}}");
    assert_int_equal(w.len, strlen(buf));
    assert_int_equal(w.needed, strlen(buf));
}

static void test_writer_i64_digits(void **state)
{
    char buf[32], ref[32];
    fc_json_writer w;
    int64_t v = 1;
    int i;

    (void)state;
    /* Powers of ten and their neighbours, both signs. */
    for (i = 0; i < 19; i++, v = i < 19 ? v * 10 : v) {
        int64_t c[4];
        int j;

        c[0] = v;
        c[1] = v - 1;
        c[2] = -v;
        c[3] = -(v - 1) - 1;
        for (j = 0; j < 4; j++) {
            fc_json_writer_init(&w, buf, sizeof buf);
            fc_json_write_i64(&w, c[j]);
            assert_int_equal(fc_json_writer_finish(&w), FC_OK);
            snprintf(ref, sizeof ref, "%lld", (long long)c[j]);
            assert_string_equal(buf, ref);
        }
    }
}

static void test_writer_errors(void **state)
{
    /* Invalid UTF-8 in values and keys. */
    static const char *const bad[] = {
        "\x80",         "a\xc3",        "\xc3\x28",         "\xc0\xaf",         "\xc1\xbf",
        "\xe0\x80\xaf", "\xed\xa0\x80", "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
        "\xff",         "\xe2\x82",     "\xf0\x9f\x98",
    };
    char buf[64];
    fc_json_writer w;
    size_t i;

    (void)state;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        fc_json_writer_init(&w, buf, sizeof buf);
        fc_json_write_string(&w, bad[i]);
        assert_int_equal(fc_json_writer_finish(&w), FC_ERR_INVALID_ARG);
        assert_string_equal(buf, "");
        fc_json_writer_init(&w, buf, sizeof buf);
        fc_json_write_object_begin(&w);
        fc_json_write_key(&w, bad[i]);
        fc_json_write_null(&w);
        fc_json_write_object_end(&w);
        assert_int_equal(fc_json_writer_finish(&w), FC_ERR_INVALID_ARG);
    }
    /* Sticky: later valid calls do not clear it. */
    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_array_begin(&w);
    fc_json_write_string(&w, "\xff");
    fc_json_write_string(&w, "ok");
    fc_json_write_array_end(&w);
    assert_int_equal(w.err, FC_ERR_INVALID_ARG);
    assert_int_equal(fc_json_writer_finish(&w), FC_ERR_INVALID_ARG);
    /* Unbalanced containers, NULL arguments. */
    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_object_begin(&w);
    assert_int_equal(fc_json_writer_finish(&w), FC_ERR_INVALID_ARG);
    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_array_end(&w);
    assert_int_equal(fc_json_writer_finish(&w), FC_ERR_INVALID_ARG);
    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_string(&w, NULL);
    assert_int_equal(fc_json_writer_finish(&w), FC_ERR_INVALID_ARG);
    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_object_begin(&w);
    fc_json_write_key(&w, NULL);
    fc_json_write_object_end(&w);
    assert_int_equal(fc_json_writer_finish(&w), FC_ERR_INVALID_ARG);
    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_string_n(&w, NULL, 3);
    assert_int_equal(fc_json_writer_finish(&w), FC_ERR_INVALID_ARG);
    /* Depth is a uint8_t: the 256th level is refused, not wrapped. */
    fc_json_writer_init(&w, NULL, 0);
    for (i = 0; i < 255; i++)
        fc_json_write_array_begin(&w);
    assert_int_equal(w.err, FC_OK);
    fc_json_write_array_begin(&w);
    assert_int_equal(w.err, FC_ERR_INVALID_ARG);
    /* Valid edge UTF-8 passes. */
    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_string(
        &w, "\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");
    assert_int_equal(fc_json_writer_finish(&w), FC_OK);
    assert_string_equal(
        buf,
        "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"");
    /* A NUL inside string_n is escaped. */
    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_string_n(&w, "a\0b", 3);
    assert_int_equal(fc_json_writer_finish(&w), FC_OK);
    assert_string_equal(buf, "\"a\\u0000b\"");
}

/* Build the string of every awkward byte, write it, parse it back. */
static void test_writer_roundtrip(void **state)
{
    char src[256], buf[1024], back[256];
    size_t n = 0, got = 0;
    int c;
    fc_json_writer w;
    fc_json_doc d;

    (void)state;
    for (c = 1; c < 0x20; c++)
        src[n++] = (char)c;
    src[n] = '\0';
    strcat(src, "\"quote\" back\\slash /slash \x7f ");
    strcat(src, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf");
    n = strlen(src);

    fc_json_writer_init(&w, buf, sizeof buf);
    fc_json_write_object_begin(&w);
    fc_json_write_member_str(&w, "k\"\n", src);
    fc_json_write_key(&w, "arr");
    fc_json_write_array_begin(&w);
    fc_json_write_string(&w, src);
    fc_json_write_string(&w, "");
    fc_json_write_array_end(&w);
    fc_json_write_object_end(&w);
    assert_int_equal(fc_json_writer_finish(&w), FC_OK);
    /* Spot-check the escapes chosen. */
    assert_non_null(strstr(buf, "\\u0001\\u0002"));
    assert_non_null(strstr(buf, "\\b\\t\\n\\u000b\\f\\r"));
    assert_non_null(strstr(buf, "\\u001f"));
    assert_non_null(strstr(buf, "\\\"quote\\\" back\\\\slash /slash \\u007f "));
    assert_non_null(strstr(buf, "caf\xc3\xa9"));

    assert_int_equal(fc_json_parse(&d, buf, w.len, g_toks, NTOK, NULL), FC_OK);
    assert_int_equal(fc_json_get_str(&d, fc_json_find(&d, 0, "k\\\"\\n"), back, sizeof back, &got),
                     FC_OK);
    assert_int_equal(got, n + 1);
    assert_memory_equal(back, src, n + 1);
    assert_int_equal(
        fc_json_get_str(&d, fc_json_at(&d, fc_json_find(&d, 0, "arr"), 0), back, sizeof back, &got),
        FC_OK);
    assert_memory_equal(back, src, n + 1);
    assert_true(fc_json_str_eq(&d, fc_json_at(&d, fc_json_find(&d, 0, "arr"), 0), src));
    assert_true(fc_json_str_eq(&d, fc_json_at(&d, fc_json_find(&d, 0, "arr"), 1), ""));
}

/* Write one fixed document into w. */
static void write_doc(fc_json_writer *w)
{
    fc_json_write_object_begin(w);
    fc_json_write_member_str(w, "name", "r\xc3\xa9sum\xc3\xa9 \"v2\".pdf");
    fc_json_write_member_i64(w, "size", -9223372036854775807LL - 1);
    fc_json_write_key(w, "tags");
    fc_json_write_array_begin(w);
    fc_json_write_string(w, "a\tb");
    fc_json_write_bool(w, 1);
    fc_json_write_null(w);
    fc_json_write_array_end(w);
    fc_json_write_object_end(w);
}

static void test_writer_every_cap(void **state)
{
    char full[256], buf[256];
    size_t len, cap;
    fc_json_writer w;

    (void)state;
    fc_json_writer_init(&w, full, sizeof full);
    write_doc(&w);
    assert_int_equal(fc_json_writer_finish(&w), FC_OK);
    len = strlen(full);
    assert_int_equal(w.needed, len);

    /* Measuring without a buffer. */
    fc_json_writer_init(&w, NULL, 0);
    write_doc(&w);
    assert_int_equal(fc_json_writer_finish(&w), FC_ERR_BUFFER_TOO_SMALL);
    assert_int_equal(w.needed, len);

    for (cap = 0; cap <= len; cap++) {
        memset(buf, 'X', sizeof buf);
        fc_json_writer_init(&w, buf, cap);
        write_doc(&w);
        assert_int_equal(fc_json_writer_finish(&w), FC_ERR_BUFFER_TOO_SMALL);
        assert_int_equal(w.needed + 1, len + 1);
        assert_true(w.len < cap || cap == 0);
        if (cap > 0)
            assert_int_equal(buf[0], '\0');
        assert_int_equal(buf[cap], 'X'); /* nothing past cap */
    }
    memset(buf, 'X', sizeof buf);
    fc_json_writer_init(&w, buf, len + 1); /* exact fit */
    write_doc(&w);
    assert_int_equal(fc_json_writer_finish(&w), FC_OK);
    assert_string_equal(buf, full);
    assert_int_equal(buf[len + 1], 'X');
}

/* Text for people is cut at a UTF-8 boundary to fit (issue 12.4). */
static void test_get_str_cut(void **state)
{
    /* "a" + euro (3 bytes) + "b" + an emoji (4 bytes, as a surrogate pair) */
    fc_json_doc d = parse_ok("{\"s\":\"a\\u20acb\\ud83d\\udcf7\",\"n\":null,\"i\":5}");
    int s_tok = fc_json_find(&d, 0, "s");
    static const struct {
        size_t cap;
        const char *want;
    } k[] = {
        {11,
         "a\xe2\x82\xac"
         "b\xf0\x9f\x93\xb7"}, /* fits: 9 bytes + NUL */
        {10,
         "a\xe2\x82\xac"
         "b\xf0\x9f\x93\xb7"},
        {9,
         "a\xe2\x82\xac"
         "b"}, /* the emoji would need 4 more */
        {6,
         "a\xe2\x82\xac"
         "b"},
        {5, "a\xe2\x82\xac"},
        {4, "a"}, /* the euro sign does not fit whole */
        {2, "a"},
        {1, ""},
    };
    char out[16];
    size_t needed;
    size_t i;
    (void)state;
    for (i = 0; i < sizeof k / sizeof k[0]; i++) {
        memset(out, 'x', sizeof out);
        assert_int_equal(fc_json_get_str_cut(&d, s_tok, out, k[i].cap, &needed), FC_OK);
        assert_string_equal(out, k[i].want);
        assert_int_equal(needed, 10);
    }
    assert_int_equal(fc_json_get_str_cut(&d, fc_json_find(&d, 0, "n"), out, 4, &needed), FC_OK);
    assert_string_equal(out, "");
    assert_int_equal(fc_json_get_str_cut(&d, -1, out, 4, &needed), FC_OK);
    assert_int_equal(fc_json_get_str_cut(&d, fc_json_find(&d, 0, "i"), out, 4, &needed),
                     FC_ERR_JSON);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid),
        cmocka_unit_test(test_get_str_cut),
        cmocka_unit_test(test_parse_invalid),
        cmocka_unit_test(test_parse_embedded_nul_and_truncation),
        cmocka_unit_test(test_parse_token_array_too_small),
        cmocka_unit_test(test_parse_depth_limit),
        cmocka_unit_test(test_find_skip_nested),
        cmocka_unit_test(test_type_checks),
        cmocka_unit_test(test_get_str_escapes),
        cmocka_unit_test(test_get_str_bad_escapes),
        cmocka_unit_test(test_get_str_sizes),
        cmocka_unit_test(test_get_str_wrong_type),
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_str_eq),
        cmocka_unit_test(test_get_i64),
        cmocka_unit_test(test_get_i64_absent_and_args),
        cmocka_unit_test(test_get_bool),
        cmocka_unit_test(test_parse_time),
        cmocka_unit_test(test_parse_time_malformed),
        cmocka_unit_test(test_parse_time_every_day),
        cmocka_unit_test(test_writer_basic),
        cmocka_unit_test(test_writer_i64_digits),
        cmocka_unit_test(test_writer_errors),
        cmocka_unit_test(test_writer_roundtrip),
        cmocka_unit_test(test_writer_every_cap),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
