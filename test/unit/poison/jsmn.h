/* SPDX-License-Identifier: MIT */
/* First on the include path of test/unit/public_headers.c: a public header
 * that includes <jsmn.h> stops the build here (applications need no jsmn). */
#error "a public fluidcloud header includes <jsmn.h>"
