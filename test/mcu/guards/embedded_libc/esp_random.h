/* SPDX-License-Identifier: MIT */
/* The one declaration of ESP-IDF's esp_random.h that port/posix uses, so the
 * ESP_PLATFORM branch compiles on the host (compile guard only; the real
 * header is used by the check against an ESP-IDF tree). */
#include <stdint.h>
uint32_t esp_random(void);
