# The README must not drift from what is built and run:
#  - its C++ examples are examples/readme_usage.cpp and examples/quickstart.cpp, character for character;
#  - its second command (the test suite) is the command .ci/run executes.
#   -DSOURCE_DIR=<repository root>
file(READ "${SOURCE_DIR}/README.md" readme)
foreach(shown readme_usage quickstart)
  file(READ "${SOURCE_DIR}/examples/${shown}.cpp" example)
  string(FIND "${readme}" "```cpp\n${example}```" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "README.md does not show examples/${shown}.cpp verbatim in a ```cpp block")
  endif()
endforeach()

string(REGEX MATCHALL "```sh\n[^\n]+\n```" commands "${readme}")
list(LENGTH commands count)
if(count LESS 2)
  message(FATAL_ERROR "README.md must open with two ```sh commands")
endif()
list(GET commands 1 test_command)
string(REGEX REPLACE "```sh\n([^\n]+)\n```" "\\1" test_command "${test_command}")
file(STRINGS "${SOURCE_DIR}/.ci/run" ci_lines)
list(FIND ci_lines "${test_command}" found)
if(found EQUAL -1)
  message(FATAL_ERROR "'.ci/run' does not run the README's test command verbatim: ${test_command}")
endif()
message(STATUS "README example and test command match (${test_command})")
