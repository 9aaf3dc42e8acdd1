/* SPDX-License-Identifier: MIT */
/*
 * fc_contract.h - every path, query parameter, JSON field name and enum
 * string of the FluidCloud Partner API v1 that the client relies on, in
 * one place.
 *
 * The public docs describe only part of the API; where they are silent
 * the project chose a name (tagged [contract] here, and listed with the
 * reasons in docs/contract.md). When the real service turns out to differ,
 * change the macro here: nothing else in core/ spells these strings.
 * Tags: [seed] conventions page, [docs] other doc pages, [contract] ours.
 */
#ifndef FLUIDCLOUD_FC_CONTRACT_H
#define FLUIDCLOUD_FC_CONTRACT_H

/* ---- the API's address ------------------------------------------------- */
#define FC_BASE_URL_PRODUCTION "https://api-cloud.fluidvip.com/api/v1" /* [seed] */
/* The SDKs take a bare origin and append this [docs]; so does the client
 * when base_url has no path. */
#define FC_API_PATH_PREFIX    "/api/v1"
#define FC_KEY_PREFIX         "fck_"                /* [seed] fck_live_ / fck_test_ */

/* ---- paths, below the base URL's path ("/api/v1") -------------------- */
#define FC_PATH_ME             "/me"                 /* [contract] */
#define FC_PATH_SPACES         "/spaces"             /* [docs] */
#define FC_PATH_FOLDERS        "/folders"            /* [docs] */
#define FC_PATH_FILES          "/files"              /* [docs] */
#define FC_PATH_FILES_RESOLVE  "/files/resolve"      /* [docs] */
#define FC_PATH_UPLOADS_IMPORT "/uploads/import-url" /* [contract] */
#define FC_PATH_SHARES         "/shares"             /* [docs] */
#define FC_PATH_QUOTA          "/quota"              /* [docs] */
#define FC_PATH_GDPR_FILES     "/gdpr/files"         /* [docs] */
#define FC_PATH_GDPR_TRASH     "/gdpr/trash"         /* [docs] */
/* Suffixes after "/<resource>/<id>". */
#define FC_PATH_RESTORE  "/restore"  /* [docs] */
#define FC_PATH_STATS    "/stats"    /* [contract] */
#define FC_PATH_DOWNLOAD "/download" /* [contract] */
#define FC_PATH_PREVIEW  "/preview"  /* [contract] */

/* ---- query parameters ---------------------------------------------------- */
#define FC_Q_LIMIT      "limit"      /* [seed] */
#define FC_Q_CURSOR     "cursor"     /* [seed] */
#define FC_Q_SPACE_ID   "space_id"   /* [seed] */
#define FC_Q_PARENT_ID  "parent_id"  /* [docs] */
#define FC_Q_FOLDER_ID  "folder_id"  /* [seed] */
#define FC_Q_FILE_ID    "file_id"    /* [docs] */
#define FC_Q_TRASHED    "trashed"    /* [contract] */
#define FC_Q_TRUE       "true"       /* [contract] value of trashed */
#define FC_Q_CLIENT_KEY "client_key" /* [docs] */

/* ---- list bodies ------------------------------------------------------------ */
#define FC_F_ITEMS       "items"       /* [contract] */
#define FC_F_NEXT_CURSOR "next_cursor" /* [contract] */

/* ---- object fields ------------------------------------------------------------ */
#define FC_F_ID              "id"
#define FC_F_TENANT_ID       "tenant_id"
#define FC_F_NAME            "name"
#define FC_F_APP             "app"
#define FC_F_CREATED_AT      "created_at"
#define FC_F_UPDATED_AT      "updated_at" /* [contract] for folders, files */
#define FC_F_DELETED_AT      "deleted_at" /* [contract] */
#define FC_F_SPACE_ID        "space_id"
#define FC_F_PARENT_ID       "parent_id"
#define FC_F_FOLDER_ID       "folder_id"
#define FC_F_SOURCE_APP      "source_app"
#define FC_F_CLIENT_KEY      "client_key"
#define FC_F_ORIGINAL_NAME   "original_name"
#define FC_F_MIME            "mime"
#define FC_F_SIZE            "size"
#define FC_F_SHA256          "sha256"
#define FC_F_SCAN_STATUS     "scan_status"
#define FC_F_STATUS          "status"
#define FC_F_CREATED_BY      "created_by"
#define FC_F_KEY_ID          "key_id"      /* [contract] GET /me */
#define FC_F_MODE            "mode"        /* [contract] GET /me */
#define FC_F_SCOPES          "scopes"      /* [contract] GET /me */
#define FC_F_FILE_COUNT      "file_count"  /* [contract] folder stats */
#define FC_F_TOTAL_BYTES     "total_bytes" /* [contract] folder stats */
#define FC_F_URL             "url"
#define FC_F_EXPIRES_AT      "expires_at" /* [contract] */
#define FC_F_FILE_ID         "file_id"
#define FC_F_PERMISSION      "permission"
#define FC_F_EXPIRES_IN_DAYS "expires_in_days" /* [docs] */
#define FC_F_BYTES_USED      "bytes_used"      /* [docs] */
#define FC_F_BYTES_LIMIT     "bytes_limit"
#define FC_F_LINKS_USED      "links_used"
#define FC_F_LINKS_LIMIT     "links_limit"
#define FC_F_BY_APP          "by_app"
#define FC_F_BYTES           "bytes"
#define FC_F_FILES           "files"

