/* SPDX-License-Identifier: MIT */
/*
 * fc_image_camera.c - the camera image of tools/size_table.py: a client,
 * a stub transport and fc_files_upload with a public share, linked with
 * --gc-sections. The library's part of it is what a camera firmware pays.
 */
#include "fc_image_common.h"

int fc_image_main(void);

int fc_image_main(void)
{
    return camera_upload();
}
