# The FIFO scenarios' claims on synthetic traces (mech/fifo/tests/test_claims.c, cmocka, no
# privileges): each claim passes on a trace shaped like its lab's, and fails when the fact it
# rests on is changed.
add_executable(unit_fifo_claims ${CMAKE_SOURCE_DIR}/mech/fifo/tests/test_claims.c)
target_link_libraries(unit_fifo_claims PRIVATE ipclab_core PkgConfig::CMOCKA)
target_compile_definitions(unit_fifo_claims PRIVATE SOURCE_DIR="${CMAKE_SOURCE_DIR}")
set_target_properties(unit_fifo_claims PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_fifo_claims COMMAND unit_fifo_claims)
set_tests_properties(unit_fifo_claims PROPERTIES LABELS unit TIMEOUT 60)
