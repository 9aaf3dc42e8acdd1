/* SPDX-License-Identifier: MIT */
/* mcu_script.c - see mcu_script.h. */
#include "mcu_script.h"

#include <string.h>

/* ---- small text helpers (no stdio in the firmware) ------------------------ */

static void set_why(char *why, size_t cap, const char *a, const char *b)
{
    size_t n = 0;
    if (cap == 0) {
        return;
    }
    while (*a != '\0' && n + 1 < cap) {
        why[n++] = *a++;
    }
    while (b != NULL && *b != '\0' && n + 1 < cap) {
        why[n++] = *b++;
    }
    why[n] = '\0';
}

/* Copies the word at *p (up to a space or newline) into out; advances *p. */
static int take_word(const uint8_t **p, const uint8_t *end, char *out, size_t cap)
{
    size_t n = 0;
    while (*p < end && **p != ' ' && **p != '\n') {
        if (n + 1 >= cap) {
            return -1;
        }
        out[n++] = (char)**p;
        (*p)++;
    }
    out[n] = '\0';
    if (*p < end && **p == ' ') {
        (*p)++;
    }
    return n > 0 ? 0 : -1;
}

static int take_number(const uint8_t **p, const uint8_t *end, size_t *value)
{
    char word[24];
    size_t v = 0;
    const char *d;
    if (take_word(p, end, word, sizeof word) != 0) {
        return -1;
    }
    for (d = word; *d != '\0'; d++) {
        if (*d < '0' || *d > '9') {
            return -1;
        }
        v = v * 10u + (size_t)(*d - '0');
    }
    *value = v;
    return 0;
}

static int take_eol(const uint8_t **p, const uint8_t *end)
{
    if (*p >= end || **p != '\n') {
        return -1;
    }
    (*p)++;
    return 0;
}

/* "<tag> <text>\n" with text up to the end of the line. */
static int take_line(const uint8_t **p, const uint8_t *end, const char *tag, char *out, size_t cap)
{
    char word[16];
    size_t n = 0;
    if (take_word(p, end, word, sizeof word) != 0 || strcmp(word, tag) != 0) {
        return -1;
    }
    while (*p < end && **p != '\n') {
        if (n + 1 >= cap) {
            return -1;
        }
        out[n++] = (char)**p;
        (*p)++;
    }
    out[n] = '\0';
    return take_eol(p, end);
}

static int take_exchange(mcu_exchange *x, const uint8_t **p, const uint8_t *end)
{
    size_t port, closed;
    if (take_word(p, end, x->host, sizeof x->host) != 0 || take_number(p, end, &port) != 0 ||
        take_number(p, end, &closed) != 0 || take_number(p, end, &x->req_len) != 0 ||
        take_number(p, end, &x->resp_len) != 0 || take_eol(p, end) != 0 || port > 65535u) {
        return -1;
    }
    x->port = (uint16_t)port;
    x->closed = (uint8_t)(closed != 0);
    if ((size_t)(end - *p) < x->req_len + x->resp_len + 1u) {
        return -1;
    }
    x->req = *p;
    x->resp = *p + x->req_len;
    *p += x->req_len + x->resp_len;
    return take_eol(p, end);
}

int mcu_script_parse(mcu_script *s, const uint8_t *buf, size_t len, char *why, size_t cap)
{
    const uint8_t *p = buf;
    const uint8_t *end = buf + len;
    char word[16];
    memset(s, 0, sizeof *s);
    if (len < 8 || memcmp(buf, "FCMCU 1\n", 8) != 0) {
        set_why(why, cap, "not a script file (no FCMCU 1 header)", NULL);
        return -1;
    }
    p += 8;
    if (take_line(&p, end, "base", s->base_url, sizeof s->base_url) != 0 ||
        take_line(&p, end, "key", s->api_key, sizeof s->api_key) != 0 ||
        take_line(&p, end, "link", s->link, sizeof s->link) != 0) {
        set_why(why, cap, "bad base/key/link lines", NULL);
        return -1;
    }
    for (;;) {
        const uint8_t *line = p;
        if (take_word(&p, end, word, sizeof word) != 0) {
            set_why(why, cap, "truncated script (no end line)", NULL);
            return -1;
        }
        if (strcmp(word, "end") == 0) {
            return s->count > 0 ? 0 : (set_why(why, cap, "no exchanges", NULL), -1);
        }
        if (strcmp(word, "x") != 0 || s->count == MCU_MAX_EXCHANGES ||
            take_exchange(&s->ex[s->count], &p, end) != 0) {
            set_why(why, cap, "bad exchange record at: ", (const char *)line);
            return -1;
        }
        s->count++;
    }
}

/* ---- replay ---------------------------------------------------------------- */

void mcu_replay_init(mcu_replay *r, const mcu_script *s, int would_block)
{
    memset(r, 0, sizeof *r);
    r->script = s;
    r->would_block = (uint8_t)(would_block != 0);
}

int mcu_replay_done(const mcu_replay *r)
{
    return r->failure[0] == '\0' && r->cur == r->script->count && !r->answering;
}

