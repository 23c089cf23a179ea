package rnn.api;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Plug-ins of one kind (cells, optimizers) found with {@link ServiceLoader} and looked up by name, as
 * Lucene finds codecs: names are checked, a broken provider or a second one of the same name is skipped
 * with one warning, and an unknown name fails with the list of known ones.
 *
 * @param <P> the provider type
 */
public final class NamedProviders<P> {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    /** Got when there is something to say: the first System.getLogger call sets up the logging service. */
    private static System.Logger log() {
        return System.getLogger("rnn.plugins");
    }

    private final String kind;
    private final Map<String, P> byName;

    private NamedProviders(String kind, Map<String, P> byName) {
        this.kind = kind;
        this.byName = byName;
    }

    /**
     * Loads every provider of {@code type} visible to the class loader of {@code type} (module path,
     * class path, or both).
     *
     * @param kind what the providers are, for messages, e.g. {@code cell}
     */
    public static <P> NamedProviders<P> load(String kind, Class<P> type, Function<P, String> name) {
        return of(kind, ServiceLoader.load(type, type.getClassLoader()), name);
    }

    /** The same over any set of providers (tests, custom layers). */
    public static <P> NamedProviders<P> of(String kind, Iterable<P> providers, Function<P, String> name) {
        List<String> problems = new ArrayList<>();
        List<P> found = new ArrayList<>(drain(providers, problems));
        for (String problem : problems) {
            log().log(Level.WARNING, "a {0} provider failed to load and is skipped: {1}", kind, problem);
        }
        found.sort(Comparator.comparing(name));
        Map<String, P> byName = new LinkedHashMap<>();
        for (P p : found) {
            String n = name.apply(p);
            if (n == null || !NAME.matcher(n).matches()) {
                log().log(Level.WARNING, "{0} provider {1} is skipped: its name ''{2}'' is not ASCII letters, digits, - and _",
                        kind, p.getClass().getName(), n);
            } else if (byName.containsKey(n)) {
                log().log(Level.WARNING, "two {0} providers are named ''{1}'': {2} is used, {3} is skipped",
                        kind, n, describe(byName.get(n)), describe(p));
            } else {
                byName.put(n, p);
            }
        }
        return new NamedProviders<>(kind, byName);
    }

    /**
     * Every provider a service loader yields, in its order; a broken one ({@link ServiceConfigurationError})
     * is skipped and its message added to {@code problems}. The loader moves past a broken provider, so
     * iteration goes on.
     */
    static <P> List<P> drain(Iterable<P> loader, List<String> problems) {
        List<P> found = new ArrayList<>();
        Iterator<P> it = loader.iterator();
        for (int guard = 0; guard < 1_000; guard++) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                found.add(it.next());
            } catch (ServiceConfigurationError e) {
                problems.add(e.getMessage());
            }
        }
        return found;
    }

    /** Checks a plug-in name: ASCII letters, digits, {@code -} and {@code _}. Returns it. */
    public static String checkName(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(kind + " names are ASCII letters, digits, - and _, got '" + name + "'");
        }
        return name;
    }

    /** Every provider, by name. */
    public List<P> all() {
        return List.copyOf(byName.values());
    }

    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /**
     * The provider named {@code name}; failing an exact match, the one whose name differs only in case
     * ({@code LSTM}, {@code Adam}: how these were typed before they were plug-ins), if only one does.
     */
    public Optional<P> find(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip();
        P exact = byName.get(n);
        if (exact != null) {
            return Optional.of(exact);
        }
        List<P> folded = byName.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(n)).map(Map.Entry::getValue)
                .toList();
        return folded.size() == 1 ? Optional.of(folded.get(0)) : Optional.empty();
    }

    /**
     * The provider named {@code name}.
     *
     * @throws IllegalArgumentException if there is none; the message lists the available names
     */
    public P forName(String name) {
        return find(name).orElseThrow(() -> new IllegalArgumentException("unknown " + kind + " '" + name
                + "'; available: " + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))));
    }

    /** Where a provider comes from: its module's name, or "class path". */
    public static String describe(Object provider) {
        Module m = provider.getClass().getModule();
        return m.isNamed() ? m.getName() : "class path";
    }
}
