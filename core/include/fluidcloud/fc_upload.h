/*
 * fc_upload.h - streaming uploads (downloads: fc_download.h).
 *
 * fc_files_upload() runs the whole flow of the SDK's files.upload as one
 * operation:
 *
 *   [list spaces for "My files" when no space is given]
 *   -> POST /uploads/initiate (name, declared size, type, space, folder,
 *      client_key)
 *   -> PUT the bytes to the presigned URL(s), with exactly the ticket's
 *      headers plus Content-Length, pulled from the source through the I/O
 *      buffer while SHA-256 is computed on the way; multipart above the
 *      ticket's threshold, one part after the other, each ETag kept
 *   -> POST /uploads/complete with the hash (and the ETags); the server
 *      checks size and SHA-256, so a cut or corrupted upload never
 *      completes
 *   -> poll GET /files/{id} until scan_status is clean (or a failed value),
 *      at growing intervals, up to a deadline
 *   -> optionally POST /shares for a permanent (public) or expiring link.
 *
 * The RAM it needs beyond the client is this struct (3.3 kB on a 32-bit MCU
 * with the defaults, of which the result file is 1.5 kB and the saveable
 * progress 1 kB); the bytes pass through the client's I/O buffer only.
 * The presigned URLs of the ticket are kept at the front of that buffer
 * while the parts are sent, so the buffer must hold the ticket's URLs and
 * headers plus a working area of at least 512 bytes.
 *
 * The API key goes to the API host only: the PUTs to storage carry the
 * ticket's headers and nothing else.
 */
#ifndef FLUIDCLOUD_FC_UPLOAD_H
#define FLUIDCLOUD_FC_UPLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "fluidcloud/fc_api.h"
#include "fluidcloud/fc_client.h"
#include "fluidcloud/fc_download.h" /* for programs that found downloads here */
#include "fluidcloud/fc_sha256.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Where an upload stands: a plain struct the application may save (to
 * flash, say) after each part and hand back to resume after a reset or a
 * power loss. Resuming continues at the next unconfirmed part, with the
 * hash state of the bytes before it; the source must then deliver the
 * bytes from `offset` (its seek callback is called with it when present).
 */
typedef struct fc_upload_progress {
    char upload_id[FC_ID_MAX];
    char file_id[FC_ID_MAX];
    char key[FC_CONFIG_UPLOAD_KEY_MAX];
    uint8_t multipart;
    uint8_t completed; /* complete succeeded: only scan/share remain */
    uint32_t part;     /* next part to send (0-based) */
    uint32_t part_count;
    uint64_t part_size;
    uint64_t offset; /* bytes confirmed by storage */
    uint64_t size;   /* declared size */
    fc_sha256 hash;  /* SHA-256 state over bytes [0, offset) */
    char etags[FC_CONFIG_UPLOAD_MAX_PARTS][FC_CONFIG_ETAG_MAX];
} fc_upload_progress;

typedef enum fc_share_mode {
    FC_SHARE_NONE = 0, /* no link */
    FC_SHARE_PUBLIC,   /* permanent link (the SDK's public=True) */
    FC_SHARE_EXPIRING  /* expires after expires_in_days */
} fc_share_mode;

typedef struct fc_upload_params {
    const char *name;         /* file name (required) */
    uint64_t size;            /* exact byte count the source will give */
    const char *content_type; /* NULL = application/octet-stream */
    const char *space_id;     /* NULL = the default space "My files" */
    const char *folder_id;    /* NULL = the space root */
    const char *client_key;   /* NULL = none */
    /* The bytes (fc_client.h): with seek() a failed part is sent again and
     * a saved upload resumes; without it those end the upload with an error
     * naming the step. */
    fc_source source;
    /* Called as bytes go out: sent so far and total. */
    void (*on_progress)(void *ctx, uint64_t sent, uint64_t total);
    void *progress_ctx;
    uint8_t wait_clean;       /* poll until the scan is clean (forced on
                                 when a share is asked for) */
    uint32_t scan_timeout_ms; /* 0 = FC_CONFIG_SCAN_TIMEOUT_MS */
    fc_share_mode share;
    int32_t expires_in_days; /* FC_SHARE_EXPIRING: 1..365 */
    const char *permission;  /* NULL = server default ("view") */
} fc_upload_params;

/* The flow's own state (private). */
typedef struct fc_upload_private {
    uint8_t phase;
    uint8_t only_step; /* run one step (fc_uploads_initiate...) */
    uint8_t complete_tries;
    fc_source body;     /* the hashing source the PUTs read */
    uint64_t part_read; /* bytes of the current part read so far */
    uint32_t poll_ms;
    uint32_t scan_deadline_ms;
    fc_sha256 running; /* hash of the confirmed bytes + this part */
    uint64_t part_len;
    uint16_t ticket_headers;  /* header pairs kept in the buffer */
    uint16_t url_at;          /* index of the (first) URL kept there */
    char space_id[FC_ID_MAX]; /* the default space, once looked up */
    char sha256_hex[65];      /* of all bytes, sent with complete */
    size_t ticket_len;        /* bytes of ticket kept in the I/O buffer */
    uint32_t ticket_op;       /* operation number that stored the ticket */
} fc_upload_private;

typedef struct fc_upload {
    fc_upload_params params;     /* set by the application */
    fc_upload_progress progress; /* zero it for a new upload */
    fc_file file;                /* result: the file after complete/scan */
    fc_share share;              /* result: the link, when asked for */
    fc_upload_private priv;      /* private */
} fc_upload;

/*
 * Start an upload (FC_AGAIN = started; drive it with fc_poll). The struct
 * must stay valid until the operation ends. When progress.upload_id is
 * set, the upload resumes from progress. On failure, fc_client_error()
 * names the step: "spaces", "initiate", "put", "complete", "scan",
 * "share".
 */
fc_err fc_files_upload(fc_client *c, fc_upload *up);

/* ---- the steps on their own, for applications that want control ---- */

/* POST /uploads/initiate (after looking up "My files" when no space is
 * given): fills up->progress (ids, key, parts) and keeps the presigned
 * URL(s) at the front of the I/O buffer for fc_uploads_put. */
fc_err fc_uploads_initiate(fc_client *c, fc_upload *up);
/* PUT the remaining parts. Must be the next operation on the client after
 * fc_uploads_initiate (or a failed fc_uploads_put), since the URLs live in
 * the I/O buffer; otherwise FC_ERR_INVALID_ARG. */
fc_err fc_uploads_put(fc_client *c, fc_upload *up);
/* POST /uploads/complete with up->progress's hash and ETags; fills up->file. */
fc_err fc_uploads_complete(fc_client *c, fc_upload *up);
/* Poll GET /files/{id} until the scan is clean (FC_ERR_SCAN_FAILED for an
 * infected or failed scan, FC_ERR_TIMEOUT past the deadline). */
fc_err fc_uploads_wait_clean(fc_client *c, fc_upload *up);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_UPLOAD_H */
