/* SPDX-License-Identifier: MIT */
/*
 * fc_version.h - the version of fluidcloud-c (semantic versioning; before
 * 1.0.0 a minor version may change the API and the ABI).
 *
 * This header is the one place the version is written: the top-level
 * CMakeLists.txt reads it for project(VERSION), the CMake package and the
 * pkg-config files carry it, and the User-Agent sent is
 * "fluidcloud-c/" FC_VERSION_STRING. Compare FC_VERSION_NUMBER in #if;
 * fc_version() gives the version of the library actually linked.
 */
#ifndef FLUIDCLOUD_FC_VERSION_H
#define FLUIDCLOUD_FC_VERSION_H

#define FC_VERSION_MAJOR 0
#define FC_VERSION_MINOR 2
#define FC_VERSION_PATCH 0
#define FC_VERSION_STRING "0.2.0"

/* 0xMMmmpp: FC_VERSION_NUMBER >= 0x000200 means 0.2.0 or newer. */
#define FC_VERSION_NUMBER ((FC_VERSION_MAJOR << 16) | (FC_VERSION_MINOR << 8) | FC_VERSION_PATCH)

#ifdef __cplusplus
extern "C" {
#endif

/* The linked library's FC_VERSION_STRING ("0.2.0"). */
const char *fc_version(void);

#ifdef __cplusplus
}
#endif

#endif /* FLUIDCLOUD_FC_VERSION_H */
