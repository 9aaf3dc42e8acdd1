/* SPDX-License-Identifier: MIT */
/*
 * fc_api_fixture.h - shared set-up of the API integration tests
 * (it_api_*.c): a client from the emulator's environment, a second client
 * with another key, a blocking run, and files made through the upload flow.
 */
#ifndef FC_API_FIXTURE_H
#define FC_API_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_host.h"
#include "fluidcloud/fc_api.h"

/* The client of FLUIDCLOUD_* (tenant A), created by fx_init(). */
extern fc_host fx_host;
#define FX (&fx_host.client)

/* Set up fx_host from the environment, with fast retries. */
void fx_init(void);
void fx_free(void);

/* Run a started call on c to its end; prints the error when it failed. */
fc_err fx_run_on(fc_client *c, fc_err started);
#define fx_run(started) fx_run_on(FX, (started))

/* A second client (fx_other) on the same emulator with another key. */
extern fc_host fx_other;
void fx_other_init(const char *api_key);
void fx_other_free(void);

/* The default space "My files" of tenant A. */
const char *fx_space(void);

/* Upload bytes as a file of tenant A (wait_clean: poll until the scan is
 * clean). Fails the test unless the upload succeeds. */
void fx_upload(const char *name, const void *bytes, size_t len, const char *space_id,
               const char *folder_id, const char *client_key, int wait_clean, fc_file *out);

/* A unique name for this run: prefix + counter. */
const char *fx_name(const char *prefix);

#endif

/* ---- emulator admin helpers for the error cases (fc_api_fixture.c) ----
 * Every admin path and member name used by the API tests is here, so
 * that a change in the emulator's admin API is a change in one place. */

/* A new key. tenant NULL = the tenant of FLUIDCLOUD_API_KEY, else a name
 * for another tenant; scopes NULL = every scope, else space separated;
 * plan 0 = a subscription without API access. Fails the test on error. */
void fx_admin_key(const char *tenant, const char *scopes, int plan, char *key, size_t cap);
/* Revoke a key. */
void fx_admin_revoke(const char *key);
/* Limits of the main tenant: bytes, share links (-1 = unlimited) and
 * requests per minute (0 = the default). */
void fx_admin_limits(long long bytes_limit, long links_limit, long per_minute);
