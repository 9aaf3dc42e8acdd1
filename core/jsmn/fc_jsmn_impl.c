/* SPDX-License-Identifier: MIT */
/*
 * The jsmn tokenizer from Debian's libjsmn-dev, compiled once into its own
 * archive (libfc_jsmn.a). jsmn is header-only; every other file includes
 * it with JSMN_HEADER for the declarations alone.
 */
#define JSMN_STRICT
#include <jsmn.h>
