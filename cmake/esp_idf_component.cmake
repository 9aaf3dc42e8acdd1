# SPDX-License-Identifier: MIT
# ESP-IDF component registration, included by the top-level CMakeLists.txt
# when ESP_PLATFORM is set (ESP-IDF builds the repository root as the
# component "fluidcloud-c"; see idf_component.yml).
#
# Sources: core/ always; port/posix (BSD sockets over IDF's lwIP), port/
# mbedtls (IDF's mbedtls component) and port/lwip by Kconfig switch.
# Configuration: the Kconfig at the repository root; cmake/fc_config_kconfig.h
# maps CONFIG_FC_* from sdkconfig.h to FC_CONFIG_*, passed PUBLIC so the
# application sees the same struct sizes as the library.
#
# llhttp and jsmn are NOT bundled (ESP-IDF ships neither): point the
# project at their sources before including project.cmake, e.g.
#   set(FC_LLHTTP_DIR  ${CMAKE_SOURCE_DIR}/third_party/llhttp)  # api.c http.c llhttp.c llhttp.h
#   set(FC_JSMN_INCLUDE_DIR ${CMAKE_SOURCE_DIR}/third_party/jsmn)  # jsmn.h
# or export them as environment variables of the same names.
set(FC_ROOT ${CMAKE_CURRENT_LIST_DIR}/..)

foreach(var FC_LLHTTP_DIR FC_LLHTTP_INCLUDE_DIR FC_JSMN_INCLUDE_DIR)
    if(NOT DEFINED ${var} AND DEFINED ENV{${var}})
        set(${var} $ENV{${var}})
    endif()
endforeach()
# Debian's packages (node-llhttp, libjsmn-dev) when nothing else is given;
# jsmn.h is staged alone so /usr/include never reaches the cross compiler.
if(NOT DEFINED FC_LLHTTP_DIR AND EXISTS /usr/share/llhttp/llhttp.c)
    set(FC_LLHTTP_DIR /usr/share/llhttp)
    set(FC_LLHTTP_INCLUDE_DIR /usr/share/include/llhttp)
endif()
if(NOT DEFINED FC_LLHTTP_INCLUDE_DIR AND DEFINED FC_LLHTTP_DIR)
    set(FC_LLHTTP_INCLUDE_DIR ${FC_LLHTTP_DIR})
endif()
if(NOT DEFINED FC_JSMN_INCLUDE_DIR AND EXISTS /usr/include/jsmn.h)
    file(COPY /usr/include/jsmn.h DESTINATION ${CMAKE_BINARY_DIR}/fc_jsmn)
    set(FC_JSMN_INCLUDE_DIR ${CMAKE_BINARY_DIR}/fc_jsmn)
endif()

include(${FC_ROOT}/core/fc_core.cmake) # FC_CORE_SOURCES, by layer
set(fc_srcs ${FC_CORE_SOURCES} ${FC_ROOT}/core/jsmn/fc_jsmn_impl.c)
set(fc_incs ${FC_ROOT}/core/include)
set(fc_priv_incs ${FC_CORE_INTERNAL_INCLUDE_DIRS})

if(DEFINED FC_LLHTTP_DIR)
    file(GLOB fc_llhttp_srcs ${FC_LLHTTP_DIR}/*.c)
    list(APPEND fc_srcs ${fc_llhttp_srcs})
    list(APPEND fc_priv_incs ${FC_LLHTTP_INCLUDE_DIR}) # the library's alone
endif()
if(DEFINED FC_JSMN_INCLUDE_DIR)
    list(APPEND fc_priv_incs ${FC_JSMN_INCLUDE_DIR})
endif()

# CONFIG_* are unset during IDF's early requirement expansion; only
# REQUIRES matters then, so the checks below wait for the real pass.
if(CONFIG_FC_PORT_POSIX)
    file(GLOB fc_port_srcs ${FC_ROOT}/port/posix/*.c)
    list(APPEND fc_srcs ${fc_port_srcs})
    list(APPEND fc_incs ${FC_ROOT}/port/posix/include)
endif()
if(CONFIG_FC_PORT_MBEDTLS)
    file(GLOB fc_port_srcs ${FC_ROOT}/port/mbedtls/*.c)
    list(APPEND fc_srcs ${fc_port_srcs} ${FC_ROOT}/port/mbedtls/sha256/fc_sha256_mbedtls.c
         ${FC_ROOT}/core/sha256/fc_sha256_hex.c)
    list(APPEND fc_incs ${FC_ROOT}/port/mbedtls/include)
else()
    list(APPEND fc_srcs ${FC_ROOT}/core/sha256/fc_sha256.c # no mbedTLS: builtin SHA-256
         ${FC_ROOT}/core/sha256/fc_sha256_hex.c)
endif()
if(CONFIG_FC_PORT_LWIP)
    list(APPEND fc_srcs ${FC_ROOT}/port/lwip/fc_lwip_transport.c)
    list(APPEND fc_incs ${FC_ROOT}/port/lwip/include)
endif()

if(NOT CMAKE_BUILD_EARLY_EXPANSION AND NOT DEFINED FC_LLHTTP_DIR)
    message(FATAL_ERROR "fluidcloud-c: set FC_LLHTTP_DIR to llhttp's C sources (see cmake/esp_idf_component.cmake)")
endif()

idf_component_register(
    SRCS ${fc_srcs}
    INCLUDE_DIRS ${fc_incs}
    PRIV_INCLUDE_DIRS ${fc_priv_incs}
    REQUIRES mbedtls lwip)

target_compile_definitions(${COMPONENT_LIB} PUBLIC
    "FC_CONFIG_USER_HEADER=\"${FC_ROOT}/cmake/fc_config_kconfig.h\"")
