/* SPDX-License-Identifier: MIT */
/*
 * deficient_config.h - Debian's mbedTLS 2.28 configuration with one thing
 * a firmware configuration typically forgets taken away (chosen with
 * -DFC_GUARD_DROP_...), passed as MBEDTLS_CONFIG_FILE: compiling
 * port/mbedtls against it must stop with fc_mbedtls_requirements.h's
 * message (test/mcu/compile_guards.sh).
 */
#include <mbedtls/config.h>

#if defined(FC_GUARD_DROP_CLIENT)
#undef MBEDTLS_SSL_CLI_C
#endif

#if defined(FC_GUARD_DROP_KEY_EXCHANGE)
#undef MBEDTLS_SSL_PROTO_TLS1_3
#undef MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_RSA_ENABLED
#undef MBEDTLS_KEY_EXCHANGE_DHE_RSA_ENABLED
#endif

#if defined(FC_GUARD_DROP_ENTROPY)
#define MBEDTLS_NO_DEFAULT_ENTROPY_SOURCES
#undef MBEDTLS_ENTROPY_HARDWARE_ALT
#endif
