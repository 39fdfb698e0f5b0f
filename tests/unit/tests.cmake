# Unit tests (cmocka): no privileges, no BPF.  One executable per tests/unit/test_NAME.c,
# registered with ctest as unit_NAME.  Included from tests/CMakeLists.txt.
set(IPCLAB_UNIT_TESTS export timeline claims claims_zh btf outfile trace_read arm64_insn syscalls cli claimlang
  rederive)
foreach(name ${IPCLAB_UNIT_TESTS})
  add_executable(unit_${name} ${CMAKE_SOURCE_DIR}/tests/unit/test_${name}.c)
  target_link_libraries(unit_${name} PRIVATE ipclab_core PkgConfig::CMOCKA)
  target_compile_definitions(unit_${name} PRIVATE SOURCE_DIR="${CMAKE_SOURCE_DIR}")
  set_target_properties(unit_${name} PROPERTIES
    RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests/unit)
  add_test(NAME unit_${name} COMMAND unit_${name})
  set_tests_properties(unit_${name} PROPERTIES LABELS unit TIMEOUT 60)
endforeach()
# the arm64 table is checked against asm-generic/unistd.h in a file of its own (its __NR_*
# and the build architecture's cannot meet in one translation unit)
target_sources(unit_syscalls PRIVATE ${CMAKE_SOURCE_DIR}/tests/unit/syscalls_arm64_check.c)
# check --claims is tested end to end through the binary (no root: it only reads traces)
target_compile_definitions(unit_claimlang PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>")
add_dependencies(unit_claimlang ipclab)
# and check's exit status and lines when it judges a trace's claims again
target_compile_definitions(unit_rederive PRIVATE IPCLAB_BIN="$<TARGET_FILE:ipclab>")
add_dependencies(unit_rederive ipclab)
