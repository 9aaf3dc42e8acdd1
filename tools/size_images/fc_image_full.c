/* SPDX-License-Identifier: MIT */
/*
 * fc_image_full.c - the full-API image of tools/size_table.py: the camera
 * image plus a reference to every function the public headers declare
 * (fc_image_calls.h, which size_table.py writes from core/include, so no
 * call can be missed), so --gc-sections keeps all of the library.
 */
#include "fc_image_common.h"

#include "fluidcloud/fc_api.h"
#include "fluidcloud/fc_download.h"
#include "fluidcloud/fc_json.h"
#include "fluidcloud/fc_sha256.h"
#include "fluidcloud/fc_url.h"
#include "fluidcloud/fc_version.h"

#include "fc_image_calls.h" /* #define FC_IMAGE_CALLS(X) X(fc_me_get) ... */

typedef void (*fc_any_fn)(void);

#define FC_IMAGE_REF(f) (fc_any_fn)f,
static const volatile fc_any_fn k_calls[] = {FC_IMAGE_CALLS(FC_IMAGE_REF)};

int fc_image_main(void);

int fc_image_main(void)
{
    /* Read the table through volatile: every entry is kept. */
    unsigned i;
    unsigned kept = 0;
    for (i = 0; i < sizeof k_calls / sizeof k_calls[0]; i++) {
        kept += k_calls[i] != 0;
    }
    return camera_upload() + (int)kept;
}
