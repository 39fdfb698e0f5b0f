# libFuzzer harnesses (tests/fuzz), built with clang from ipclab's own sources:
#   fuzz_trace_load  trace files given to check/export/view: trace_load() + export_chrome()
#   fuzz_events      ring-buffer records: timeline_build() + every claim checker + export_trace()
#   fuzz_spool       saved spools (replay): spool_load() + timeline + export_trace()
#   fuzz_claims      claims files (check --claims): cl_parse() + ce_evaluate() on a fixture
# `make test` runs each for IPCLAB_FUZZ_SECONDS (default 20) from the committed seed
# corpus (tests/fuzz/corpus/NAME), replays the corpus, and replays every input under
# tests/fuzz/regress/NAME (inputs that once crashed).  New inputs and crash artifacts go to
# the build tree (tests/fuzz/work, tests/fuzz/artifacts), never into the sources.
# Included from tests/CMakeLists.txt; needs clang's libFuzzer runtime (libclang-rt-14-dev):
# without it the fuzz tests are skipped.

if(IPCLAB_SANITIZE_INNER)
  return()
endif()

set(IPCLAB_FUZZ_SECONDS 20 CACHE STRING "seconds each fuzzer runs in ctest")
set(FUZZ_DIR ${CMAKE_SOURCE_DIR}/tests/fuzz)
set(FUZZ_BIN ${CMAKE_BINARY_DIR}/tests/fuzz)
set(IPCLAB_FUZZERS trace_load events spool claims)

# ipclab_core's sources and definitions: the fuzzers test the code the tool runs
get_target_property(fuzz_core_sources ipclab_core SOURCES)
set(fuzz_sources)
foreach(s ${fuzz_core_sources})
  if(IS_ABSOLUTE ${s})
    list(APPEND fuzz_sources ${s})
  else()
    list(APPEND fuzz_sources ${CMAKE_SOURCE_DIR}/${s})
  endif()
endforeach()
list(FILTER fuzz_sources EXCLUDE REGEX "/main\\.c$")
get_target_property(fuzz_defines ipclab_core INTERFACE_COMPILE_DEFINITIONS)
string(REPLACE ";" "|" fuzz_defines_arg "${fuzz_defines}")
file(GLOB fuzz_headers ${CMAKE_SOURCE_DIR}/user/*.h ${CMAKE_SOURCE_DIR}/mech/*.h ${CMAKE_SOURCE_DIR}/mech/*/*.h ${CMAKE_SOURCE_DIR}/bpf/ipclab.h
  ${FUZZ_DIR}/*.h)

set(fuzz_outputs)
set(fuzz_harnesses)
foreach(f ${IPCLAB_FUZZERS})
  list(APPEND fuzz_outputs ${FUZZ_BIN}/fuzz_${f})
  list(APPEND fuzz_harnesses ${FUZZ_DIR}/fuzz_${f}.c)
endforeach()
add_custom_command(OUTPUT ${fuzz_outputs}
  COMMAND sh ${FUZZ_DIR}/build-fuzzers.sh ${CLANG} ${FUZZ_BIN} ${SKEL_DIR} ${CMAKE_SOURCE_DIR}
          "${fuzz_defines_arg}" -- ${fuzz_sources} -- ${fuzz_harnesses}
  DEPENDS ${fuzz_harnesses} ${fuzz_sources} ${fuzz_headers} ${FUZZ_DIR}/build-fuzzers.sh
          ${SKEL_DIR}/ipclab.skel.h ${SKEL_DIR}/ipclab_legacy.skel.h ${SKEL_DIR}/ipclab_direct.skel.h
  COMMENT "libFuzzer harnesses (clang, ASan + UBSan)"
  VERBATIM)
add_custom_target(fuzzers ALL DEPENDS ${fuzz_outputs})
add_dependencies(fuzzers ipclab_skel ipclab_legacy_skel ipclab_direct_skel)

# run-fuzzer.sh MODE NAME BINDIR SRCDIR SECONDS: 'fuzz' (bounded run), 'corpus' (replay the
# seeds), 'regress' (replay tests/fuzz/regress/NAME)
foreach(f ${IPCLAB_FUZZERS})
  foreach(mode corpus regress fuzz)
    add_test(NAME fuzz_${f}_${mode}
      COMMAND sh ${FUZZ_DIR}/run-fuzzer.sh ${mode} ${f} ${FUZZ_BIN} ${FUZZ_DIR}
              ${IPCLAB_FUZZ_SECONDS})
    set_tests_properties(fuzz_${f}_${mode} PROPERTIES LABELS "fuzz" SKIP_RETURN_CODE 77
      TIMEOUT 300)
  endforeach()
  set_tests_properties(fuzz_${f}_fuzz PROPERTIES DEPENDS "fuzz_${f}_corpus;fuzz_${f}_regress")
endforeach()

# Inputs that crash today because of ipclab bugs not fixed yet (tests/fuzz/regress/known/):
# each is replayed as its own test that must crash (WILL_FAIL); see tests/fuzz/README.md.
file(GLOB fuzz_known ${FUZZ_DIR}/regress/known/*)
foreach(input ${fuzz_known})
  get_filename_component(name ${input} NAME)
  string(REGEX MATCH "^[a-z_]+" harness ${name})	# "events-..." -> events
  add_test(NAME fuzz_known_${name}
    COMMAND sh ${FUZZ_DIR}/run-fuzzer.sh one ${harness} ${FUZZ_BIN} ${FUZZ_DIR} ${input})
  set_tests_properties(fuzz_known_${name} PROPERTIES LABELS "fuzz;known-bug" WILL_FAIL TRUE
    TIMEOUT 60)
endforeach()
