/* SPDX-License-Identifier: MIT */
/*
 * test_sha256.c - fc_sha256 against the FIPS 180-4 / NIST CAVS examples.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fluidcloud/fc_sha256.h"

/* Hash len bytes of data in one update and compare the hex digest. */
static void check_one(const void *data, size_t len, const char *hex)
{
    fc_sha256 h;
    uint8_t d[32];
    char out[65];

    fc_sha256_init(&h);
    fc_sha256_update(&h, data, len);
    fc_sha256_final(&h, d);
    fc_sha256_hex(d, out);
    assert_string_equal(out, hex);
}

/* Hash data in pieces of 1, 2, 3, ... bytes (cycling to 67). */
static void check_pieces(const char *data, const char *hex)
{
    size_t len = strlen(data), off = 0, step = 1;
    fc_sha256 h;
    uint8_t d[32];
    char out[65];

    fc_sha256_init(&h);
    fc_sha256_update(&h, data, 0);
    while (off < len) {
        size_t n = len - off < step ? len - off : step;

        fc_sha256_update(&h, data + off, n);
        off += n;
        step = step % 67 + 1;
    }
    fc_sha256_final(&h, d);
    fc_sha256_hex(d, out);
    assert_string_equal(out, hex);
}

static const char k_448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char k_896[] =
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
    "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

static void test_sha256_nist(void **state)
{
    (void)state;
    check_one("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_one("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    check_one(k_448, strlen(k_448),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_one(k_896, strlen(k_896),
              "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    check_pieces(k_448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    check_pieces(k_896, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

/* One million 'a', fed in odd-sized pieces that straddle block edges. */
static void test_sha256_million_a(void **state)
{
    static const size_t steps[] = {1, 7, 63, 64, 65, 127, 1000, 4093};
    char buf[4096];
    size_t done = 0, i = 0;
    fc_sha256 h;
    uint8_t d[32];
    char out[65];

    (void)state;
    memset(buf, 'a', sizeof buf);
    fc_sha256_init(&h);
    while (done < 1000000) {
        size_t n = steps[i++ % (sizeof(steps) / sizeof(steps[0]))];

        if (n > 1000000 - done)
            n = 1000000 - done;
        fc_sha256_update(&h, buf, n);
        done += n;
    }
    fc_sha256_final(&h, d);
    fc_sha256_hex(d, out);
    assert_string_equal(out, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Message lengths around the padding boundary (55, 56, 63, 64 bytes) and
 * unaligned input pointers, against digests computed by sha256sum. */
static void test_sha256_padding_edges(void **state)
{
    static const struct {
        size_t len;
        const char *hex;
    } cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
    };
    char buf[80];
    size_t i, off;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (off = 0; off < 4; off++) { /* misaligned starts */
            memset(buf, 'a', sizeof buf);
            check_one(buf + off, cases[i].len, cases[i].hex);
        }
    }
}

static void test_sha256_binary_and_hex(void **state)
{
    uint8_t all[256];
    uint8_t d[32];
    char out[65];
    size_t i;

    (void)state;
    for (i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    /* Bytes 0x00..0xff: high bytes must not sign-extend anywhere. */
    check_one(all, sizeof all, "40aff2e9d2d8922e47afd4648e6967497158785fbd1da870e7110266bf944880");
    for (i = 0; i < 32; i++)
        d[i] = (uint8_t)(i * 8 + 7);
    fc_sha256_hex(d, out);
    assert_string_equal(out, "070f171f272f373f474f575f676f777f878f979fa7afb7bfc7cfd7dfe7eff7ff");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_nist),
        cmocka_unit_test(test_sha256_million_a),
        cmocka_unit_test(test_sha256_padding_edges),
        cmocka_unit_test(test_sha256_binary_and_hex),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
