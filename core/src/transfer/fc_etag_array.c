/* SPDX-License-Identifier: MIT */
/*
 * fc_etag_array.c - the ETag store over an array the application sizes
 * (fc_upload.h): the simplest store, for RAM or a mapped flash page.
 */
#include "fc_transfer.h"

#include <string.h>

static fc_err fc_etag_array_reserve(void *ctx, uint32_t part_count)
{
    const fc_etag_array *a = ctx;
    return part_count <= a->count ? FC_OK : FC_ERR_BUFFER_TOO_SMALL;
}

static fc_err fc_etag_array_save(void *ctx, uint32_t part_number, const char *etag)
{
    fc_etag_array *a = ctx;
    if (part_number == 0u || part_number > a->count) {
        return FC_ERR_INVALID_ARG;
    }
    return fc_copy_str(a->etags[part_number - 1u], sizeof a->etags[0], etag);
}

static fc_err fc_etag_array_load(void *ctx, uint32_t part_number, char *buf, size_t cap)
{
    const fc_etag_array *a = ctx;
    if (part_number == 0u || part_number > a->count) {
        return FC_ERR_INVALID_ARG;
    }
    return fc_copy_str(buf, cap, a->etags[part_number - 1u]);
}

void fc_etag_array_init(fc_etag_array *a, char (*etags)[FC_CONFIG_ETAG_MAX], uint32_t count)
{
    a->store.reserve = fc_etag_array_reserve;
    a->store.save = fc_etag_array_save;
    a->store.load = fc_etag_array_load;
    a->store.ctx = a;
    a->etags = etags;
    a->count = etags != NULL ? count : 0u;
}
