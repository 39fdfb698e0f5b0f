# The Unix socket lab programs, each compiled alone and run once (as nobody when root): the
# kernel does what each one's comments predict (mech/unix/labs/build-check.sh).
add_test(NAME mech_unix_labs COMMAND sh ${CMAKE_SOURCE_DIR}/mech/unix/labs/build-check.sh)
set_tests_properties(mech_unix_labs PROPERTIES LABELS unit TIMEOUT 120)
