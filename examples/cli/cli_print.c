/* cli_print.c - human and JSON output of the fluidcloud tool. */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#define F(type, kind, line, name, member) {name, kind, line, offsetof(type, member)}

const cli_field cli_me_fields[] = {
    F(fc_me, CLI_T_STR, 1, "tenant_id", tenant_id),
    F(fc_me, CLI_T_STR, 1, "key_id", key_id),
    F(fc_me, CLI_T_STR, 1, "mode", mode),
    F(fc_me, CLI_T_SCOPES, 0, "scopes", scopes),
    {NULL, 0, 0, 0}
};

const cli_field cli_space_fields[] = {
    F(fc_space, CLI_T_STR, 1, "id", id),
    F(fc_space, CLI_T_STR, 0, "tenant_id", tenant_id),
    F(fc_space, CLI_T_STR, 1, "name", name),
    F(fc_space, CLI_T_STR, 1, "app", app),
    F(fc_space, CLI_T_TIME, 0, "created_at", created_at),
    F(fc_space, CLI_T_TIME, 0, "updated_at", updated_at),
    {NULL, 0, 0, 0}
};

const cli_field cli_folder_fields[] = {
    F(fc_folder, CLI_T_STR, 1, "id", id),
    F(fc_folder, CLI_T_STR, 0, "tenant_id", tenant_id),
    F(fc_folder, CLI_T_STR, 0, "space_id", space_id),
    F(fc_folder, CLI_T_NSTR, 0, "parent_id", parent_id),
    F(fc_folder, CLI_T_STR, 1, "name", name),
    F(fc_folder, CLI_T_TIME, 0, "created_at", created_at),
    F(fc_folder, CLI_T_TIME, 0, "updated_at", updated_at),
    F(fc_folder, CLI_T_TIME, 0, "deleted_at", deleted_at),
    {NULL, 0, 0, 0}
};

const cli_field cli_file_fields[] = {
    F(fc_file, CLI_T_STR, 1, "id", id),
    F(fc_file, CLI_T_STR, 0, "tenant_id", tenant_id),
    F(fc_file, CLI_T_STR, 0, "space_id", space_id),
    F(fc_file, CLI_T_NSTR, 0, "folder_id", folder_id),
    F(fc_file, CLI_T_STR, 0, "source_app", source_app),
    F(fc_file, CLI_T_NSTR, 0, "client_key", client_key),
    F(fc_file, CLI_T_STR, 0, "original_name", original_name),
    F(fc_file, CLI_T_I64, 1, "size", size),
    F(fc_file, CLI_T_SCAN, 1, "scan_status", scan_status),
    F(fc_file, CLI_T_STR, 1, "name", name),
    F(fc_file, CLI_T_STR, 0, "mime", mime),
    F(fc_file, CLI_T_STR, 0, "sha256", sha256),
    F(fc_file, CLI_T_STATUS, 0, "status", status),
    F(fc_file, CLI_T_STR, 0, "created_by", created_by),
    F(fc_file, CLI_T_TIME, 0, "created_at", created_at),
    F(fc_file, CLI_T_TIME, 0, "updated_at", updated_at),
    F(fc_file, CLI_T_TIME, 0, "deleted_at", deleted_at),
    {NULL, 0, 0, 0}
};

const cli_field cli_share_fields[] = {
    F(fc_share, CLI_T_STR, 1, "id", id),
    F(fc_share, CLI_T_STR, 1, "file_id", file_id),
    F(fc_share, CLI_T_STR, 1, "permission", permission),
    F(fc_share, CLI_T_TIME, 1, "expires_at", expires_at),
    F(fc_share, CLI_T_TIME, 0, "created_at", created_at),
    F(fc_share, CLI_T_NSTR, 0, "url", url),
    {NULL, 0, 0, 0}
};

const cli_field cli_stats_fields[] = {
    F(fc_folder_stats, CLI_T_STR, 1, "folder_id", folder_id),
    F(fc_folder_stats, CLI_T_I64, 1, "file_count", file_count),
    F(fc_folder_stats, CLI_T_I64, 1, "total_bytes", total_bytes),
    {NULL, 0, 0, 0}
};

