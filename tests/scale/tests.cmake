# Scale tests (tests/scale): the trace readers on a synthetic trace of 1M events (~250 MB,
# made by gen_trace in the build tree and removed afterwards): peak RSS of check, export
# --chrome and view under 256 MiB; out-of-memory reported as such.  No privileges needed.
# The multi-GB measurements are bench/readers.sh.  Included from tests/CMakeLists.txt.

if(IPCLAB_SANITIZE_INNER)
  return()
endif()

# Scale test (issue #10 item 4): `ipclab replay` of synthetic spools at N and 4N, CPU time
# ratio <= 5 and peak RSS <= 64 MiB.  No privileges, no BPF.  Timings: bench/scale.sh.
add_executable(scale_replay ${CMAKE_CURRENT_SOURCE_DIR}/scale/test_scale.c)
target_link_libraries(scale_replay PRIVATE ipclab_core PkgConfig::CMOCKA)
target_compile_definitions(scale_replay PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>")
add_dependencies(scale_replay ipclab)
set_target_properties(scale_replay PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
add_test(NAME scale_replay COMMAND scale_replay)
set_tests_properties(scale_replay PROPERTIES LABELS scale TIMEOUT 300 RUN_SERIAL TRUE)

add_executable(scale_gen_trace ${CMAKE_SOURCE_DIR}/tests/scale/gen_trace.c)
target_link_libraries(scale_gen_trace PRIVATE PkgConfig::ZLIB)
set_target_properties(scale_gen_trace PROPERTIES OUTPUT_NAME gen_trace
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/scale)

add_executable(scale_readers ${CMAKE_SOURCE_DIR}/tests/scale/test_readers.c)
target_link_libraries(scale_readers PRIVATE PkgConfig::CMOCKA)
target_compile_definitions(scale_readers PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>"
  GEN_BIN="$<TARGET_FILE:scale_gen_trace>" WORK_DIR="${CMAKE_BINARY_DIR}/tests/scale/work")
set_target_properties(scale_readers PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/scale)
add_dependencies(scale_readers ipclab scale_gen_trace)

add_test(NAME scale_readers COMMAND scale_readers)
set_tests_properties(scale_readers PROPERTIES LABELS scale TIMEOUT 900 RUN_SERIAL TRUE)
