/* SPDX-License-Identifier: MIT */
/*
 * fc_mbedtls_requirements.h - the mbedTLS options port/mbedtls needs,
 * checked where the port is compiled: a firmware's mbedTLS configuration
 * that lacks one stops the build with a message naming the option (and
 * the Zephyr Kconfig symbol that sets it), instead of ~25 undefined
 * mbedtls_* references at link time or a DRBG that cannot be seeded at
 * run time (MBEDTLS_ERR_CTR_DRBG_ENTROPY_SOURCE_FAILED, -0x34).
 *
 * Include it after an mbedTLS header (which brings in the configuration).
 * Works with mbedTLS 2.28 and 3.x.
 */
#ifndef FC_MBEDTLS_REQUIREMENTS_H
#define FC_MBEDTLS_REQUIREMENTS_H

#if !defined(MBEDTLS_VERSION_NUMBER)
#error "fc_mbedtls_requirements.h: include an mbedTLS header first"
#endif

/* A TLS client. */
#if !defined(MBEDTLS_SSL_TLS_C) || !defined(MBEDTLS_SSL_CLI_C)
#error \
    "port/mbedtls needs MBEDTLS_SSL_TLS_C and MBEDTLS_SSL_CLI_C (Zephyr: CONFIG_MBEDTLS_TLS_VERSION_1_2)"
#endif

/* A protocol version the port negotiates (it asks for TLS 1.2 or newer). */
#if !defined(MBEDTLS_SSL_PROTO_TLS1_2) && !defined(MBEDTLS_SSL_PROTO_TLS1_3)
#error \
    "port/mbedtls needs MBEDTLS_SSL_PROTO_TLS1_2 or MBEDTLS_SSL_PROTO_TLS1_3 (Zephyr: CONFIG_MBEDTLS_TLS_VERSION_1_2)"
#endif

/* With TLS 1.2 only, at least one certificate-based key exchange. */
#if defined(MBEDTLS_SSL_PROTO_TLS1_2) && !defined(MBEDTLS_SSL_PROTO_TLS1_3) && \
    !defined(MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED) &&                        \
    !defined(MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED) &&                      \
    !defined(MBEDTLS_KEY_EXCHANGE_RSA_ENABLED) && !defined(MBEDTLS_KEY_EXCHANGE_DHE_RSA_ENABLED)
#error \
    "port/mbedtls needs a TLS 1.2 key exchange: MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED or _ECDHE_ECDSA_ (Zephyr: CONFIG_MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED, with CONFIG_MBEDTLS_ECP_C and a curve such as CONFIG_MBEDTLS_ECP_DP_SECP256R1_ENABLED)"
#endif

/* The server's certificate is verified against the CA the caller gives. */
#if !defined(MBEDTLS_X509_CRT_PARSE_C)
#error \
    "port/mbedtls needs MBEDTLS_X509_CRT_PARSE_C to verify the server (Zephyr: a certificate-based key exchange, e.g. CONFIG_MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED)"
#endif
#if !defined(MBEDTLS_ASN1_PARSE_C)
#error "port/mbedtls needs MBEDTLS_ASN1_PARSE_C (it reads the certificate's subjectAltName IPs)"
#endif

/* Random numbers: a CTR-DRBG seeded from an entropy source that exists. */
#if !defined(MBEDTLS_CTR_DRBG_C) || !defined(MBEDTLS_ENTROPY_C)
#error \
    "port/mbedtls needs MBEDTLS_CTR_DRBG_C and MBEDTLS_ENTROPY_C (Zephyr: CONFIG_MBEDTLS_CTR_DRBG_ENABLED, CONFIG_MBEDTLS_ENTROPY_ENABLED)"
#endif
#if defined(MBEDTLS_NO_DEFAULT_ENTROPY_SOURCES) && !defined(MBEDTLS_ENTROPY_HARDWARE_ALT)
#error \
    "port/mbedtls: this mbedTLS has no entropy source, the DRBG could never be seeded: define MBEDTLS_ENTROPY_HARDWARE_ALT (Zephyr: CONFIG_MBEDTLS_ZEPHYR_ENTROPY=y and an entropy driver, or CONFIG_TEST_RANDOM_GENERATOR on emulators)"
#endif

#endif /* FC_MBEDTLS_REQUIREMENTS_H */