static fc_err replay_fail(mcu_replay *r, const char *a, const char *b)
{
    if (r->failure[0] == '\0') {
        set_why(r->failure, sizeof r->failure, a, b);
    }
    return FC_ERR_TRANSPORT;
}

/* The would-block before a step: FC_AGAIN every other call when asked for. */
static int blocks_now(mcu_replay_conn *c, unsigned wait)
{
    if (!c->replay->would_block) {
        return 0;
    }
    c->blocked = (uint8_t)!c->blocked;
    if (c->blocked) {
        c->replay->blocks++;
        c->wait = wait;
        return 1;
    }
    return 0;
}

static const mcu_exchange *current(const mcu_replay *r)
{
    return r->cur < r->script->count ? &r->script->ex[r->cur] : NULL;
}

static int is_peer(const mcu_replay_conn *c, const mcu_exchange *x)
{
    return x != NULL && x->port == c->port && strcmp(x->host, c->host) == 0;
}

static fc_err replay_connect(void *ctx, const char *host, uint16_t port, int use_tls)
{
    mcu_replay_conn *c = (mcu_replay_conn *)ctx;
    size_t n = strlen(host);
    if (use_tls) {
        return replay_fail(c->replay, "TLS asked for: the recording is plain HTTP", NULL);
    }
    if (n >= sizeof c->host) {
        return FC_ERR_BUFFER_TOO_SMALL;
    }
    memcpy(c->host, host, n + 1);
    c->port = port;
    c->connected = 1;
    c->peer_closed = 0;
    c->replay->connects++;
    c->wait = FC_WAIT_WRITE;
    return FC_AGAIN;
}

static fc_err replay_connect_poll(void *ctx)
{
    mcu_replay_conn *c = (mcu_replay_conn *)ctx;
    return blocks_now(c, FC_WAIT_WRITE) ? FC_AGAIN : FC_OK;
}

/* Where the first byte of got differs from want (both n bytes). */
static size_t first_difference(const uint8_t *got, const uint8_t *want, size_t n)
{
    size_t i = 0;
    while (i < n && got[i] == want[i]) {
        i++;
    }
    return i;
}

static fc_err replay_send(void *ctx, const uint8_t *data, size_t len, size_t *sent)
{
    mcu_replay_conn *c = (mcu_replay_conn *)ctx;
    mcu_replay *r = c->replay;
    const mcu_exchange *x = current(r);
    size_t take, diff;
    *sent = 0;
    if (!c->connected || len == 0) {
        return FC_ERR_INVALID_ARG;
    }
    if (blocks_now(c, FC_WAIT_WRITE)) {
        return FC_AGAIN;
    }
    if (x == NULL || r->answering) {
        return replay_fail(r, "a request the recording does not have, to ", c->host);
    }
    if (r->req_got == 0 && r->cur > 0 && r->on_exchange_end != NULL) {
        r->on_exchange_end(r->hook_ctx, r->cur - 1u); /* the next request begins */
    }
    if (!is_peer(c, x)) {
        return replay_fail(r, "request sent to the wrong host: ", c->host);
    }
    take = x->req_len - r->req_got;
    if (len > take) {
        return replay_fail(r, "request longer than the recorded one: ", (const char *)x->req);
    }
    diff = first_difference(data, x->req + r->req_got, len);
    if (diff != len) {
        /* Name the recorded line that differs. */
        size_t at = r->req_got + diff;
        while (at > 0 && x->req[at - 1] != '\n') {
            at--;
        }
        return replay_fail(
            r, "request differs from the recording in line: ", (const char *)x->req + at);
    }
    r->req_got += len;
    if (r->req_got == x->req_len) {
        r->answering = 1;
        r->resp_sent = 0;
    }
    *sent = len;
    return FC_OK;
}

static fc_err replay_recv(void *ctx, uint8_t *buf, size_t cap, size_t *got)
{
    mcu_replay_conn *c = (mcu_replay_conn *)ctx;
    mcu_replay *r = c->replay;
    const mcu_exchange *x = current(r);
    size_t n;
    *got = 0;
    if (!c->connected || cap == 0) {
        return FC_ERR_INVALID_ARG;
    }
    if (blocks_now(c, FC_WAIT_READ)) {
        return FC_AGAIN;
    }
    if (!r->answering || !is_peer(c, x)) {
        c->wait = FC_WAIT_READ;
        return c->peer_closed ? FC_ERR_CLOSED : FC_AGAIN; /* e.g. the keep-alive probe */
    }
    n = x->resp_len - r->resp_sent;
    if (n > cap) {
        n = cap;
    }
    memcpy(buf, x->resp + r->resp_sent, n);
    r->resp_sent += n;
    if (r->resp_sent == x->resp_len) {
        /* The next exchange starts with the next request. */
        c->peer_closed = x->closed;
        r->answering = 0;
        r->req_got = 0;
        r->cur++;
    }
    *got = n;
    return n > 0 ? FC_OK : (c->peer_closed ? FC_ERR_CLOSED : FC_AGAIN);
}

