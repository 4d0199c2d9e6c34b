# enos_library(NAME folder DEPS ...): one static library per folder, aliased enos::NAME,
# built from every .cpp in the folder so adding a file never means editing CMake.
# NO_SANITIZE: never instrumented (LibTorch code: its library is not built with ASan).
function(enos_library name)
  cmake_parse_arguments(ARG "NO_SANITIZE" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cpp")
  if(NOT sources)  # a folder still holding headers only
    add_library(enos_${name} INTERFACE)
    target_include_directories(enos_${name} INTERFACE "${PROJECT_SOURCE_DIR}")
    target_link_libraries(enos_${name} INTERFACE ${ARG_DEPS})
    add_library(enos::${name} ALIAS enos_${name})
    return()
  endif()
  add_library(enos_${name} STATIC ${sources})
  add_library(enos::${name} ALIAS enos_${name})
  target_include_directories(enos_${name} PUBLIC "${PROJECT_SOURCE_DIR}")
  target_link_libraries(enos_${name} PUBLIC ${ARG_DEPS})
  target_compile_options(enos_${name} PRIVATE -Wall -Wextra -Wpedantic)
  if(NOT ARG_NO_SANITIZE)
    enos_sanitize(enos_${name})
  endif()
endfunction()

# Non-LibTorch targets get ASan+UBSan when ENOS_SANITIZE is on.
function(enos_sanitize target)
  if(ENOS_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
  endif()
endfunction()

# enos_test(NAME DEPS ...): one Catch2 executable per tests/ folder; every test case is its
# own CTest test (and process), so each may elaborate its own SystemC model once.
# NO_SANITIZE as for enos_library (tests of LibTorch code).
function(enos_test name)
  cmake_parse_arguments(ARG "SYSTEMC;NO_SANITIZE" "" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cpp")
  add_executable(test_${name} ${sources})
  enos_catch_main(main_target ${ARG_SYSTEMC} ${ARG_NO_SANITIZE})
  target_link_libraries(test_${name} PRIVATE ${ARG_DEPS} Catch2::Catch2 ${main_target})
  target_compile_definitions(test_${name} PRIVATE
    ENOS_CONFIG_DIR="${ENOS_CONFIG_DIR}"
    ENOS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    ENOS_BINARY="$<TARGET_FILE:enos>")
  if(ARG_SYSTEMC)
    target_compile_definitions(test_${name} PRIVATE ENOS_TEST_WITH_SYSTEMC)
  endif()
  if(NOT ARG_NO_SANITIZE)
    enos_sanitize(test_${name})
  endif()
  catch_discover_tests(test_${name} TEST_PREFIX "${name}: " PROPERTIES TIMEOUT 300)
endfunction()

# The Catch2 runner (tests/catch_main.cpp) holds all of Catch2's implementation: one of the
# slowest translation units of the project. It is compiled once per variant (SystemC's
# sc_main or a plain main; instrumented or not) and shared by every test executable.
function(enos_catch_main out_var with_systemc no_sanitize)
  set(target enos_catch_main)
  if(with_systemc)
    string(APPEND target _systemc)
  endif()
  if(no_sanitize AND ENOS_SANITIZE)
    string(APPEND target _plain)
  endif()
  if(NOT TARGET ${target})
    add_library(${target} OBJECT "${PROJECT_SOURCE_DIR}/tests/catch_main.cpp")
    target_link_libraries(${target} PRIVATE Catch2::Catch2)
    if(with_systemc)
      target_compile_definitions(${target} PRIVATE ENOS_TEST_WITH_SYSTEMC)
    endif()
    if(NOT no_sanitize)
      enos_sanitize(${target})
    endif()
  endif()
  set(${out_var} ${target} PARENT_SCOPE)
endfunction()

