# SPDX-License-Identifier: MIT
# The layers of core/src see only themselves and the layers below them.
#
#   cmake -DCC=<compiler> -DCORE=<core dir> -DLAYERS=util|json|...
#         -DINCS_<layer>=<that layer's include directories, '|' between>
#         -DDEFS=<compile definitions, '|' between>
#         -DWORK=<scratch dir> -P check_layering.cmake
#
# For every pair of layers it compiles (-fsyntax-only, with exactly the
# include directories the build gives the lower layer) a one-line file that
# includes the higher layer's internal header: each must fail with the
# header not found. As a control, each layer's own header and those below
# must compile with the same directories, so a failure means the layering,
# not a broken probe. Then no source may reach another layer's folder by a
# relative path ("../api/..."), which include directories cannot stop.
foreach(v CC CORE LAYERS WORK)
    if(NOT DEFINED ${v})
        message(FATAL_ERROR "check_layering.cmake: -D${v}=... is required")
    endif()
endforeach()
file(MAKE_DIRECTORY ${WORK})
# Lists arrive joined with '|' (a ';' would split the test's arguments).
foreach(v LAYERS DEFS)
    string(REPLACE "|" ";" ${v} "${${v}}")
endforeach()

# The internal header of each layer (json has none: fc_json.h is public).
set(HEADER_util fc_util.h)
set(HEADER_engine fc_engine.h)
set(HEADER_api fc_api_internal.h)
set(HEADER_transfer fc_transfer.h)

set(defs "")
foreach(d IN LISTS DEFS)
    list(APPEND defs "-D${d}")
endforeach()

set(failures 0)
set(probes 0)
function(probe layer header expect_ok)
    set(incs "")
    string(REPLACE "|" ";" dirs "${INCS_${layer}}")
    foreach(d IN LISTS dirs)
        list(APPEND incs "-I${d}")
    endforeach()
    string(MAKE_C_IDENTIFIER "${layer}_${header}" id)
    set(src ${WORK}/probe_${id}.c)
    file(WRITE ${src} "#include \"${header}\"\ntypedef int fc_probe_nonempty;\n")
    execute_process(COMMAND ${CC} -std=c99 -fsyntax-only ${incs} ${defs} ${src}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
    math(EXPR n "${probes} + 1")
    set(probes ${n} PARENT_SCOPE)
    if(expect_ok)
        if(NOT rc EQUAL 0)
            message("FAIL: layer ${layer} cannot include its own or a lower header ${header}:\n${out}")
            math(EXPR f "${failures} + 1")
            set(failures ${f} PARENT_SCOPE)
        else()
            message("ok: ${layer} includes ${header}")
        endif()
    elseif(rc EQUAL 0 OR NOT out MATCHES "${header}('|\"|)(: No such file| file not found)")
        message("FAIL: layer ${layer} includes the higher layer's ${header} (rc ${rc}):\n${out}")
        math(EXPR f "${failures} + 1")
        set(failures ${f} PARENT_SCOPE)
    else()
        message("ok: ${layer} cannot include ${header} (not found)")
    endif()
endfunction()

set(below "")
set(index 0)
list(LENGTH LAYERS count)
foreach(layer IN LISTS LAYERS)
    # Its own header and every lower one compile.
    foreach(l IN LISTS below ITEMS ${layer})
        if(DEFINED HEADER_${l})
            probe(${layer} ${HEADER_${l}} TRUE)
        endif()
    endforeach()
    # No higher one is found.
    math(EXPR next "${index} + 1")
    if(next LESS count)
        math(EXPR last "${count} - 1")
        foreach(i RANGE ${next} ${last})
            list(GET LAYERS ${i} higher)
            if(DEFINED HEADER_${higher})
                probe(${layer} ${HEADER_${higher}} FALSE)
            endif()
        endforeach()
    endif()
    list(APPEND below ${layer})
    set(index ${next})
endforeach()

# No include by a path: only "fluidcloud/..." (public) and plain names.
file(GLOB_RECURSE sources ${CORE}/src/*.c ${CORE}/src/*.h)
foreach(f IN LISTS sources)
    file(STRINGS ${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"[^\"]*/")
    foreach(line IN LISTS lines)
        if(NOT line MATCHES "\"fluidcloud/[^\"/]+\"")
            message("FAIL: ${f}: ${line} (include by a path crosses the layering)")
            math(EXPR failures "${failures} + 1")
        endif()
    endforeach()
endforeach()

if(failures GREATER 0)
    message(FATAL_ERROR "${failures} of ${probes} layering probes failed")
endif()
message("layering: ${probes} probes passed; no include by a path in ${CORE}/src")
