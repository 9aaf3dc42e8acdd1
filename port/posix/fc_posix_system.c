/* SPDX-License-Identifier: MIT */
/*
 * fc_posix_system.c - clock, random source and the poll() wait helper.
 */
#define _POSIX_C_SOURCE 200809L

#include "fluidcloud/fc_posix.h"
#include "fluidcloud/fc_client.h"

#include <errno.h>
#include <limits.h>
#include <time.h>
#include <unistd.h>

#include "fc_posix_platform.h"

static uint32_t posix_now_ms(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        return 0; /* cannot happen for CLOCK_MONOTONIC on a POSIX system */
    }
    /* Truncation to 32 bits is the wrap fc_port.h allows. */
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

/* Jitter state; 0 means "not seeded yet" (xorshift never reaches 0). */
static uint32_t rng_state;

#ifdef FC_POSIX_HW_RANDOM
/* The system's own random source (a hardware RNG on ESP32 and most
 * Zephyr boards): no file system, no processes needed. */
static uint32_t seed_value(void)
{
    uint32_t seed = (uint32_t)FC_POSIX_HW_RANDOM() ^ posix_now_ms(NULL);
    return seed != 0 ? seed : 0x9e3779b9u;
}
#else
static uint32_t seed_value(void)
{
    uint32_t seed = 0;
    int fd = open("/dev/urandom", O_RDONLY | FC_POSIX_O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &seed, sizeof seed) != (ssize_t)sizeof seed) {
            seed = 0;
        }
        (void)close(fd);
    }
    /* No /dev/urandom (chroot, container): the clock and pid still make
     * two processes unlikely to retry in lockstep. */
    seed ^= posix_now_ms(NULL) ^ ((uint32_t)getpid() << 16);
    return seed != 0 ? seed : 0x9e3779b9u;
}
#endif

static uint32_t posix_random(void *ctx)
{
    uint32_t x = rng_state;
    (void)ctx;
    if (x == 0) {
        x = seed_value();
    }
    x ^= x << 13; /* xorshift32 (Marsaglia) */
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

fc_system fc_posix_system(void)
{
    fc_system s;
    s.now_ms = posix_now_ms;
    s.random = posix_random;
    s.ctx = NULL;
    return s;
}

fc_err fc_posix_wait(int fd, unsigned events, uint32_t timeout_ms)
{
    struct pollfd p;
    int timeout = timeout_ms > (uint32_t)INT_MAX ? INT_MAX : (int)timeout_ms;
    int n;

    if (fd < 0 || (events & (FC_WAIT_READ | FC_WAIT_WRITE)) == 0) {
        n = poll(NULL, 0, timeout); /* a pure timer */
        return (n < 0 && errno != EINTR) ? FC_ERR_TRANSPORT : FC_ERR_TIMEOUT;
    }
    if (FC_POSIX_CONNECT_SLICE_MS != 0u && (events & FC_WAIT_WRITE) != 0u &&
        fc_posix_pending_connects() > 0u && timeout > (int)FC_POSIX_CONNECT_SLICE_MS) {
        timeout = (int)FC_POSIX_CONNECT_SLICE_MS; /* poll() may miss the connect's end */
    }
    p.fd = fd;
    p.events = 0;
    p.revents = 0;
    if (events & FC_WAIT_READ) {
        p.events |= POLLIN;
    }
    if (events & FC_WAIT_WRITE) {
        p.events |= POLLOUT;
    }
    n = poll(&p, 1, timeout);
    if (n > 0) {
        return FC_OK;
    }
    if (n == 0) {
        return FC_ERR_TIMEOUT;
    }
    /* A signal is a spurious wake-up: the caller polls and waits again. */
    return errno == EINTR ? FC_OK : FC_ERR_TRANSPORT;
}

void fc_posix_wait_fn(void *ctx, const struct fc_wait *w)
{
    (void)ctx;
    (void)fc_posix_wait(w->fd, w->events, w->timeout_ms);
}
