# Cross toolchain for aarch64 Linux; every test runs under qemu-user.
# The qemu CPU model comes from the QEMU_CPU environment variable at test time
# (make test runs the suite with QEMU_CPU=max and QEMU_CPU=cortex-a53).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
if(NOT HY_QEMU)
  find_program(HY_QEMU NAMES qemu-aarch64 qemu-aarch64-static REQUIRED)
endif()
set(CMAKE_CROSSCOMPILING_EMULATOR "${HY_QEMU};-L;/usr/aarch64-linux-gnu")
