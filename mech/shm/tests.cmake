# The shared-memory lab programs, each compiled alone and run once (as nobody when root): the
# kernel does what each one's comments predict (mech/shm/labs/build-check.sh).
add_test(NAME mech_shm_labs COMMAND sh ${CMAKE_SOURCE_DIR}/mech/shm/labs/build-check.sh)
set_tests_properties(mech_shm_labs PROPERTIES LABELS unit TIMEOUT 120)

# The scenarios' claims on synthetic traces (mech/shm/tests/test_claims.c, cmocka, no
# privileges): each claim passes on a trace shaped like its lab's, and fails when the fact it
# rests on is changed.
add_executable(unit_shm_claims ${CMAKE_SOURCE_DIR}/mech/shm/tests/test_claims.c)
target_link_libraries(unit_shm_claims PRIVATE ipclab_core PkgConfig::CMOCKA)
target_compile_definitions(unit_shm_claims PRIVATE SOURCE_DIR="${CMAKE_SOURCE_DIR}")
set_target_properties(unit_shm_claims PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_shm_claims COMMAND unit_shm_claims)
set_tests_properties(unit_shm_claims PROPERTIES LABELS unit TIMEOUT 60)

# The scenarios under real BPF, as root (mech/shm/tests/test_integration.c): the exact
# shm syscalls, mappings and faults, measured once and explained there.
add_executable(itest_shm ${CMAKE_SOURCE_DIR}/mech/shm/tests/test_integration.c)
target_link_libraries(itest_shm PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
target_compile_definitions(itest_shm PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>")
add_dependencies(itest_shm ipclab)
add_test(NAME integration_shm COMMAND itest_shm)
set_tests_properties(integration_shm PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE)

# A real shm_fault_around trace (tests/viz/fixtures/shm_fault_around.json, from `ipclab run`
# on 6.18) against docs/trace.schema.json and the validator's cross-checks: System V mapping
# objects made by shmat and ended by shmdt, the shm syscalls' decoded fields.
add_test(NAME schema_shm_trace COMMAND python3 ${CMAKE_SOURCE_DIR}/tests/schema/validate_traces.py ${CMAKE_SOURCE_DIR}/docs/trace.schema.json ${CMAKE_SOURCE_DIR}/tests/viz/fixtures/shm_fault_around.json)
set_tests_properties(schema_shm_trace PROPERTIES LABELS unit TIMEOUT 60)
