# SPDX-License-Identifier: MIT
# Namespaced targets, install rules and the exported package, for every
# library target the build made. Included once, at the end of the top-level
# CMakeLists.txt, so that it sees every target (core, ports, fc_host, CLI).
#
#   add_subdirectory(fluidcloud-c) or find_package(fluidcloud) gives:
#     fluidcloud::fluidcloud  the client (engine, JSON, API, upload flow)
#     fluidcloud::posix       port/posix            fluidcloud::lwip  port/lwip
#     fluidcloud::mbedtls     port/mbedtls          fluidcloud::host  fc_host
#     fluidcloud::cli         the fluidcloud tool (installed package only)
#   and with pkg-config: fluidcloud, fluidcloud-posix, fluidcloud-mbedtls,
#   fluidcloud-lwip, fluidcloud-host (each pulls in what it needs).
#
# Installed layout (GNUInstallDirs): include/fluidcloud/*.h, lib/*.a,
# lib/cmake/fluidcloud/, lib/pkgconfig/, bin/fluidcloud,
# share/doc/fluidcloud-c/LICENSE. Relocatable: the package files find the
# prefix from where they are.
#
# Private dependencies (llhttp, jsmn) are installed as archives the link
# needs, never as include paths: their headers are not installed and their
# targets export no include directory, so a consumer cannot depend on them.
#
# The FC_CONFIG_* values the library was built with travel in the installed
# fluidcloud/fc_config.h (it includes the generated fc_config_build.h), so a
# consumer compiled against the installed headers gets the same values with
# no flag at all; one built with others is stopped by fc_client_init's ABI
# guard.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(FC_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/fluidcloud)
set(FC_GENERATED_DIR ${PROJECT_BINARY_DIR}/fc_generated)

# target, export name, pkg-config module ("-" = none)
set(FC_PACKAGE_TARGETS
    fluidcloud fluidcloud fluidcloud
    fluidcloud_sha256 sha256 -
    fc_llhttp llhttp -
    fc_jsmn jsmn -
    fluidcloud_posix posix fluidcloud-posix
    fluidcloud_mbedtls mbedtls fluidcloud-mbedtls
    fluidcloud_lwip lwip fluidcloud-lwip
    fluidcloud_host host fluidcloud-host)

# Paths inside this source or build tree only make sense while building:
# wrap them in BUILD_INTERFACE; paths elsewhere (mbedTLS, lwIP) stay, since
# the consumer needs them too. private=1 drops every include directory from
# the installed interface (llhttp, jsmn).
function(fc_export_interface target private)
    get_target_property(dirs ${target} INTERFACE_INCLUDE_DIRECTORIES)
    if(NOT dirs)
        return()
    endif()
    set(out "")
    foreach(d IN LISTS dirs)
        string(FIND "${d}" "${PROJECT_SOURCE_DIR}/" in_src)
        string(FIND "${d}" "${PROJECT_BINARY_DIR}/" in_bin)
        if(private OR in_src EQUAL 0 OR in_bin EQUAL 0 OR d STREQUAL PROJECT_SOURCE_DIR
           OR d MATCHES "^\\$<")
            list(APPEND out "$<BUILD_INTERFACE:${d}>")
        else()
            list(APPEND out "${d}")
        endif()
    endforeach()
    if(NOT private)
        list(APPEND out "$<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>")
    endif()
    list(REMOVE_DUPLICATES out)
    set_target_properties(${target} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES "${out}")
endfunction()

# The -D FC_CONFIG_* values are for this build tree (and add_subdirectory
# users); installed consumers get them from the installed fc_config.h.
function(fc_export_definitions target)
    get_target_property(defs ${target} INTERFACE_COMPILE_DEFINITIONS)
    if(NOT defs)
        return()
    endif()
    set(out "")
    foreach(d IN LISTS defs)
        if(d MATCHES "^FC_CONFIG_")
            list(APPEND out "$<BUILD_INTERFACE:${d}>")
        else()
            list(APPEND out "${d}")
        endif()
    endforeach()
    set_target_properties(${target} PROPERTIES INTERFACE_COMPILE_DEFINITIONS "${out}")
endfunction()

set(FC_INSTALLED_TARGETS "")
set(FC_PC_MODULES "")
list(LENGTH FC_PACKAGE_TARGETS _fc_n)
math(EXPR _fc_last "${_fc_n} - 1")
foreach(i RANGE 0 ${_fc_last} 3)
    math(EXPR j "${i} + 1")
    math(EXPR k "${i} + 2")
    list(GET FC_PACKAGE_TARGETS ${i} target)
    list(GET FC_PACKAGE_TARGETS ${j} name)
    list(GET FC_PACKAGE_TARGETS ${k} pc)
    if(NOT TARGET ${target})
        continue()
    endif()
    add_library(fluidcloud::${name} ALIAS ${target})
    set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
    if(name STREQUAL "llhttp" OR name STREQUAL "jsmn")
        fc_export_interface(${target} 1)
    else()
        fc_export_interface(${target} 0)
    endif()
    fc_export_definitions(${target})
    list(APPEND FC_INSTALLED_TARGETS ${target})
    if(NOT pc STREQUAL "-")
        list(APPEND FC_PC_MODULES ${pc})
    endif()
