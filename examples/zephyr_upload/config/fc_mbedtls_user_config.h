/* SPDX-License-Identifier: MIT */
/*
 * fc_mbedtls_user_config.h - added at the end of Zephyr's mbedTLS
 * configuration (CONFIG_MBEDTLS_USER_CONFIG_FILE). Zephyr 3.7 gives both
 * record buffers of a connection CONFIG_MBEDTLS_SSL_MAX_CONTENT_LEN; the
 * server may send 16 KiB records, so the input buffer keeps that, but what
 * the client sends is at most its I/O buffer per call (CONFIG_FC_IO_BUFFER_SIZE,
 * 4 KiB here): a 4 KiB output buffer saves 12 KiB per connection.
 */
#undef MBEDTLS_SSL_OUT_CONTENT_LEN
#define MBEDTLS_SSL_OUT_CONTENT_LEN 4096
