package io.leadsuite.kit.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.jboss.resteasy.reactive.server.Cancellable;

/**
 * Rules every JAX-RS resource of a service keeps, checked over its compiled classes. A resource must be
 * {@code @Cancellable(false)}: by default Quarkus REST cancels a resource's {@code Uni} when the client hangs up, and a
 * cancellation that lands while Hibernate Reactive opens a session or runs a transaction loses the pool connection
 * (quarkusio/quarkus#51576). Accepted work runs to its end instead: it commits or rolls back and gives the
 * connection back.
 */
public final class ResourceRules {

    private ResourceRules() {
    }

    /** The resource classes (classes annotated with {@code @Path}) under {@code target/classes} of the module. */
    public static List<Class<?>> resources() {
        Path classes = Path.of("target", "classes");
        try (Stream<Path> files = Files.walk(classes)) {
            return files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().contains("$"))
                    .map(f -> classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", ""))
                    .map(ResourceRules::load)
                    .filter(c -> !c.isInterface() && c.isAnnotationPresent(jakarta.ws.rs.Path.class))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails naming every resource class that a client's hang-up could cancel. */
    public static void assertRunToTheirEnd() {
        List<Class<?>> resources = resources();
        if (resources.isEmpty()) {
            throw new AssertionError("No resource class found under target/classes");
        }
        List<String> cancellable = resources.stream()
                .filter(c -> c.getAnnotation(Cancellable.class) == null || c.getAnnotation(Cancellable.class).value())
                .map(Class::getName).toList();
        if (!cancellable.isEmpty()) {
            throw new AssertionError("Resources without @Cancellable(false): " + cancellable);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, ResourceRules.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("Cannot load " + name, e);
        }
    }
}
