/* SPDX-License-Identifier: MIT */
/*
 * cli_progress.c - everything the tool writes to stderr: the progress line
 * (only when stderr is a terminal, and not with --quiet), notices, verbose
 * lines and errors. Every message first ends the progress line, so an error
 * is never glued to a half-drawn bar; every message is masked (the API key,
 * the query strings of presigned URLs) on its way out.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define CLI_DRAW_EVERY_MS 200u

static struct {
    const cli *x;  /* for the key to mask and the flags */
    int enabled;   /* draw at all */
    int line_open; /* the cursor is after a drawn line */
    int phase;
    uint64_t done, total;
    uint64_t phase_ms; /* when the phase began */
    uint64_t last_draw_ms;
    uint64_t rate_ms; /* rate window start */
    uint64_t rate_bytes;
    double rate; /* bytes per second, smoothed */
} g_p;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void cli_progress_init(const cli *x)
{
    memset(&g_p, 0, sizeof g_p);
    g_p.x = x;
    g_p.enabled = !x->o.quiet && isatty(STDERR_FILENO);
}

int cli_progress_enabled(void)
{
    return g_p.enabled;
}

static const char *phase_name(int phase)
{
    switch (phase) {
    case CLI_PH_CONNECTING: return "connecting";
    case CLI_PH_UPLOADING: return "uploading";
    case CLI_PH_COMPLETING: return "completing";
    case CLI_PH_SCAN: return "waiting for the virus scan";
    case CLI_PH_SHARING: return "making the link";
    case CLI_PH_DOWNLOADING: return "downloading";
    default: return "";
    }
}

static unsigned columns(void)
{
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20) {
        return ws.ws_col;
    }
    return 80;
}

static void update_rate(uint64_t t)
{
    uint64_t span = t - g_p.rate_ms;
    if (span >= 1000u) {
        double now = (double)(g_p.done - g_p.rate_bytes) * 1000.0 / (double)span;
        g_p.rate = g_p.rate > 0 ? 0.6 * now + 0.4 * g_p.rate : now;
        g_p.rate_ms = t;
        g_p.rate_bytes = g_p.done;
    }
}

/* "uploading  43%  54.2 MiB of 120.0 MiB  12.3 MiB/s  0:05 left" */
static void byte_text(char *line, size_t cap, int exact)
{
    char a[32], b[32], r[32], eta[32];
    size_t n;
    int pct = g_p.total ? (int)(g_p.done * 100u / g_p.total) : 0;
    if (g_p.total) {
        n = (size_t)snprintf(line, cap, "%s %3d%%  %s of %s", phase_name(g_p.phase), pct,
                             cli_size_text(g_p.done, exact, a, sizeof a),
                             cli_size_text(g_p.total, exact, b, sizeof b));
    } else {
        n = (size_t)snprintf(line, cap, "%s  %s", phase_name(g_p.phase),
                             cli_size_text(g_p.done, exact, a, sizeof a));
    }
    if (n >= cap || g_p.rate <= 0) {
        return;
    }
    snprintf(line + n, cap - n, "  %s/s", cli_size_text((uint64_t)g_p.rate, 0, r, sizeof r));
    n = strlen(line);
    if (g_p.total > g_p.done) {
        uint64_t left = (uint64_t)((double)(g_p.total - g_p.done) / g_p.rate) + 1u;
        snprintf(line + n, cap - n, "  %s left", cli_duration_text(left, eta, sizeof eta));
    }
}

static void draw(uint64_t t)
{
    char line[256];
    char el[32];
    unsigned cols = columns();
    if (g_p.phase == CLI_PH_UPLOADING || g_p.phase == CLI_PH_DOWNLOADING) {
        update_rate(t);
        byte_text(line, sizeof line, g_p.x->o.bytes);
    } else {
        snprintf(line, sizeof line, "%s  %s", phase_name(g_p.phase),
                 cli_duration_text((t - g_p.phase_ms) / 1000u, el, sizeof el));
    }
    if (strlen(line) >= cols) {
        line[cols - 1] = '\0'; /* never wrap: \r must reach the line's start */
    }
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    g_p.line_open = 1;
    g_p.last_draw_ms = t;
}

void cli_progress_phase(int phase)
{
    uint64_t t = now_ms();
    if (phase == g_p.phase) {
        return;
    }
    g_p.phase = phase;
    g_p.phase_ms = t;
    g_p.rate_ms = t;
    g_p.rate_bytes = g_p.done;
    if (g_p.enabled && phase != CLI_PH_NONE) {
        draw(t);
    }
}

void cli_progress_bytes(uint64_t done, uint64_t total)
{
    if (done < g_p.rate_bytes) {
        g_p.rate_bytes = done; /* a part sent again: restart the window */
    }
    g_p.done = done;
    g_p.total = total;
    if (g_p.enabled && done == total && g_p.phase != CLI_PH_NONE) {
        draw(now_ms()); /* the end of the bytes is always shown */
    } else {
        cli_progress_tick();
    }
}

void cli_progress_tick(void)
{
    uint64_t t;
    if (!g_p.enabled || g_p.phase == CLI_PH_NONE) {
        return;
    }
    t = now_ms();
    if (t - g_p.last_draw_ms >= CLI_DRAW_EVERY_MS || !g_p.line_open) {
        draw(t);
    }
}

void cli_progress_break(void)
{
    if (g_p.line_open) {
        fputc('\n', stderr);
        g_p.line_open = 0;
    }
}

void cli_progress_done(void)
{
    if (g_p.enabled && g_p.phase != CLI_PH_NONE) {
        draw(now_ms()); /* the final state, then the line ends */
    }
    cli_progress_break();
    g_p.phase = CLI_PH_NONE;
}

/* ---- messages ------------------------------------------------------------- */

static void vmessage(const char *tag, const char *fmt, va_list ap)
{
    char raw[2048];
    char masked[2048];
    const char *key = g_p.x != NULL ? g_p.x->set.api_key : NULL;
    vsnprintf(raw, sizeof raw, fmt, ap);
    cli_mask(raw, key, masked, sizeof masked);
    cli_progress_break();
    fprintf(stderr, "fluidcloud: %s%s\n", tag, masked);
    fflush(stderr);
}

void cli_errmsg(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
}

void cli_note(const cli *x, const char *fmt, ...)
{
    va_list ap;
    if (x->o.quiet) {
        return;
    }
    va_start(ap, fmt);
    vmessage("", fmt, ap);
    va_end(ap);
}

void cli_verbose(const cli *x, const char *fmt, ...)
{
    va_list ap;
    if (!x->o.verbose) {
        return;
    }
    va_start(ap, fmt);
    vmessage("[verbose] ", fmt, ap);
    va_end(ap);
}

void cli_log_hook(void *ctx, int level, const char *msg)
{
    static const char *const k_levels[] = {"", "error", "warning", "info", "debug"};
    const cli *x = ctx;
    if (x->o.verbose) {
        cli_verbose(x, "library %s: %s", k_levels[level >= 1 && level <= 4 ? level : 0], msg);
    }
}
