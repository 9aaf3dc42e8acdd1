/* SPDX-License-Identifier: MIT */
/*
 * cli_error.c - exit codes and error messages. A failure is told once on
 * stderr, in one line that names what failed, the step, the host and port,
 * the errno or TLS reason, the CA file, the server's detail, the scan value
 * and the file id, whichever apply; with --json the same facts go to stdout
 * as {"error": {...}} with stable keys and a stable "code".
 */
#define _POSIX_C_SOURCE 200809L
#include "cli.h"

#include <signal.h>
#include <string.h>

#include <mbedtls/error.h>

const cli_exit_info cli_exit_table[] = {
    {CLI_EXIT_OK, "ok", "success"},
    {CLI_EXIT_FAILED, "failed",
     "a local error (a file could not be read or written, a check "
     "failed) or anything not listed below"},
    {CLI_EXIT_USAGE, "usage", "bad command line or configuration (see --help)"},
    {CLI_EXIT_AUTH, "auth", "no API key, or the key is invalid or revoked (401)"},
    {CLI_EXIT_PERMISSION, "permission", "the key lacks a scope, or the plan the feature (403)"},
    {CLI_EXIT_NOT_FOUND, "not_found", "no such space, folder, file or link, or not yours (404)"},
    {CLI_EXIT_CONFLICT, "conflict",
     "the file is not clean yet (409), or its scan failed or "
     "did not finish in time"},
    {CLI_EXIT_QUOTA, "quota", "storage or link quota exceeded (402), or too large (413)"},
    {CLI_EXIT_RATE_LIMITED, "rate_limited", "still rate limited (429) after the retries"},
    {CLI_EXIT_NETWORK, "network", "DNS, connection, timeout or TLS failure"},
    {CLI_EXIT_SERVER, "server", "the server failed (5xx) or sent an answer that cannot be read"},
    {CLI_EXIT_REJECTED, "rejected", "the server refused the request as invalid (400, 422)"},
    {CLI_EXIT_INTERRUPTED, "interrupted",
     "interrupted by SIGINT or SIGTERM (an upload saves "
     "its progress for --resume)"},
    {-1, NULL, NULL}};

const char *cli_err_code(fc_err e)
{
    switch (e) {
    case FC_OK: return "ok";
    case FC_ERR_INVALID_ARG: return "invalid_argument";
    case FC_ERR_BUSY: return "busy";
    case FC_ERR_BAD_URL: return "bad_url";
    case FC_ERR_BUFFER_TOO_SMALL: return "too_long";
    case FC_ERR_NO_MEMORY: return "no_memory";
    case FC_ERR_DNS: return "dns";
    case FC_ERR_CONNECT: return "connect";
    case FC_ERR_TRANSPORT: return "connection_broken";
    case FC_ERR_CLOSED: return "connection_closed";
    case FC_ERR_TLS: return "tls";
    case FC_ERR_TLS_VERIFY: return "tls_verify";
    case FC_ERR_TIMEOUT: return "timeout";
    case FC_ERR_PROTOCOL: return "bad_http";
    case FC_ERR_JSON: return "bad_json";
    case FC_ERR_SOURCE: return "read_failed";
    case FC_ERR_SINK: return "write_failed";
    case FC_ERR_INTEGRITY: return "integrity";
    case FC_ERR_BAD_REQUEST: return "bad_request";
    case FC_ERR_AUTH: return "auth";
    case FC_ERR_QUOTA: return "quota";
    case FC_ERR_PERMISSION: return "permission";
    case FC_ERR_NOT_FOUND: return "not_found";
    case FC_ERR_CONFLICT: return "conflict";
    case FC_ERR_TOO_LARGE: return "too_large";
    case FC_ERR_VALIDATION: return "validation";
    case FC_ERR_RATE_LIMITED: return "rate_limited";
    case FC_ERR_SERVER: return "server";
    case FC_ERR_HTTP: return "http";
    case FC_ERR_SCAN_FAILED: return "scan_failed";
    case FC_ERR_CANCELLED: return "interrupted";
    default: return "error";
    }
}

