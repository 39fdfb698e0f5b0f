# The signal lab programs, each compiled alone and run once (as nobody when root): the kernel
# does what each one's comments predict (mech/signal/labs/build-check.sh).
add_test(NAME mech_signal_labs COMMAND sh ${CMAKE_SOURCE_DIR}/mech/signal/labs/build-check.sh)
set_tests_properties(mech_signal_labs PROPERTIES LABELS unit TIMEOUT 120)

# The scenarios' claims on synthetic traces (mech/signal/tests/test_claims.c, cmocka, no
# privileges): each claim passes on a trace shaped like its lab's, and fails when the fact it
# rests on is changed.
add_executable(unit_signal_claims ${CMAKE_SOURCE_DIR}/mech/signal/tests/test_claims.c)
target_link_libraries(unit_signal_claims PRIVATE ipclab_core PkgConfig::CMOCKA)
target_compile_definitions(unit_signal_claims PRIVATE SOURCE_DIR="${CMAKE_SOURCE_DIR}")
set_target_properties(unit_signal_claims PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_signal_claims COMMAND unit_signal_claims)
set_tests_properties(unit_signal_claims PROPERTIES LABELS unit TIMEOUT 60)

# The scenarios under real BPF, as root (mech/signal/tests/test_integration.c): the exact
# sequences of signal events, measured once and explained there.
add_executable(itest_signal ${CMAKE_SOURCE_DIR}/mech/signal/tests/test_integration.c)
target_link_libraries(itest_signal PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
target_compile_definitions(itest_signal PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>")
add_dependencies(itest_signal ipclab)
add_test(NAME integration_signal COMMAND itest_signal)
set_tests_properties(integration_signal PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 RUN_SERIAL TRUE)

# Signals in a trace (mech/signal/tests/test_trace.c): a synthetic trace of every generation
# result, delivery kind and signal syscall field as JSON, read back, and exported to Chrome ...
add_executable(unit_signal_trace ${CMAKE_SOURCE_DIR}/mech/signal/tests/test_trace.c)
target_link_libraries(unit_signal_trace PRIVATE ipclab_core PkgConfig::CMOCKA)
target_include_directories(unit_signal_trace PRIVATE ${CMAKE_SOURCE_DIR}/tests/unit)
set_target_properties(unit_signal_trace PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_signal_trace COMMAND unit_signal_trace)
set_tests_properties(unit_signal_trace PROPERTIES LABELS unit TIMEOUT 60)
# ... and that trace against docs/trace.schema.json, its Chrome export against what Perfetto
# and speedscope expect
add_test(NAME schema_signal_trace COMMAND sh -c "IPCLAB_SIGNAL_TRACE=${CMAKE_BINARY_DIR}/signal_trace.json $<TARGET_FILE:unit_signal_trace> >/dev/null && python3 ${CMAKE_SOURCE_DIR}/tests/schema/validate_traces.py ${CMAKE_SOURCE_DIR}/docs/trace.schema.json ${CMAKE_BINARY_DIR}/signal_trace.json && python3 ${CMAKE_SOURCE_DIR}/tests/schema/check_chrome.py ${CMAKE_BINARY_DIR}/signal_trace.json.chrome.json")
set_tests_properties(schema_signal_trace PROPERTIES LABELS unit TIMEOUT 60)
