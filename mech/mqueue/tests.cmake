# The message queue lab programs, each compiled alone and run once (as nobody when root): the
# kernel does what each one's comments predict (mech/mqueue/labs/build-check.sh).
add_test(NAME mech_mqueue_labs COMMAND sh ${CMAKE_SOURCE_DIR}/mech/mqueue/labs/build-check.sh)
set_tests_properties(mech_mqueue_labs PROPERTIES LABELS unit TIMEOUT 120)

# The scenarios' claims on synthetic traces (mech/mqueue/tests/test_claims.c, cmocka, no
# privileges): each claim passes on a trace shaped like its lab's, and fails when the fact it
# rests on is changed.
add_executable(unit_mqueue_claims ${CMAKE_SOURCE_DIR}/mech/mqueue/tests/test_claims.c)
target_link_libraries(unit_mqueue_claims PRIVATE ipclab_core PkgConfig::CMOCKA)
target_compile_definitions(unit_mqueue_claims PRIVATE SOURCE_DIR="${CMAKE_SOURCE_DIR}")
set_target_properties(unit_mqueue_claims PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_mqueue_claims COMMAND unit_mqueue_claims)
set_tests_properties(unit_mqueue_claims PROPERTIES LABELS unit TIMEOUT 60)

# Message queues in a trace (mech/mqueue/tests/test_trace.c): a synthetic trace of sends,
# receives, errors, a sleep and the mq_* syscalls as JSON, read back, exported to Chrome ...
add_executable(unit_mqueue_trace ${CMAKE_SOURCE_DIR}/mech/mqueue/tests/test_trace.c)
target_link_libraries(unit_mqueue_trace PRIVATE ipclab_core PkgConfig::CMOCKA)
target_include_directories(unit_mqueue_trace PRIVATE ${CMAKE_SOURCE_DIR}/tests/unit)
set_target_properties(unit_mqueue_trace PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_mqueue_trace COMMAND unit_mqueue_trace)
set_tests_properties(unit_mqueue_trace PROPERTIES LABELS unit TIMEOUT 60)
# ... and that trace against docs/trace.schema.json, its Chrome export against what Perfetto
# and speedscope expect
add_test(NAME schema_mq_trace COMMAND sh -c "IPCLAB_MQ_TRACE=${CMAKE_BINARY_DIR}/mq_trace.json $<TARGET_FILE:unit_mqueue_trace> >/dev/null && python3 ${CMAKE_SOURCE_DIR}/tests/schema/validate_traces.py ${CMAKE_SOURCE_DIR}/docs/trace.schema.json ${CMAKE_BINARY_DIR}/mq_trace.json && python3 ${CMAKE_SOURCE_DIR}/tests/schema/check_chrome.py ${CMAKE_BINARY_DIR}/mq_trace.json.chrome.json")
set_tests_properties(schema_mq_trace PROPERTIES LABELS unit TIMEOUT 60)

# The scenarios under real BPF, as root (mech/mqueue/tests/test_integration.c): the exact
# send/receive sequences, measured once and explained there.
add_executable(itest_mqueue ${CMAKE_SOURCE_DIR}/mech/mqueue/tests/test_integration.c)
target_link_libraries(itest_mqueue PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
target_compile_definitions(itest_mqueue PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>")
add_dependencies(itest_mqueue ipclab)
add_test(NAME integration_mqueue COMMAND itest_mqueue)
set_tests_properties(integration_mqueue PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE)
