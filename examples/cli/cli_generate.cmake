# SPDX-License-Identifier: MIT
# cmake -DCLI=<fluidcloud> -DDIR=<out dir> -P cli_generate.cmake
# Writes the man page and the shell completions, each printed by the tool.
foreach(pair "manpage;fluidcloud.1" "completion;bash;fluidcloud.bash" "completion;zsh;_fluidcloud")
    list(POP_BACK pair out)
    execute_process(COMMAND ${CLI} ${pair} OUTPUT_FILE ${DIR}/${out}.tmp RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "fluidcloud ${pair} failed (${rc})")
    endif()
    file(RENAME ${DIR}/${out}.tmp ${DIR}/${out})
endforeach()
