/* SPDX-License-Identifier: MIT */
/*
 * cli_print.c - results on stdout. Human output: objects as aligned
 * "name  value" lines, lists as columns under a header (fixed widths for
 * bounded values, the free-text column last, so lines stream page by page
 * and still align), sizes in KiB/MiB/GiB unless --bytes. JSON output: one
 * document with stable keys, numbers as numbers, absent values as null.
 * Presigned URLs are masked unless --reveal.
 */
#include "cli.h"

#include <ctype.h>
#include <inttypes.h>
#include <string.h>

/* Where results go: stdout, or a temporary file while a JSON list is being
 * collected (so that a failure on a later page prints only the error). */
static FILE *g_out_file;
#define g_out         (g_out_file != NULL ? g_out_file : stdout)
#define fputc_out(ch) fputc((ch), g_out)

#define F(type, kind, col, width, name, member)        \
    {                                                  \
        name, kind, col, width, offsetof(type, member) \
    }

const cli_field cli_me_fields[] = {F(fc_me, CLI_T_STR, 0, 0, "tenant_id", tenant_id),
                                   F(fc_me, CLI_T_STR, 0, 0, "key_id", key_id),
                                   F(fc_me, CLI_T_STR, 0, 0, "mode", mode),
                                   F(fc_me, CLI_T_SCOPES, 0, 0, "scopes", scopes),
                                   {NULL, 0, 0, 0, 0}};

const cli_field cli_space_fields[] = {F(fc_space, CLI_T_STR, 1, 36, "id", id),
                                      F(fc_space, CLI_T_STR, 0, 0, "tenant_id", tenant_id),
                                      F(fc_space, CLI_T_STR, 4, 0, "name", name),
                                      F(fc_space, CLI_T_STR, 2, 12, "app", app),
                                      F(fc_space, CLI_T_TIME, 3, 20, "created_at", created_at),
                                      F(fc_space, CLI_T_TIME, 0, 0, "updated_at", updated_at),
                                      {NULL, 0, 0, 0, 0}};

const cli_field cli_folder_fields[] = {F(fc_folder, CLI_T_STR, 1, 36, "id", id),
                                       F(fc_folder, CLI_T_STR, 0, 0, "tenant_id", tenant_id),
                                       F(fc_folder, CLI_T_STR, 0, 0, "space_id", space_id),
                                       F(fc_folder, CLI_T_NSTR, 2, 36, "parent_id", parent_id),
                                       F(fc_folder, CLI_T_STR, 4, 0, "name", name),
                                       F(fc_folder, CLI_T_TIME, 3, 20, "created_at", created_at),
                                       F(fc_folder, CLI_T_TIME, 0, 0, "updated_at", updated_at),
                                       F(fc_folder, CLI_T_TIME, 0, 0, "deleted_at", deleted_at),
                                       {NULL, 0, 0, 0, 0}};

const cli_field cli_file_fields[] = {F(fc_file, CLI_T_STR, 1, 36, "id", id),
                                     F(fc_file, CLI_T_STR, 0, 0, "tenant_id", tenant_id),
                                     F(fc_file, CLI_T_STR, 0, 0, "space_id", space_id),
                                     F(fc_file, CLI_T_NSTR, 0, 0, "folder_id", folder_id),
                                     F(fc_file, CLI_T_STR, 0, 0, "source_app", source_app),
                                     F(fc_file, CLI_T_NSTR, 0, 0, "client_key", client_key),
                                     F(fc_file, CLI_T_STR, 0, 0, "original_name", original_name),
                                     F(fc_file, CLI_T_SIZE, 2, 10, "size", size),
                                     F(fc_file, CLI_T_SCAN, 3, 11, "scan_status", scan_status),
                                     F(fc_file, CLI_T_STR, 5, 0, "name", name),
                                     F(fc_file, CLI_T_STR, 0, 0, "mime", mime),
                                     F(fc_file, CLI_T_STR, 0, 0, "sha256", sha256),
                                     F(fc_file, CLI_T_STATUS, 0, 0, "status", status),
                                     F(fc_file, CLI_T_STR, 0, 0, "created_by", created_by),
                                     F(fc_file, CLI_T_TIME, 4, 20, "created_at", created_at),
                                     F(fc_file, CLI_T_TIME, 0, 0, "updated_at", updated_at),
                                     F(fc_file, CLI_T_TIME, 0, 0, "deleted_at", deleted_at),
                                     {NULL, 0, 0, 0, 0}};

