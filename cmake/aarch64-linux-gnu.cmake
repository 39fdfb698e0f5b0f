# CMake toolchain file: ipclab for arm64 (aarch64) with Debian's cross compiler
# (gcc-aarch64-linux-gnu) and a sysroot of Debian arm64 packages extracted with dpkg-deb -x
# (tests/vm/cross-build.sh makes one). The machine's dpkg architectures are not involved.
#
#   cmake -S . -B BUILD -DCMAKE_TOOLCHAIN_FILE=cmake/aarch64-linux-gnu.cmake \
#         -DIPCLAB_SYSROOT=/path/to/sysroot -DIPCLAB_TESTS=OFF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)

# try_compile projects read this file again: pass the sysroot on to them
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES IPCLAB_SYSROOT)
if(NOT IPCLAB_SYSROOT OR NOT EXISTS "${IPCLAB_SYSROOT}/usr/include/stdio.h")
  message(FATAL_ERROR "IPCLAB_SYSROOT='${IPCLAB_SYSROOT}' is not a Debian arm64 sysroot "
    "(no usr/include/stdio.h): tests/vm/cross-build.sh makes one")
endif()
set(CMAKE_SYSROOT "${IPCLAB_SYSROOT}")

# libraries and headers only from the sysroot; programs (clang, bpftool, node) from the host
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config reads only the sysroot's .pc files and prefixes their paths with the sysroot
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${IPCLAB_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR}
  "${IPCLAB_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${IPCLAB_SYSROOT}/usr/share/pkgconfig")
unset(ENV{PKG_CONFIG_PATH})
