/*
 * cli_commands.c - the command table of the fluidcloud tool: one entry,
 * and usually one short function, per command. Adding a command (say
 * "upload") is one more entry.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#define C(x) (&(x)->host.client)
#define ARG(x, i) ((x)->argv[i])

/* Results: static, as a firmware would keep them (fc_file is ~1.5 kB). */
static union {
    fc_me me;
    fc_quota quota;
    fc_space space;
    fc_folder folder;
    fc_file file;
    fc_share share;
    fc_folder_stats stats;
    fc_signed_url url;
} g_out;

static int show(cli *x, fc_err e, const cli_field *f)
{
    int r = cli_finish(x, e);
    if (r == 0) {
        cli_print_obj(x, f, &g_out);
    }
    return r;
}

static int done(cli *x, fc_err e)
{
    int r = cli_finish(x, e);
    if (r == 0) {
        cli_print_ok(x, x->what);
    }
    return r;
}

/* ---- lists: every page (or one with --page), items streamed ------------ */

typedef fc_err (*page_fn)(cli *x, const fc_list_params *p, fc_page *page);

static int list_pages(cli *x, const cli_field *f, fc_list_params *p, page_fn start)
{
    static fc_page page;
    static char cursor[FC_CURSOR_MAX];
    cli_list out;
    int r;
    p->limit = x->o.limit > 0 ? (unsigned)x->o.limit : 0u;
    p->cursor = x->o.cursor;
    p->on_item = cli_list_item;
    p->ctx = &out;
    cli_list_begin(&out, x, f);
    do {
        r = cli_finish(x, start(x, p, &page));
        if (r != 0) {
            return r;
        }
        memcpy(cursor, page.next_cursor, sizeof cursor);
        p->cursor = cursor;
    } while (page.has_more && !x->o.page);
    cli_list_end(&out, x->o.page ? page.next_cursor : NULL);
    return 0;
}

static fc_err page_spaces(cli *x, const fc_list_params *p, fc_page *page)
{
    return fc_spaces_list(C(x), p, &g_out.space, 1, page);
}

static fc_err page_folders(cli *x, const fc_list_params *p, fc_page *page)
{
    return fc_folders_list(C(x), p, &g_out.folder, 1, page);
}

static fc_err page_files(cli *x, const fc_list_params *p, fc_page *page)
{
    return fc_files_list(C(x), p, &g_out.file, 1, page);
}

static fc_err page_shares(cli *x, const fc_list_params *p, fc_page *page)
{
    return fc_shares_list(C(x), p, &g_out.share, 1, page);
}

/* ---- me, quota -------------------------------------------------------------- */

static int cmd_me(cli *x)
{
    return show(x, fc_me_get(C(x), &g_out.me), cli_me_fields);
}

static int cmd_quota(cli *x)
{
    int r = cli_finish(x, fc_quota_get(C(x), &g_out.quota));
    if (r == 0) {
        cli_print_quota(x, &g_out.quota);
    }
    return r;
}

/* ---- spaces ------------------------------------------------------------------- */

static int cmd_spaces_list(cli *x)
{
    fc_list_params p;
    memset(&p, 0, sizeof p);
    return list_pages(x, cli_space_fields, &p, page_spaces);
}

static int cmd_spaces_create(cli *x)
{
    return show(x, fc_spaces_create(C(x), ARG(x, 0), x->o.app, &g_out.space), cli_space_fields);
}

static int cmd_spaces_get(cli *x)
{
    return show(x, fc_spaces_get(C(x), ARG(x, 0), &g_out.space), cli_space_fields);
}

static int cmd_spaces_rename(cli *x)
{
    return show(x, fc_spaces_rename(C(x), ARG(x, 0), ARG(x, 1), &g_out.space),
                cli_space_fields);
}

static int cmd_spaces_delete(cli *x)
{
    return done(x, fc_spaces_delete(C(x), ARG(x, 0)));
}

/* ---- folders ------------------------------------------------------------------ */

