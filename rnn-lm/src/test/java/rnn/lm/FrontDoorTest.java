package rnn.lm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * An application needs no class but the front door's: every public signature of package {@code rnn.lm}
 * speaks only its own types and the JDK's ({@code java.*}). Declared exceptions included.
 */
class FrontDoorTest {

    static final Set<String> FRONT_DOOR = Set.of("CharModel", "CharModelConfig", "CharModelConfig$Builder", "TextSource",
            "Decode", "Epoch");

    @Test
    void thePublicClassesAreTheFrontDoor() throws Exception {
        Path classes = Path.of(CharModel.class.getProtectionDomain().getCodeSource().getLocation().toURI()).resolve("rnn/lm");
        Set<String> found = new TreeSet<>();
        try (Stream<Path> files = Files.list(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = f.getFileName().toString().replace(".class", "");
                if (name.equals("package-info")) {
                    continue;
                }
                Class<?> c = Class.forName("rnn.lm." + name);
                if (Modifier.isPublic(c.getModifiers())) {
                    found.add(name);
                }
            }
        }
        assertEquals(new TreeSet<>(FRONT_DOOR), found);
    }

    @Test
    void publicSignaturesUseOnlyFrontDoorAndJdkTypes() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (String name : FRONT_DOOR) {
            Class<?> c = Class.forName("rnn.lm." + name);
            List<Executable> members = new ArrayList<>(List.of(c.getDeclaredMethods()));
            members.addAll(List.of(c.getDeclaredConstructors()));
            for (Executable e : members) {
                if (!Modifier.isPublic(e.getModifiers()) || e.isSynthetic()) {
                    continue;
                }
                List<Type> types = new ArrayList<>(List.of(e.getGenericParameterTypes()));
                types.addAll(List.of(e.getGenericExceptionTypes()));
                if (e instanceof Method m) {
                    types.add(m.getGenericReturnType());
                }
                for (Type t : types) {
                    check(t, c.getSimpleName() + "." + e.getName(), leaks);
                }
            }
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isPublic(f.getModifiers())) {
                    check(f.getGenericType(), c.getSimpleName() + "." + f.getName(), leaks);
                }
            }
        }
        assertTrue(leaks.isEmpty(), "front-door signatures naming other types: " + leaks);
    }

    private static void check(Type t, String where, List<String> leaks) {
        switch (t) {
            case Class<?> c when c.isArray() -> check(c.getComponentType(), where, leaks);
            case Class<?> c when c.isPrimitive() -> { }
            case Class<?> c -> {
                String pkg = c.getPackageName();
                if (!pkg.equals("rnn.lm") && !pkg.startsWith("java.")) {
                    leaks.add(where + ": " + c.getName());
                }
            }
            case ParameterizedType p -> {
                check(p.getRawType(), where, leaks);
                for (Type a : p.getActualTypeArguments()) {
                    check(a, where, leaks);
                }
            }
            case WildcardType w -> {
                for (Type b : w.getUpperBounds()) {
                    check(b, where, leaks);
                }
                for (Type b : w.getLowerBounds()) {
                    check(b, where, leaks);
                }
            }
            case GenericArrayType g -> check(g.getGenericComponentType(), where, leaks);
            case TypeVariable<?> v -> {
                for (Type b : v.getBounds()) {
                    check(b, where, leaks);
                }
            }
            default -> leaks.add(where + ": " + t);
        }
    }
}
