/* SPDX-License-Identifier: MIT */
/*
 * fc_emu_admin.h - the emulator's admin API for integration tests.
 *
 * Plain, blocking HTTP/1.0 over a POSIX socket to FC_EMU_ADMIN: kept apart
 * from the library under test, so a library bug cannot hide in the
 * test's own set-up.
 */
#ifndef FC_EMU_ADMIN_H
#define FC_EMU_ADMIN_H

#include <stddef.h>
#include <stdint.h>

/* Send method path [json]; the body of the answer goes to resp (NUL-
 * terminated, may be NULL). Returns the HTTP status, or -1. */
int emu_admin(const char *method, const char *path, const char *json, char *resp, size_t cap);

/* Inject a fault: listener "api"|"storage"|"raw", method or NULL, path
 * prefix or NULL, count, and the action's JSON members, e.g.
 * "\"action\":\"status\",\"status\":503". Fails the test on error. */
void emu_fault(const char *listener, const char *method, const char *path_prefix, int count,
               const char *action_members);
void emu_clear_faults(void);

/* The number of requests that reached storage or raw hosts with a key. */
long emu_leaked_keys(void);

/* Size and SHA-256 (hex) of a file's stored bytes; 0 when found. */
int emu_object(const char *file_id, uint64_t *size, char sha256_hex[65]);

/* PATCH /admin/config with the given JSON object. */
void emu_config(const char *json);

/* A JSON string member's value from a flat answer (first match). */
int emu_json_str(const char *json, const char *name, char *out, size_t cap);
/* A JSON integer member's value; 0 when found. */
int emu_json_int(const char *json, const char *name, long long *out);

#endif
