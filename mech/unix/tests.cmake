# The Unix socket lab programs, each compiled alone and run once (as nobody when root): the
# kernel does what each one's comments predict (mech/unix/labs/build-check.sh).
add_test(NAME mech_unix_labs COMMAND sh ${CMAKE_SOURCE_DIR}/mech/unix/labs/build-check.sh)
set_tests_properties(mech_unix_labs PROPERTIES LABELS unit TIMEOUT 120)

# The scenarios' claims on synthetic traces (mech/unix/tests/test_claims.c, cmocka, no
# privileges): each claim passes on a trace shaped like its lab's, and fails when the fact it
# rests on is changed.
add_executable(unit_unix_claims ${CMAKE_SOURCE_DIR}/mech/unix/tests/test_claims.c)
target_link_libraries(unit_unix_claims PRIVATE ipclab_core PkgConfig::CMOCKA)
target_compile_definitions(unit_unix_claims PRIVATE SOURCE_DIR="${CMAKE_SOURCE_DIR}")
set_target_properties(unit_unix_claims PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_unix_claims COMMAND unit_unix_claims)
set_tests_properties(unit_unix_claims PROPERTIES LABELS unit TIMEOUT 60)

# Sockets in a trace (mech/unix/tests/test_trace.c): a synthetic trace of every socket kind
# and outcome (sock_trace.c) as JSON, read back, and exported to Chrome ...
add_executable(unit_unix_trace ${CMAKE_SOURCE_DIR}/mech/unix/tests/test_trace.c
  ${CMAKE_SOURCE_DIR}/mech/unix/tests/sock_trace.c)
target_link_libraries(unit_unix_trace PRIVATE ipclab_core PkgConfig::CMOCKA)
target_include_directories(unit_unix_trace PRIVATE ${CMAKE_SOURCE_DIR}/tests/unit)
set_target_properties(unit_unix_trace PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_unix_trace COMMAND unit_unix_trace)
set_tests_properties(unit_unix_trace PROPERTIES LABELS unit TIMEOUT 60)
# ... and that trace against docs/trace.schema.json, its Chrome export against what Perfetto
# and speedscope expect
add_test(NAME schema_sock_trace COMMAND sh -c "IPCLAB_SOCK_TRACE=${CMAKE_BINARY_DIR}/sock_trace.json $<TARGET_FILE:unit_unix_trace> >/dev/null && python3 ${CMAKE_SOURCE_DIR}/tests/schema/validate_traces.py ${CMAKE_SOURCE_DIR}/docs/trace.schema.json ${CMAKE_BINARY_DIR}/sock_trace.json && python3 ${CMAKE_SOURCE_DIR}/tests/schema/check_chrome.py ${CMAKE_BINARY_DIR}/sock_trace.json.chrome.json")
set_tests_properties(schema_sock_trace PROPERTIES LABELS unit TIMEOUT 60)

# The scenarios under real BPF, as root (mech/unix/tests/test_integration.c): the exact
# send/receive sequences, measured once and explained there.
add_executable(itest_unix ${CMAKE_SOURCE_DIR}/mech/unix/tests/test_integration.c)
target_link_libraries(itest_unix PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
target_compile_definitions(itest_unix PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>")
add_dependencies(itest_unix ipclab)
add_test(NAME integration_unix COMMAND itest_unix)
set_tests_properties(integration_unix PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE)
