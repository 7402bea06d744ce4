package io.leadsuite.lead.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhooks to CRMs ({@code leadsuite.webhooks.*}, env {@code LEADSUITE_WEBHOOKS_*}). */
@ConfigMapping(prefix = "leadsuite.webhooks")
public interface WebhookConfig {

    /**
     * Whether subscriptions may target loopback and private addresses (10/8, 172.16/12, 192.168/16, fc00::/7, 127/8,
     * ::1). Off in production (server-side request forgery); on for tests and local runs. Link-local (cloud
     * metadata), multicast and unspecified addresses are refused even then.
     */
    @WithDefault("false")
    boolean allowPrivateTargets();

    /**
     * Whether webhook URLs must be https (on in production; off for tests and local runs, whose receivers listen on plain
     * http). Checked when a subscription is made and before every delivery.
     */
    @WithDefault("true")
    boolean requireHttps();

    /** The shortest secret a subscription may have (characters). */
    @WithDefault("16")
    int minSecretLength();

    Delivery delivery();

    /**
     * How long a delivery that is over (DELIVERED or CANCELLED) stays in the delivery log, with its attempts, before the
     * retention job deletes it ({@code leadsuite.webhooks.delivery-log-retention}). Pending deliveries always stay.
     */
    @WithDefault("30d")
    Duration deliveryLogRetention();

    interface Delivery {

        /** Whether this replica delivers webhooks (replicas share the work safely; this only switches one off). */
        @WithDefault("true")
        boolean enabled();

        /** How often the worker looks for due deliveries even without a commit notification. */
        @WithDefault("1s")
        Duration pollInterval();

        /** How many deliveries one worker round takes (at most one per subscription and lead, in order). */
        @WithDefault("50")
        int batchSize();

        /** How long a target may take to connect and answer before the attempt counts as failed. */
        @WithDefault("10s")
        Duration timeout();

        /** The wait after the first failed attempt; it doubles after each further failure. */
        @WithDefault("2s")
        Duration initialBackoff();

        /** The longest wait between two attempts; retries go on at this pace until the target answers 2xx. */
        @WithDefault("10m")
        Duration maxBackoff();
    }
}
