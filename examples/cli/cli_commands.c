/* SPDX-License-Identifier: MIT */
/*
 * cli_commands.c - the API commands and the command table. A command is
 * one entry of cli_commands[] (its words, arguments, options, help text and
 * function) and usually one short function; help, the man page, the shell
 * completions and the dispatch all read the table.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#define C(x)      cli_client(x)
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

static int done(cli *x, fc_err e, const char *id)
{
    int r = cli_finish(x, e);
    if (r == 0) {
        cli_print_ok(x, id);
    }
    return r;
}

/* ---- lists: one page, or every page with --all -------------------------- */

typedef fc_err (*page_fn)(cli *x, const fc_list_params *p, fc_page *page);

static int list_pages(cli *x, const cli_field *f, fc_list_params *p, page_fn start)
{
    static fc_page page;
    static char cursor[FC_CURSOR_MAX];
    cli_list out;
    int r;
    if ((x->o.given & CLI_OPT(CLI_O_LIMIT)) && (x->o.limit < 1 || x->o.limit > 200)) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage", "--limit wants 1..200, not %ld", x->o.limit);
    }
    p->limit = (unsigned)x->o.limit;
    p->cursor = x->o.cursor;
    p->on_item = cli_list_item;
    p->ctx = &out;
    cli_list_begin(&out, x, f);
    do {
        r = cli_finish(x, start(x, p, &page));
        if (r != 0) {
            cli_list_abort(&out);
            return r;
        }
        memcpy(cursor, page.next_cursor, sizeof cursor);
        p->cursor = cursor;
    } while (page.has_more && x->o.all);
    cli_list_end(&out, page.has_more ? page.next_cursor : NULL);
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
    return show(x, fc_spaces_rename(C(x), ARG(x, 0), ARG(x, 1), &g_out.space), cli_space_fields);
}

static int cmd_spaces_delete(cli *x)
{
    char question[400];
    int r;
    if (!x->o.yes) {
        /* Name what goes, so the answer is informed. */
        r = cli_finish(x, fc_spaces_get(C(x), ARG(x, 0), &g_out.space));
        if (r != 0) {
            return r;
        }
        snprintf(question, sizeof question,
                 "Delete space '%s' (%s) with all its folders, files and links, for good?",
                 g_out.space.name, g_out.space.id);
        r = cli_confirm(x, question);
        if (r != 0) {
            return r;
        }
    }
    return done(x, fc_spaces_delete(C(x), ARG(x, 0)), ARG(x, 0));
}

/* ---- folders ------------------------------------------------------------------ */

static int cmd_folders_list(cli *x)
{
    fc_list_params p;
    memset(&p, 0, sizeof p);
    int r = cli_space(x, &p.space_id);
    if (r != 0) {
        return r;
    }
    p.parent_id = x->o.parent;
    p.trashed = x->o.trashed;
    return list_pages(x, cli_folder_fields, &p, page_folders);
}

