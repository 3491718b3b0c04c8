# Warnings for the project's own targets only: never put on cocoon::sdk, whose consumers choose
# their own. Presets turn them into errors with CMAKE_COMPILE_WARNING_AS_ERROR.
function(cocoon_sdk_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion)
endfunction()
