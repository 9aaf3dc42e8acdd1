/* SPDX-License-Identifier: MIT */
/*
 * fc_upload.h - streaming uploads of any size (downloads: fc_download.h).
 *
 * fc_files_upload() runs the whole flow of the SDK's files.upload as one
 * operation:
 *
 *   [list spaces for "My files", once per client, when no space is given]
 *   -> POST /uploads/initiate (name, declared size, type, space, folder,
 *      client_key, and the part window it can keep)
 *   -> PUT the bytes to the presigned URL(s), with exactly the ticket's
 *      headers plus Content-Length, pulled from the source through the I/O
 *      buffer while SHA-256 is computed on the way; multipart above the
 *      service's threshold, one part after the other, each part's ETag
 *      handed to the application's ETag store
 *   -> POST /uploads/complete with the hash (and every part's ETag, read
 *      back from the store as the body streams out); the server checks
 *      size and SHA-256, and the answer must carry our size and SHA-256
 *   -> poll GET /files/{id} until scan_status is clean (or failed), the
 *      first poll after a short wait, at growing intervals, up to a
 *      deadline that starts after complete
 *   -> optionally POST /shares for a permanent (public) or expiring link.
 *
 * RAM: this struct (under 1.5 kB on a 32-bit MCU with the defaults; it does
 * not grow with the part count) plus the client's I/O buffer, which holds
 * the presigned URLs of a window of parts while they are sent. The ticket
 * is read as a stream: parts outside the window are never stored, and the
 * next window is asked for with the saved upload_id ([contract] part
 * window: FC_F_PART_FROM / FC_F_PART_LIMIT in fc_contract.h). So a 4 GB
 * upload needs the RAM of a 4 kB one; only the ETag store grows with the
 * part count, and it is the application's (RAM, flash, a file).
 *
 * The API key goes to the API host only: the PUTs to storage carry the
 * ticket's headers and nothing else. Ticket headers that could change the
 * PUT's framing or target (Transfer-Encoding, Connection, Host, ...), names
 * that are not HTTP tokens and values with control bytes are refused, and
 * a plain-http storage URL under an https API is refused unless
 * params.allow_http_storage says otherwise.
 *
 * Time: the whole upload is one operation, bounded by the client's total
 * deadline (fc_client.h: cfg.timeouts.total_ms, default 300 s, which grows
 * by 1 s per timeouts.min_bytes_per_s bytes moved) plus the scan wait
 * (params.scan_timeout_ms, counted from complete, which the transfer
 * before it cannot eat into). So it ends within
 *     total_ms + bytes / min_bytes_per_s s + scan_timeout_ms,
 * whatever the servers do (drip-feeding, Retry-After, stalls); every
 * request inside it is bounded by the client's timeouts and retries too.
 * total_ms 0 lifts the bound on purpose.
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

/* ---- where the parts' ETags are kept --------------------------------------- */

/*
 * The ETag store: a multipart upload hands each part's ETag (from the PUT's
 * answer) to save(), and complete reads them all back with load() while
 * its body streams out. Firmware can keep them in flash next to the saved
 * progress, so a resumed upload still has the ETags of the parts sent
 * before the reset. Part numbers are 1-based. ETags are NUL-terminated and
 * shorter than FC_CONFIG_ETAG_MAX. Each call returns FC_OK or an error,
 * which ends the upload as FC_ERR_SINK (save) or FC_ERR_SOURCE (load).
 * A single-PUT upload never calls the store (params.etags may be NULL).
 */
typedef struct fc_etag_store {
    /* The upload has part_count parts: FC_OK when the store can keep an
     * ETag for each; anything else ends the upload at initiate with
     * FC_ERR_BUFFER_TOO_SMALL and error->needed = part_count. Called
     * after every ticket (the count never changes within an upload). */
    fc_err (*reserve)(void *ctx, uint32_t part_count);
    fc_err (*save)(void *ctx, uint32_t part_number, const char *etag);
    /* Copy part_number's ETag into buf (cap = FC_CONFIG_ETAG_MAX bytes). */
    fc_err (*load)(void *ctx, uint32_t part_number, char *buf, size_t cap);
    void *ctx;
} fc_etag_store;

/* The store over a plain array the application sizes (RAM, or a mapped
 * flash page it saves with the progress):
 *
 *     static char etags[64][FC_CONFIG_ETAG_MAX];     // 64 parts
 *     static fc_etag_array store;
 *     fc_etag_array_init(&store, etags, 64);
 *     up.params.etags = &store.store;
 */
