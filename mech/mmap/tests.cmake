# The scenarios' claims on synthetic traces (mech/mmap/tests/test_claims.c, cmocka, no
# privileges): each claim passes on a trace shaped like its lab's (with and without the
# fault-around records of kernels 6.11+), and fails when the fact it rests on is changed.
add_executable(unit_mmap_claims ${CMAKE_SOURCE_DIR}/mech/mmap/tests/test_claims.c)
target_link_libraries(unit_mmap_claims PRIVATE ipclab_core PkgConfig::CMOCKA)
set_target_properties(unit_mmap_claims PROPERTIES
  RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
add_test(NAME unit_mmap_claims COMMAND unit_mmap_claims)
set_tests_properties(unit_mmap_claims PROPERTIES LABELS unit TIMEOUT 60)
