/* SPDX-License-Identifier: MIT */
/*
 * fc_mbedtls_config.c - the configuration shared by all TLS connections.
 */
#include "fluidcloud/fc_mbedtls.h"

#include <string.h>

#include <mbedtls/version.h>

/* Stops the build, naming the option, when this mbedTLS lacks one we need. */
#include "fc_mbedtls_requirements.h"

#include "fc_mbedtls_private.h"

#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
#include <psa/crypto.h>
#endif

/* Personalisation for the DRBG seed: separates our stream from others
 * seeded from the same entropy pool. */
static const unsigned char drbg_pers[] = "fluidcloud-c";

/* mbedTLS 3.x needs PSA initialised for TLS 1.3 and X.509; 2.28 has none. */
static int crypto_init(void)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000 && defined(MBEDTLS_PSA_CRYPTO_C)
    return psa_crypto_init() == PSA_SUCCESS ? 0 : -1;
#else
    return 0;
#endif
}

/* TLS 1.2 is the floor; the API differs between 2.28 and 3.x. */
static void set_min_version(mbedtls_ssl_config *conf)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03020000
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#else
    mbedtls_ssl_conf_min_version(conf, MBEDTLS_SSL_MAJOR_VERSION_3, MBEDTLS_SSL_MINOR_VERSION_3);
#endif
}

/*
 * An mbedTLS built with input records below 16 KiB cannot read a full-size
 * record: ask the server for the largest max_fragment_length (RFC 6066)
 * that fits. 2.28 has MBEDTLS_SSL_IN_CONTENT_LEN in ssl.h; 3.x in its
 * config, with the same default.
 */
static void set_fragment_length(mbedtls_ssl_config *conf)
{
#if defined(MBEDTLS_SSL_MAX_FRAGMENT_LENGTH) && defined(MBEDTLS_SSL_IN_CONTENT_LEN)
#if MBEDTLS_SSL_IN_CONTENT_LEN < 1024
    (void)mbedtls_ssl_conf_max_frag_len(conf, MBEDTLS_SSL_MAX_FRAG_LEN_512);
#elif MBEDTLS_SSL_IN_CONTENT_LEN < 2048
    (void)mbedtls_ssl_conf_max_frag_len(conf, MBEDTLS_SSL_MAX_FRAG_LEN_1024);
#elif MBEDTLS_SSL_IN_CONTENT_LEN < 4096
    (void)mbedtls_ssl_conf_max_frag_len(conf, MBEDTLS_SSL_MAX_FRAG_LEN_2048);
#elif MBEDTLS_SSL_IN_CONTENT_LEN < 16384
    (void)mbedtls_ssl_conf_max_frag_len(conf, MBEDTLS_SSL_MAX_FRAG_LEN_4096);
#else
    (void)conf; /* full-size records: nothing to ask for */
#endif
#else
    (void)conf;
#endif
}

