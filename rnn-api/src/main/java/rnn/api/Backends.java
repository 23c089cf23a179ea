package rnn.api;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * Finds backends with {@link ServiceLoader} and chooses one, the same way every time:
 * an explicit name (API argument or CLI flag), else the system property {@value #PROPERTY}, else the
 * environment variable {@value #ENV}, else the highest-priority usable backend. An unknown or unusable
 * explicit name fails with the list of what is available; falling back past an unusable higher-priority
 * backend logs one warning that says how to get it.
 */
public final class Backends {

    public static final String PROPERTY = "rnn.backend";
    public static final String ENV = "RNN_BACKEND";

    /** Got when there is something to say: the first System.getLogger call sets up the logging service. */
    private static System.Logger log() {
        return System.getLogger("rnn.backend");
    }

    private Backends() {
    }

    /** Every provider found on the module path or class path, highest priority first. */
    public static List<BackendInfo> available() {
        return infos(discover(ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())).providers());
    }

    /** Chooses with the explicit name (may be null), the system property and the environment. */
    public static BackendSelection select(String explicit) {
        return select(ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader()),
                explicit, System.getProperty(PROPERTY), System.getenv(ENV));
    }

    /** Chooses and creates in one call. */
    public static Backend create(String explicit, BackendOptions options) {
        return select(explicit).create(options);
    }

    /** The selection rule itself, over any set of providers; visible for tests and custom layers. */
    public static BackendSelection select(Iterable<BackendProvider> loader, String explicit, String property, String env) {
        Discovery found = discover(loader);
        List<BackendInfo> infos = infos(found.providers());
        for (String problem : found.problems()) {
            log().log(Level.WARNING, "a backend provider failed to load and is skipped: {0}", problem);
        }
        String[][] explicitChoices = {
                {explicit, "explicit choice"},
                {property, "system property " + PROPERTY},
                {env, "environment variable " + ENV}};
        for (String[] choice : explicitChoices) {
            String name = choice[0];
            if (name == null || name.isBlank()) {
                continue;
            }
            String wanted = name.strip().toLowerCase(Locale.ROOT);
            BackendProvider p = found.providers().stream().filter(x -> x.name().equals(wanted)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("unknown backend '" + name + "' (from "
                            + choice[1] + "); available: " + describe(infos)));
            p.unusableReason().ifPresent(why -> {
                throw new IllegalStateException("backend '" + wanted + "' (from " + choice[1]
                        + ") cannot run here: " + why);
            });
            return new BackendSelection(p, choice[1], infos, found.problems());
        }
        BackendProvider best = null;
        for (BackendProvider p : found.providers()) {
            if (p.isUsable()) {
                best = p;
                break;
            }
            log().log(Level.WARNING, "backend ''{0}'' is not usable, falling back: {1}", p.name(),
                    p.unusableReason().orElseThrow());
        }
        if (best == null) {
            throw new IllegalStateException("no usable backend; found: " + describe(infos)
                    + (found.problems().isEmpty() ? "" : "; failed to load: " + found.problems())
                    + ". Put rnn-backend-naive on the module path.");
        }
        return new BackendSelection(best, "highest priority", infos, found.problems());
    }

    private static String describe(List<BackendInfo> infos) {
        if (infos.isEmpty()) {
            return "none";
        }
        return infos.stream().map(i -> i.name() + (i.usable() ? "" : " (not usable)"))
                .collect(Collectors.joining(", "));
    }

    /*
     * Selection runs at the start of every command: plain loops and a comparator class rather than streams
     * and composed lambdas, whose first use links call sites and spins classes (measurable on a CLI start).
     */
    private static final Comparator<BackendProvider> BY_PRIORITY = new ByPriority();

    /** Highest priority first, then by name. */
    private static final class ByPriority implements Comparator<BackendProvider> {
        @Override
        public int compare(BackendProvider a, BackendProvider b) {
            int c = Integer.compare(b.priority(), a.priority());
            return c != 0 ? c : a.name().compareTo(b.name());
        }
    }

    private static List<BackendInfo> infos(List<BackendProvider> providers) {
        List<BackendInfo> infos = new ArrayList<>(providers.size());
        for (BackendProvider p : providers) {
            infos.add(BackendInfo.of(p));
        }
        return List.copyOf(infos);
    }

    private record Discovery(List<BackendProvider> providers, List<String> problems) {
    }

    private static Discovery discover(Iterable<BackendProvider> loader) {
        List<String> problems = new ArrayList<>();
        List<BackendProvider> providers = new ArrayList<>(NamedProviders.drain(loader, problems));
        providers.sort(BY_PRIORITY);
        return new Discovery(List.copyOf(providers), List.copyOf(problems));
    }
}
