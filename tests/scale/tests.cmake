# Scale test (issue #10 item 4): `ipclab replay` of synthetic spools at N and 4N, CPU time
# ratio <= 5 and peak RSS <= 64 MiB.  No privileges, no BPF.  Timings: bench/scale.sh.
add_executable(scale_replay ${CMAKE_CURRENT_SOURCE_DIR}/scale/test_scale.c)
target_link_libraries(scale_replay PRIVATE ipclab_core PkgConfig::CMOCKA)
target_compile_definitions(scale_replay PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>")
add_dependencies(scale_replay ipclab)
set_target_properties(scale_replay PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
add_test(NAME scale_replay COMMAND scale_replay)
set_tests_properties(scale_replay PROPERTIES LABELS scale TIMEOUT 300 RUN_SERIAL TRUE)
