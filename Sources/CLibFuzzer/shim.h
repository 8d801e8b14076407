// libFuzzer's documented entry for programs with their own main (LLVM 12+). Declared only:
// scripts/fuzz.sh links libFuzzer (-sanitize=fuzzer); a plain build never calls it.
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));