static void replay_close(void *ctx)
{
    mcu_replay_conn *c = (mcu_replay_conn *)ctx;
    mcu_replay *r = c->replay;
    if (c->connected && (r->answering || r->req_got > 0) && is_peer(c, current(r))) {
        (void)replay_fail(r, "connection closed in the middle of an exchange with ", c->host);
    }
    c->connected = 0;
    c->peer_closed = 0;
}

static unsigned replay_wait_events(void *ctx)
{
    return ((const mcu_replay_conn *)ctx)->wait;
}

static const fc_transport_ops replay_ops = {
    .connect = replay_connect,
    .connect_poll = replay_connect_poll,
    .send = replay_send,
    .recv = replay_recv,
    .close = replay_close,
    .wait_events = replay_wait_events,
};

void mcu_replay_conn_init(mcu_replay_conn *c, mcu_replay *r, fc_transport *t)
{
    memset(c, 0, sizeof *c);
    c->replay = r;
    t->ops = &replay_ops;
    t->ctx = c;
}

/* ---- checks of the flow's requests ----------------------------------------- */

void mcu_request_line(const mcu_exchange *x, char *out, size_t cap)
{
    size_t n = 0;
    size_t spaces = 0;
    while (n < x->req_len && n + 1 < cap && x->req[n] != '\r') {
        if (x->req[n] == ' ' && ++spaces == 2) {
            break; /* stop before " HTTP/1.1" */
        }
        out[n] = (char)x->req[n];
        n++;
    }
    if (cap > 0) {
        out[n < cap ? n : cap - 1] = '\0';
    }
}

/* The head of a request (up to the blank line), as a bounded search area. */
static size_t head_len(const mcu_exchange *x)
{
    size_t i;
    for (i = 0; i + 3 < x->req_len; i++) {
        if (memcmp(x->req + i, "\r\n\r\n", 4) == 0) {
            return i + 4;
        }
    }
    return x->req_len;
}

static int has_text(const uint8_t *hay, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    size_t i;
    for (i = 0; k <= n && i <= n - k; i++) {
        if (memcmp(hay + i, needle, k) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Host part of the base URL ("http://127.0.0.1:4321/api/v1" -> 127.0.0.1). */
static int is_api_host(const mcu_script *s, const mcu_exchange *x)
{
    const char *h = strstr(s->base_url, "://");
    size_t n = strlen(x->host);
    return h != NULL && strncmp(h + 3, x->host, n) == 0 && (h[3 + n] == ':' || h[3 + n] == '/');
}

/* What the request at each position of the upload flow must be. */
typedef struct mcu_expected {
    const char *line_prefix;
    uint8_t api_host; /* 1: to the API host with the key, 0: storage, no key */
    uint8_t repeats;  /* may appear again at the next position (scan polls) */
} mcu_expected;

static const mcu_expected expected_flow[] = {
    {"GET /api/v1/spaces", 1, 0}, /* the default space */
    {"POST /api/v1/uploads/initiate ", 1, 0},
    {"PUT /", 0, 0}, /* presigned storage URL */
    {"POST /api/v1/uploads/complete ", 1, 0},
    {"GET /api/v1/files/", 1, 1},   /* scan status, until clean */
    {"POST /api/v1/shares ", 1, 0}, /* the public link */
};

int mcu_check_exchange(const mcu_script *s, unsigned index, char *why, size_t cap)
{
    const mcu_exchange *x = &s->ex[index];
    size_t head = head_len(x);
    unsigned step = 0;
    unsigned i;
    char key_line[MCU_TEXT_MAX + 16];
    /* Walk the flow to find which step this position is (scan polls repeat). */
    for (i = 0; i < index; i++) {
        const mcu_expected *e = &expected_flow[step];
        const mcu_exchange *next = &s->ex[i + 1];
        if (!(e->repeats &&
              strncmp((const char *)next->req, e->line_prefix, strlen(e->line_prefix)) == 0)) {
            step++;
        }
        if (step >= sizeof expected_flow / sizeof expected_flow[0]) {
            set_why(why, cap, "more requests than the upload flow makes", NULL);
            return -1;
        }
    }
    if (strncmp((const char *)x->req, expected_flow[step].line_prefix,
                strlen(expected_flow[step].line_prefix)) != 0) {
        set_why(why, cap, "unexpected request, wanted ", expected_flow[step].line_prefix);
        return -1;
    }
    if (expected_flow[step].api_host != (uint8_t)is_api_host(s, x)) {
        set_why(why, cap, "request went to the wrong host: ", x->host);
        return -1;
    }
    key_line[0] = '\0';
    set_why(key_line, sizeof key_line, "\r\nX-API-Key: ", s->api_key);
    if (expected_flow[step].api_host ? !has_text(x->req, head, key_line)
                                     : has_text(x->req, head, "X-API-Key")) {
        set_why(why, cap,
                expected_flow[step].api_host ? "API request without the API key"
                                             : "the API key was sent to storage",
                NULL);
        return -1;
    }
    return 0;
}