const cli_field cli_share_fields[] = {F(fc_share, CLI_T_STR, 1, 36, "id", id),
                                      F(fc_share, CLI_T_STR, 2, 36, "file_id", file_id),
                                      F(fc_share, CLI_T_STR, 3, 10, "permission", permission),
                                      F(fc_share, CLI_T_TIME, 4, 0, "expires_at", expires_at),
                                      F(fc_share, CLI_T_TIME, 0, 0, "created_at", created_at),
                                      F(fc_share, CLI_T_NSTR, 0, 0, "url", url),
                                      {NULL, 0, 0, 0, 0}};

const cli_field cli_stats_fields[] = {
    F(fc_folder_stats, CLI_T_STR, 0, 0, "folder_id", folder_id),
    F(fc_folder_stats, CLI_T_I64, 0, 0, "file_count", file_count),
    F(fc_folder_stats, CLI_T_SIZE, 0, 0, "total_bytes", total_bytes),
    {NULL, 0, 0, 0, 0}};

const cli_field cli_signed_fields[] = {F(fc_signed_url, CLI_T_SECRET_URL, 0, 0, "url", url),
                                       F(fc_signed_url, CLI_T_TIME, 0, 0, "expires_at", expires_at),
                                       {NULL, 0, 0, 0, 0}};

/* ---- JSON --------------------------------------------------------------------- */

void cli_json_str(FILE *out, const char *s)
{
    fputc('"', out);
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            fprintf(out, "\\%c", ch);
        } else if (ch < 0x20 || ch == 0x7f) {
            fprintf(out, "\\u%04x", ch);
        } else {
            fputc(ch, out);
        }
    }
    fputc('"', out);
}

void cli_json_nstr(FILE *out, const char *s)
{
    if (s == NULL || s[0] == '\0') {
        fputs("null", out);
    } else {
        cli_json_str(out, s);
    }
}

void cli_json_scopes(FILE *out, const char *s)
{
    int first = 1;
    fputc('[', out);
    while (*s != '\0') {
        size_t n = strcspn(s, " ");
        if (n > 0) {
            fprintf(out, "%s\"%.*s\"", first ? "" : ", ", (int)n, s);
            first = 0;
        }
        s += n;
        s += strspn(s, " ");
    }
    fputc(']', out);
}

/* ---- one field ------------------------------------------------------------ */

/* The text of a field for people ("" when empty). */
static const char *field_text(const cli *x, const cli_field *f, const void *obj, char *buf,
                              size_t cap)
{
    const char *p = (const char *)obj + f->off;
    int64_t n;
    switch (f->kind) {
    case CLI_T_I64: snprintf(buf, cap, "%" PRId64, *(const int64_t *)(const void *)p); return buf;
    case CLI_T_SIZE:
        n = *(const int64_t *)(const void *)p;
        return n < 0 ? "-" : cli_size_text((uint64_t)n, x->o.bytes, buf, cap);
    case CLI_T_TIME: return ((const fc_time *)(const void *)p)->text;
    case CLI_T_SCAN: return ((const fc_scan *)(const void *)p)->raw;
    case CLI_T_STATUS: return ((const fc_status *)(const void *)p)->raw;
    case CLI_T_SECRET_URL: return x->o.reveal ? p : cli_mask(p, NULL, buf, cap);
    default: return p;
    }
}

