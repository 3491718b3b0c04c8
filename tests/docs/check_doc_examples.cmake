# A document must show its examples character for character, each in a ```cpp block:
#   -DSOURCE_DIR=<repository root> -DDOC=<document, relative> -DEXAMPLES=<example files, relative, separated by commas>
file(READ "${SOURCE_DIR}/${DOC}" doc)
string(REPLACE "," ";" examples "${EXAMPLES}")
foreach(shown IN LISTS examples)
  file(READ "${SOURCE_DIR}/${shown}" example)
  string(FIND "${doc}" "```cpp\n${example}```" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${DOC} does not show ${shown} verbatim in a ```cpp block")
  endif()
endforeach()
message(STATUS "${DOC} shows its examples verbatim")
