# The architecture ipclab is built for: the BPF object's __TARGET_ARCH_*, the syscall table
# (bpf/ipclab.h) and the fallback vmlinux.h follow it.  Detected from the C compiler's target
# (a cross compiler such as aarch64-linux-gnu-gcc says aarch64 even on an x86_64 machine),
# overridable for cross builds: cmake -DIPCLAB_ARCH=arm64 (or make build ARCH=arm64).
#
# Sets IPCLAB_ARCH (the BPF name: x86, arm64), IPCLAB_ARCH_MACHINE (uname -m: x86_64,
# aarch64) and IPCLAB_VMLINUX_MODE (native: the running kernel's BTF describes the target;
# fallback: only the checked-in vmlinux.h does, as in a cross build).

set(IPCLAB_ARCH "" CACHE STRING "target architecture: x86 or arm64 (empty: the compiler's)")

function(ipclab_arch_of machine out)
  string(TOLOWER "${machine}" m)
  if(m MATCHES "^(x86_64|amd64|x86)$")
    set(${out} x86 PARENT_SCOPE)
  elseif(m MATCHES "^(aarch64|arm64)$")
    set(${out} arm64 PARENT_SCOPE)
  else()
    set(${out} "" PARENT_SCOPE)
  endif()
endfunction()

execute_process(COMMAND ${CMAKE_C_COMPILER} -dumpmachine OUTPUT_VARIABLE _triple
                OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
string(REGEX REPLACE "-.*" "" _cc_machine "${_triple}")
if(NOT _cc_machine)
  set(_cc_machine "${CMAKE_SYSTEM_PROCESSOR}")
endif()
set(_machine "${IPCLAB_ARCH}")
if(NOT _machine)
  set(_machine "${_cc_machine}")
endif()
ipclab_arch_of("${_machine}" _arch)
if(NOT _arch)
  message(FATAL_ERROR "ipclab supports x86_64 and arm64 (aarch64), not '${_machine}': "
    "its BPF probes read syscall arguments and page faults the way each architecture "
    "passes them (set -DIPCLAB_ARCH=x86 or arm64 to cross-build)")
endif()
# The loader and the lab programs are compiled by the C compiler: it must target the same
# architecture as the BPF object, or the two sides would read different syscall tables.
ipclab_arch_of("${_cc_machine}" _cc_arch)
if(NOT _cc_arch STREQUAL _arch)
  message(FATAL_ERROR "ipclab: building for ${_arch} needs a C compiler for it, and "
    "${CMAKE_C_COMPILER} targets '${_cc_machine}' (give CC=aarch64-linux-gnu-gcc or a "
    "toolchain file for an arm64 cross build)")
endif()
set(IPCLAB_ARCH ${_arch} CACHE STRING "target architecture: x86 or arm64 (empty: the compiler's)" FORCE)
if(IPCLAB_ARCH STREQUAL "x86")
  set(IPCLAB_ARCH_MACHINE x86_64)
else()
  set(IPCLAB_ARCH_MACHINE aarch64)
endif()

# The running kernel's BTF serves only a build for this machine's own architecture.
ipclab_arch_of("${CMAKE_HOST_SYSTEM_PROCESSOR}" _host_arch)
if(_host_arch STREQUAL IPCLAB_ARCH)
  set(IPCLAB_VMLINUX_MODE native)
else()
  set(IPCLAB_VMLINUX_MODE fallback)
endif()
message(STATUS "ipclab: architecture ${IPCLAB_ARCH} (${IPCLAB_ARCH_MACHINE}), vmlinux.h: ${IPCLAB_VMLINUX_MODE}")

# Every architecture the BPF object is compiled for (tests/CMakeLists.txt bpf_arch_*), with
# the checked-in vmlinux.h each one falls back to.
set(IPCLAB_ARCHES x86 arm64)
set(IPCLAB_VMLINUX_FALLBACK_x86 ${CMAKE_SOURCE_DIR}/bpf/vmlinux/vmlinux_x86_64.h.xz)
set(IPCLAB_VMLINUX_FALLBACK_arm64 ${CMAKE_SOURCE_DIR}/bpf/vmlinux/vmlinux_arm64.h.xz)
