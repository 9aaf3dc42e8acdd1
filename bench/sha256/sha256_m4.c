/* SPDX-License-Identifier: MIT */
/*
 * sha256_m4.c - instructions per byte of the linked fc_sha256.h provider on
 * a Cortex-M4 (QEMU mps2-an386, -icount; see bench/mcu/bench_mcu.h).
 *
 * Hashes BENCH_BYTES of a xorshift stream (the same one as
 * sha256_speed.c) from a RAM buffer in 4 KiB updates, and prints
 *   calib <instructions per 1000 timer ticks>
 *   ticks <timer ticks spent in init+update+final>
 *   bytes <BENCH_BYTES>
 *   digest <hex>
 * tools/bench.sh turns that into instructions per byte and checks the
 * digest against the host's.
 */
#include "bench_mcu.h"

#include "fluidcloud/fc_sha256.h"

#ifndef BENCH_BYTES
#define BENCH_BYTES 65536u
#endif
#define CHUNK 4096u

static uint8_t data[BENCH_BYTES];

static void fill(void)
{
    uint32_t s = 0x12345678u, i;
    for (i = 0; i < BENCH_BYTES; i++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        data[i] = (uint8_t)s;
    }
}

static void put_line(const char *name, uint32_t v)
{
    bench_puts(name);
    bench_put_u32(v);
    bench_puts("\n");
}

int bench_main(void)
{
    static const char hexd[] = "0123456789abcdef";
    char hex[65];
    uint8_t digest[32];
    fc_sha256 h;
    uint32_t t0, t1, off, i;

    fill();
    put_line("calib ", bench_calibrate());
    t0 = bench_ticks();
    fc_sha256_init(&h);
    for (off = 0; off < BENCH_BYTES; off += CHUNK) {
        fc_sha256_update(&h, data + off, BENCH_BYTES - off < CHUNK ? BENCH_BYTES - off : CHUNK);
    }
    fc_sha256_final(&h, digest);
    t1 = bench_ticks();
    put_line("ticks ", t1 - t0);
    put_line("bytes ", BENCH_BYTES);
    for (i = 0; i < 32; i++) {
        hex[2 * i] = hexd[digest[i] >> 4];
        hex[2 * i + 1] = hexd[digest[i] & 15];
    }
    hex[64] = '\0';
    bench_puts("digest ");
    bench_puts(hex);
    bench_puts("\n");
    return 0;
}