static void json_field(const cli *x, const cli_field *f, const void *obj)
{
    char buf[FC_SIGNED_URL_MAX];
    const char *p = (const char *)obj + f->off;
    cli_json_str(g_out, f->name);
    fputs(": ", g_out);
    switch (f->kind) {
    case CLI_T_I64:
    case CLI_T_SIZE: fprintf(g_out, "%" PRId64, *(const int64_t *)(const void *)p); break;
    case CLI_T_SCOPES: cli_json_scopes(g_out, p); break;
    case CLI_T_STR: cli_json_str(g_out, p); break;
    default: /* nullable ids, times, absent enums */
        cli_json_nstr(g_out, field_text(x, f, obj, buf, sizeof buf));
        break;
    }
}

static void json_members(const cli *x, const cli_field *f, const void *obj)
{
    for (; f->name != NULL; f++) {
        json_field(x, f, obj);
        if (f[1].name != NULL) {
            fputs(", ", g_out);
        }
    }
}

void cli_print_json_obj(const cli *x, const cli_field *f, const void *obj)
{
    fputc_out('{');
    json_members(x, f, obj);
    fputc_out('}');
}

/* ---- objects ------------------------------------------------------------- */

static void human_obj(const cli *x, const cli_field *f, const void *obj)
{
    char buf[FC_SIGNED_URL_MAX];
    for (; f->name != NULL; f++) {
        const char *t = field_text(x, f, obj, buf, sizeof buf);
        fprintf(g_out, "%-14s %s\n", f->name, t[0] != '\0' ? t : "-");
    }
}

void cli_print_obj(const cli *x, const cli_field *f, const void *obj)
{
    if (x->o.json) {
        fputc_out('{');
        json_members(x, f, obj);
        cli_json_close(x, g_out);
    } else {
        human_obj(x, f, obj);
    }
}

static void human_limit(const char *what, int64_t used, int64_t limit, int sizes, const cli *x)
{
    char a[32], b[32];
    if (sizes) {
        cli_size_text((uint64_t)(used < 0 ? 0 : used), x->o.bytes, a, sizeof a);
        cli_size_text((uint64_t)(limit < 0 ? 0 : limit), x->o.bytes, b, sizeof b);
    } else {
        snprintf(a, sizeof a, "%" PRId64, used);
        snprintf(b, sizeof b, "%" PRId64, limit);
    }
    fprintf(g_out, "%-10s %s used of %s\n", what, a, limit < 0 ? "unlimited" : b);
}

void cli_print_quota(const cli *x, const fc_quota *q)
{
    size_t i;
    char a[32];
    if (x->o.json) {
        /* A negative limit is unlimited: null says so without a magic number. */
        fprintf(g_out, "{\"bytes_used\": %" PRId64 ", \"bytes_limit\": ", q->bytes_used);
        q->bytes_limit < 0 ? fprintf(g_out, "null") : fprintf(g_out, "%" PRId64, q->bytes_limit);
        fprintf(g_out, ", \"links_used\": %" PRId64 ", \"links_limit\": ", q->links_used);
        q->links_limit < 0 ? fprintf(g_out, "null") : fprintf(g_out, "%" PRId64, q->links_limit);
        fputs(", \"by_app\": [", g_out);
        for (i = 0; i < q->by_app_count; i++) {
            fprintf(g_out, "%s{\"app\": ", i ? ", " : "");
            cli_json_str(g_out, q->by_app[i].app);
            fprintf(g_out, ", \"bytes\": %" PRId64 ", \"files\": %" PRId64 "}", q->by_app[i].bytes,
                    q->by_app[i].files);
        }
        fputc_out(']');
        cli_json_close(x, g_out);
        return;
    }
    human_limit("storage", q->bytes_used, q->bytes_limit, 1, x);
    human_limit("links", q->links_used, q->links_limit, 0, x);
    for (i = 0; i < q->by_app_count; i++) {
        fprintf(g_out, "%-10s %s: %s in %" PRId64 " files\n", i == 0 ? "by app" : "",
                q->by_app[i].app,
                cli_size_text((uint64_t)q->by_app[i].bytes, x->o.bytes, a, sizeof a),
                q->by_app[i].files);
    }
}