const cli_field cli_signed_fields[] = {
    F(fc_signed_url, CLI_T_STR, 1, "url", url),
    F(fc_signed_url, CLI_T_TIME, 1, "expires_at", expires_at),
    {NULL, 0, 0, 0}
};

static void json_str(const char *s)
{
    putchar('"');
    for (; *s != '\0'; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\') {
            printf("\\%c", ch);
        } else if (ch < 0x20) {
            printf("\\u%04x", ch);
        } else {
            putchar(ch);
        }
    }
    putchar('"');
}

/* The text of a field for human output, or NULL for an empty value. */
static const char *field_text(const cli_field *f, const void *obj, char *num, size_t cap)
{
    const char *p = (const char *)obj + f->off;
    switch (f->kind) {
    case CLI_T_I64:
        snprintf(num, cap, "%lld", (long long)*(const int64_t *)(const void *)p);
        return num;
    case CLI_T_TIME:
        return ((const fc_time *)(const void *)p)->text;
    case CLI_T_SCAN:
        return ((const fc_scan *)(const void *)p)->raw;
    case CLI_T_STATUS:
        return ((const fc_status *)(const void *)p)->raw;
    default:
        return p;
    }
}

static void json_scopes(const char *s)
{
    int first = 1;
    putchar('[');
    while (*s != '\0') {
        size_t n = strcspn(s, " ");
        if (n > 0) {
            printf("%s\"%.*s\"", first ? "" : ", ", (int)n, s);
            first = 0;
        }
        s += n;
        s += strspn(s, " ");
    }
    putchar(']');
}

static void json_field(const cli_field *f, const void *obj)
{
    char num[32];
    const char *t = field_text(f, obj, num, sizeof num);
    json_str(f->name);
    fputs(": ", stdout);
    if (f->kind == CLI_T_I64) {
        fputs(t, stdout);
    } else if (f->kind == CLI_T_SCOPES) {
        json_scopes(t);
    } else if (t[0] == '\0' && f->kind != CLI_T_STR) {
        fputs("null", stdout); /* nullable ids, times, absent enums */
    } else {
        json_str(t);
    }
}

static void json_members(const cli_field *f, const void *obj)
{
    for (; f->name != NULL; f++) {
        json_field(f, obj);
        if (f[1].name != NULL) {
            fputs(", ", stdout);
        }
    }
}

static void json_obj(const cli_field *f, const void *obj)
{
    putchar('{');
    json_members(f, obj);
    putchar('}');
}

void cli_print_upload(const cli *x, const fc_file *file, const char *link_name,
                      const char *link)
{
    if (!x->json) {
        cli_print_obj(x, cli_file_fields, file);
        if (link[0] != '\0') {
            printf("%-14s %s\n", link_name, link);
        }
        return;
    }
    putchar('{');
    json_members(cli_file_fields, file);
    if (link[0] != '\0') {
        printf(", \"%s\": ", link_name);
        json_str(link);
    }
    puts("}");
}

void cli_print_obj(const cli *x, const cli_field *f, const void *obj)
{
    char num[32];
    if (x->json) {
        json_obj(f, obj);
        putchar('\n');
        return;
    }
    for (; f->name != NULL; f++) {
        const char *t = field_text(f, obj, num, sizeof num);
        printf("%-14s %s\n", f->name, t[0] != '\0' ? t : "-");
    }
}

