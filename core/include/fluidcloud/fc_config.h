/* SPDX-License-Identifier: MIT */
/*
 * fc_config.h - compile-time configuration of fluidcloud-c.
 *
 * Every option is an FC_CONFIG_* macro with a default here. Override them
 * with -D on the compiler line (CMake does this from its cache options), or
 * point FC_CONFIG_USER_HEADER at a header of your own (the Kconfig build
 * generates one) that defines them before this file is read.
 */
#ifndef FLUIDCLOUD_FC_CONFIG_H
#define FLUIDCLOUD_FC_CONFIG_H

#ifdef FC_CONFIG_USER_HEADER
#include FC_CONFIG_USER_HEADER
#endif

/* Keep-alive connection slots per client: one for the API host and one for
 * the storage host lets an upload alternate without reconnecting. */
#ifndef FC_CONFIG_MAX_CONNECTIONS
#define FC_CONFIG_MAX_CONNECTIONS 2
#endif

/* Longest host name a connection slot remembers for keep-alive matching. */
#ifndef FC_CONFIG_HOST_MAX
#define FC_CONFIG_HOST_MAX 64
#endif

/* Suggested size of the one I/O buffer (request head, body chunks, JSON
 * responses). Presigned URLs run to ~1 kB, so 2 kB is the practical floor. */
#ifndef FC_CONFIG_IO_BUFFER_SIZE
#define FC_CONFIG_IO_BUFFER_SIZE 4096
#endif

/* Suggested number of JSON tokens in the caller's token array. */
#ifndef FC_CONFIG_JSON_TOKENS
#define FC_CONFIG_JSON_TOKENS 256
#endif

/* Bytes kept of an error's detail message (longer ones are cut and flagged). */
#ifndef FC_CONFIG_DETAIL_MAX
#define FC_CONFIG_DETAIL_MAX 128
#endif

/* Bytes kept of an ETag response header (multipart uploads need it; the
 * application's ETag store keeps one this long per part, fc_upload.h). */
#ifndef FC_CONFIG_ETAG_MAX
#define FC_CONFIG_ETAG_MAX 72
#endif

/* Timeouts, in milliseconds. 0 disables the corresponding deadline. */
#ifndef FC_CONFIG_CONNECT_TIMEOUT_MS
#define FC_CONFIG_CONNECT_TIMEOUT_MS 10000u
#endif
#ifndef FC_CONFIG_TLS_TIMEOUT_MS
#define FC_CONFIG_TLS_TIMEOUT_MS 15000u
#endif
#ifndef FC_CONFIG_FIRST_BYTE_TIMEOUT_MS
#define FC_CONFIG_FIRST_BYTE_TIMEOUT_MS 30000u
#endif
#ifndef FC_CONFIG_IDLE_TIMEOUT_MS
#define FC_CONFIG_IDLE_TIMEOUT_MS 20000u
#endif
/* The whole operation ends within FC_CONFIG_TOTAL_TIMEOUT_MS (retries and
 * waits included), plus 1 s per FC_CONFIG_MIN_BYTES_PER_S bytes moved: a
 * 1 MB upload at the defaults gets 5 min + 1024 s, a server that drips
 * one byte every few seconds gets 5 min. 0 disables either. */
#ifndef FC_CONFIG_TOTAL_TIMEOUT_MS
#define FC_CONFIG_TOTAL_TIMEOUT_MS 300000u
#endif
#ifndef FC_CONFIG_MIN_BYTES_PER_S
#define FC_CONFIG_MIN_BYTES_PER_S 1024u
#endif

/* How long the client sleeps when the application's body source answered
 * FC_AGAIN (fc_client_source_ready() wakes it earlier). */
#ifndef FC_CONFIG_SOURCE_RETRY_MS
#define FC_CONFIG_SOURCE_RETRY_MS 10u
#endif

/* Retry policy: attempts per request (1 = no retry), backoff base and cap. */
#ifndef FC_CONFIG_RETRY_MAX_ATTEMPTS
#define FC_CONFIG_RETRY_MAX_ATTEMPTS 4u
#endif
#ifndef FC_CONFIG_RETRY_BASE_MS
#define FC_CONFIG_RETRY_BASE_MS 250u
#endif
#ifndef FC_CONFIG_RETRY_CAP_MS
#define FC_CONFIG_RETRY_CAP_MS 8000u
#endif
/* A Retry-After above this many seconds ends the request instead. */
#ifndef FC_CONFIG_RETRY_AFTER_MAX_S
#define FC_CONFIG_RETRY_AFTER_MAX_S 60u
#endif

/* Bytes kept of a storage object key. */
#ifndef FC_CONFIG_UPLOAD_KEY_MAX
#define FC_CONFIG_UPLOAD_KEY_MAX 160
#endif
/* Default deadline for the scan to finish, and the poll intervals. */
#ifndef FC_CONFIG_SCAN_TIMEOUT_MS
#define FC_CONFIG_SCAN_TIMEOUT_MS 120000u
#endif
#ifndef FC_CONFIG_SCAN_POLL_FIRST_MS
#define FC_CONFIG_SCAN_POLL_FIRST_MS 250u
#endif
#ifndef FC_CONFIG_SCAN_POLL_MAX_MS
#define FC_CONFIG_SCAN_POLL_MAX_MS 4000u
#endif

/* Log level: 0 none, 1 errors, 2 warnings, 3 info, 4 debug. Logging goes
 * through the application's log callback, never to stdio directly. */
#ifndef FC_CONFIG_LOG_LEVEL
#define FC_CONFIG_LOG_LEVEL 0
#endif

/* 1: an answer that does not decode says in fc_error_info.detail what is
 * wrong with it, by field ("size: not an integer", "items: missing or not
 * an array", "name: needs 301 bytes"); 0: only the error code and the size
 * needed. About 0.9 kB of flash on a Cortex-M4; host builds (CMake, not
 * cross-compiling) turn it on, firmware opts in. */
#ifndef FC_CONFIG_ANSWER_DETAIL
#define FC_CONFIG_ANSWER_DETAIL 0
#endif

/* Every option above, in a fixed order: fc_client_init()'s ABI guard
 * compares each one's value in the application with the library's
 * (fc_client.h). A new option goes here too (ctest static_abi_list). */
/* clang-format off */
#define FC_CONFIG_LIST(X)                                                                  \
    X(MAX_CONNECTIONS) X(HOST_MAX) X(IO_BUFFER_SIZE) X(JSON_TOKENS) X(DETAIL_MAX)          \
    X(ETAG_MAX) X(CONNECT_TIMEOUT_MS) X(TLS_TIMEOUT_MS) X(FIRST_BYTE_TIMEOUT_MS)           \
    X(IDLE_TIMEOUT_MS) X(TOTAL_TIMEOUT_MS) X(MIN_BYTES_PER_S) X(SOURCE_RETRY_MS)           \
    X(RETRY_MAX_ATTEMPTS) X(RETRY_BASE_MS) X(RETRY_CAP_MS) X(RETRY_AFTER_MAX_S)            \
    X(UPLOAD_KEY_MAX) X(SCAN_TIMEOUT_MS) X(SCAN_POLL_FIRST_MS) X(SCAN_POLL_MAX_MS)         \
    X(LOG_LEVEL) X(ANSWER_DETAIL)
/* clang-format on */

#endif /* FLUIDCLOUD_FC_CONFIG_H */
