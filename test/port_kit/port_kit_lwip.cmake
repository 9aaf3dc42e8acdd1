# SPDX-License-Identifier: MIT
# The conformance kit on port/lwip (plain, and with port/mbedtls over it),
# over test/lwip's TAP stack in a network namespace. Included by
# test/lwip/CMakeLists.txt after it defined FC_LWIP_TEST_LIBS (the lwIP it
# builds or finds) and FC_LWIP_NETNS_ARGS; works in both of its builds
# (from the top level, and standalone as .ci/embedded.sh runs it).
set(FC_PORT_KIT_DIR ${CMAKE_CURRENT_LIST_DIR})
if(NOT TARGET fluidcloud_port_kit)
    add_library(fluidcloud_port_kit STATIC ${FC_PORT_KIT_DIR}/fc_port_kit.c)
    target_include_directories(fluidcloud_port_kit PUBLIC ${FC_PORT_KIT_DIR})
    target_link_libraries(fluidcloud_port_kit PUBLIC fluidcloud)
    target_compile_options(fluidcloud_port_kit PRIVATE ${FC_WARNINGS})
endif()

add_executable(port_kit_lwip ${FC_PORT_KIT_DIR}/port_kit_lwip.c ${CMAKE_CURRENT_SOURCE_DIR}/lwip_tap_stack.c)
target_include_directories(port_kit_lwip PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(port_kit_lwip PRIVATE fluidcloud_port_kit fluidcloud_lwip ${FC_LWIP_TEST_LIBS}
                      Threads::Threads)
if(TARGET fluidcloud_mbedtls)
    target_link_libraries(port_kit_lwip PRIVATE fluidcloud_mbedtls)
    target_compile_definitions(port_kit_lwip PRIVATE FC_PORT_KIT_MBEDTLS=1)
endif()
target_compile_options(port_kit_lwip PRIVATE ${FC_WARNINGS})

# The peer binds the namespace's kernel side of the TAP link; exit 77 (no
# root, no TAP) is a skip, as for the lwIP test itself.
set(suffix "")
if(FC_LWIP_SRC_DIR)
    set(suffix _nosys) # the NO_SYS=1 lwIP built from Debian's sources
endif()
set(FC_PORT_KIT_LWIP_MODES plain)
if(TARGET fluidcloud_mbedtls)
    list(APPEND FC_PORT_KIT_LWIP_MODES mbedtls)
endif()
foreach(mode IN LISTS FC_PORT_KIT_LWIP_MODES)
    set(skip "")
    if(mode STREQUAL "mbedtls")
        set(skip "--skip tls_truncation") # the pinned port/mbedtls defect, see ../port_kit/CMakeLists.txt
    endif()
    add_test(NAME port_kit_lwip_${mode}${suffix}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/run_in_netns.py --exec --
                     sh -c "exec \"$0\" \"$1\" --bind \"$FC_NETNS_HOST_IP\" --run \"$2\" ${mode} ${skip}"
                     ${Python3_EXECUTABLE} ${FC_PORT_KIT_DIR}/port_kit_peer.py $<TARGET_FILE:port_kit_lwip>)
    set_tests_properties(port_kit_lwip_${mode}${suffix} PROPERTIES
                         LABELS "port_kit;lwip;integration" SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE)
endforeach()
