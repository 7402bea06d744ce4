package io.leadsuite.lead.service;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.lead.domain.Flow;
import io.leadsuite.lead.repository.FlowRepository;
import io.quarkus.runtime.StartupEvent;

/**
 * Writes the built-in flows ({@code flows/built-in/*.json}) into the {@code flow} table at start-up. A (flow, version)
 * already there is left alone, so replicas starting together are safe and a changed definition needs a new version.
 */
@ApplicationScoped
public class BuiltInFlows {

    /** The built-in flow definitions on the classpath. */
    public static final List<String> RESOURCES = List.of("flows/built-in/marketing-lead.json",
            "flows/built-in/funnel.json", "flows/built-in/sales-lead.json");

    private static final Logger LOG = Logger.getLogger(BuiltInFlows.class);

    // On the Vert.x pool, blocking (see service's package-info): it runs once at start-up on the main thread, before
    // the first request, where there is no Vert.x context for a Hibernate Reactive session.
    void install(@Observes StartupEvent event, FlowRepository repository, ObjectMapper mapper) {
        for (String resource : RESOURCES) {
            String json = read(resource);
            Flow flow = parse(mapper, json);
            boolean inserted = repository.installIfAbsent(flow.id(), flow.version(), json)
                    .await().atMost(Duration.ofSeconds(30));
            if (inserted) {
                LOG.infof("Installed built-in flow %s version %d", flow.id(), flow.version());
            }
        }
    }

    public static Flow parse(ObjectMapper mapper, String json) {
        try {
            return mapper.readValue(json, Flow.class);
        } catch (IOException e) {
            throw new IllegalStateException("Built-in flow definition cannot be read", e);
        }
    }

    public static String read(String resource) {
        try (InputStream in = BuiltInFlows.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