endforeach()
if(TARGET fluidcloud_cli)
    set_target_properties(fluidcloud_cli PROPERTIES EXPORT_NAME cli)
endif()

if(NOT FC_INSTALL)
    return()
endif()

# ---- the configuration header of this build --------------------------------
set(FC_CONFIG_BUILD_LINES "")
foreach(d IN LISTS FC_CONFIG_DEFINES)
    if(d MATCHES "^(FC_CONFIG_[A-Z0-9_]+)=(.*)$" AND NOT CMAKE_MATCH_1 STREQUAL "FC_CONFIG_USER_HEADER")
        string(APPEND FC_CONFIG_BUILD_LINES
               "#ifndef ${CMAKE_MATCH_1}\n#define ${CMAKE_MATCH_1} ${CMAKE_MATCH_2}\n#endif\n")
    endif()
endforeach()
if(FC_CONFIG_USER_HEADER)
    # The user header (e.g. from Kconfig) is installed beside it.
    configure_file(${FC_CONFIG_USER_HEADER} ${FC_GENERATED_DIR}/fluidcloud/fc_config_user_build.h COPYONLY)
    string(APPEND FC_CONFIG_BUILD_LINES "#include \"fluidcloud/fc_config_user_build.h\"\n")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/fc_config_build.h.in
               ${FC_GENERATED_DIR}/fluidcloud/fc_config_build.h @ONLY)

# The installed fc_config.h reads that header first (the source one does not:
# firmware SDK builds give their values with -D or FC_CONFIG_USER_HEADER).
set(_fc_config_src ${PROJECT_SOURCE_DIR}/core/include/fluidcloud/fc_config.h)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_fc_config_src})
file(READ ${_fc_config_src} _fc_config_text)
set(_fc_guard "#define FLUIDCLOUD_FC_CONFIG_H\n")
string(FIND "${_fc_config_text}" "${_fc_guard}" _fc_at)
if(_fc_at LESS 0)
    message(FATAL_ERROR "cmake/fc_install.cmake: '${_fc_guard}' not found in ${_fc_config_src}")
endif()
string(REPLACE "${_fc_guard}"
       "${_fc_guard}\n/* Installed copy: the values libfluidcloud was built with. */\n#include \"fluidcloud/fc_config_build.h\"\n"
       _fc_config_text "${_fc_config_text}")
file(GENERATE OUTPUT ${FC_GENERATED_DIR}/installed/fc_config.h CONTENT "${_fc_config_text}")

# ---- archives, headers, package files ----------------------------------------
install(TARGETS ${FC_INSTALLED_TARGETS} EXPORT fluidcloudTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

set(FC_PUBLIC_HEADER_DIRS core/include)
foreach(pair posix:fluidcloud_posix mbedtls:fluidcloud_mbedtls lwip:fluidcloud_lwip)
    string(REPLACE ":" ";" pair "${pair}")
    list(GET pair 0 port)
    list(GET pair 1 target)
    if(TARGET ${target})
        list(APPEND FC_PUBLIC_HEADER_DIRS port/${port}/include)
    endif()
endforeach()
if(TARGET fluidcloud_host)
    list(APPEND FC_PUBLIC_HEADER_DIRS examples/common/include)
endif()
foreach(dir IN LISTS FC_PUBLIC_HEADER_DIRS)
    install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/fluidcloud
            DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
            FILES_MATCHING PATTERN "*.h" PATTERN "fc_config.h" EXCLUDE)
endforeach()
install(FILES ${FC_GENERATED_DIR}/installed/fc_config.h
              ${FC_GENERATED_DIR}/fluidcloud/fc_config_build.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/fluidcloud)
if(FC_CONFIG_USER_HEADER)
    install(FILES ${FC_GENERATED_DIR}/fluidcloud/fc_config_user_build.h
            DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/fluidcloud)