static int cmd_folders_list(cli *x)
{
    fc_list_params p;
    memset(&p, 0, sizeof p);
    p.space_id = cli_space(x);
    if (p.space_id == NULL) {
        return CLI_FAILED;
    }
    p.parent_id = x->o.parent;
    p.trashed = x->o.trashed;
    return list_pages(x, cli_folder_fields, &p, page_folders);
}

static int cmd_folders_create(cli *x)
{
    const char *space = cli_space(x);
    if (space == NULL) {
        return CLI_FAILED;
    }
    return show(x, fc_folders_create(C(x), space, ARG(x, 0), x->o.parent, &g_out.folder),
                cli_folder_fields);
}

static int cmd_folders_get(cli *x)
{
    return show(x, fc_folders_get(C(x), ARG(x, 0), &g_out.folder), cli_folder_fields);
}

static int cmd_folders_rename(cli *x)
{
    return show(x, fc_folders_rename(C(x), ARG(x, 0), ARG(x, 1), &g_out.folder),
                cli_folder_fields);
}

static int cmd_folders_move(cli *x)
{
    return show(x, fc_folders_move(C(x), ARG(x, 0), x->o.parent, &g_out.folder),
                cli_folder_fields);
}

static int cmd_folders_delete(cli *x)
{
    return done(x, fc_folders_delete(C(x), ARG(x, 0)));
}

static int cmd_folders_restore(cli *x)
{
    return done(x, fc_folders_restore(C(x), ARG(x, 0), NULL));
}

static int cmd_folders_stats(cli *x)
{
    return show(x, fc_folders_stats(C(x), ARG(x, 0), &g_out.stats), cli_stats_fields);
}

/* ---- files ---------------------------------------------------------------------- */

static int cmd_files_list(cli *x)
{
    fc_list_params p;
    memset(&p, 0, sizeof p);
    p.space_id = cli_space(x);
    if (p.space_id == NULL) {
        return CLI_FAILED;
    }
    p.folder_id = x->o.folder;
    p.trashed = x->o.trashed;
    return list_pages(x, cli_file_fields, &p, page_files);
}

static int cmd_files_get(cli *x)
{
    return show(x, fc_files_get(C(x), ARG(x, 0), &g_out.file), cli_file_fields);
}

static int cmd_files_resolve(cli *x)
{
    return show(x, fc_files_resolve(C(x), ARG(x, 0), x->o.space, &g_out.file),
                cli_file_fields);
}

static int cmd_files_rename(cli *x)
{
    return show(x, fc_files_rename(C(x), ARG(x, 0), ARG(x, 1), &g_out.file), cli_file_fields);
}

static int cmd_files_move(cli *x)
{
    return show(x, fc_files_move(C(x), ARG(x, 0), x->o.folder, &g_out.file), cli_file_fields);
}

static int cmd_files_delete(cli *x)
{
    return done(x, fc_files_delete(C(x), ARG(x, 0)));
}

static int cmd_files_restore(cli *x)
{
    return done(x, fc_files_restore(C(x), ARG(x, 0), NULL));
}

static int cmd_files_download_url(cli *x)
{
    return show(x, fc_files_download_url(C(x), ARG(x, 0), &g_out.url), cli_signed_fields);
}

static int cmd_files_preview_url(cli *x)
{
    return show(x, fc_files_preview_url(C(x), ARG(x, 0), &g_out.url), cli_signed_fields);
}

/* ---- shares ---------------------------------------------------------------------- */

static int cmd_shares_create(cli *x)
{
    return show(x, fc_shares_create(C(x), ARG(x, 0), (int)x->o.days, x->o.permission,
                                    &g_out.share), cli_share_fields);
}

static int cmd_shares_list(cli *x)
{
    fc_list_params p;
    memset(&p, 0, sizeof p);
    p.file_id = x->argc > 0 ? ARG(x, 0) : x->o.file;
    return list_pages(x, cli_share_fields, &p, page_shares);
}

static int cmd_shares_get(cli *x)
{
    return show(x, fc_shares_get(C(x), ARG(x, 0), &g_out.share), cli_share_fields);
}

static int cmd_shares_revoke(cli *x)
{
    return done(x, fc_shares_revoke(C(x), ARG(x, 0)));
}

