/* SPDX-License-Identifier: MIT */
/* fc_api_fixture.c - see fc_api_fixture.h. */
#include "fc_api_fixture.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fc_emu_admin.h"
#include "fluidcloud/fc_upload.h"

#define FX_TOKENS 4096

fc_host fx_host;
fc_host fx_other;
static uint8_t g_io[32768];
static uint8_t g_other_io[8192];
static fc_json_tok g_tokens[FX_TOKENS];
static char g_space[FC_ID_MAX];

static void fast_retries(fc_client *c)
{
    c->cfg.retry.base_ms = 20;
    c->cfg.retry.cap_ms = 200;
}

void fx_init(void)
{
    assert_int_equal(fc_host_init_env(&fx_host, g_io, sizeof g_io), FC_OK);
    /* Whole pages of files need more tokens than fc_host's default. */
    fx_host.client.cfg.tokens = g_tokens;
    fx_host.client.cfg.token_count = FX_TOKENS;
    fast_retries(&fx_host.client);
}

void fx_free(void)
{
    fc_host_free(&fx_host);
}

fc_err fx_run_on(fc_client *c, fc_err started)
{
    fc_err e = started;
    const fc_error_info *ei;
    if (e == FC_AGAIN) {
        e = fc_run(c, fc_posix_wait_fn, NULL);
    }
    if (e != FC_OK) {
        ei = fc_client_error(c);
        fprintf(stderr, "  [call ended: %s, HTTP %d, code '%s', detail '%s', step '%s']\n",
                fc_err_str(e), ei->http_status, ei->code, ei->detail, ei->step);
    }
    return e;
}

void fx_other_init(const char *api_key)
{
    const char *base = getenv("FLUIDCLOUD_BASE_URL");
    assert_int_equal(fc_host_init(&fx_other, base, api_key, getenv("FLUIDCLOUD_CA_FILE"),
                                  g_other_io, sizeof g_other_io),
                     FC_OK);
    fast_retries(&fx_other.client);
}

void fx_other_free(void)
{
    fc_host_free(&fx_other);
}

const char *fx_space(void)
{
    fc_space first;
    fc_list_params p;
    fc_page page;
    if (g_space[0] != '\0') {
        return g_space;
    }
    memset(&p, 0, sizeof p);
    p.limit = 1;
    assert_int_equal(fx_run(fc_spaces_list(FX, &p, &first, 1, &page)), FC_OK);
    assert_int_equal(page.count, 1);
    memcpy(g_space, first.id, sizeof g_space);
    return g_space;
}

typedef struct mem_src {
    const uint8_t *bytes;
    size_t len, pos;
} mem_src;

static fc_err mem_read(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    mem_src *m = ctx;
    size_t n = m->len - m->pos < cap ? m->len - m->pos : cap;
    memcpy(buf, m->bytes + m->pos, n);
    m->pos += n;
    *got = n;
    return FC_OK;
}

static fc_err mem_rewind(void *ctx, uint64_t offset)
{
    mem_src *m = ctx;
    if (offset > m->len) {
        return FC_ERR_SOURCE;
    }
    m->pos = (size_t)offset;
    return FC_OK;
}

void fx_upload(const char *name, const void *bytes, size_t len, const char *space_id,
               const char *folder_id, const char *client_key, int wait_clean, fc_file *out)
{
    static fc_upload up;
    mem_src src;
    memset(&up, 0, sizeof up);
    src.bytes = bytes;
    src.len = len;
    src.pos = 0;
    up.params.name = name;
    up.params.size = len;
    up.params.content_type = "text/plain";
    up.params.space_id = space_id;
    up.params.folder_id = folder_id;
    up.params.client_key = client_key;
    up.params.source.read = mem_read;
    up.params.source.seek = mem_rewind;
    up.params.source.ctx = &src;
    up.params.wait_clean = (uint8_t)wait_clean;
    up.params.scan_timeout_ms = 20000;
    up.params.file_out = out;
    assert_int_equal(fx_run(fc_files_upload(FX, &up)), FC_OK);
}

const char *fx_name(const char *prefix)
{
    static char buf[8][96];
    static unsigned n;
    char *b = buf[n % 8];
    snprintf(b, sizeof buf[0], "%s-%u", prefix, ++n);
    return b;
}

/* ---- admin ------------------------------------------------------------------ */

static void scopes_json(const char *scopes, char *out, size_t cap)
{
    size_t n = 0;
    n += (size_t)snprintf(out + n, cap - n, "[");
    while (*scopes != '\0' && n < cap) {
        size_t k = strcspn(scopes, " ");
        if (k > 0) {
            n += (size_t)snprintf(out + n, cap - n, "%s\"%.*s\"", n > 1 ? "," : "", (int)k, scopes);
        }
        scopes += k;
        scopes += strspn(scopes, " ");
    }
    snprintf(out + n, cap - n, "]");
}

/* A tenant id: the main one (FC_EMU_TENANT_ID), or a new tenant by name. */
static void admin_tenant(const char *name, int plan, char *id, size_t cap)
{
    char json[256], resp[512];
    const char *main_id = getenv("FC_EMU_TENANT_ID");
    if (name == NULL && plan && main_id != NULL) {
        snprintf(id, cap, "%s", main_id);
        return;
    }
    /* A plan without API access belongs to a tenant of its own. */
    snprintf(json, sizeof json, "{\"name\":\"%s\",\"plan\":\"%s\"}", name ? name : "no-api",
             plan ? "pro" : "no_api");
    assert_int_equal(emu_admin("POST", "/admin/tenants", json, resp, sizeof resp) / 100, 2);
    assert_int_equal(emu_json_str(resp, "tenant_id", id, cap), 0);
}

void fx_admin_key(const char *tenant, const char *scopes, int plan, char *key, size_t cap)
{
    char json[512], sc[256], resp[1024], tid[FC_ID_MAX];
    admin_tenant(tenant, plan, tid, sizeof tid);
    if (scopes != NULL) {
        scopes_json(scopes, sc, sizeof sc);
    }
    snprintf(json, sizeof json, "{\"tenant_id\":\"%s\"%s%s}", tid, scopes ? ",\"scopes\":" : "",
             scopes ? sc : "");
    assert_int_equal(emu_admin("POST", "/admin/keys", json, resp, sizeof resp) / 100, 2);
    assert_int_equal(emu_json_str(resp, "key", key, cap), 0);
}

void fx_admin_revoke(const char *key)
{
    char json[256];
    snprintf(json, sizeof json, "{\"key\":\"%s\"}", key);
    assert_int_equal(emu_admin("POST", "/admin/keys/revoke", json, NULL, 0) / 100, 2);
}

void fx_admin_limits(long long bytes_limit, long links_limit, long per_minute)
{
    char json[256], path[128];
    const char *tid = getenv("FC_EMU_TENANT_ID");
    assert_non_null(tid);
    snprintf(path, sizeof path, "/admin/tenants/%s", tid);
    snprintf(json, sizeof json, "{\"bytes_limit\":%lld,\"links_limit\":%ld}", bytes_limit,
             links_limit);
    assert_int_equal(emu_admin("PATCH", path, json, NULL, 0), 200);
    /* A low limit runs in 2 s windows, so the test waits seconds, not a minute. */
    snprintf(json, sizeof json, "{\"rate_limits\":{\"overall\":%ld},\"rate_window_s\":%d}",
             per_minute > 0 ? per_minute : 600, per_minute > 0 ? 2 : 60);
    emu_config(json);
}
