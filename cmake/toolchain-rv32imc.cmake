# SPDX-License-Identifier: MIT
# Cross toolchain: RISC-V rv32imc / ilp32 (ESP32-C3 class), Debian's
# riscv64-unknown-elf-gcc (multilib) with picolibc
# (Debian: gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf; the specs
# file lives in /usr/lib/picolibc/riscv64-unknown-elf/ and gcc finds it by name).
#
#   cmake -S . -B build-rv32 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-rv32imc.cmake \
#         -DCMAKE_BUILD_TYPE=MinSizeRel -DFC_BUILD_TESTS=OFF -DFC_BUILD_EXAMPLES=OFF \
#         -DFC_PORT_POSIX=OFF -DFC_PORT_MBEDTLS=OFF
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)

set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# --specs=picolibc.specs puts picolibc's headers first (gcc was built
# --without-newlib, so there is no other libc for it).
set(CMAKE_C_FLAGS_INIT "-march=rv32imc -mabi=ilp32 --specs=picolibc.specs -Os -ffunction-sections -fdata-sections")

include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
