/* SPDX-License-Identifier: MIT */
/* The system's <netdb.h> without EAI_SYSTEM, as lwIP's (ESP-IDF) is
 * (compile guard, test/mcu/compile_guards.sh). */
#include_next <netdb.h>
#undef EAI_SYSTEM
