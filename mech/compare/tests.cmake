# The comparison lab program, compiled alone and run once (as nobody when root): every pair's
# bytes arrive intact (mech/compare/labs/build-check.sh).
add_test(NAME mech_compare_labs COMMAND sh ${CMAKE_SOURCE_DIR}/mech/compare/labs/build-check.sh)
set_tests_properties(mech_compare_labs PROPERTIES LABELS unit TIMEOUT 120)

# The claims on a synthetic trace (mech/compare/tests/test_claims.c, cmocka, no privileges):
# each passes on a trace shaped like the lab's and fails when the fact it rests on is changed.
add_executable(unit_compare_claims ${CMAKE_SOURCE_DIR}/mech/compare/tests/test_claims.c)
target_link_libraries(unit_compare_claims PRIVATE ipclab_core PkgConfig::CMOCKA)
set_target_properties(unit_compare_claims PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_compare_claims COMMAND unit_compare_claims)
set_tests_properties(unit_compare_claims PROPERTIES LABELS unit TIMEOUT 60)

# The scenario under real BPF, as root (mech/compare/tests/test_integration.c).
add_executable(itest_compare ${CMAKE_SOURCE_DIR}/mech/compare/tests/test_integration.c)
target_link_libraries(itest_compare PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
target_compile_definitions(itest_compare PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>")
add_dependencies(itest_compare ipclab)
add_test(NAME integration_compare COMMAND itest_compare)
set_tests_properties(integration_compare PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE)
