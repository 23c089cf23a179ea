/*
 * A HotSpot disassembler plugin on Capstone, for reading what C2 made of the kernels
 * (-XX:+PrintAssembly, -XX:CompileCommand=print,...). The JDK ships none, and Debian's libhsdis0-fcml
 * exports only the old decode_instructions entry point, which JDK 25 no longer calls.
 *
 *   apt-get install libcapstone-dev
 *   gcc -O2 -shared -fPIC rnn-bench/hsdis/hsdis.c -lcapstone -o /tmp/hsdis/hsdis-amd64.so
 *   LD_LIBRARY_PATH=/tmp/hsdis java -jar rnn-bench/target/benchmarks.jar GemmBenchmark ... \
 *     -jvmArgsAppend "--add-modules=jdk.incubator.vector -XX:+UnlockDiagnosticVMOptions \
 *       -XX:CompileCommand=print,rnn.backend.vector.GemmKernels::k4x3 -XX:PrintAssemblyOptions=intel"
 *
 * The entry point follows the protocol of the JDK's src/utils/hsdis/hsdis.h; only "intel" is understood
 * as an option (AT&T syntax otherwise).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <capstone/capstone.h>

typedef void *(*event_fn)(void *stream, const char *event, void *arg);
typedef int (*printf_fn)(void *stream, const char *format, ...);

static void *no_events(void *stream, const char *event, void *arg) {
    (void) stream; (void) event; (void) arg;
    return NULL;
}

void *decode_instructions_virtual(uintptr_t start_va, uintptr_t end_va, unsigned char *buffer, uintptr_t length,
                                  event_fn events, void *event_stream, printf_fn out, void *out_stream,
                                  const char *options, int newline) {
    (void) start_va; (void) end_va;
    if (out == NULL) {
        out = (printf_fn) fprintf;
        if (out_stream == NULL) {
            out_stream = stdout;
        }
    }
    if (events == NULL) {
        events = no_events;
    }
    csh cs;
#if defined(__aarch64__)
    if (cs_open(CS_ARCH_ARM64, CS_MODE_ARM, &cs) != CS_ERR_OK) {
#else
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &cs) != CS_ERR_OK) {
#endif
        out(out_stream, "hsdis: capstone would not open\n");
        return NULL;
    }
    if (options != NULL && strstr(options, "intel") != NULL) {
        cs_option(cs, CS_OPT_SYNTAX, CS_OPT_SYNTAX_INTEL);
    } else {
        cs_option(cs, CS_OPT_SYNTAX, CS_OPT_SYNTAX_ATT);
    }
    cs_option(cs, CS_OPT_SKIPDATA, CS_OPT_ON); /* constants between code: printed, not a stop */
    cs_insn *insn;
    size_t count = cs_disasm(cs, buffer, length, (uintptr_t) buffer, 0, &insn);
    for (size_t i = 0; i < count; i++) {
        events(event_stream, "insn", (void *) (uintptr_t) insn[i].address);
        out(out_stream, "%s\t\t%s", insn[i].mnemonic, insn[i].op_str);
        events(event_stream, "/insn", (void *) (uintptr_t) (insn[i].address + insn[i].size));
        if (newline) {
            out(out_stream, "\n");
        }
    }
    if (count > 0) {
        cs_free(insn, count);
    }
    cs_close(&cs);
    return NULL;
}