static int step_is(const cli *x, const char *step)
{
    return x->client_up && strcmp(fc_client_error(&x->host.client)->step, step) == 0;
}

int cli_exit_code(const cli *x, fc_err e)
{
    switch (e) {
    case FC_OK: return CLI_EXIT_OK;
    case FC_ERR_INVALID_ARG:
    case FC_ERR_BAD_URL: return CLI_EXIT_USAGE;
    case FC_ERR_AUTH: return CLI_EXIT_AUTH;
    case FC_ERR_PERMISSION: return CLI_EXIT_PERMISSION;
    case FC_ERR_NOT_FOUND: return CLI_EXIT_NOT_FOUND;
    case FC_ERR_CONFLICT:
    case FC_ERR_SCAN_FAILED: return CLI_EXIT_CONFLICT;
    case FC_ERR_QUOTA:
    case FC_ERR_TOO_LARGE: return CLI_EXIT_QUOTA;
    case FC_ERR_RATE_LIMITED: return CLI_EXIT_RATE_LIMITED;
    case FC_ERR_TIMEOUT: return step_is(x, "scan") ? CLI_EXIT_CONFLICT : CLI_EXIT_NETWORK;
    case FC_ERR_DNS:
    case FC_ERR_CONNECT:
    case FC_ERR_TRANSPORT:
    case FC_ERR_CLOSED:
    case FC_ERR_TLS:
    case FC_ERR_TLS_VERIFY:
    case FC_ERR_PROTOCOL: return CLI_EXIT_NETWORK;
    case FC_ERR_SERVER:
    case FC_ERR_JSON: return CLI_EXIT_SERVER;
    case FC_ERR_BAD_REQUEST:
    case FC_ERR_VALIDATION: return CLI_EXIT_REJECTED;
    case FC_ERR_HTTP:
        return x->client_up && fc_client_error(&x->host.client)->http_status >= 500
                   ? CLI_EXIT_SERVER
                   : CLI_EXIT_FAILED;
    case FC_ERR_CANCELLED: return CLI_EXIT_INTERRUPTED;
    default: return CLI_EXIT_FAILED;
    }
}

/* ---- what the CLI knows about the failed connection ------------------- */

typedef struct cli_peer {
    char host[FC_CONFIG_HOST_MAX + 8]; /* "host:port", or a description */
    int tls;
    int err_no;
    uint32_t verify_flags;
    int tls_error;
} cli_peer;

static void peer_of_url(const char *url, cli_peer *p)
{
    fc_url u;
    if (url != NULL && fc_url_parse(&u, url, strlen(url)) == FC_OK) {
        snprintf(p->host, sizeof p->host, "%.*s:%u", (int)u.host_len, u.host, u.port);
        p->tls = u.tls;
    }
}

static void find_peer(const cli *x, cli_peer *p)
{
    unsigned i;
    const fc_error_info *ei = x->client_up ? fc_client_error(&x->host.client) : NULL;
    memset(p, 0, sizeof *p);
    /* The scheme from the URL the CLI knows (the API's, or a download's);
     * the host the library says it talked to (the storage host of a PUT). */
    peer_of_url(x->peer_url != NULL ? x->peer_url : x->set.base_url, p);
    if (ei == NULL) {
        return;
    }
    if (ei->host != NULL && ei->host[0] != '\0') {
        snprintf(p->host, sizeof p->host, strchr(ei->host, ':') ? "[%s]:%u" : "%s:%u", ei->host,
                 (unsigned)ei->port);
    }
    /* One operation per run: the connection with an error is the one. */
    for (i = 0; i < FC_HOST_CONNECTIONS; i++) {
        if (p->err_no == 0) {
            p->err_no = fc_posix_last_errno(&x->host.tcp[i]);
        }
        if (p->verify_flags == 0) {
            p->verify_flags = fc_mbedtls_conn_verify_flags(&x->host.secure[i]);
        }
        if (p->tls_error == 0) {
            p->tls_error = fc_mbedtls_conn_last_error(&x->host.secure[i]);
        }
    }
}

/* ---- the message ---------------------------------------------------------- */

typedef struct cli_msg {
    char text[1536];
    size_t len;
} cli_msg;