typedef struct fc_etag_array {
    fc_etag_store store; /* hand &store to params.etags */
    char (*etags)[FC_CONFIG_ETAG_MAX];
    uint32_t count;
} fc_etag_array;

void fc_etag_array_init(fc_etag_array *a, char (*etags)[FC_CONFIG_ETAG_MAX], uint32_t count);

/* ---- the upload -------------------------------------------------------------- */

/*
 * Where an upload stands: a plain struct the application may save (to
 * flash, say) after each part, together with its ETag store, and hand
 * back to resume after a reset or a power loss. Resuming continues at the
 * next unconfirmed part, with the hash state of the bytes before it; the
 * source must then deliver the SAME bytes from `offset` (its seek callback
 * is called with it when present): a progress cannot tell whose bytes it
 * hashed.
 */
typedef struct fc_upload_progress {
    char upload_id[FC_ID_MAX]; /* "" when the ticket had none */
    char file_id[FC_ID_MAX];
    char key[FC_CONFIG_UPLOAD_KEY_MAX];
    uint8_t multipart;
    uint8_t completed; /* complete confirmed: only scan/share remain */
    uint8_t finished;  /* the whole flow ended FC_OK */
    uint32_t part;     /* next part to send (0-based) = parts confirmed */
    uint32_t part_count;
    uint64_t part_size;
    uint64_t offset;        /* bytes confirmed by storage */
    uint64_t size;          /* declared size */
    uint32_t params_digest; /* of the params it was started with */
    fc_sha256 hash;         /* SHA-256 state over bytes [0, offset) */
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
    /* The ETags of a multipart upload (see fc_etag_store). NULL: a ticket
     * with parts fails at initiate, saying how many it needs. */
    const fc_etag_store *etags;
    /* Called as bytes go out: sent so far and total. */
    void (*on_progress)(void *ctx, uint64_t sent, uint64_t total);
    void *progress_ctx;
    uint8_t wait_clean;         /* poll until the scan is clean (forced on
                                   when a share is asked for) */
    uint8_t allow_http_storage; /* 1: accept plain-http storage URLs under
                                   an https API (the bytes go in the clear) */
    uint32_t scan_timeout_ms;   /* 0 = FC_CONFIG_SCAN_TIMEOUT_MS, from complete */
    fc_share_mode share;
    int32_t expires_in_days; /* FC_SHARE_EXPIRING: 1..365 */
    const char *permission;  /* NULL = server default (fc_api.h) */
    /* Optional full records: the file as complete and the scan polls
     * answer it, and the share. NULL (the default) keeps only what the
     * result fields below need. */
    fc_file *file_out;
    fc_share *share_out;
} fc_upload_params;

/* The flow's own state (private). */
typedef struct fc_ticket_reader {
    uint32_t containers;    /* bit d: nesting level d+1 is an array */
    uint8_t depth;          /* 0: outside the root value */
    uint8_t expect;         /* what the grammar allows next */
    uint8_t lex;            /* inside a string, escape, number, literal */
    uint8_t member;         /* which ticket field the next value is */
    uint8_t section;        /* the root member a level-2 container is */
    uint8_t is_key;         /* the string being read is an object key */
    uint8_t out_kept;       /* ... and is kept in the I/O buffer */
    uint8_t mode;           /* the ticket's mode (fc_upload_ticket.c) */
    uint8_t literal;        /* the literal being matched, its progress */
    uint8_t literal_at;
    uint8_t number_state;   /* JSON number grammar position, sign */
    uint8_t hex_n;          /* \uXXXX digits read */
    uint16_t hex;           /* their value so far */
    uint16_t high;          /* a high surrogate waiting for its low half */
    uint16_t seen;          /* root members seen (1 << member) */
    uint8_t part_flags;     /* the current part object's members */
    uint8_t full;           /* a wanted part's URL did not fit: window ends */
    uint8_t too_small;      /* a URL or header did not fit: error.needed */
    uint64_t number;        /* the integer being read (saturates) */
    char *out;              /* where the string being read goes (or NULL) */
    size_t out_len;         /* its bytes so far (counts past the room) */
    size_t out_cap;         /* the room it has, its NUL included */
    size_t kept;            /* end of the kept strings in the I/O buffer */
    size_t part_url;        /* where the current part's URL starts */
    size_t part_url_len;    /* its length */
    size_t first_cut;       /* the first wanted URL that did not fit */
    size_t skipped;         /* bytes of wanted URLs that did not fit */
    uint32_t part_number;   /* of the current part object */
    uint32_t last_number;   /* of the part object before it */
    uint64_t part_size;
    uint64_t part_count;
    char word[16];          /* a key being read */
    char upload_id[FC_ID_MAX]; /* the answer's, compared with ours after */
} fc_ticket_reader;