void cli_print_upload(const cli *x, const fc_file *file, const fc_share *share)
{
    int linked = share != NULL && share->url[0] != '\0';
    if (!x->o.json) {
        human_obj(x, cli_file_fields, file);
        if (linked) {
            fprintf(g_out, "%-14s %s\n", "link", share->url);
            fprintf(g_out, "%-14s %s\n", "link_expires",
                    share->expires_at.text[0] ? share->expires_at.text : "never");
        }
        return;
    }
    /* The link is always at "url" (null without one); the share in full
     * at "share". */
    fputs("{\"file\": ", g_out);
    cli_print_json_obj(x, cli_file_fields, file);
    fputs(", \"share\": ", g_out);
    if (linked) {
        cli_print_json_obj(x, cli_share_fields, share);
    } else {
        fputs("null", g_out);
    }
    fputs(", \"url\": ", g_out);
    cli_json_nstr(g_out, linked ? share->url : NULL);
    cli_json_close(x, g_out);
}

void cli_print_ok(const cli *x, const char *id)
{
    if (x->o.json) {
        fputs("{\"ok\": true, \"command\": ", g_out);
        cli_json_str(g_out, x->what);
        fputs(", \"id\": ", g_out);
        cli_json_nstr(g_out, id);
        cli_json_close(x, g_out);
    } else if (!x->o.quiet) {
        fprintf(g_out, "%s%s%s: ok\n", x->what, id ? " " : "", id ? id : "");
    }
}

/* ---- wire statistics ---------------------------------------------------- */

void cli_json_close(const cli *x, FILE *out)
{
    const fc_stats *t = cli_stats();
    if (x->o.stats) {
        fprintf(out,
                ", \"stats\": {\"bytes_sent\": %llu, \"bytes_received\": %llu, "
                "\"requests\": %u, \"retries\": %u, \"connects\": %u, \"tls_full\": %u, "
                "\"tls_resumed\": %u, \"ms_connect\": %u, \"ms_tls\": %u, \"ms_send\": %u, "
                "\"ms_first_byte\": %u, \"ms_receive\": %u, \"ms_retry_wait\": %u, "
                "\"ms_scan_wait\": %u}",
                (unsigned long long)t->bytes_sent, (unsigned long long)t->bytes_received,
                (unsigned)t->requests, (unsigned)t->retries, (unsigned)t->connects,
                (unsigned)t->tls_full, (unsigned)t->tls_resumed, (unsigned)t->ms_connect,
                (unsigned)t->ms_tls, (unsigned)t->ms_send, (unsigned)t->ms_first_byte,
                (unsigned)t->ms_receive, (unsigned)t->ms_retry_wait, (unsigned)t->ms_timer);
    }
    fputs("}\n", out);
}

void cli_print_stats(const cli *x)
{
    const fc_stats *t = cli_stats();
    char a[32], b[32];
    if (!x->o.stats || x->o.json) {
        return; /* with --json they are in the document */
    }
    cli_progress_break();
    fprintf(stderr,
            "wire: %s sent, %s received; %u requests (%u retries), %u connections, "
            "TLS %u full + %u resumed\n",
            cli_size_text(t->bytes_sent, x->o.bytes, a, sizeof a),
            cli_size_text(t->bytes_received, x->o.bytes, b, sizeof b), (unsigned)t->requests,
            (unsigned)t->retries, (unsigned)t->connects, (unsigned)t->tls_full,
            (unsigned)t->tls_resumed);
    fprintf(stderr,
            "time: connect %u ms, TLS %u ms, send %u ms, first byte %u ms, receive %u ms, "
            "retry wait %u ms, scan wait %u ms\n",
            (unsigned)t->ms_connect, (unsigned)t->ms_tls, (unsigned)t->ms_send,
            (unsigned)t->ms_first_byte, (unsigned)t->ms_receive, (unsigned)t->ms_retry_wait,
            (unsigned)t->ms_timer);
}

