package io.leadsuite.lead;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Dependencies between lead-service's layers point one way: rest -> service -> repository -> domain, event -> service
 * (package-info of each layer). Reads the main sources: a layer's file may not name a package it must not depend on,
 * in an import, a qualified name or a doc link.
 */
class LayersTest {

    private static final Path SOURCES = Path.of("src/main/java/io/leadsuite/lead");
    private static final Pattern LAYER_REFERENCE = Pattern.compile("io\\.leadsuite\\.lead\\.(\\w+)\\b");

    /** Each layer and the layers it must not depend on. */
    private static final Map<String, List<String>> FORBIDDEN = Map.of(
            "domain", List.of("config", "client", "repository", "service", "event", "rest"),
            "config", List.of("domain", "client", "repository", "service", "event", "rest"),
            "client", List.of("domain", "repository", "service", "event", "rest"),
            "repository", List.of("client", "service", "event", "rest"),
            "service", List.of("event", "rest"),
            "event", List.of("rest"),
            "rest", List.of("event"));

    @Test
    void dependenciesPointOneWay() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String layer : FORBIDDEN.keySet()) {
            List<Path> files = javaFiles(SOURCES.resolve(layer));
            assertTrue(files.size() > 1, "no sources found for layer " + layer + " under " + SOURCES.toAbsolutePath());
            for (Path file : files) {
                violations.addAll(violations(layer, file.toString(), Files.readString(file)));
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void everyTopLevelPackageIsALayer() throws IOException {
        try (Stream<Path> packages = Files.list(SOURCES)) {
            List<String> unknown = packages.filter(Files::isDirectory).filter(LayersTest::holdsSources)
                    .map(p -> p.getFileName().toString()).filter(name -> !FORBIDDEN.containsKey(name)).toList();
            assertEquals(List.of(), unknown, "a package outside the layers: put it inside one");
        }
    }

    @Test
    void theCheckFindsAServiceThatImportsRest() {
        String source = "package io.leadsuite.lead.service.sla;\n\nimport io.leadsuite.lead.rest.Page;\n"
                + "import io.leadsuite.lead.domain.Lead;\n";
        assertEquals(List.of("SlaService.java:3 service -> rest"), violations("service", "SlaService.java", source));
    }

    static List<String> violations(String layer, String file, String source) {
        List<String> found = new ArrayList<>();
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = LAYER_REFERENCE.matcher(lines[i]);
            while (m.find()) {
                if (FORBIDDEN.get(layer).contains(m.group(1))) {
                    found.add(file + ":" + (i + 1) + " " + layer + " -> " + m.group(1));
                }
            }
        }
        return found;
    }

    private static boolean holdsSources(Path dir) {
        try {
            return !javaFiles(dir).isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }
}