typedef struct fc_upload_private {
    uint8_t phase;
    uint8_t only_step; /* run one public step (fc_uploads_initiate...) */
    uint8_t complete_tries;
    uint8_t fruitless; /* tickets in a row that gave no usable part URL */
    uint8_t resume_seek; /* a resumed upload: seek the source once confirmed */
    fc_source body;    /* the hashing source the PUTs read */
    uint64_t part_read; /* bytes of the current part read so far */
    uint32_t poll_ms;
    uint32_t scan_deadline_ms;
    fc_sha256 running; /* hash of the confirmed bytes + this part */
    /* The kept ticket at the front of the I/O buffer (offsets into it). */
    uint32_t url_at;      /* the single URL, or the window's first URL */
    uint32_t headers_at;  /* the first header name */
    uint32_t url_max;     /* longest kept URL */
    uint16_t headers;     /* header pairs */
    uint32_t window_from; /* part number (1-based) of the first kept URL */
    uint32_t window_n;    /* URLs kept */
    size_t ticket_len;    /* bytes kept; fc_uploads_put gives them back */
    uint32_t ticket_op;   /* operation that kept them */
    char sha256_hex[65];  /* of all bytes, sent with complete */
    union {
        fc_ticket_reader ticket; /* while the ticket streams in */
        uint32_t complete_next;  /* complete's body: the next piece */
    } step;
} fc_upload_private;

typedef struct fc_upload {
    fc_upload_params params;     /* set by the application */
    fc_upload_progress progress; /* saved and resumed; see fc_upload_reset */
    /* Results (the file id is progress.file_id): */
    fc_scan scan;         /* scan_status of the last answer */
    fc_status status;     /* the file's status, of the last answer */
    char link[FC_URL_MAX]; /* the share's raw link, when one was asked */
    fc_upload_private priv; /* private */
} fc_upload;

/* Zero the whole struct (params too): a new upload. Same as = {0}. */
void fc_upload_init(fc_upload *up);
/* Forget the progress, the results and the flow's state, keep the params:
 * the next fc_files_upload() starts a new upload of the params' source. */
void fc_upload_reset(fc_upload *up);

/*
 * Start an upload (FC_AGAIN = started; drive it with fc_poll). The struct
 * must stay valid until the operation ends. On failure, fc_client_error()
 * names the step: "spaces", "initiate", "put", "complete", "scan", "share".
 *
 * Which upload it is:
 *   - a zeroed progress, or a FINISHED one (the flow ended FC_OK before):
 *     a new upload (progress and results start over);
 *   - an unfinished progress (a failed upload, or one loaded from flash)
 *     started with the same name, size, type, space and folder: resumed;
 *   - an unfinished progress of other params: FC_ERR_INVALID_ARG (step
 *     "upload"), nothing sent: call fc_upload_reset() to give it up.
 */
fc_err fc_files_upload(fc_client *c, fc_upload *up);

/* ---- the steps on their own, for applications that want control ---- */

/* POST /uploads/initiate (after looking up "My files" when no space is
 * given): fills up->progress (ids, key, parts) and keeps the first window
 * of presigned URLs at the front of the I/O buffer for fc_uploads_put. */
fc_err fc_uploads_initiate(fc_client *c, fc_upload *up);
/* PUT the remaining parts, asking for the next windows of URLs as needed.
 * Must be the next operation on the client after fc_uploads_initiate (or
 * a failed fc_uploads_put), since the URLs live in the I/O buffer;
 * otherwise FC_ERR_INVALID_ARG. */
fc_err fc_uploads_put(fc_client *c, fc_upload *up);
/* POST /uploads/complete with up->progress's hash and the ETags. */
fc_err fc_uploads_complete(fc_client *c, fc_upload *up);
/* Poll GET /files/{id} until the scan is clean (FC_ERR_SCAN_FAILED for a
 * failed scan, FC_ERR_TIMEOUT past scan_timeout_ms from this call). */
fc_err fc_uploads_wait_clean(fc_client *c, fc_upload *up);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_UPLOAD_H */