static int cmd_folders_create(cli *x)
{
    const char *space = NULL;
    int r = cli_space(x, &space);
    if (r != 0) {
        return r;
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
    return show(x, fc_folders_rename(C(x), ARG(x, 0), ARG(x, 1), &g_out.folder), cli_folder_fields);
}

static int cmd_folders_move(cli *x)
{
    return show(x, fc_folders_move(C(x), ARG(x, 0), x->o.parent, &g_out.folder), cli_folder_fields);
}

static int cmd_folders_delete(cli *x)
{
    return done(x, fc_folders_delete(C(x), ARG(x, 0), NULL), ARG(x, 0));
}

static int cmd_folders_restore(cli *x)
{
    return done(x, fc_folders_restore(C(x), ARG(x, 0), NULL), ARG(x, 0));
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
    int r = cli_space(x, &p.space_id);
    if (r != 0) {
        return r;
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
    return show(x, fc_files_resolve(C(x), ARG(x, 0), x->o.space, &g_out.file), cli_file_fields);
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
    return done(x, fc_files_delete(C(x), ARG(x, 0), NULL), ARG(x, 0));
}

static int cmd_files_restore(cli *x)
{
    return done(x, fc_files_restore(C(x), ARG(x, 0), NULL), ARG(x, 0));
}

static int cmd_files_download_url(cli *x)
{
    x->file_id = ARG(x, 0);
    return show(x, fc_files_download_url(C(x), ARG(x, 0), &g_out.url), cli_signed_fields);
}

static int cmd_files_preview_url(cli *x)
{
    x->file_id = ARG(x, 0);
    return show(x, fc_files_preview_url(C(x), ARG(x, 0), &g_out.url), cli_signed_fields);
}

/* ---- shares ---------------------------------------------------------------------- */

static int cmd_shares_create(cli *x)
{
    const char *permission = x->o.permission;
    if (x->o.days_set && (x->o.days < 1 || x->o.days > 365)) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage", "--days wants 1..365, not %ld", x->o.days);
    }
    if (permission != NULL && strcmp(permission, "view") != 0 &&
        strcmp(permission, "download") != 0) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage", "--permission is view or download, not '%s'",
                        permission);
    }
    if (permission == NULL && x->o.days_set) {
        permission = "download"; /* the docs' default for expiring links, said out loud */
    }
    x->file_id = ARG(x, 0);
    return show(x,
                fc_shares_create(C(x), ARG(x, 0), x->o.days_set ? (int)x->o.days : -1, permission,
                                 &g_out.share),
                cli_share_fields);
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
    /* Look first: a permanent link lives on in the edge cache for a while. */
    int permanent = cli_wait(x, fc_shares_get(C(x), ARG(x, 0), &g_out.share)) == FC_OK &&
                    g_out.share.expires_at.text[0] == '\0';
    int r = done(x, fc_shares_revoke(C(x), ARG(x, 0)), ARG(x, 0));
    if (r == 0 && permanent) {
        cli_note(x,
                 "note: a permanent link may still be served from the edge cache for up to "
                 "an hour after it is revoked");
    }
    return r;
}

/* ---- purge, import ------------------------------------------------------------------ */

static int purge_file(cli *x)
{
    char question[400];
    int r;
    x->file_id = ARG(x, 0);
    if (!x->o.yes) {
        r = cli_finish(x, fc_files_get(C(x), ARG(x, 0), &g_out.file));
        if (r != 0) {
            return r;
        }
        snprintf(question, sizeof question,
                 "Purge file '%s' (%s) with its bytes and links now, for good?", g_out.file.name,
                 g_out.file.id);
        if ((r = cli_confirm(x, question)) != 0) {
            return r;
        }
    }
    return done(x, fc_gdpr_purge_file(C(x), ARG(x, 0)), ARG(x, 0));
}

/* Every space, for purge --trash without --space. */
#define CLI_PURGE_SPACES 64
static char g_space_ids[CLI_PURGE_SPACES][FC_ID_MAX];
static size_t g_space_count;

