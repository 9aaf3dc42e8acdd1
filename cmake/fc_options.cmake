# SPDX-License-Identifier: MIT
# Compile-time options: each maps to the FC_CONFIG_* macro of the same name
# in core/include/fluidcloud/fc_config.h, with the same default as there and
# as in the top-level Kconfig. Only values the user changed are passed on.
set(FC_CONFIG_OPTIONS
    MAX_CONNECTIONS HOST_MAX IO_BUFFER_SIZE JSON_TOKENS DETAIL_MAX ETAG_MAX
    CONNECT_TIMEOUT_MS TLS_TIMEOUT_MS FIRST_BYTE_TIMEOUT_MS IDLE_TIMEOUT_MS
    TOTAL_TIMEOUT_MS MIN_BYTES_PER_S SOURCE_RETRY_MS RETRY_MAX_ATTEMPTS RETRY_BASE_MS
    RETRY_CAP_MS RETRY_AFTER_MAX_S LOG_LEVEL ANSWER_DETAIL UPLOAD_KEY_MAX
    SCAN_TIMEOUT_MS SCAN_POLL_FIRST_MS SCAN_POLL_MAX_MS)

option(FC_WERROR "Treat warnings as errors" OFF)

set(FC_CONFIG_DEFINES "")
foreach(opt IN LISTS FC_CONFIG_OPTIONS)
    set(FC_CONFIG_${opt} "" CACHE STRING "FC_CONFIG_${opt} (empty = default from fc_config.h)")
    if(NOT "${FC_CONFIG_${opt}}" STREQUAL "")
        list(APPEND FC_CONFIG_DEFINES FC_CONFIG_${opt}=${FC_CONFIG_${opt}})
    endif()
endforeach()
if(FC_CONFIG_USER_HEADER)
    list(APPEND FC_CONFIG_DEFINES "FC_CONFIG_USER_HEADER=\"${FC_CONFIG_USER_HEADER}\"")
elseif(NOT CMAKE_CROSSCOMPILING)
    # Host builds (the CLI, tests) log through cfg.log at every level, so
    # `fluidcloud --verbose` can show them, and say which field of a bad
    # answer is wrong; firmware cross builds keep both off (compiled out),
    # which is what the size budgets measure.
    if("${FC_CONFIG_LOG_LEVEL}" STREQUAL "")
        list(APPEND FC_CONFIG_DEFINES FC_CONFIG_LOG_LEVEL=4)
    endif()
    if("${FC_CONFIG_ANSWER_DETAIL}" STREQUAL "")
        list(APPEND FC_CONFIG_DEFINES FC_CONFIG_ANSWER_DETAIL=1)
    endif()
endif()
