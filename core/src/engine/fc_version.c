/* SPDX-License-Identifier: MIT */
/* fc_version.c - see fluidcloud/fc_version.h. */
#include "fluidcloud/fc_version.h"

const char *fc_version(void)
{
    return FC_VERSION_STRING;
}