/* ---- lists ------------------------------------------------------------------- */

static const cli_field *column(const cli_field *f, unsigned col)
{
    for (; f->name != NULL; f++) {
        if (f->column == col) {
            return f;
        }
    }
    return NULL;
}

/* One line of columns; head != 0 prints the field names instead. */
static void columns_line(const cli *x, const cli_field *fields, const void *item, int head)
{
    char buf[FC_SIGNED_URL_MAX];
    unsigned col;
    const cli_field *f;
    for (col = 1; (f = column(fields, col)) != NULL; col++) {
        const char *t;
        int last = column(fields, col + 1) == NULL;
        if (head) {
            size_t i;
            size_t n = strlen(f->name) - (strstr(f->name, "_at") ? 3u : 0u);
            for (i = 0; i < n && i < sizeof buf - 1; i++) {
                buf[i] = (char)toupper((unsigned char)f->name[i]);
            }
            buf[i] = '\0';
            t = buf;
        } else {
            t = field_text(x, f, item, buf, sizeof buf);
            if (t[0] == '\0') {
                t = f->kind == CLI_T_TIME && strcmp(f->name, "expires_at") == 0 ? "never" : "-";
            }
        }
        if (last) {
            fprintf(g_out, "%s\n", t);
        } else if (f->kind == CLI_T_SIZE) {
            fprintf(g_out, "%*s  ", f->width, t);
        } else {
            fprintf(g_out, "%-*s  ", f->width, t);
        }
    }
}

void cli_list_begin(cli_list *l, cli *x, const cli_field *f)
{
    l->x = x;
    l->fields = f;
    l->count = 0;
    if (x->o.json) {
        g_out_file = tmpfile(); /* NULL: stream to stdout after all */
        fputs("{\"items\": [", g_out);
    }
}

/* The JSON collected so far goes to stdout (ok) or away (failed). */
static void list_flush(int ok)
{
    char chunk[8192];
    size_t n;
    FILE *f = g_out_file;
    if (f == NULL) {
        return;
    }
    g_out_file = NULL;
    rewind(f);
    while (ok && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        fwrite(chunk, 1, n, stdout);
    }
    fclose(f);
}

void cli_list_abort(cli_list *l)
{
    (void)l;
    list_flush(0);
}

fc_err cli_list_item(void *ctx, const void *item)
{
    cli_list *l = ctx;
    if (l->x->o.json) {
        fputs(l->count ? ",\n  " : "\n  ", g_out);
        cli_print_json_obj(l->x, l->fields, item);
    } else {
        if (l->count == 0) {
            columns_line(l->x, l->fields, item, 1);
        }
        columns_line(l->x, l->fields, item, 0);
    }
    l->count++;
    return FC_OK;
}

void cli_list_end(cli_list *l, const char *next_cursor)
{
    int more = next_cursor != NULL && next_cursor[0] != '\0';
    if (l->x->o.json) {
        fputs(l->count ? "\n], \"next_cursor\": " : "], \"next_cursor\": ", g_out);
        cli_json_nstr(g_out, more ? next_cursor : NULL);
        fprintf(g_out, ", \"count\": %zu", l->count);
        cli_json_close(l->x, g_out);
        list_flush(1);
    }
    /* Hints are for people: stderr, so pipelines get only the items. */
    if (more) {
        cli_note(l->x, "more items: add --all, or --cursor %s for the next page", next_cursor);
    } else if (l->count == 0 && !l->x->o.json) {
        cli_note(l->x, "no items");
    }
}
