/* SPDX-License-Identifier: MIT */
/* ESP-IDF's newlib ships <sys/poll.h> only: any #include <poll.h> must fail
 * here as it does there (compile guard, see test/mcu/compile_guards.sh). */
#error "<poll.h> does not exist on ESP-IDF: include <sys/poll.h>"
