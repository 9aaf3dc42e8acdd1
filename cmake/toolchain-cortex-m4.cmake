# SPDX-License-Identifier: MIT
# Cross toolchain: ARM Cortex-M4 (Thumb-2, soft float ABI), arm-none-eabi-gcc
# with newlib (Debian: gcc-arm-none-eabi libnewlib-arm-none-eabi).
#
#   cmake -S . -B build-m4 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-cortex-m4.cmake \
#         -DCMAKE_BUILD_TYPE=MinSizeRel -DFC_BUILD_TESTS=OFF -DFC_BUILD_EXAMPLES=OFF \
#         -DFC_PORT_POSIX=OFF -DFC_PORT_MBEDTLS=OFF -DFC_PORT_LWIP=ON
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
# Archives only: a test link would need a board's linker script and startup.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

# -Os and section-per-function are what firmware builds use; the size table
# is measured with exactly these flags.
set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m4 -mthumb -Os -ffunction-sections -fdata-sections")

include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
