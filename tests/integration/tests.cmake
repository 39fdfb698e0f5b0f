# Integration tests: real BPF, as root (they exit 77, "skipped", otherwise).
add_executable(touch_pages ${CMAKE_CURRENT_SOURCE_DIR}/integration/touch_pages.c)

foreach(name scenarios cli memory)
  add_executable(itest_${name} ${CMAKE_CURRENT_SOURCE_DIR}/integration/test_${name}.c)
  target_link_libraries(itest_${name} PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
  target_compile_definitions(itest_${name} PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>"
    SOURCE_DIR="${CMAKE_SOURCE_DIR}" TOUCH_PAGES="$<TARGET_FILE:touch_pages>")
  add_dependencies(itest_${name} ipclab touch_pages)
  add_test(NAME integration_${name} COMMAND itest_${name})
  set_tests_properties(integration_${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
    RUN_SERIAL TRUE)
endforeach()

# Drops under many busy threads (issue #10): a 64-thread pipe writer and stress-ng's pipe herd.
add_executable(herd_writers ${CMAKE_CURRENT_SOURCE_DIR}/integration/herd_writers.c)
target_link_libraries(herd_writers PRIVATE pthread)
add_executable(itest_drops ${CMAKE_CURRENT_SOURCE_DIR}/integration/test_drops.c)
target_link_libraries(itest_drops PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
target_compile_definitions(itest_drops PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>"
  HERD_WRITERS="$<TARGET_FILE:herd_writers>")
add_dependencies(itest_drops ipclab herd_writers)
add_test(NAME integration_drops COMMAND itest_drops)
set_tests_properties(integration_drops PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 RUN_SERIAL TRUE)
