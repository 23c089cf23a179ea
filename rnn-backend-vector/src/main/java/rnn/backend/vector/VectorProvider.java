package rnn.backend.vector;

import java.util.Optional;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.BackendProvider;

/**
 * Provides the SIMD backend. This class never touches a {@code jdk.incubator.vector} type: it must load
 * (and report why it cannot run) in a JVM without that module. Only after the module check passes does
 * it load {@link VectorBackend}, the one class that uses the Vector API.
 */
public final class VectorProvider implements BackendProvider {

    private static final String MODULE = "jdk.incubator.vector";

    @Override
    public String name() {
        return "vector";
    }

    @Override
    public int priority() {
        return 100;
    }

    @Override
    public Optional<String> unusableReason() {
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return Optional.of("module " + MODULE + " is not in this JVM: start java with --add-modules "
                    + MODULE + " (./rnn does), or use the full jlink image");
        }
        // Without C2 the Vector API runs as boxed Java fallbacks, far slower than plain loops.
        String vmInfo = System.getProperty("java.vm.info", "");
        if (vmInfo.contains("interpreted mode") || vmInfo.contains("emulated-client")) {
            return Optional.of("the JIT is not C2 (" + vmInfo + "): the Vector API would run interpreted;"
                    + " drop -Xint / -XX:TieredStopAtLevel, or choose another backend");
        }
        int bits;
        try {
            Optional<String> width = VectorBackend.widthProblem();
            if (width.isPresent()) {
                return width;
            }
            bits = VectorBackend.preferredBits();
        } catch (LinkageError e) {
            return Optional.of("the Vector API cannot be used here: " + e);
        }
        if (bits < 128) {
            return Optional.of("the CPU offers only " + bits + "-bit float vectors to the Vector API (128 needed)");
        }
        return Optional.empty();
    }

    @Override
    public String description() {
        return VectorBackend.describe() + ", FMA";
    }

    @Override
    public Backend create(BackendOptions options) {
        VectorBackend backend = new VectorBackend(options.threads());
        int t = backend.threads();
        System.getLogger("rnn.backend").log(System.Logger.Level.INFO,
                "vector backend: " + VectorBackend.describe() + ", " + t + (t == 1 ? " thread" : " threads"));
        return backend;
    }
}
