# SPDX-License-Identifier: MIT
# The sources of libfluidcloud.a by layer, lowest first. Each layer is a
# folder core/src/<layer> with its own internal header; a layer may include
# the headers of itself and of the layers before it in FC_CORE_LAYERS, never
# of one after it (the host build gives each layer only those include
# directories, and test/check_layering.cmake proves an upward include fails):
#
#   util      strings, decimal digits, wrap-safe time; fc_error.h, fc_url.h
#   json      fc_json.h: reading over jsmn, writing
#   engine    the client, one HTTP exchange, connections, retries, errors
#   api       every endpoint: string pool, request bodies, decoding, lists
#   transfer  the upload flow and downloads
#
# Included by the top-level CMakeLists.txt, cmake/esp_idf_component.cmake
# and zephyr/CMakeLists.txt, which compile FC_CORE_SOURCES with
# FC_CORE_INTERNAL_INCLUDE_DIRS (all layers) as private include directories.
set(FC_CORE_DIR ${CMAKE_CURRENT_LIST_DIR})
set(FC_CORE_LAYERS util json engine api transfer)
set(FC_CORE_SOURCES "")
set(FC_CORE_INTERNAL_INCLUDE_DIRS "")
foreach(fc_layer IN LISTS FC_CORE_LAYERS)
    file(GLOB FC_CORE_${fc_layer}_SOURCES CONFIGURE_DEPENDS ${FC_CORE_DIR}/src/${fc_layer}/*.c)
    list(APPEND FC_CORE_SOURCES ${FC_CORE_${fc_layer}_SOURCES})
    list(APPEND FC_CORE_INTERNAL_INCLUDE_DIRS ${FC_CORE_DIR}/src/${fc_layer})
endforeach()
