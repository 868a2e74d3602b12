# Dependency lookup: every package comes from Debian 12 (scripts/install-deps).
find_package(Threads REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(PkgConfig REQUIRED)

# libcrypt (crypt_r for {SHA512-CRYPT} users) ships no CMake config.
find_library(CRYPT_LIBRARY NAMES crypt REQUIRED)
add_library(pop3lab_crypt INTERFACE)
add_library(pop3lab::crypt ALIAS pop3lab_crypt)
target_link_libraries(pop3lab_crypt INTERFACE ${CRYPT_LIBRARY})

# libpcap writes the captures that pop3-viz and pop3-lab export for Wireshark.
pkg_check_modules(PCAP REQUIRED IMPORTED_TARGET libpcap)

# Asio is header-only and ships no CMake config either.
find_path(ASIO_INCLUDE_DIR NAMES asio.hpp REQUIRED)
add_library(pop3lab_asio INTERFACE)
add_library(pop3lab::asio ALIAS pop3lab_asio)
target_include_directories(pop3lab_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
target_compile_definitions(pop3lab_asio INTERFACE ASIO_NO_DEPRECATED)
target_link_libraries(pop3lab_asio INTERFACE Threads::Threads)
# GCC 12 at -O2 reports asio's coroutine frame allocator (operator new/delete pairs it
# cannot match through the frame) as -Wmismatched-new-delete: a known false positive.
# Only targets that use Asio get the exception.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  target_compile_options(pop3lab_asio INTERFACE -Wno-mismatched-new-delete)
endif()

if(POP3LAB_BUILD_TESTS)
  find_package(doctest 2.4 REQUIRED)
endif()
