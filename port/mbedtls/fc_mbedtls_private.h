/* SPDX-License-Identifier: MIT */
/*
 * fc_mbedtls_private.h - private: what the files of port/mbedtls share.
 */
#ifndef FLUIDCLOUD_FC_MBEDTLS_PRIVATE_H
#define FLUIDCLOUD_FC_MBEDTLS_PRIVATE_H

#include "fluidcloud/fc_mbedtls.h"

#include "fc_mbedtls_ip.h"

/* What a failed mbedTLS call (ret < 0) means for us: FC_ERR_NO_MEMORY
 * when any module ran out of heap (never worth a retry: the arena is too
 * small), else FC_ERR_TLS. */
fc_err fc_mbedtls_failure(int ret);

/* Before connecting to host:port: when c holds no session, ask the
 * config's session store for one (a refused blob just means none). */
void fc_mbedtls_store_load(fc_mbedtls_conn *c, const char *host, uint16_t port);

/* After a handshake or a new ticket: give c's session to the store. */
void fc_mbedtls_store_save(const fc_mbedtls_conn *c);

#endif /* FLUIDCLOUD_FC_MBEDTLS_PRIVATE_H */
