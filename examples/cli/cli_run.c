/* SPDX-License-Identifier: MIT */
/*
 * cli_run.c - the client and its loop. The loop is the tool's own (not
 * fc_run) for three reasons: SIGINT/SIGTERM wake it at once through a
 * self-pipe and cancel the call cleanly; the progress line is redrawn while
 * the library waits; and a retry the library schedules is told to the user
 * ("rate limited (HTTP 429), retrying in 20 s") instead of 20 silent seconds.
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "fluidcloud/fc_posix.h"

static uint8_t g_io[CLI_IO_SIZE];
static fc_json_tok g_tokens[CLI_TOKENS];

/* ---- signals -------------------------------------------------------------- */

static volatile sig_atomic_t g_signal;
static int g_wake[2] = {-1, -1};

static void on_signal(int sig)
{
    int saved = errno;
    g_signal = sig;
    if (g_wake[1] >= 0) {
        ssize_t n = write(g_wake[1], "s", 1);
        (void)n; /* a full pipe already wakes the loop */
    }
    errno = saved;
}

void cli_signals_install(void)
{
    struct sigaction sa;
    int i;
    if (pipe(g_wake) == 0) {
        for (i = 0; i < 2; i++) {
            fcntl(g_wake[i], F_SETFL, fcntl(g_wake[i], F_GETFL) | O_NONBLOCK);
            fcntl(g_wake[i], F_SETFD, FD_CLOEXEC);
        }
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND; /* a second ^C ends the process at once */
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int cli_interrupted(void)
{
    return (int)g_signal;
}

/* ---- the client ------------------------------------------------------------ */

fc_client *cli_client(cli *x)
{
    return &x->host.client;
}

static const char *source_name(cli_source s)
{
    switch (s) {
    case CLI_SRC_FLAG: return "the command line";
    case CLI_SRC_ENV: return "the environment";
    case CLI_SRC_FILE: return "the config file";
    default: return "the default";
    }
}

static int check_settings(cli *x)
{
    const cli_settings *s = &x->set;
    fc_url u;
    if (fc_url_parse(&u, s->base_url, strlen(s->base_url)) != FC_OK) {
        return cli_fail(x, CLI_EXIT_USAGE, "bad_base_url",
                        "the base URL '%s' (from %s) is not an http:// or https:// URL",
                        s->base_url, source_name(s->base_url_src));
    }
    if (s->api_key == NULL || s->api_key[0] == '\0') {
        return cli_fail(x, CLI_EXIT_AUTH, "no_api_key",
                        "no API key: set FLUIDCLOUD_API_KEY, pass --api-key, or run "
                        "'fluidcloud config set api_key -'");
    }
    if (strpbrk(s->api_key, "\r\n \t") != NULL) {
        return cli_fail(x, CLI_EXIT_USAGE, "bad_api_key",
                        "the API key (from %s) contains white space", source_name(s->api_key_src));
    }
    if (access(s->ca_file, R_OK) != 0) {
        return cli_fail(x, CLI_EXIT_USAGE, "ca_file", "cannot read the CA file %s (from %s): %s",
                        s->ca_file, source_name(s->ca_file_src), strerror(errno));
    }
    return 0;
}

int cli_client_up(cli *x)
{
    fc_err e;
    char masked[32];
    int r = check_settings(x);
    if (r != 0) {
        return r;
    }
    cli_verbose(x, "base URL %s (from %s)", x->set.base_url, source_name(x->set.base_url_src));
    cli_verbose(x, "API key %s (from %s)", cli_mask_key(x->set.api_key, masked, sizeof masked),
                source_name(x->set.api_key_src));
    cli_verbose(x, "CA file %s (from %s)", x->set.ca_file, source_name(x->set.ca_file_src));
    e = fc_host_init(&x->host, x->set.base_url, x->set.api_key, x->set.ca_file, g_io, sizeof g_io);
    if (e == FC_ERR_INVALID_ARG) {
        fc_host_free(&x->host);
        return cli_fail(x, CLI_EXIT_USAGE, "ca_file",
                        "no certificate could be read from the CA file %s (from %s)",
                        x->set.ca_file, source_name(x->set.ca_file_src));
    }
    if (e != FC_OK) {
        fc_host_free(&x->host);
        return cli_fail(x, CLI_EXIT_USAGE, "bad_base_url", "cannot use the base URL %s: %s",
                        x->set.base_url, fc_err_str(e));
    }
    /* Larger pages than fc_host's default token array can hold. */
    x->host.client.cfg.tokens = g_tokens;
    x->host.client.cfg.token_count = CLI_TOKENS;
    x->host.client.cfg.log = cli_log_hook;
    x->host.client.cfg.log_ctx = x;
    cli_session_cache_attach(x);
    x->client_up = 1;
    return 0;
}

void cli_client_down(cli *x)
{
    if (x->client_up) {
        cli_session_cache_write(x);
        fc_host_free(&x->host);
        x->client_up = 0;
    }
}

/* ---- the loop ---------------------------------------------------------------- */

/* The engine retries a failed attempt (429, 5xx, a broken connection)
 * by itself, after a timer that may be 0 ms. While the operation runs,
 * fc_client_error() keeps the last attempt's status and number: a failed
 * one means a retry is under way (its timer, or already the next attempt). */
static int retrying_after(const fc_error_info *ei)
{
    return ei->http_status == 429 || ei->http_status >= 500 ||
           (ei->http_status == 0 && ei->attempts > 0);
}

static int last_errno(const cli *x)
{
    unsigned i;
    for (i = 0; i < FC_HOST_CONNECTIONS; i++) {
        if (fc_posix_last_errno(&x->host.tcp[i]) != 0) {
            return fc_posix_last_errno(&x->host.tcp[i]);
        }
    }
    return 0;
}

/* One notice per failed attempt; attempt < ei->attempts were retried at
 * once inside one fc_poll() (a 0 ms backoff), so they were never waited for. */
static void tell_retry(cli *x, const fc_wait *w, const fc_error_info *ei, unsigned attempt)
{
    char when[32];
    int err_no = last_errno(x);
    if (attempt < ei->attempts || w->events != 0 || w->timeout_ms < 100u) {
        snprintf(when, sizeof when, "now");
    } else if (w->timeout_ms < 10000u) {
        snprintf(when, sizeof when, "in %u.%u s", (unsigned)(w->timeout_ms / 1000u),
                 (unsigned)(w->timeout_ms % 1000u / 100u));
    } else {
        snprintf(when, sizeof when, "in %u s", (unsigned)((w->timeout_ms + 999u) / 1000u));
    }
    if (ei->http_status == 429) {
        cli_note(x, "rate limited (HTTP 429), retrying %s", when);
    } else if (ei->http_status != 0) {
        cli_note(x, "server error (HTTP %d), retrying %s (attempt %u failed)", ei->http_status,
                 when, attempt);
    } else {
        cli_note(x, "connection failed%s%s%s, retrying %s (attempt %u failed)", err_no ? " (" : "",
                 err_no ? strerror(err_no) : "", err_no ? ")" : "", when, attempt);
    }
}

static void sleep_until(const fc_wait *w)
{
    struct pollfd fds[2];
    nfds_t n = 0;
    int timeout = (int)(w->timeout_ms > 1000u ? 1000u : w->timeout_ms);
    if (cli_progress_enabled() && timeout > 200) {
        timeout = 200; /* keep the progress line's clock moving */
    }
    if (w->fd >= 0 && w->events != 0) {
        fds[n].fd = w->fd;
        fds[n].events = (short)(((w->events & FC_WAIT_READ) ? POLLIN : 0) |
                                ((w->events & FC_WAIT_WRITE) ? POLLOUT : 0));
        fds[n].revents = 0;
        n++;
    }
    if (g_wake[0] >= 0) {
        fds[n].fd = g_wake[0];
        fds[n].events = POLLIN;
        fds[n].revents = 0;
        n++;
    }
    (void)poll(fds, n, timeout); /* EINTR: a signal, seen by the caller */
}

static fc_stats g_stats;

const fc_stats *cli_stats(void)
{
    return &g_stats;
}

/* Each operation starts its statistics at zero: add them to the run's. */
static void add_stats(const fc_stats *s)
{
    g_stats.bytes_sent += s->bytes_sent;
    g_stats.bytes_received += s->bytes_received;
    g_stats.requests += s->requests;
    g_stats.retries += s->retries;
    g_stats.connects += s->connects;
    g_stats.tls_full += s->tls_full;
    g_stats.tls_resumed += s->tls_resumed;
    g_stats.ms_connect += s->ms_connect;
    g_stats.ms_tls += s->ms_tls;
    g_stats.ms_send += s->ms_send;
    g_stats.ms_first_byte += s->ms_first_byte;
    g_stats.ms_receive += s->ms_receive;
    g_stats.ms_retry_wait += s->ms_retry_wait;
    g_stats.ms_timer += s->ms_timer;
}

static fc_err run_to_end(cli *x, fc_err started);

fc_err cli_wait(cli *x, fc_err started)
{
    fc_err e = run_to_end(x, started);
    if (started == FC_AGAIN) {
        add_stats(fc_client_stats(cli_client(x)));
    }
    return e;
}

static fc_err run_to_end(cli *x, fc_err started)
{
    fc_client *c = cli_client(x);
    unsigned told = 0; /* the failed attempt last told of, 0 when none */
    const fc_error_info *ei;
    if (started != FC_AGAIN) {
        return started;
    }
    for (;;) {
        fc_wait w;
        fc_err r = fc_poll(c);
        if (x->on_tick != NULL) {
            x->on_tick(x);
        }
        if (r != FC_AGAIN) {
            return r;
        }
        if (g_signal != 0) {
            fc_client_cancel(c);
            return FC_ERR_CANCELLED;
        }
        fc_client_wait(c, &w);
        ei = fc_client_error(c);
        if (!retrying_after(ei)) {
            told = 0; /* a request went well: the next failure is news */
        } else {
            if (told > ei->attempts) {
                told = 0; /* another request's attempts: counted afresh */
            }
            while (told < ei->attempts) {
                tell_retry(x, &w, ei, ++told); /* once per failed attempt */
            }
        }
        cli_progress_tick();
        sleep_until(&w);
    }
}

int cli_finish(cli *x, fc_err started)
{
    fc_err e = cli_wait(x, started);
    return e == FC_OK ? 0 : cli_report(x, e);
}

/* ---- shared by several commands ------------------------------------------- */

int cli_space(cli *x, const char **space)
{
    static fc_space first;
    fc_list_params p;
    fc_page page;
    int r;
    *space = x->o.space != NULL ? x->o.space : x->space_buf;
    if (x->o.space != NULL || x->space_buf[0] != '\0') {
        return 0;
    }
    /* Spaces list oldest first: the first is the default "My files". */
    memset(&p, 0, sizeof p);
    p.limit = 1;
    r = cli_finish(x, fc_spaces_list(cli_client(x), &p, &first, 1, &page));
    if (r != 0) {
        return r;
    }
    if (page.count == 0) {
        return cli_fail(x, CLI_EXIT_NOT_FOUND, "no_space", "there is no space: pass --space ID");
    }
    memcpy(x->space_buf, first.id, sizeof x->space_buf);
    cli_verbose(x, "default space %s (%s)", first.id, first.name);
    return 0;
}

/* Until standard input has a line or a signal came (through the wake pipe,
 * so a signal just before the wait is not missed): 0, or -1 on a signal. */
static int wait_for_input(void)
{
    struct pollfd fds[2];
    fds[0].fd = STDIN_FILENO;
    fds[0].events = POLLIN;
    fds[1].fd = g_wake[0];
    fds[1].events = POLLIN;
    while (g_signal == 0 && poll(fds, g_wake[0] >= 0 ? 2 : 1, -1) < 0 && errno == EINTR) {
    }
    return g_signal != 0 ? -1 : 0;
}

int cli_confirm(cli *x, const char *question)
{
    char answer[16];
    const char *got;
    if (x->o.yes) {
        return 0;
    }
    if (!isatty(STDIN_FILENO)) {
        return cli_fail(x, CLI_EXIT_USAGE, "confirmation_needed",
                        "%s: this cannot be undone; pass --yes (there is no terminal to ask)",
                        question);
    }
    cli_progress_break();
    fprintf(stderr, "%s [y/N] ", question);
    fflush(stderr);
    got = wait_for_input() == 0 ? fgets(answer, sizeof answer, stdin) : NULL;
    if (got == NULL && cli_interrupted()) {
        return cli_fail(x, CLI_EXIT_INTERRUPTED, "interrupted", "interrupted: nothing was changed");
    }
    if (got == NULL || (strcmp(answer, "y\n") != 0 && strcmp(answer, "yes\n") != 0 &&
                        strcmp(answer, "Y\n") != 0)) {
        return cli_fail(x, CLI_EXIT_FAILED, "declined", "not confirmed: nothing was changed");
    }
    return 0;
}
