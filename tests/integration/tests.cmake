# Integration tests: real BPF, as root (they exit 77, "skipped", otherwise).
add_executable(touch_pages ${CMAKE_CURRENT_SOURCE_DIR}/integration/touch_pages.c)
add_executable(pipe_movers ${CMAKE_CURRENT_SOURCE_DIR}/integration/pipe_movers.c)
# the benchmarks' event generator: long traces for the interrupt tests
add_executable(itest_evgen ${CMAKE_SOURCE_DIR}/bench/workloads/evgen.c)
find_package(Threads REQUIRED)
target_link_libraries(itest_evgen PRIVATE Threads::Threads)
# what ipclab traces, not what is tested: never instrumented (the sanitizer build's LSan
# would end it before its output is flushed)
target_compile_options(itest_evgen PRIVATE -fno-sanitize=all)
target_link_options(itest_evgen PRIVATE -fno-sanitize=all)

foreach(name scenarios cli memory movers interrupt lab)
  add_executable(itest_${name} ${CMAKE_CURRENT_SOURCE_DIR}/integration/test_${name}.c)
  target_link_libraries(itest_${name} PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC PkgConfig::ZLIB)
  target_compile_definitions(itest_${name} PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>"
    SOURCE_DIR="${CMAKE_SOURCE_DIR}" TOUCH_PAGES="$<TARGET_FILE:touch_pages>"
    PIPE_MOVERS="$<TARGET_FILE:pipe_movers>" EVGEN="$<TARGET_FILE:itest_evgen>")
  add_dependencies(itest_${name} ipclab touch_pages pipe_movers itest_evgen)
  add_test(NAME integration_${name} COMMAND itest_${name})
  set_tests_properties(integration_${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
    RUN_SERIAL TRUE)
endforeach()

# Drops under many busy threads (issue #10): a 64-thread pipe writer and stress-ng's pipe herd.
add_executable(herd_writers ${CMAKE_CURRENT_SOURCE_DIR}/integration/herd_writers.c)
target_link_libraries(herd_writers PRIVATE pthread)
add_executable(itest_drops ${CMAKE_CURRENT_SOURCE_DIR}/integration/test_drops.c)
target_link_libraries(itest_drops PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
target_include_directories(itest_drops PRIVATE ${PROJECT_SOURCE_DIR}/bpf)	# EMULATE_SKIP_*
target_compile_definitions(itest_drops PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>"
  HERD_WRITERS="$<TARGET_FILE:herd_writers>")
add_dependencies(itest_drops ipclab herd_writers)
add_test(NAME integration_drops COMMAND itest_drops)
set_tests_properties(integration_drops PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 RUN_SERIAL TRUE)

# The claims files of the built-in scenarios (mech/*/labs/NAME.claims): each scenario that has
# one runs, and the file must give the verdicts, ids and statements of the C claims.
add_test(NAME integration_claims_files COMMAND python3
  ${CMAKE_CURRENT_SOURCE_DIR}/integration/claims_files.py $<TARGET_FILE:ipclab> ${CMAKE_SOURCE_DIR}
  ${CMAKE_CURRENT_BINARY_DIR}/claims-files-traces --run)
set_tests_properties(integration_claims_files PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600
  RUN_SERIAL TRUE)
