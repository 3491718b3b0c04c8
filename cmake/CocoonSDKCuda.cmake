# cocoon::backend_cuda: the reference model's CUDA backend, built from the two sources beside its
# headers. Only device.cu is compiled by nvcc; it sees plain C++ types only
# (backend/cuda/detail/device.hpp), never the SDK's Boost-based headers.
set(cuda_sources "${PROJECT_SOURCE_DIR}/include/cocoon/backend/cuda/detail")
add_library(cocoon_backend_cuda STATIC "${cuda_sources}/device.cu" "${cuda_sources}/cuda_backend.cpp")
add_library(cocoon::backend_cuda ALIAS cocoon_backend_cuda)
target_link_libraries(cocoon_backend_cuda PUBLIC cocoon::sdk CUDA::cudart)
set_target_properties(cocoon_backend_cuda PROPERTIES
  CUDA_STANDARD 20
  CUDA_STANDARD_REQUIRED ON
  CUDA_RUNTIME_LIBRARY Shared
  POSITION_INDEPENDENT_CODE ON)
# The project's warnings are g++/clang++ flags: give them to host C++ sources as they are, and to
# nvcc's host compiler through -Xcompiler.
target_compile_options(cocoon_backend_cuda PRIVATE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion>
  $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>)
