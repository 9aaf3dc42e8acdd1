/* SPDX-License-Identifier: MIT */
/* The system's <fcntl.h> without close-on-exec, as on Zephyr 3.7 (whose
 * <fcntl.h> has neither O_CLOEXEC nor F_SETFD/FD_CLOEXEC): code that uses
 * them unguarded stops compiling (compile guard, test/mcu/compile_guards.sh). */
#include_next <fcntl.h>
#undef O_CLOEXEC
#undef F_SETFD
#undef FD_CLOEXEC
