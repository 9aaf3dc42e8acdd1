/* SPDX-License-Identifier: MIT */
/* fc_emu_admin.c - see fc_emu_admin.h. */
#define _POSIX_C_SOURCE 200809L
#include "fc_emu_admin.h"

#include <stdarg.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netdb.h>
#include <sys/socket.h>
#include <cmocka.h>

static int emu_connect(void)
{
    const char *base = getenv("FC_EMU_ADMIN");
    char host[128];
    char port[16];
    const char *p;
    const char *colon;
    struct addrinfo hints;
    struct addrinfo *res = NULL;
    int fd = -1;
    if (base == NULL || strncmp(base, "http://", 7) != 0) {
        fail_msg("FC_EMU_ADMIN is not set (run under with_emulator.py)");
        return -1;
    }
    p = base + 7;
    colon = strrchr(p, ':');
    if (colon == NULL || (size_t)(colon - p) >= sizeof host) {
        return -1;
    }
    memcpy(host, p, (size_t)(colon - p));
    host[colon - p] = '\0';
    snprintf(port, sizeof port, "%.*s", (int)strcspn(colon + 1, "/"), colon + 1);
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(host, port, &hints, &res) != 0) {
        return -1;
    }
    fd = socket(res->ai_family, res->ai_socktype, res->ai_protocol);
    if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd;
}

static int emu_send_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t k = send(fd, s, n, 0);
        if (k <= 0) {
            return -1;
        }
        s += k;
        n -= (size_t)k;
    }
    return 0;
}

int emu_admin(const char *method, const char *path, const char *json, char *resp, size_t cap)
{
    static char buf[1 << 20];
    char head[512];
    size_t len = 0;
    int status = -1;
    int fd = emu_connect();
    char *body;
    if (fd < 0) {
        return -1;
    }
    snprintf(head, sizeof head,
             "%s %s HTTP/1.0\r\nHost: admin\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n",
             method, path, json ? strlen(json) : 0u);
    if (emu_send_all(fd, head, strlen(head)) == 0 &&
        (json == NULL || emu_send_all(fd, json, strlen(json)) == 0)) {
        ssize_t k;
        while (len < sizeof buf - 1 && (k = recv(fd, buf + len, sizeof buf - 1 - len, 0)) > 0) {
            len += (size_t)k;
        }
        buf[len] = '\0';
        sscanf(buf, "HTTP/%*s %d", &status);
    }
    close(fd);
    body = strstr(buf, "\r\n\r\n");
    if (resp != NULL && cap > 0) {
        snprintf(resp, cap, "%s", body ? body + 4 : "");
    }
    return status;
}

void emu_fault(const char *listener, const char *method, const char *path_prefix, int count,
               const char *action_members)
{
    char json[1024];
    char resp[256];
    int n = snprintf(json, sizeof json, "{\"listener\":\"%s\",\"count\":%d", listener, count);
    if (method != NULL) {
        n += snprintf(json + n, sizeof json - (size_t)n, ",\"method\":\"%s\"", method);
    }
    if (path_prefix != NULL) {
        n += snprintf(json + n, sizeof json - (size_t)n, ",\"path_prefix\":\"%s\"", path_prefix);
    }
    snprintf(json + n, sizeof json - (size_t)n, ",%s}", action_members);
    if (emu_admin("POST", "/admin/faults", json, resp, sizeof resp) / 100 != 2) {
        fail_msg("fault injection refused: %s -> %s", json, resp);
    }
}

void emu_clear_faults(void)
{
    assert_true(emu_admin("DELETE", "/admin/faults", NULL, NULL, 0) / 100 == 2);
}

void emu_config(const char *json)
{
    char resp[512];
    if (emu_admin("PATCH", "/admin/config", json, resp, sizeof resp) / 100 != 2) {
        fail_msg("config refused: %s -> %s", json, resp);
    }
}

static const char *emu_json_member(const char *json, const char *name)
{
    char key[96];
    const char *p;
    snprintf(key, sizeof key, "\"%s\"", name);
    p = strstr(json, key);
    if (p == NULL) {
        return NULL;
    }
    p += strlen(key);
    while (*p == ' ' || *p == ':') {
        p++;
    }
    return p;
}

int emu_json_str(const char *json, const char *name, char *out, size_t cap)
{
    const char *p = emu_json_member(json, name);
    size_t n;
    if (p == NULL || *p != '"') {
        return -1;
    }
    p++;
    n = strcspn(p, "\"");
    if (n >= cap) {
        return -1;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

int emu_json_int(const char *json, const char *name, long long *out)
{
    const char *p = emu_json_member(json, name);
    return p != NULL && sscanf(p, "%lld", out) == 1 ? 0 : -1;
}

long emu_leaked_keys(void)
{
    static char resp[1 << 20];
    long long n = -1;
    assert_int_equal(emu_admin("GET", "/admin/state", NULL, resp, sizeof resp), 200);
    assert_int_equal(emu_json_int(resp, "leaked_key_count", &n), 0);
    return (long)n;
}

int emu_object(const char *file_id, uint64_t *size, char sha256_hex[65])
{
    char path[128];
    char resp[1024];
    long long sz = 0;
    snprintf(path, sizeof path, "/admin/objects/%s", file_id);
    if (emu_admin("GET", path, NULL, resp, sizeof resp) != 200 ||
        emu_json_int(resp, "size", &sz) != 0 || emu_json_str(resp, "sha256", sha256_hex, 65) != 0) {
        return -1;
    }
    *size = (uint64_t)sz;
    return 0;
}
