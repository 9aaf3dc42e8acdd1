# SPDX-License-Identifier: MIT
# Cross toolchain: ARM Cortex-M3 (ARMv7-M, Thumb-2, no DSP or FPU),
# arm-none-eabi-gcc with newlib (Debian: gcc-arm-none-eabi
# libnewlib-arm-none-eabi). The MCU test (test/mcu) runs this build on
# qemu-system-arm -M mps2-an385.
#
#   cmake -S . -B build-m3 -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-cortex-m3.cmake \
#         -DCMAKE_BUILD_TYPE=MinSizeRel -DFC_BUILD_TESTS=OFF -DFC_BUILD_EXAMPLES=OFF \
#         -DFC_PORT_POSIX=OFF -DFC_PORT_MBEDTLS=OFF
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
# Archives only: a test link would need a board's linker script and startup.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m3 -mthumb -Os -ffunction-sections -fdata-sections")

include(${CMAKE_CURRENT_LIST_DIR}/toolchain-common.cmake)