static fc_err collect_space(void *ctx, const void *item)
{
    (void)ctx;
    if (g_space_count == CLI_PURGE_SPACES) {
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(g_space_ids[g_space_count++], ((const fc_space *)item)->id, FC_ID_MAX);
    return FC_OK;
}

static int collect_spaces(cli *x)
{
    static char cursor[FC_CURSOR_MAX];
    fc_list_params p;
    fc_page page;
    int r;
    memset(&p, 0, sizeof p);
    p.limit = 200;
    p.on_item = collect_space;
    do {
        r = cli_finish(x, fc_spaces_list(C(x), &p, &g_out.space, 1, &page));
        memcpy(cursor, page.next_cursor, sizeof cursor);
        p.cursor = cursor;
    } while (r == 0 && page.has_more);
    return r;
}

static int purge_trash(cli *x)
{
    char question[400];
    size_t i;
    int r;
    if (x->o.space != NULL) {
        snprintf(question, sizeof question, "Purge the trash of space %s now, for good?",
                 x->o.space);
        r = cli_confirm(x, question);
        return r != 0 ? r : done(x, fc_gdpr_purge_trash(C(x), x->o.space), x->o.space);
    }
    if ((r = collect_spaces(x)) != 0) {
        return r;
    }
    snprintf(question, sizeof question, "Purge the whole trash (of all %zu spaces) now, for good?",
             g_space_count);
    if ((r = cli_confirm(x, question)) != 0) {
        return r;
    }
    for (i = 0; i < g_space_count; i++) {
        r = cli_finish(x, fc_gdpr_purge_trash(C(x), g_space_ids[i]));
        if (r != 0) {
            return r;
        }
        cli_verbose(x, "trash of space %s purged", g_space_ids[i]);
    }
    cli_print_ok(x, NULL);
    return 0;
}

static int cmd_purge(cli *x)
{
    if (x->o.trash == (x->argc > 0)) {
        return cli_fail(x, CLI_EXIT_USAGE, "usage",
                        "purge takes a FILE_ID or --trash (one of them)");
    }
    return x->o.trash ? purge_trash(x) : purge_file(x);
}

static int cmd_import(cli *x)
{
    fc_import_params p;
    memset(&p, 0, sizeof p);
    p.url = ARG(x, 0);
    int r = cli_space(x, &p.space_id);
    if (r != 0) {
        return r;
    }
    p.folder_id = x->o.folder;
    p.name = x->o.name;
    p.client_key = x->o.client_key;
    return show(x, fc_uploads_import_url(C(x), &p, &g_out.file), cli_file_fields);
}

/* ---- the table ---------------------------------------------------------------------- */

#define O1(a)  CLI_OPT(CLI_O_##a)
#define PAGING (O1(LIMIT) | O1(CURSOR) | O1(ALL))

const cli_group cli_groups[] = {
    {"spaces", "top-level containers (\"My files\" is the default)"},
    {"folders", "folders inside a space"},
    {"files", "stored files: look up, rename, move, trash, presigned URLs"},
    {"shares", "raw links to clean files"},
    {"config", "the settings file"},
    {NULL, NULL}};

const cli_cmd cli_commands[] = {
    {"upload", NULL, "FILE|-", 1, 1, CLI_C_FILE, 0,
     O1(SPACE) | O1(FOLDER) | O1(CLIENT_KEY) | O1(NAME) | O1(CONTENT_TYPE) | O1(PUBLIC) |
         O1(EXPIRES) | O1(VIEW) | O1(NO_WAIT) | O1(RESUME),
     "upload a file (or - for standard input), wait for the virus scan, optionally link it",
     "Streams the file (initiate, PUT, complete), then waits until the virus scan is "
     "clean unless --no-wait. With --public or --expires it also makes a link and prints it. "
     "When interrupted (Ctrl-C, SIGTERM) or failed, the progress is saved and "
     "'fluidcloud upload FILE --resume' continues where it stopped.",
     cli_upload},
    {"download", NULL, "URL|FILE_ID", 1, 1, 0, 0, O1(OUTPUT),
     "download a raw link, a presigned URL or a file by its id",
     "Writes to a temporary file beside the target and renames it when every byte arrived "
     "(and, for a FILE_ID, its SHA-256 matched), so a failure leaves an existing file "
     "untouched. -o - writes to standard output. Without -o the name comes from the "
     "server, as with curl -OJ (a FILE_ID's name; for a link, the answer's "
     "Content-Disposition, else the URL's last segment) and an existing file is not "
     "overwritten.",
     cli_download},
    {"me", NULL, "", 0, 0, 0, 0, 0, "show the key: tenant, key id, mode, scopes", NULL, cmd_me},
    {"quota", NULL, "", 0, 0, 0, 0, 0, "show storage and link usage and limits", NULL, cmd_quota},
    {"spaces", "list", "", 0, 0, 0, 0, PAGING, "list the spaces", NULL, cmd_spaces_list},
    {"spaces", "create", "NAME", 1, 1, 0, 0, O1(APP), "create a space", NULL, cmd_spaces_create},
    {"spaces", "get", "ID", 1, 1, 0, 0, 0, "show a space", NULL, cmd_spaces_get},
    {"spaces", "rename", "ID NAME", 2, 2, 0, 0, 0, "rename a space", NULL, cmd_spaces_rename},
    {"spaces", "delete", "ID", 1, 1, 0, 0, O1(YES),
     "delete a space with everything in it, for good (asks first)", NULL, cmd_spaces_delete},
    {"folders", "list", "", 0, 0, 0, 0, O1(SPACE) | O1(PARENT) | O1(TRASHED) | PAGING,
     "list the folders of a space (its root, or --parent)", NULL, cmd_folders_list},
    {"folders", "create", "NAME", 1, 1, 0, 0, O1(SPACE) | O1(PARENT), "create a folder", NULL,
     cmd_folders_create},
    {"folders", "get", "ID", 1, 1, 0, 0, 0, "show a folder", NULL, cmd_folders_get},
    {"folders", "rename", "ID NAME", 2, 2, 0, 0, 0, "rename a folder", NULL, cmd_folders_rename},
    {"folders", "move", "ID", 1, 1, 0, 0, O1(PARENT),
     "move a folder under --parent (without it: to the space root)", NULL, cmd_folders_move},
    {"folders", "delete", "ID", 1, 1, 0, 0, 0, "move a folder and its content to the trash", NULL,
     cmd_folders_delete},
    {"folders", "restore", "ID", 1, 1, 0, 0, 0, "bring a folder back from the trash", NULL,
     cmd_folders_restore},
    {"folders", "stats", "ID", 1, 1, 0, 0, 0, "count the files and bytes under a folder", NULL,
     cmd_folders_stats},
    {"files", "list", "", 0, 0, 0, 0, O1(SPACE) | O1(FOLDER) | O1(TRASHED) | PAGING,
     "list the files of a space (or of --folder)", NULL, cmd_files_list},
    {"files", "get", "ID", 1, 1, 0, 0, 0, "show a file (its scan_status too)", NULL, cmd_files_get},
    {"files", "resolve", "CLIENT_KEY", 1, 1, 0, 0, O1(SPACE),
     "find the newest file uploaded with your --client-key", NULL, cmd_files_resolve},
    {"files", "rename", "ID NAME", 2, 2, 0, 0, 0, "rename a file", NULL, cmd_files_rename},
    {"files", "move", "ID", 1, 1, 0, 0, O1(FOLDER),
     "move a file to --folder (without it: to the space root)", NULL, cmd_files_move},
    {"files", "delete", "ID", 1, 1, 0, 0, 0, "move a file to the trash", NULL, cmd_files_delete},
    {"files", "restore", "ID", 1, 1, 0, 0, 0, "bring a file back from the trash", NULL,
     cmd_files_restore},
    {"files", "download-url", "ID", 1, 1, 0, 0, O1(REVEAL),
     "a presigned download URL (masked unless --reveal)", NULL, cmd_files_download_url},
    {"files", "preview-url", "ID", 1, 1, 0, 0, O1(REVEAL),
     "a presigned preview URL (masked unless --reveal)", NULL, cmd_files_preview_url},
    {"shares", "create", "FILE_ID", 1, 1, 0, 0, O1(DAYS) | O1(PERMISSION),
     "make a raw link to a clean file (permanent unless --days)", NULL, cmd_shares_create},
    {"shares", "list", "[FILE_ID]", 0, 1, 0, 0, O1(FILE) | PAGING, "list the links (of a file)",
     NULL, cmd_shares_list},
    {"shares", "get", "ID", 1, 1, 0, 0, 0, "show a link (without its URL)", NULL, cmd_shares_get},
    {"shares", "revoke", "ID", 1, 1, 0, 0, 0, "revoke a link", NULL, cmd_shares_revoke},
    {"purge", NULL, "FILE_ID | --trash", 0, 1, 0, 0, O1(TRASH) | O1(SPACE) | O1(YES),
     "GDPR: erase a file, or the trash, now and for good (asks first)",
     "With FILE_ID: the file's bytes, record and links. With --trash: everything in the "
     "trash of --space, or of every space without it.",
     cmd_purge},
    {"import", NULL, "URL", 1, 1, 0, 0, O1(SPACE) | O1(FOLDER) | O1(NAME) | O1(CLIENT_KEY),
     "have the server fetch a URL into a new file", NULL, cmd_import},
    {"config", "show", "", 0, 0, 0, 1, 0,
     "show the settings in effect and where each comes from (the key masked)", NULL,
     cli_cmd_config_show},
    {"config", "set", "NAME VALUE", 2, 2, 0, 1, 0,
     "save base_url, api_key or ca_file in the config file (VALUE - reads standard input)", NULL,
     cli_cmd_config_set},
    {"config", "unset", "NAME", 1, 1, 0, 1, 0, "remove a setting from the config file", NULL,
     cli_cmd_config_unset},
    {"completion", NULL, "bash|zsh", 1, 1, CLI_C_WORDS, 1, 0, "print a shell completion script",
     "bash: eval \"$(fluidcloud completion bash)\" in ~/.bashrc, or install it as "
     "share/bash-completion/completions/fluidcloud. zsh: save it as _fluidcloud in a "
     "directory of $fpath.",
     cli_cmd_completion},
    {"manpage", NULL, "", 0, 0, 0, 1, 0, "print the manual page (roff)", NULL, cli_cmd_manpage},
    {"help", NULL, "[COMMAND]", 0, 2, 0, 1, 0, "show help for a command", NULL, cli_cmd_help},
    {NULL, NULL, NULL, 0, 0, 0, 0, 0, NULL, NULL, NULL}};
