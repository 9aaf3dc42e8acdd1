/* SPDX-License-Identifier: MIT */
/* First on the include path of test/unit/public_headers.c: a public header
 * that includes <llhttp.h> stops the build here (applications need no llhttp). */
#error "a public fluidcloud header includes <llhttp.h>"