static void add(cli_msg *m, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void add(cli_msg *m, const char *fmt, ...)
{
    va_list ap;
    int n;
    if (m->len >= sizeof m->text - 1) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(m->text + m->len, sizeof m->text - m->len, fmt, ap);
    va_end(ap);
    if (n > 0) {
        m->len += (size_t)n;
        if (m->len > sizeof m->text - 1) {
            m->len = sizeof m->text - 1;
        }
    }
}

static void describe_network(const cli *x, fc_err e, const cli_peer *p, cli_msg *m)
{
    char why[512];
    switch (e) {
    case FC_ERR_DNS: add(m, "cannot resolve the host of %s", p->host); break;
    case FC_ERR_CONNECT: add(m, "cannot connect to %s", p->host); break;
    case FC_ERR_TRANSPORT: add(m, "the connection to %s broke", p->host); break;
    case FC_ERR_CLOSED: add(m, "%s closed the connection", p->host); break;
    case FC_ERR_TIMEOUT: add(m, "%s did not answer in time", p->host); break;
    case FC_ERR_PROTOCOL: add(m, "%s sent something that is not HTTP", p->host); break;
    case FC_ERR_TLS_VERIFY:
        fc_mbedtls_verify_reason(p->verify_flags, why, sizeof why);
        add(m, "the TLS certificate of %s is not trusted: %s (CA file %s)", p->host,
            p->verify_flags ? why : "no reason given", x->set.ca_file);
        return;
    default: /* FC_ERR_TLS */
        add(m, "the TLS handshake with %s failed", p->host);
        if (p->tls_error != 0) {
            mbedtls_strerror(p->tls_error, why, sizeof why);
            add(m, ": %s (-0x%04x)", why, (unsigned)-p->tls_error);
        }
        return;
    }
    if (p->err_no != 0) {
        add(m, ": %s (errno %d)", strerror(p->err_no), p->err_no);
    }
}

static int is_network(fc_err e)
{
    return e == FC_ERR_DNS || e == FC_ERR_CONNECT || e == FC_ERR_TRANSPORT || e == FC_ERR_CLOSED ||
           e == FC_ERR_TLS || e == FC_ERR_TLS_VERIFY || e == FC_ERR_TIMEOUT || e == FC_ERR_PROTOCOL;
}

static void describe(const cli *x, fc_err e, const cli_peer *p, cli_msg *m)
{
    const fc_error_info *ei = fc_client_error(&x->host.client);
    if (e == FC_ERR_CANCELLED) {
        add(m, "%s interrupted by %s", x->what,
            cli_interrupted() == SIGTERM ? "SIGTERM" : "SIGINT");
        if (x->file_id != NULL && x->file_id[0] != '\0') {
            add(m, " (file %s)", x->file_id);
        }
        return;
    }
    add(m, "%s failed", x->what);
    if (ei->step[0] != '\0') {
        add(m, " at step \"%s\"", ei->step);
    }
    add(m, ": ");
    if (e == FC_ERR_SCAN_FAILED || (e == FC_ERR_TIMEOUT && step_is(x, "scan"))) {
        add(m, e == FC_ERR_SCAN_FAILED ? "the virus scan did not pass"
                                       : "the virus scan did not finish in time");
        add(m, ": scan_status \"%s\"",
            x->scan_status && x->scan_status[0] ? x->scan_status : "unknown");
    } else if (is_network(e)) {
        describe_network(x, e, p, m);
    } else {
        add(m, "%s", fc_err_str(e));
    }
    if (ei->http_status != 0) {
        add(m, " (HTTP %d)", ei->http_status);
    }
    if (ei->code[0] != '\0') {
        add(m, " %s", ei->code);
    }
    if (ei->detail[0] != '\0' && strcmp(ei->detail, ei->code) != 0) {
        add(m, ": %s%s", ei->detail, ei->detail_cut ? "..." : "");
    }
    if (ei->missing[0] != '\0') {
        add(m, "; missing scopes: %s", ei->missing);
    }
    if (e == FC_ERR_BUFFER_TOO_SMALL && ei->needed != 0) {
        add(m, "; it needs %zu", ei->needed);
    }
    if (e == FC_ERR_RATE_LIMITED && ei->retry_after_s != 0) {
        add(m, "; the server asks to wait %u s", (unsigned)ei->retry_after_s);
    }
    if (x->file_id != NULL && x->file_id[0] != '\0') {
        add(m, " (file %s)", x->file_id);
    }
}

/* One more line when the cause is likely something the user can fix. */
static void hint(const cli *x, fc_err e, const cli_peer *p)
{
    int api = x->peer_url == NULL && !step_is(x, "put"); /* the base URL's scheme applies */
    if (api && !p->tls && (e == FC_ERR_PROTOCOL || e == FC_ERR_CLOSED || e == FC_ERR_TRANSPORT)) {
        cli_errmsg("hint: the base URL is http://; if %s speaks TLS, use https://", p->host);
    } else if (api && p->tls && e == FC_ERR_TLS) {
        cli_errmsg("hint: if %s speaks plain HTTP, use an http:// base URL", p->host);
    } else if (e == FC_ERR_TLS_VERIFY) {
        cli_errmsg(
            "hint: pass the CA that signed the server's certificate with --ca-file "
            "or FLUIDCLOUD_CA_FILE");
    } else if (e == FC_ERR_AUTH) {
        cli_errmsg("hint: check the key: fluidcloud config show");
    }
}

/* ---- JSON ------------------------------------------------------------------- */

static void json_error(const cli *x, const char *code, int exit_code, const char *message, fc_err e,
                       const cli_peer *p)
{
    const fc_error_info *ei = x->client_up && e != FC_OK ? fc_client_error(&x->host.client) : NULL;
    char masked[1600];
    printf("{\"error\": {\"code\": \"%s\", \"exit_code\": %d, \"message\": ", code, exit_code);
    cli_json_str(stdout, cli_mask(message, x->set.api_key, masked, sizeof masked));
    fputs(", \"step\": ", stdout);
    cli_json_nstr(stdout, ei ? ei->step : NULL);
    printf(", \"http_status\": ");
    ei && ei->http_status ? printf("%d", ei->http_status) : printf("null");
    fputs(", \"api_error\": ", stdout);
    cli_json_nstr(stdout, ei ? ei->code : NULL);
    fputs(", \"detail\": ", stdout);
    cli_json_nstr(stdout, ei ? cli_mask(ei->detail, x->set.api_key, masked, sizeof masked) : NULL);
    fputs(", \"missing_scopes\": ", stdout);
    cli_json_scopes(stdout, ei ? ei->missing : "");
    fputs(", \"required_scopes\": ", stdout);
    cli_json_scopes(stdout, ei ? ei->required : "");
    fputs(", \"retry_after\": ", stdout);
    ei && ei->retry_after_s ? printf("%u", (unsigned)ei->retry_after_s) : printf("null");
    fputs(", \"host\": ", stdout);
    cli_json_nstr(stdout, p != NULL && is_network(e) ? p->host : NULL);
    fputs(", \"errno\": ", stdout);
    p != NULL &&is_network(e) && p->err_no ? printf("%d", p->err_no) : printf("null");
    fputs(", \"file_id\": ", stdout);
    cli_json_nstr(stdout, x->file_id);
    fputs(", \"scan_status\": ", stdout);
    cli_json_nstr(stdout, x->scan_status);
    putchar('}');
    cli_json_close(x, stdout);
}

int cli_report(cli *x, fc_err e)
{
    cli_msg m;
    cli_peer p;
    int code = cli_exit_code(x, e);
    memset(&m, 0, sizeof m);
    find_peer(x, &p);
    describe(x, e, &p, &m);
    cli_progress_done();
    cli_errmsg("%s", m.text);
    hint(x, e, &p);
    if (x->o.json) {
        json_error(x, cli_err_code(e), code, m.text, e, &p);
    }
    return code;
}

int cli_fail(cli *x, int code, const char *json_code, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    cli_progress_done();
    cli_errmsg("%s", text);
    if (x->o.json) {
        json_error(x, json_code, code, text, FC_OK, NULL);
    }
    return code;
}