static void set_secure_defaults(fc_mbedtls_config *cfg)
{
    mbedtls_ssl_config *conf = &cfg->conf;
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(conf, &cfg->ca, NULL);
    mbedtls_ssl_conf_rng(conf, mbedtls_ctr_drbg_random, &cfg->drbg);
    set_min_version(conf);
    set_fragment_length(conf);
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    mbedtls_ssl_conf_session_tickets(conf, MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
#if defined(MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED)
    /* mbedTLS >= 3.6.1 drops TLS 1.3 tickets unless asked to surface them
     * (as MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET from ssl_read). */
    mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
        conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
#endif
#endif
#if defined(MBEDTLS_SSL_RENEGOTIATION)
    /* Renegotiation would make a read need a write mid-stream for nothing
     * the API uses; refuse it (the default, said explicitly). */
    mbedtls_ssl_conf_renegotiation(conf, MBEDTLS_SSL_RENEGOTIATION_DISABLED);
#endif
}

fc_err fc_mbedtls_config_init(fc_mbedtls_config *cfg)
{
    int ret;

    if (cfg == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    mbedtls_ssl_config_init(&cfg->conf);
    memset(&cfg->store, 0, sizeof cfg->store);
    mbedtls_x509_crt_init(&cfg->ca);
    mbedtls_entropy_init(&cfg->entropy);
    mbedtls_ctr_drbg_init(&cfg->drbg);
    if (crypto_init() != 0) {
        return FC_ERR_TLS;
    }
    ret = mbedtls_ctr_drbg_seed(&cfg->drbg, mbedtls_entropy_func, &cfg->entropy, drbg_pers,
                                sizeof drbg_pers - 1);
    if (ret != 0) {
        return FC_ERR_TLS;
    }
    ret = mbedtls_ssl_config_defaults(&cfg->conf, MBEDTLS_SSL_IS_CLIENT,
                                      MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (ret != 0) {
        return FC_ERR_TLS;
    }
    set_secure_defaults(cfg);
    return FC_OK;
}

/* mbedtls_x509_crt_parse*() return 0, a count of skipped certificates
 * (> 0), or an error (< 0). Skipped entries are fine if one parsed. */
static fc_err parse_result(const fc_mbedtls_config *cfg, int ret)
{
    if (ret < 0 && fc_mbedtls_failure(ret) == FC_ERR_NO_MEMORY) {
        return FC_ERR_NO_MEMORY;
    }
    if (ret < 0 || cfg->ca.raw.p == NULL) {
        return FC_ERR_INVALID_ARG;
    }
    return FC_OK;
}

fc_err fc_mbedtls_config_add_ca(fc_mbedtls_config *cfg, const uint8_t *buf, size_t len)
{
    if (cfg == NULL || buf == NULL || len == 0) {
        return FC_ERR_INVALID_ARG;
    }
    return parse_result(cfg, mbedtls_x509_crt_parse(&cfg->ca, buf, len));
}

fc_err fc_mbedtls_config_add_ca_file(fc_mbedtls_config *cfg, const char *path)
{
    if (cfg == NULL || path == NULL) {
        return FC_ERR_INVALID_ARG;
    }
#if defined(MBEDTLS_FS_IO)
    return parse_result(cfg, mbedtls_x509_crt_parse_file(&cfg->ca, path));
#else
    return FC_ERR_INVALID_ARG; /* no file system in this mbedTLS build */
#endif
}

void fc_mbedtls_config_free(fc_mbedtls_config *cfg)
{
    if (cfg == NULL) {
        return;
    }
    mbedtls_ssl_config_free(&cfg->conf);
    mbedtls_x509_crt_free(&cfg->ca);
    mbedtls_ctr_drbg_free(&cfg->drbg);
    mbedtls_entropy_free(&cfg->entropy);
}

/* Short texts of the MBEDTLS_X509_BADCERT_* flags a client meets. */
static const struct {
    uint32_t flag;
    const char *text;
} k_reasons[] = {
    {MBEDTLS_X509_BADCERT_NOT_TRUSTED, "not trusted by the CAs"},
    {MBEDTLS_X509_BADCERT_CN_MISMATCH, "name mismatch"},
    {MBEDTLS_X509_BADCERT_EXPIRED, "expired"},
    {MBEDTLS_X509_BADCERT_FUTURE, "not yet valid"},
    {MBEDTLS_X509_BADCERT_REVOKED, "revoked"},
    {MBEDTLS_X509_BADCERT_MISSING, "no certificate"},
    {MBEDTLS_X509_BADCERT_SKIP_VERIFY, "verification skipped"},
    {MBEDTLS_X509_BADCERT_KEY_USAGE, "key usage not allowed"},
    {MBEDTLS_X509_BADCERT_EXT_KEY_USAGE, "extended key usage not allowed"},
    {MBEDTLS_X509_BADCERT_NS_CERT_TYPE, "certificate type not allowed"},
    {MBEDTLS_X509_BADCERT_BAD_MD, "weak signature hash"},
    {MBEDTLS_X509_BADCERT_BAD_PK, "weak public key algorithm"},
    {MBEDTLS_X509_BADCERT_BAD_KEY, "key too small"},
    {MBEDTLS_X509_BADCERT_OTHER, "other verification error"},
};

/* Append text to buf (length *used, capacity cap), cutting at cap - 1. */
static void append(char *buf, size_t cap, size_t *used, const char *text)
{
    size_t n = strlen(text);
    if (*used + n >= cap) {
        n = cap - 1 - *used;
    }
    memcpy(buf + *used, text, n);
    *used += n;
    buf[*used] = '\0';
}

const char *fc_mbedtls_verify_reason(uint32_t flags, char *buf, size_t cap)
{
    size_t used = 0, i;
    uint32_t known = 0;

    if (buf == NULL || cap == 0) {
        return "";
    }
    buf[0] = '\0';
    if (flags == 0) {
        append(buf, cap, &used, "trusted");
        return buf;
    }
    for (i = 0; i < sizeof k_reasons / sizeof k_reasons[0]; i++) {
        known |= k_reasons[i].flag;
        if ((flags & k_reasons[i].flag) != 0) {
            append(buf, cap, &used, used == 0 ? "" : "; ");
            append(buf, cap, &used, k_reasons[i].text);
        }
    }
    if ((flags & ~known) != 0) {
        append(buf, cap, &used, used == 0 ? "" : "; ");
        append(buf, cap, &used, "unrecognised flags");
    }
    return buf;
}
