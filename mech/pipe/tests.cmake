# The kernel functions pipes and FIFOs are probed on (mech/pipe/tests/test_probes.c, cmocka,
# no privileges): resolved from synthetic BTFs of each naming, and from this kernel's.
add_executable(unit_pipe_probes ${CMAKE_SOURCE_DIR}/mech/pipe/tests/test_probes.c)
target_link_libraries(unit_pipe_probes PRIVATE ipclab_core PkgConfig::CMOCKA)
set_target_properties(unit_pipe_probes PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_pipe_probes COMMAND unit_pipe_probes)
set_tests_properties(unit_pipe_probes PROPERTIES LABELS unit TIMEOUT 60)
