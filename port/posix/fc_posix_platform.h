/* SPDX-License-Identifier: MIT */
/*
 * fc_posix_platform.h - what "POSIX" means on each system this port runs
 * on (private to port/posix). The BSD sockets of ESP-IDF (lwIP) and Zephyr
 * are close to POSIX but not the same; every difference the port depends
 * on is settled here, so the .c files read as plain POSIX:
 *
 *                  poll header    close-on-exec   random seed
 *   Linux, BSD     <poll.h>       yes             /dev/urandom, clock, pid
 *   ESP-IDF        <sys/poll.h>   no processes    esp_random() (hardware RNG)
 *   Zephyr 3.7     <poll.h>       no O_/FD_CLOEXEC sys_rand32_get()
 *
 * CI compiles the port against an ESP-IDF-like include path with no
 * <poll.h> and no O_CLOEXEC/FD_CLOEXEC (test/mcu/guards), so these cannot
 * come back unnoticed.
 */
#ifndef FC_POSIX_PLATFORM_H
#define FC_POSIX_PLATFORM_H

#include <fcntl.h>
#include <stdint.h>

#if defined(ESP_PLATFORM)
#include <sys/poll.h> /* ESP-IDF's newlib ships no <poll.h> */
#include "esp_random.h"
#define FC_POSIX_HW_RANDOM() esp_random()
#elif defined(__ZEPHYR__)
#include <poll.h>
#include <zephyr/random/random.h>
#define FC_POSIX_HW_RANDOM() sys_rand32_get()
#else
#include <poll.h>
#endif

/* Close-on-exec only matters where processes exec; Zephyr and ESP-IDF
 * have neither the flags nor exec. */
#ifdef O_CLOEXEC
#define FC_POSIX_O_CLOEXEC O_CLOEXEC
#else
#define FC_POSIX_O_CLOEXEC 0
#endif
#if defined(F_SETFD) && defined(FD_CLOEXEC)
#define FC_POSIX_SET_CLOEXEC(fd) ((void)fcntl((fd), F_SETFD, FD_CLOEXEC))
#else
#define FC_POSIX_SET_CLOEXEC(fd) ((void)(fd))
#endif

/*
 * Zephyr 3.7's poll() does not wake for POLLOUT on a socket whose
 * non-blocking connect is still in progress: it sleeps the whole timeout
 * (the connect timeout, 10 s by default) although the connect finished
 * after a few milliseconds. fc_posix_wait() therefore waits in slices of
 * this many milliseconds while a connect is pending there.
 */
#if defined(__ZEPHYR__)
#define FC_POSIX_CONNECT_SLICE_MS 10u
#else
#define FC_POSIX_CONNECT_SLICE_MS 0u /* poll() wakes when the connect ends */
#endif

/* How many connections of this process have a connect in progress
 * (fc_posix_transport.c); fc_posix_wait() slices its wait while any has. */
unsigned fc_posix_pending_connects(void);

#endif /* FC_POSIX_PLATFORM_H */