/* ---- purge, import ------------------------------------------------------------------ */

static int cmd_purge(cli *x)
{
    const char *space;
    if (!x->o.trash) {
        if (x->argc < 1) {
            fprintf(stderr, "usage: fluidcloud purge FILE_ID | purge --trash [--space ID]\n");
            return CLI_USAGE;
        }
        return done(x, fc_gdpr_purge_file(C(x), ARG(x, 0)));
    }
    space = cli_space(x);
    return space == NULL ? CLI_FAILED : done(x, fc_gdpr_purge_trash(C(x), space));
}

static int cmd_import(cli *x)
{
    fc_import_params p;
    memset(&p, 0, sizeof p);
    p.url = ARG(x, 0);
    p.space_id = cli_space(x);
    if (p.space_id == NULL) {
        return CLI_FAILED;
    }
    p.folder_id = x->o.folder;
    p.name = x->o.name;
    p.client_key = x->o.client_key;
    return show(x, fc_uploads_import_url(C(x), &p, &g_out.file), cli_file_fields);
}

const cli_cmd cli_commands[] = {
    {"me", NULL, 0, "(the key: tenant, mode, scopes)", cmd_me},
    {"quota", NULL, 0, "(storage and share-link usage)", cmd_quota},
    {"spaces", "list", 0, "[--limit N] [--page] [--cursor C]", cmd_spaces_list},
    {"spaces", "create", 1, "NAME [--app APP]", cmd_spaces_create},
    {"spaces", "get", 1, "ID", cmd_spaces_get},
    {"spaces", "rename", 2, "ID NAME", cmd_spaces_rename},
    {"spaces", "delete", 1, "ID", cmd_spaces_delete},
    {"folders", "list", 0, "[--space ID] [--parent ID] [--trashed]", cmd_folders_list},
    {"folders", "create", 1, "NAME [--space ID] [--parent ID]", cmd_folders_create},
    {"folders", "get", 1, "ID", cmd_folders_get},
    {"folders", "rename", 2, "ID NAME", cmd_folders_rename},
    {"folders", "move", 1, "ID [--parent ID]   (no --parent: to the root)", cmd_folders_move},
    {"folders", "delete", 1, "ID", cmd_folders_delete},
    {"folders", "restore", 1, "ID", cmd_folders_restore},
    {"folders", "stats", 1, "ID", cmd_folders_stats},
    {"files", "list", 0, "[--space ID] [--folder ID] [--trashed]", cmd_files_list},
    {"files", "get", 1, "ID", cmd_files_get},
    {"files", "resolve", 1, "CLIENT_KEY [--space ID]", cmd_files_resolve},
    {"files", "rename", 2, "ID NAME", cmd_files_rename},
    {"files", "move", 1, "ID [--folder ID]   (no --folder: to the root)", cmd_files_move},
    {"files", "delete", 1, "ID", cmd_files_delete},
    {"files", "restore", 1, "ID", cmd_files_restore},
    {"files", "download-url", 1, "ID", cmd_files_download_url},
    {"files", "preview-url", 1, "ID", cmd_files_preview_url},
    {"shares", "create", 1, "FILE_ID [--days N] [--permission view|download]",
     cmd_shares_create},
    {"shares", "list", 0, "[FILE_ID | --file ID]", cmd_shares_list},
    {"shares", "get", 1, "ID", cmd_shares_get},
    {"shares", "revoke", 1, "ID", cmd_shares_revoke},
    {"purge", NULL, 0, "FILE_ID | --trash [--space ID]   (GDPR: now, for good)", cmd_purge},
    {"import", NULL, 1, "URL [--space ID] [--folder ID] [--name N] [--client-key K]",
     cmd_import},
    {"upload", NULL, 1, "FILE|- [--space ID] [--folder ID] [--client-key K] [--name N] "
     "[--content-type T] [--public | --expires DAYS [--view]]", cli_upload},
    {"download", NULL, 1, "URL -o FILE   (a raw link or a download URL)", cli_download},
    {NULL, NULL, 0, NULL, NULL}
};
