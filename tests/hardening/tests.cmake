# Hardening tests (tests/hardening): ipclab under faults (real BPF, root), its attack
# surface (view's HTTP server, attacker-controlled text in traces and reports), bad input
# files and command lines, known bugs (expected to fail until fixed), and the sanitizer and
# valgrind runs.  Included from tests/CMakeLists.txt.  Tests that need root exit 77
# (skipped) otherwise; everything that loads BPF is RUN_SERIAL.
#
#   ctest -L hardening        all of them        ctest -L sanitize / -L valgrind
#   ctest -L known-bug        bugs found and not fixed yet; -L regression: fixed ones

# The sanitizer build (sanitize.sh) runs only the unit and integration tests of its tree.
if(IPCLAB_SANITIZE_INNER)
  return()
endif()

set(HARD_DIR ${CMAKE_SOURCE_DIR}/tests/hardening)
set(HARD_BIN ${CMAKE_BINARY_DIR}/tests/hardening)

# programs traced by the tests
foreach(helper forker crasher evil_name)
  add_executable(hard_${helper} ${HARD_DIR}/${helper}.c)
  set_target_properties(hard_${helper} PROPERTIES OUTPUT_NAME ${helper}
    RUNTIME_OUTPUT_DIRECTORY ${HARD_BIN})
endforeach()
# the crash must stay a crash
target_compile_options(hard_crasher PRIVATE -O0)

foreach(name faults security badinput known_bugs)
  add_executable(hard_${name} ${HARD_DIR}/test_${name}.c)
  target_include_directories(hard_${name} PRIVATE ${HARD_DIR}
    ${CMAKE_SOURCE_DIR}/tests/integration)
  target_link_libraries(hard_${name} PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
  target_compile_definitions(hard_${name} PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>"
    SOURCE_DIR="${CMAKE_SOURCE_DIR}" FORKER_BIN="$<TARGET_FILE:hard_forker>"
    CRASHER_BIN="$<TARGET_FILE:hard_crasher>" EVIL_BIN="$<TARGET_FILE:hard_evil_name>")
  set_target_properties(hard_${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${HARD_BIN})
  add_dependencies(hard_${name} ipclab hard_forker hard_crasher hard_evil_name)
endforeach()

# faults: one ctest test per group of test_faults.c
foreach(group signals sigkill crash timeout overflow disk concurrent children tracefs btf)
  add_test(NAME hardening_fault_${group} COMMAND hard_faults ${group})
  set_tests_properties(hardening_fault_${group} PROPERTIES LABELS "hardening;root"
    SKIP_RETURN_CODE 77 TIMEOUT 180 RUN_SERIAL TRUE)
endforeach()

add_test(NAME hardening_security COMMAND hard_security security)
set_tests_properties(hardening_security PROPERTIES LABELS "hardening;root"
  SKIP_RETURN_CODE 77 TIMEOUT 120 RUN_SERIAL TRUE)

add_test(NAME hardening_badinput COMMAND hard_badinput badinput)
set_tests_properties(hardening_badinput PROPERTIES LABELS hardening TIMEOUT 300)

# The bugs these tests found in ipclab (test_known_bugs.c, one group each, asserting the
# correct behaviour).  Not fixed yet: IPCLAB_KNOWN_BUGS, WILL_FAIL, label known-bug; when
# one gets fixed its test fails as an unexpected pass: move it to IPCLAB_FIXED_BUGS, where
# it is a plain regression test (label regression).
set(IPCLAB_KNOWN_BUGS)
set(IPCLAB_FIXED_BUGS fifo_input check_claims trailing_data json_null missing_optarg
  timeout_nonfinite buffer_overflow enospc_message btf_error_text view_nul_url)
foreach(bug ${IPCLAB_KNOWN_BUGS} ${IPCLAB_FIXED_BUGS})
  add_test(NAME hardening_bug_${bug} COMMAND hard_known_bugs ${bug})
  set_tests_properties(hardening_bug_${bug} PROPERTIES LABELS "hardening;regression"
    SKIP_RETURN_CODE 77 TIMEOUT 60 RUN_SERIAL TRUE)
endforeach()
foreach(bug ${IPCLAB_KNOWN_BUGS})
  set_tests_properties(hardening_bug_${bug} PROPERTIES WILL_FAIL TRUE
    LABELS "hardening;known-bug")
endforeach()

# ASan + UBSan: a second build tree, its unit and integration tests
add_test(NAME hardening_sanitize
  COMMAND sh ${HARD_DIR}/sanitize.sh ${CMAKE_BINARY_DIR}/sanitize ${CMAKE_SOURCE_DIR}
          ${CMAKE_BINARY_DIR}/workloads)
set_tests_properties(hardening_sanitize PROPERTIES LABELS "hardening;sanitize"
  TIMEOUT 1200 RUN_SERIAL TRUE)

# valgrind memcheck on ipclab run / check / export
add_test(NAME hardening_valgrind
  COMMAND sh ${HARD_DIR}/valgrind.sh $<TARGET_FILE:ipclab> ${CMAKE_BINARY_DIR}/valgrind)
set_tests_properties(hardening_valgrind PROPERTIES LABELS "hardening;valgrind"
  SKIP_RETURN_CODE 77 TIMEOUT 600 RUN_SERIAL TRUE)
