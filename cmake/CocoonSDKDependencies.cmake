# Finds what cocoon::sdk links. Included by the build and by the installed CocoonSDKConfig.cmake,
# so a consumer resolves exactly the same targets. A missing dependency stops configuration with
# find_package's own message naming it.

# 1.81 is the floor: per-operation cancellation in Beast, and <boost/asio.hpp> builds under g++ 12
# in C++20 (1.74 does neither).
find_package(Boost 1.81 CONFIG REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
# libsodium 1.0.18 ships no CMake package. The pkg-config target is GLOBAL so that a project
# consuming the SDK through add_subdirectory sees it too; the prefix keeps it apart from a
# consumer's own lookup of libsodium.
if(NOT TARGET PkgConfig::CocoonSDK_sodium)
  pkg_check_modules(CocoonSDK_sodium REQUIRED IMPORTED_TARGET GLOBAL libsodium>=1.0.18)
endif()
