package io.leadsuite.kit.poller;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;

/**
 * Where a service's background passes start: a bean starts its {@link WokenPoller} here (usually when it observes
 * {@code StartupEvent}) and every poller started here stops when the service shuts down. The outbox relay and backlog,
 * retention, webhook deliveries, lead imports, the SLA and nurture scans, decay and re-scoring jobs all run this way.
 */
@ApplicationScoped
public class Pollers {

    @Inject
    Vertx vertx;
    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    Optional<String> databaseUrl;
    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> databaseUser;
    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> databasePassword;

    private final List<WokenPoller> started = new CopyOnWriteArrayList<>();

    /**
     * Starts polling every {@code interval}, with a first pass at once; stopped at shutdown.
     *
     * @param pass one pass of work; its item says whether there is more to do right away (a full batch)
     */
    public WokenPoller start(String name, Duration interval, Supplier<Uni<Boolean>> pass) {
        WokenPoller poller = WokenPoller.start(vertx, name, interval, pass);
        started.add(poller);
        return poller;
    }

    /**
     * Like {@link #start}, and also woken by PostgreSQL's {@code NOTIFY channel} (a trigger at the commit of another
     * replica's work), over a connection of its own to the service's database.
     */
    public WokenPoller startListening(String name, Duration interval, String channel, Supplier<Uni<Boolean>> pass) {
        PgConnectOptions database = PgConnectOptions.fromUri(databaseUrl
                .orElseThrow(() -> new IllegalStateException(name + " listens, but no reactive datasource is set"))
                .replaceFirst("^vertx-reactive:", ""));
        databaseUser.ifPresent(database::setUser);
        databasePassword.ifPresent(database::setPassword);
        return start(name, interval, pass).listen(database, channel);
    }

    void stopAll(@Observes ShutdownEvent event) {
        started.forEach(WokenPoller::stop);
        started.clear();
    }
}
