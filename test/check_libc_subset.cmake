# SPDX-License-Identifier: MIT
# libfluidcloud.a calls only the C library functions that every libc the
# library targets has, Zephyr's minimal libc included (it has no strpbrk,
# issue 13d): memory and string basics, nothing else.
#
#   cmake -DNM=<nm> -DARCHIVE=<libfluidcloud.a> -P check_libc_subset.cmake
#
# Every symbol an object of the archive needs must be defined in the
# archive itself, belong to our own other archives (fc_*: SHA-256, the
# ports' contract is a table, not symbols), llhttp (llhttp_*) or jsmn
# (jsmn_*), be a compiler or sanitizer helper, or be on the list below.
cmake_minimum_required(VERSION 3.20) # IN_LIST
foreach(v NM ARCHIVE)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "check_libc_subset.cmake: -D${v}=... is required")
    endif()
endforeach()

set(LIBC_ALLOWED memchr memcmp memcpy memmove memset strchr strcmp strlen strncmp)

execute_process(COMMAND ${NM} -u ${ARCHIVE} OUTPUT_VARIABLE undefined RESULT_VARIABLE rc1)
execute_process(COMMAND ${NM} --defined-only ${ARCHIVE} OUTPUT_VARIABLE defined RESULT_VARIABLE rc2)
if(NOT rc1 EQUAL 0 OR NOT rc2 EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${ARCHIVE}")
endif()

string(REGEX MATCHALL "[ \t][A-Za-z]+[ \t]+[A-Za-z_][A-Za-z0-9_.]*" def_lines "${defined}")
set(own "")
foreach(line IN LISTS def_lines)
    string(REGEX REPLACE "^[ \t][A-Za-z]+[ \t]+" "" sym "${line}")
    list(APPEND own ${sym})
endforeach()

string(REGEX MATCHALL "U[ \t]+[A-Za-z_][A-Za-z0-9_.]*" undef_lines "${undefined}")
set(bad "")
set(used "")
foreach(line IN LISTS undef_lines)
    string(REGEX REPLACE "^U[ \t]+" "" sym "${line}")
    if(sym IN_LIST own OR sym MATCHES "^(fc_|llhttp_|jsmn_)" OR
       sym MATCHES "^__(asan|ubsan|sanitizer|stack_chk|aeabi)" OR sym STREQUAL "_GLOBAL_OFFSET_TABLE_")
        continue()
    endif()
    if(sym IN_LIST LIBC_ALLOWED)
        list(APPEND used ${sym})
    else()
        list(APPEND bad ${sym})
    endif()
endforeach()
list(REMOVE_DUPLICATES used)
list(REMOVE_DUPLICATES bad)
if(bad)
    message(FATAL_ERROR "libfluidcloud.a calls ${bad}, outside the libc subset it may use "
                        "(${LIBC_ALLOWED}): write a helper in core/src/util instead")
endif()
message("libfluidcloud.a uses only: ${used}")
