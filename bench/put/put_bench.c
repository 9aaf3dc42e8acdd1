/* SPDX-License-Identifier: MIT */
/*
 * put_bench.c - the library's PUT path for tools/bench.sh, and its floor.
 *
 *   put_bench put   SIZE IOBUF   initiate at the API (FLUIDCLOUD_* env, as
 *                                fc_host_init_env reads it), then PUT SIZE
 *                                bytes to the ticket's URL through an I/O
 *                                buffer of IOBUF bytes; the bytes come from
 *                                a source that copies a fixed 64 KiB block
 *   put_bench floor SIZE IOBUF   the same source into a buffer of the same
 *                                size, hashed with the same SHA-256: the
 *                                least any client must do for these bytes
 *   put_bench flow  COUNT SIZE   COUNT whole uploads (initiate, PUT,
 *                                complete, scan) of SIZE bytes on one
 *                                client, for requests and handshakes per
 *                                upload
 *
 * Prints "cpu_us N" (user+system CPU of the measured part, getrusage) and,
 * for put, "put_us N" (its wall time). Run it under callgrind for
 * instruction counts: tools/bench.sh subtracts two sizes to get the
 * instructions per byte without the fixed costs (start-up, handshakes).
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "fluidcloud/fc_host.h"
#include "fluidcloud/fc_sha256.h"
#include "fluidcloud/fc_upload.h"

static uint8_t g_block[65536];

typedef struct block_source {
    uint64_t size;
    uint64_t pos;
} block_source;

static fc_err block_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    block_source *s = ctx;
    size_t n = 0;
    while (n < cap && s->pos < s->size) {
        size_t at = (size_t)(s->pos % sizeof g_block);
        size_t k = sizeof g_block - at;
        if (k > cap - n) {
            k = cap - n;
        }
        if (k > s->size - s->pos) {
            k = (size_t)(s->size - s->pos);
        }
        memcpy(buf + n, g_block + at, k);
        n += k;
        s->pos += k;
    }
    *got = n;
    return FC_OK;
}

static fc_err block_rewind(void *ctx, uint64_t offset)
{
    block_source *s = ctx;
    s->pos = offset;
    return FC_OK;
}

static long long cpu_us(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000LL + ru.ru_utime.tv_usec +
           ru.ru_stime.tv_usec;
}

static long long wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static void fill_block(void)
{
    uint32_t s = 0x2545f491u;
    size_t i;
    for (i = 0; i < sizeof g_block; i++) {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        g_block[i] = (uint8_t)s;
    }
}

static int run_floor(uint64_t size, size_t iobuf)
{
    block_source src = {size, 0};
    uint8_t *buf = malloc(iobuf);
    uint8_t digest[32];
    fc_sha256 h;
    long long t0 = cpu_us();
    if (buf == NULL) {
        return 1;
    }
    fc_sha256_init(&h);
    while (src.pos < src.size) {
        size_t got = 0;
        (void)block_read(&src, buf, iobuf, &got);
        fc_sha256_update(&h, buf, got);
    }
    fc_sha256_final(&h, digest);
    printf("cpu_us %lld\ndigest0 %02x\n", cpu_us() - t0, digest[0]);
    free(buf);
    return 0;
}

static fc_err start_host(fc_host *host, uint8_t **io, size_t iobuf)
{
    *io = malloc(iobuf);
    if (*io == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    return fc_host_init_env(host, *io, iobuf);
}

static int run_put(uint64_t size, size_t iobuf)
{
    static fc_host host;
    static fc_upload up;
    block_source src = {size, 0};
    uint8_t *io = NULL;
    long long c0, w0;
    fc_err e = start_host(&host, &io, iobuf);
    if (e != FC_OK) {
        fc_host_print_error(&host, "init", e);
        return 1;
    }
    memset(&up, 0, sizeof up);
    up.params.name = "bench.bin";
    up.params.size = size;
    up.params.source = (fc_source){block_read, block_rewind, &src};
    e = fc_uploads_initiate(&host.client, &up);
    if (e == FC_AGAIN) {
        e = fc_host_run(&host);
    }
    if (e != FC_OK) {
        fc_host_print_error(&host, "initiate", e);
        return 1;
    }
    c0 = cpu_us();
    w0 = wall_us();
    e = fc_uploads_put(&host.client, &up);
    if (e == FC_AGAIN) {
        e = fc_host_run(&host);
    }
    if (e != FC_OK) {
        fc_host_print_error(&host, "put", e);
        return 1;
    }
    printf("cpu_us %lld\nput_us %lld\n", cpu_us() - c0, wall_us() - w0);
    fc_host_free(&host);
    free(io);
    return 0;
}

static int run_flow(unsigned count, uint64_t size)
{
    static fc_host host;
    static fc_upload up;
    uint8_t *io = NULL;
    long long c0;
    unsigned i;
    fc_err e = start_host(&host, &io, 4096);
    if (e != FC_OK) {
        fc_host_print_error(&host, "init", e);
        return 1;
    }
    c0 = cpu_us();
    for (i = 0; i < count; i++) {
        block_source src = {size, 0};
        memset(&up, 0, sizeof up);
        up.params.name = "bench.bin";
        up.params.size = size;
        up.params.source = (fc_source){block_read, block_rewind, &src};
        up.params.wait_clean = 1;
        e = fc_files_upload(&host.client, &up);
        if (e == FC_AGAIN) {
            e = fc_host_run(&host);
        }
        if (e != FC_OK) {
            fc_host_print_error(&host, "upload", e);
            return 1;
        }
    }
    printf("cpu_us %lld\nuploads %u\n", cpu_us() - c0, count);
    fc_host_free(&host);
    free(io);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t a;
    size_t b;
    if (argc != 4) {
        fprintf(stderr, "usage: put_bench put|floor SIZE IOBUF | put_bench flow COUNT SIZE\n");
        return 2;
    }
    a = strtoull(argv[2], NULL, 0);
    b = (size_t)strtoull(argv[3], NULL, 0);
    fill_block();
    if (strcmp(argv[1], "floor") == 0) {
        return run_floor(a, b);
    }
    if (strcmp(argv[1], "put") == 0) {
        return run_put(a, b);
    }
    if (strcmp(argv[1], "flow") == 0) {
        return run_flow((unsigned)a, b);
    }
    fprintf(stderr, "unknown mode %s\n", argv[1]);
    return 2;
}
