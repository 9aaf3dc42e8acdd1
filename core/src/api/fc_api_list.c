/* SPDX-License-Identifier: MIT */
/*
 * fc_api_list.c - the paging shared by every list endpoint.
 *
 * While a list runs, c->priv.op.args.list holds its params, item array and
 * capacity, and op.out its page. Bodies are {"items": [...],
 * "next_cursor": "..." | null}, or a bare array taken as the single, last
 * page.
 */
#include "fc_api_internal.h"

#include <string.h>

static const fc_list_params *fc_list_params_of(const fc_client *c)
{
    return c->priv.op.args.list.params;
}

fc_err fc_api_list(fc_client *c, const fc_list_params *p, void *items, size_t cap, fc_page *page,
                   unsigned ep)
{
    fc_list_args *a;
    fc_err e;
    int one_by_one = p != NULL && p->on_item != NULL;
    if (c == NULL || items == NULL || page == NULL || (cap == 0 && !one_by_one)) {
        return FC_ERR_INVALID_ARG;
    }
    e = fc_op_begin(c, fc_api_step(ep), fc_api_on_response, page);
    if (e != FC_OK) {
        return e;
    }
    a = &c->priv.op.args.list;
    a->params = p;
    a->items = items;
    a->cap = one_by_one ? SIZE_MAX : cap; /* one at a time, any page fits items[0] */
    return fc_api_send(c, ep);
}

/* The string filters of fc_list_params, in query order. */
static const struct {
    uint8_t name; /* FC_K_Q_* */
    uint8_t off;  /* offsetof the const char * in fc_list_params */
} k_filters[] = {
    {FC_K_Q_SPACE_ID, offsetof(fc_list_params, space_id)},
    {FC_K_Q_PARENT_ID, offsetof(fc_list_params, parent_id)},
    {FC_K_Q_FOLDER_ID, offsetof(fc_list_params, folder_id)},
    {FC_K_Q_FILE_ID, offsetof(fc_list_params, file_id)},
};

void fc_api_list_query(fc_client *c, fc_head_writer *w)
{
    const fc_list_params *p = fc_list_params_of(c);
    int first = 1;
    size_t i;
    if (p == NULL) {
        return; /* no filters, the first page */
    }
    for (i = 0; i < sizeof k_filters / sizeof k_filters[0]; i++) {
        const char *v = *(const char *const *)(const void *)((const char *)p + k_filters[i].off);
        fc_head_write_query(w, &first, fc_api_string(k_filters[i].name), v);
    }
    fc_head_write_query(w, &first, fc_api_string(FC_K_Q_TRASHED),
                        p->trashed ? fc_api_string(FC_K_Q_TRUE) : NULL);
    if (p->limit > 0) {
        fc_head_write_query_u64(w, &first, fc_api_string(FC_K_Q_LIMIT), p->limit);
    }
    fc_head_write_query(w, &first, fc_api_string(FC_K_Q_CURSOR), p->cursor);
}

/* Find the item array and the next cursor of a page body. */
int fc_page_items(const fc_json_doc *doc)
{
    int arr = fc_json_is_array(doc, 0) ? 0 : fc_json_find(doc, 0, fc_api_string(FC_K_ITEMS));
    return fc_json_is_array(doc, arr) ? arr : -1;
}

/* A bare array has no next_cursor (no object to find it in): "". */
static fc_err fc_list_page(fc_client *c, const fc_json_doc *doc, fc_page *page, int *arr)
{
    int cursor = fc_json_find(doc, 0, fc_api_string(FC_K_NEXT_CURSOR));
    fc_err e;
    *arr = fc_page_items(doc);
    if (*arr < 0) {
        FC_BAD_ANSWER(c, fc_api_string(FC_K_ITEMS), "missing or not an array", 0, NULL);
        return FC_ERR_JSON;
    }
    e = fc_api_get(c, fc_json_get_str_or_null, doc, cursor, page->next_cursor,
                   sizeof page->next_cursor);
    if (e == FC_ERR_BUFFER_TOO_SMALL) {
        FC_BAD_ANSWER(c, fc_api_string(FC_K_NEXT_CURSOR), NULL, c->priv.error.needed, " bytes");
    } else if (e != FC_OK) {
        FC_BAD_ANSWER(c, fc_api_string(FC_K_NEXT_CURSOR), "not a string", 0, NULL);
    }
    return e;
}

/* The page and its items; a failure may leave the page half written. */
static fc_err fc_list_decode(fc_client *c, fc_err result, const fc_api_endpoint *d, fc_page *page)
{
    fc_json_doc doc;
    int arr = 0;
    size_t count;
    fc_err e = result;
    if (e == FC_OK) {
        e = fc_api_response_json(c, &doc);
    }
    if (e == FC_OK) {
        e = fc_list_page(c, &doc, page, &arr);
    }
    if (e != FC_OK) {
        return e;
    }
    count = (size_t)fc_json_size(&doc, arr);
    if (count > c->priv.op.args.list.cap) {
        c->priv.error.needed = count;
        FC_BAD_ANSWER(c, fc_api_string(FC_K_ITEMS), NULL, count, " entries");
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    page->count = count;
    page->has_more = page->next_cursor[0] != '\0';
    return fc_decode_items(c, &doc, arr, FC_K_ITEMS, d->obj, (char *)c->priv.op.args.list.items,
                           fc_list_params_of(c));
}

/* A failed list leaves an empty last page: no count and no cursor, so a
 * loop "while (page.has_more)" stops instead of going on. (The request
 * was written before: a cursor passed in page->next_cursor is spent.) */
fc_err fc_api_list_response(fc_client *c, fc_err result, const fc_api_endpoint *d)
{
    fc_page *page = (fc_page *)c->priv.op.out;
    fc_err e = fc_list_decode(c, result, d, page);
    if (e != FC_OK) {
        page->count = 0;
        page->has_more = 0;
        page->next_cursor[0] = '\0';
    }
    return e;
}
