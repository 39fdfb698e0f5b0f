# Integration tests: real BPF, as root (they exit 77, "skipped", otherwise).
add_executable(touch_pages ${CMAKE_CURRENT_SOURCE_DIR}/integration/touch_pages.c)
add_executable(pipe_movers ${CMAKE_CURRENT_SOURCE_DIR}/integration/pipe_movers.c)

foreach(name scenarios cli memory movers)
  add_executable(itest_${name} ${CMAKE_CURRENT_SOURCE_DIR}/integration/test_${name}.c)
  target_link_libraries(itest_${name} PRIVATE PkgConfig::CMOCKA PkgConfig::JSONC)
  target_compile_definitions(itest_${name} PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>"
    SOURCE_DIR="${CMAKE_SOURCE_DIR}" TOUCH_PAGES="$<TARGET_FILE:touch_pages>"
    PIPE_MOVERS="$<TARGET_FILE:pipe_movers>")
  add_dependencies(itest_${name} ipclab touch_pages pipe_movers)
  add_test(NAME integration_${name} COMMAND itest_${name})
  set_tests_properties(integration_${name} PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300
    RUN_SERIAL TRUE)
endforeach()
