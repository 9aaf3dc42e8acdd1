/* SPDX-License-Identifier: MIT */
/* MBEDTLS_CONFIG_FILE for compiling mbedTLS's sha256.c alone (the
 * Cortex-M4 comparison): SHA-256 and nothing else, defaults otherwise. */
#ifndef FC_BENCH_MBEDTLS_SHA256_ONLY_H
#define FC_BENCH_MBEDTLS_SHA256_ONLY_H
#define MBEDTLS_SHA256_C
#endif
