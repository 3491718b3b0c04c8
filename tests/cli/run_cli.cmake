# Runs the cocoon CLI once and checks what a user would see:
#   -DCLI=<path> -DARGS=<arguments joined by '|'> [-DINPUT=<stdin text>] -DEXPECT_EXIT=<n>
#   [-DEXPECT_STDOUT=<regex>] [-DEXPECT_STDERR=<regex>]
# A failing command (exit != 0) must print exactly one line on stderr.
string(REPLACE "|" ";" ARGS "${ARGS}")
string(RANDOM LENGTH 12 suffix)
set(input_file "${TEMP_DIR}/cli-input-${suffix}.txt")
file(WRITE "${input_file}" "${INPUT}")
execute_process(COMMAND "${CLI}" ${ARGS}
                INPUT_FILE "${input_file}"
                RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE err)
file(REMOVE "${input_file}")
set(report "cocoon ${ARGS}\n  exit ${status}\n  stdout: ${out}\n  stderr: ${err}")
if(NOT status EQUAL EXPECT_EXIT)
  message(FATAL_ERROR "expected exit ${EXPECT_EXIT}\n${report}")
endif()
if(DEFINED EXPECT_STDOUT AND NOT out MATCHES "${EXPECT_STDOUT}")
  message(FATAL_ERROR "stdout does not match '${EXPECT_STDOUT}'\n${report}")
endif()
if(DEFINED EXPECT_STDERR AND NOT err MATCHES "${EXPECT_STDERR}")
  message(FATAL_ERROR "stderr does not match '${EXPECT_STDERR}'\n${report}")
endif()
if(NOT status EQUAL 0)
  string(REGEX MATCHALL "\n" newlines "${err}")
  list(LENGTH newlines lines)
  if(NOT lines EQUAL 1 OR NOT err MATCHES "^cocoon: [^\n]+\n$")
    message(FATAL_ERROR "a failure must print exactly one 'cocoon: ...' line on stderr\n${report}")
  endif()
endif()
