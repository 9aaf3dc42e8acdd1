/* SPDX-License-Identifier: MIT */
/*
 * fz_calls.h - the API calls the HTTP and decoder targets start, with
 * their outputs in blocks of exactly their size (ASan sees one byte more),
 * the checks of a result, and a well-formed answer for each (seeds and
 * the "canned answer" script step).
 */
#ifndef FZ_CALLS_H
#define FZ_CALLS_H

#include "fluidcloud/fc_api.h"
#include "fluidcloud/fc_upload.h"

enum {
    FZ_ME,
    FZ_QUOTA,
    FZ_SPACES_LIST,
    FZ_SPACES_CREATE,
    FZ_SPACES_GET,
    FZ_FOLDERS_LIST,
    FZ_FOLDERS_GET,
    FZ_FOLDERS_STATS,
    FZ_FILES_LIST,
    FZ_FILES_GET,
    FZ_FILES_DELETE,
    FZ_FILES_DOWNLOAD,
    FZ_SHARES_CREATE,
    FZ_SHARES_LIST,
    FZ_FILES_RESTORE,
    FZ_IMPORT,
    FZ_LIST_ON_ITEM,
    FZ_DOWNLOAD,
    FZ_CALLS
};

typedef struct fz_call {
    int kind;
    void *out; /* exact-size block */
    size_t out_size;
    size_t cap; /* list item capacity */
    fc_page *page;
    fc_list_params params;
    fc_download dl;
    unsigned long items_seen;
    uint64_t sink_bytes;
} fz_call;

/* Start call kind (cap: items for lists) on c; FC_AGAIN when started. */
fc_err fz_call_start(fc_client *c, fz_call *call, int kind, size_t cap);
/* Check the outputs after the call ended with r; frees them. */
void fz_call_check(fz_call *call, fc_err r);
/* A well-formed 2xx answer (whole HTTP response) for kind. */
const char *fz_call_answer(int kind);
/* The host a download goes to (never the API host). */
#define FZ_STORAGE_HOST "storage.test"
#define FZ_API_HOST     "api.test"
#define FZ_API_KEY      "fck_live_0123456789abcdef0123456789abcdef"

#endif