void cli_print_quota(const cli *x, const fc_quota *q)
{
    size_t i;
    if (x->json) {
        printf("{\"bytes_used\": %lld, \"bytes_limit\": %lld, \"links_used\": %lld, "
               "\"links_limit\": %lld, \"by_app\": [",
               (long long)q->bytes_used, (long long)q->bytes_limit,
               (long long)q->links_used, (long long)q->links_limit);
        for (i = 0; i < q->by_app_count; i++) {
            printf("%s{\"app\": ", i ? ", " : "");
            json_str(q->by_app[i].app);
            printf(", \"bytes\": %lld, \"files\": %lld}", (long long)q->by_app[i].bytes,
                   (long long)q->by_app[i].files);
        }
        puts("]}");
        return;
    }
    printf("bytes          %lld of %lld%s\n", (long long)q->bytes_used,
           (long long)q->bytes_limit, q->bytes_limit < 0 ? " (unlimited)" : "");
    printf("links          %lld of %lld%s\n", (long long)q->links_used,
           (long long)q->links_limit, q->links_limit < 0 ? " (unlimited)" : "");
    for (i = 0; i < q->by_app_count; i++) {
        printf("app %-10s %lld bytes in %lld files\n", q->by_app[i].app,
               (long long)q->by_app[i].bytes, (long long)q->by_app[i].files);
    }
}

void cli_print_ok(const cli *x, const char *what)
{
    if (x->json) {
        puts("{\"ok\": true}");
    } else {
        printf("%s: ok\n", what);
    }
}

void cli_list_begin(cli_list *l, cli *x, const cli_field *f)
{
    l->x = x;
    l->fields = f;
    l->count = 0;
    if (x->json) {
        fputs("{\"items\": [", stdout);
    }
}

fc_err cli_list_item(void *ctx, const void *item)
{
    cli_list *l = ctx;
    const cli_field *f;
    char num[32];
    if (l->x->json) {
        fputs(l->count ? ",\n  " : "\n  ", stdout);
        json_obj(l->fields, item);
    } else {
        for (f = l->fields; f->name != NULL; f++) {
            if (f->in_line) {
                const char *t = field_text(f, item, num, sizeof num);
                printf("%s%s", f == l->fields ? "" : "  ", t[0] ? t : "-");
            }
        }
        putchar('\n');
    }
    l->count++;
    return FC_OK;
}

void cli_list_end(cli_list *l, const char *next_cursor)
{
    if (l->x->json) {
        fputs(l->count ? "\n], \"next_cursor\": " : "], \"next_cursor\": ", stdout);
        if (next_cursor != NULL && next_cursor[0] != '\0') {
            json_str(next_cursor);
        } else {
            fputs("null", stdout);
        }
        printf(", \"count\": %zu}\n", l->count);
        return;
    }
    if (next_cursor != NULL && next_cursor[0] != '\0') {
        printf("(more: --cursor %s)\n", next_cursor);
    } else if (l->count == 0) {
        puts("(none)");
    }
}

void cli_print_error(const cli *x, fc_err e)
{
    const fc_error_info *ei = fc_client_error(&x->host.client);
    fprintf(stderr, "fluidcloud: %s failed: %s", x->what, fc_err_str(e));
    if (ei->http_status != 0) {
        fprintf(stderr, " (HTTP %d)", ei->http_status);
    }
    if (ei->code[0] != '\0') {
        fprintf(stderr, " [%s]", ei->code);
    }
    if (ei->detail[0] != '\0') {
        fprintf(stderr, ": %s%s", ei->detail, ei->detail_cut ? "..." : "");
    }
    if (ei->missing[0] != '\0') {
        fprintf(stderr, "; missing scopes: %s", ei->missing);
    }
    if (e == FC_ERR_BUFFER_TOO_SMALL && ei->needed != 0) {
        fprintf(stderr, "; needs %zu", ei->needed);
    }
    fputc('\n', stderr);
    if (!x->json) {
        return;
    }
    fputs("{\"error\": {\"kind\": ", stdout);
    json_str(fc_err_str(e));
    printf(", \"http_status\": %d, \"code\": ", ei->http_status);
    ei->code[0] ? json_str(ei->code) : (void)fputs("null", stdout);
    fputs(", \"detail\": ", stdout);
    json_str(ei->detail);
    fputs(", \"missing\": ", stdout);
    json_scopes(ei->missing);
    fputs(", \"required\": ", stdout);
    json_scopes(ei->required);
    if (ei->retry_after_s != 0) {
        printf(", \"retry_after\": %u", (unsigned)ei->retry_after_s);
    }
    puts("}}");
}
