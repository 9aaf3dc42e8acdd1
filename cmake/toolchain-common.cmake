# SPDX-License-Identifier: MIT
# Shared tail of the cross toolchain files.

# Never pick up host libraries or headers for the target.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Debian installs jsmn.h straight into /usr/include. Passing -I/usr/include
# to a cross compiler would put glibc's headers in front of newlib/picolibc,
# so stage jsmn.h alone in a directory of its own.
if(NOT DEFINED FC_JSMN_INCLUDE_DIR AND EXISTS /usr/include/jsmn.h AND DEFINED CMAKE_BINARY_DIR)
    file(COPY /usr/include/jsmn.h DESTINATION ${CMAKE_BINARY_DIR}/fc_cross_jsmn)
    set(FC_JSMN_INCLUDE_DIR ${CMAKE_BINARY_DIR}/fc_cross_jsmn CACHE PATH "Directory holding jsmn.h")
endif()