/* ---- enum strings ---------------------------------------------------------- */
#define FC_S_SCAN_PENDING  "pending"  /* [docs] */
#define FC_S_SCAN_CLEAN    "clean"    /* [docs] */
#define FC_S_SCAN_INFECTED "infected" /* [contract] */
#define FC_S_SCAN_ERROR    "error"    /* [contract] */
#define FC_S_STATUS_DRAFT  "draft"    /* [docs] */
#define FC_S_STATUS_READY  "ready"    /* [contract] */
#define FC_S_PERM_VIEW     "view"     /* [docs] */
#define FC_S_PERM_DOWNLOAD "download" /* [contract] */

/* ---- error bodies (engine/fc_error_info.c) ---------------------------- */
#define FC_F_DETAIL         "detail"         /* [seed] */
#define FC_F_ERROR          "error"          /* [docs] detail.error */
#define FC_F_MISSING        "missing"        /* [docs] insufficient_scope */
#define FC_F_REQUIRED       "required"       /* [docs] */
#define FC_F_MESSAGE        "message"        /* [contract] a human text in detail */
#define FC_F_MSG            "msg"            /* [docs] 422 list items */
#define FC_F_LOC            "loc"            /* [docs] 422 list items: where, e.g. ["body", "name"] */
#define FC_S_LOC_BODY       "body"           /* [contract] a loc's first part left out of the message */
#define FC_S_QUOTA_EXCEEDED "quota_exceeded" /* [seed] */

/* ---- uploads (the upload flow, fc_upload*.c) ---------------------------- */
#define FC_PATH_UPLOADS_INITIATE "/uploads/initiate" /* [docs] */
#define FC_PATH_UPLOADS_COMPLETE "/uploads/complete" /* [docs] */
#define FC_F_CONTENT_TYPE        "content_type"      /* [contract] initiate */
#define FC_F_UPLOAD_ID           "upload_id"         /* [contract] */
#define FC_F_KEY                 "key"               /* [contract] storage object key */
#define FC_F_HEADERS             "headers"           /* [contract] single ticket */
#define FC_F_PART_SIZE           "part_size"         /* [contract] multipart ticket */
#define FC_F_PARTS               "parts"             /* [contract] */
#define FC_F_PART_NUMBER         "part_number"       /* [contract] */
/* [contract] The part window (TEAM decision 1, issue 12): initiate takes
 * "part_from" (1-based first part whose URL is wanted, default 1) and
 * "part_limit" (how many URLs at most, default all), on the first call and
 * on a resume (upload_id set: same upload, fresh URLs). A multipart ticket
 * then carries "part_count" (all parts of the upload), "part_size" and
 * "parts" with only part_from .. part_from+part_limit-1. The client reads
 * the ticket as a stream and keeps only its window (a server that ignores
 * the fields still works: it skips the other parts, only slower), and asks
 * for the next window with the upload_id. Without an upload_id (15.9) all
 * parts must fit at once. */
#define FC_F_PART_FROM  "part_from"  /* [contract] */
#define FC_F_PART_LIMIT "part_limit" /* [contract] */
#define FC_F_PART_COUNT "part_count" /* [contract] */
#define FC_F_ETAG                "etag"              /* [contract] complete; an ETag's
                                                         bytes above ASCII go as \u00XX
                                                         (ISO-8859-1), fc_upload_complete.c */
#define FC_MODE_SINGLE           "single"            /* [contract] ticket mode */
#define FC_MODE_MULTIPART        "multipart"         /* [contract] */
#define FC_DEFAULT_SPACE_NAME    "My files"          /* [docs] */

#endif /* FLUIDCLOUD_FC_CONTRACT_H */