endif()
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE ${PROJECT_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

install(EXPORT fluidcloudTargets NAMESPACE fluidcloud:: DESTINATION ${FC_INSTALL_CMAKEDIR})
configure_package_config_file(${CMAKE_CURRENT_LIST_DIR}/fluidcloudConfig.cmake.in
                              ${FC_GENERATED_DIR}/fluidcloudConfig.cmake
                              INSTALL_DESTINATION ${FC_INSTALL_CMAKEDIR})
# Before 1.0.0 a new minor version may change the API: only the same minor
# version is compatible.
write_basic_package_version_file(${FC_GENERATED_DIR}/fluidcloudConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${FC_GENERATED_DIR}/fluidcloudConfig.cmake
              ${FC_GENERATED_DIR}/fluidcloudConfigVersion.cmake
        DESTINATION ${FC_INSTALL_CMAKEDIR})

# ---- pkg-config -----------------------------------------------------------------
# prefix is found from the .pc file's own place (${pcfiledir}), so the files
# stay right under `cmake --install --prefix`.
set(FC_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH FC_PC_TO_PREFIX /root/${FC_PC_DIR} /root)
string(REGEX REPLACE "/$" "" FC_PC_TO_PREFIX "${FC_PC_TO_PREFIX}")

# "-L<dir> -l<name>" for libraries given by path (-L only outside the
# compiler's default search paths).
function(fc_pc_libs out)
    set(libs "")
    foreach(lib IN LISTS ARGN)
        get_filename_component(dir ${lib} DIRECTORY)
        get_filename_component(name ${lib} NAME_WE)
        string(REGEX REPLACE "^lib" "" name "${name}")
        if(NOT dir IN_LIST CMAKE_C_IMPLICIT_LINK_DIRECTORIES)
            list(APPEND libs "-L${dir}")
        endif()
        list(APPEND libs "-l${name}")
    endforeach()
    list(REMOVE_DUPLICATES libs)
    string(REPLACE ";" " " libs "${libs}")
    set(${out} "${libs}" PARENT_SCOPE)
endfunction()

function(fc_pc_include_flags out)
    set(flags "")
    foreach(dir IN LISTS ARGN)
        if(dir AND NOT dir IN_LIST CMAKE_C_IMPLICIT_INCLUDE_DIRECTORIES)
            list(APPEND flags "-I${dir}")
        endif()
    endforeach()
    string(REPLACE ";" " " flags "${flags}")
    set(${out} "${flags}" PARENT_SCOPE)
endfunction()

set(FC_PC_NAME fluidcloud)
set(FC_PC_DESCRIPTION "FluidCloud Partner API client: async, zero-malloc state machine")
set(FC_PC_REQUIRES "")
set(FC_PC_CFLAGS "")
set(FC_PC_LIBS "-lfluidcloud -lfc_llhttp -lfc_jsmn -lfluidcloud_sha256")
if(FC_SHA256 STREQUAL "mbedtls")
    fc_pc_libs(_crypto ${MBEDCRYPTO_LIBRARY})
    string(APPEND FC_PC_LIBS " ${_crypto}")
endif()
configure_file(${CMAKE_CURRENT_LIST_DIR}/fluidcloud.pc.in ${FC_GENERATED_DIR}/fluidcloud.pc @ONLY)

if(TARGET fluidcloud_posix)
    set(FC_PC_NAME fluidcloud-posix)
    set(FC_PC_DESCRIPTION "fluidcloud-c port: non-blocking BSD sockets, clock, poll() helper")
    set(FC_PC_REQUIRES "fluidcloud")
    set(FC_PC_CFLAGS "")
    set(FC_PC_LIBS "-lfluidcloud_posix")
    configure_file(${CMAKE_CURRENT_LIST_DIR}/fluidcloud.pc.in ${FC_GENERATED_DIR}/fluidcloud-posix.pc @ONLY)
endif()
if(TARGET fluidcloud_mbedtls)
    set(FC_PC_NAME fluidcloud-mbedtls)
    set(FC_PC_DESCRIPTION "fluidcloud-c port: TLS with mbedTLS as a layer over any transport")
    set(FC_PC_REQUIRES "fluidcloud")
    fc_pc_include_flags(FC_PC_CFLAGS ${MBEDTLS_INCLUDE_DIR})
    fc_pc_libs(_tls ${MBEDTLS_LIBRARY} ${MBEDX509_LIBRARY} ${MBEDCRYPTO_LIBRARY})
    set(FC_PC_LIBS "-lfluidcloud_mbedtls ${_tls}")
    configure_file(${CMAKE_CURRENT_LIST_DIR}/fluidcloud.pc.in ${FC_GENERATED_DIR}/fluidcloud-mbedtls.pc @ONLY)
endif()
if(TARGET fluidcloud_lwip)
    set(FC_PC_NAME fluidcloud-lwip)
    set(FC_PC_DESCRIPTION "fluidcloud-c port: lwIP raw/altcp API")
    set(FC_PC_REQUIRES "fluidcloud")
    fc_pc_include_flags(FC_PC_CFLAGS ${FC_LWIP_PORT_INCLUDE_DIR} ${FC_LWIP_INCLUDE_DIR})
    set(FC_PC_LIBS "-lfluidcloud_lwip")
    configure_file(${CMAKE_CURRENT_LIST_DIR}/fluidcloud.pc.in ${FC_GENERATED_DIR}/fluidcloud-lwip.pc @ONLY)
endif()
if(TARGET fluidcloud_host)
    set(FC_PC_NAME fluidcloud-host)
    set(FC_PC_DESCRIPTION "fluidcloud-c: a ready client for host programs (POSIX sockets under mbedTLS)")
    set(FC_PC_REQUIRES "fluidcloud-mbedtls fluidcloud-posix")
    set(FC_PC_CFLAGS "")
    set(FC_PC_LIBS "-lfluidcloud_host")
    configure_file(${CMAKE_CURRENT_LIST_DIR}/fluidcloud.pc.in ${FC_GENERATED_DIR}/fluidcloud-host.pc @ONLY)
endif()
foreach(pc IN LISTS FC_PC_MODULES)
    install(FILES ${FC_GENERATED_DIR}/${pc}.pc DESTINATION ${FC_PC_DIR})
endforeach()
