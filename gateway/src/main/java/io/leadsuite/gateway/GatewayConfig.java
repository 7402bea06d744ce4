package io.leadsuite.gateway;

import java.net.URI;
import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The gateway's own settings. Every key can be set by environment variable, e.g.
 * {@code LEADSUITE_GATEWAY_UPSTREAMS_LEAD_SERVICE} for {@code leadsuite.gateway.upstreams.lead-service} or
 * {@code LEADSUITE_GATEWAY_TIMEOUT} for {@code leadsuite.gateway.timeout}.
 */
@ConfigMapping(prefix = "leadsuite.gateway")
public interface GatewayConfig {

    /** Base URLs of the services behind the gateway ({@code http://host:port}, optionally with a base path). */
    Upstreams upstreams();

    /**
     * How long the gateway waits for an upstream's response headers (counted from the moment it has a connection)
     * before it gives up and answers 504. Bodies that have started to flow are not cut off.
     */
    @WithDefault("10s")
    Duration timeout();

    /** How long the gateway waits to get a connection to an upstream before it answers 503. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** Connections kept per upstream service; further requests queue until one frees up. */
    @WithDefault("64")
    int maxConnectionsPerUpstream();

    interface Upstreams {

        /** {@code leadsuite.gateway.upstreams.contact-service}: contacts. */
        @WithDefault("http://localhost:8081")
        URI contactService();

        /** {@code leadsuite.gateway.upstreams.lead-service}: captures, leads, flows and the CRM routes. */
        @WithDefault("http://localhost:8082")
        URI leadService();

        /** {@code leadsuite.gateway.upstreams.scoring-service}: interactions, scoring models and lead scores. */
        @WithDefault("http://localhost:8083")
        URI scoringService();
    }
}
