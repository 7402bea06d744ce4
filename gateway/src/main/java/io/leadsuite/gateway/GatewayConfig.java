package io.leadsuite.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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

    /**
     * Further attempts to get a connection for an idempotent request (GET, HEAD, PUT, DELETE, OPTIONS) when the
     * first is refused; nothing has reached the service then. Other methods are never retried.
     */
    @WithDefault("2")
    int retries();

    /** Pause before each retry. */
    @WithDefault("50ms")
    Duration retryDelay();

    /** The circuit breaker of each upstream. */
    Breaker breaker();

    /** Largest request body; larger ones get 413 (by {@code Content-Length} at once, or when a stream exceeds it). */
    @WithDefault("10M")
    io.quarkus.runtime.configuration.MemorySize maxBodySize();

    /** Largest request head (request line and all headers); larger ones get 431. */
    @WithDefault("16K")
    io.quarkus.runtime.configuration.MemorySize maxHeaderSize();

    /**
     * Browser origins admitted by CORS, comma-separated (consoles and web-form sites); Quarkus' CORS filter reads
     * them through {@code quarkus.http.cors.origins}. Any other origin gets no CORS headers (and 403).
     */
    @WithDefault("http://localhost:3000")
    java.util.List<String> corsOrigins();

    /** Rate limits per client and route group. */
    RateLimit rateLimit();

    /**
     * The proxies (CIDRs or single addresses, comma-separated) whose forwarding headers ({@code Forwarded},
     * {@code X-Forwarded-For}) name the client's address for the public routes' rate limits: the edge in front of the
     * gateway (ingress controller, Gateway data plane). None by default: the client is then the socket's peer, and
     * nobody can make the gateway believe a forged header.
     */
    Optional<java.util.List<String>> trustedProxies();

    /**
     * Memory the cache of verified bearer tokens may take (estimated per token: its text twice and its claims); the
     * least used tokens make room when it is full. Each token leaves the cache at its {@code exp} at the latest.
     */
    @WithDefault("8M")
    io.quarkus.runtime.configuration.MemorySize verifiedTokensMaxMemory();

    /** The composite view {@code GET /api/contacts/{id}/overview}. */
    Overview overview();

    /** The live stream {@code GET /api/stream}. */
    Stream stream();

    /** The public path for web forms, {@code POST /api/forms/captures}. */
    Forms forms();

    /** The web console's settings. */
    ConsoleSettings console();

    interface ConsoleSettings {
        /**
         * Sign-in with the cluster's identity provider (OpenID Connect authorisation code flow with PKCE), offered
         * beside the pasted token; absent: the pasted token only. The gateway must trust the provider's tokens
         * ({@code mp.jwt.verify.*}), as the services do.
         */
        Optional<Oidc> oidc();
    }

    interface Oidc {
        /** The provider's issuer URL; the browser reads {@code <issuer>/.well-known/openid-configuration}. */
        URI issuer();

        /** The console's client id at the provider: a public client (no secret), redirect URI {@code <gateway>/}. */
        String clientId();

        /**
         * The scopes asked for, space-separated; {@code openid} when not set (no default here: a default would make
         * the group present without an issuer).
         */
        Optional<String> scopes();
    }

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

    interface Breaker {

        /** Calls the breaker looks at (a rolling window) before it may open. */
        @WithDefault("10")
        int requestVolume();

        /** Share of failed calls (no connection, time-out) in that window that opens it. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long it stays open (answering 503 at once) before it lets a trial call through. */
        @WithDefault("5s")
        Duration delay();
    }

    interface RateLimit {

        /** Requests per minute of one client (token subject, else IP address) on one route group. */
        @WithDefault("600")
        long perMinute();

        /** Overrides per route group ({@code leads, lead-scores, contacts, crm, ...}): requests per minute. */
        Map<String, Long> routes();
    }

    interface Overview {

        /** Time-out of each part (contact, leads, each lead's scores). */
        @WithDefault("2s")
        Duration timeout();

        /** Leads of the contact shown (one page of lead-service). */
        @WithDefault("50")
        int maxLeads();
    }

    interface Stream {

        /** Events kept in memory per gateway replica for {@code Last-Event-ID} resume. */
        @WithDefault("1000")
        int bufferSize();

        /** Interval of the keep-alive comment on idle streams. */
        @WithDefault("15s")
        Duration heartbeat();

        /** Streams one caller (token subject) may hold open on one replica at once; one more is answered 429. */
        @WithDefault("5")
        int maxPerUser();

        /**
         * How long the replica stays subscribed to the broker's events after its last stream closed: a client that
         * reconnects within it resumes with {@code Last-Event-ID}; later, it is told to reload ({@code reset}).
         */
        @WithDefault("60s")
        Duration linger();

        /** While streams are open and the broker connection is lost, how often the subscription is tried again. */
        @WithDefault("2s")
        Duration reconnectInterval();
    }

    /** The combined OpenAPI document ({@code GET /api/openapi}). */
    OpenApiDocument openapi();

    interface OpenApiDocument {

        /**
         * How long a combined document is served before it is built again from the services' documents (a document
         * that misses a service is kept 5 s at most, so a service that comes back is seen soon).
         */
        @WithDefault("60s")
        Duration cacheTtl();

        /** Requests per minute one client address may make for it (each one beyond is answered 429). */
        @WithDefault("30")
        long perMinute();
    }

    interface Forms {

        /** Web-form sites by name; each has its own key, allowed origin and lead source. */
        Map<String, Site> sites();

        /** Submissions per minute from one client address (see {@code trusted-proxies}) for one site. */
        @WithDefault("10")
        long perMinute();

        /** Submissions per minute for one site from all addresses together: the site's own budget. */
        @WithDefault("600")
        long perSitePerMinute();

        /** Consent confirmations ({@code POST /api/consent/confirm}) per minute from one client address. */
        @WithDefault("10")
        long confirmationsPerMinute();

        /** Largest form body. */
        @WithDefault("16K")
        io.quarkus.runtime.configuration.MemorySize maxBodySize();

        /**
         * PEM (PKCS#8) private key the gateway signs its short-lived form tokens with: a key pair of the forms' own,
         * never the suite issuer's (lead-service and contact-service trust its public key for the role {@code form}
         * only); only read when a form is submitted.
         */
        @WithDefault("file:.run/suite/keys/forms/private.pem")
        String signingKey();

        /** The issuer of form tokens (lead-service and contact-service expect the same, {@code leadsuite.forms.issuer}). */
        @WithDefault("urn:leadsuite:forms")
        String issuer();

        /** Lifetime of a form token (a new one is minted a minute before it runs out). */
        @WithDefault("5m")
        Duration tokenLifetime();

        interface Site {

            /** The key the form sends in {@code X-Form-Key}. */
            String key();

            /** The origin ({@code https://www.example.com}) the form is served from; browsers send it. */
            String origin();

            /** The lead source the gateway sets on every capture of this site. */
            @WithDefault("MARKETING_FORM")
            String source();

            /** The source reference set on every capture (the form's id); when absent the client's is kept. */
            Optional<String> sourceRef();
        }
    }
}
