# The consumer program both packaging projects build: header-only (cocoon::sdk) or compiled
# (cocoon::sdk_compiled), each with its own source.
set(COCOON_SDK_CONSUMER_TARGET sdk CACHE STRING "The SDK target to link: sdk or sdk_compiled")
if(COCOON_SDK_CONSUMER_TARGET STREQUAL "sdk")
  add_executable(consumer "${CMAKE_CURRENT_LIST_DIR}/consumer.cpp")
else()
  add_executable(consumer "${CMAKE_CURRENT_LIST_DIR}/consumer_compiled.cpp")
endif()
target_link_libraries(consumer PRIVATE cocoon::${COCOON_SDK_CONSUMER_TARGET})
