package io.leadsuite.gateway;

/** The services behind the gateway, named as in the configuration keys. */
public enum Upstream {
    CONTACT_SERVICE("contact-service"),
    LEAD_SERVICE("lead-service"),
    SCORING_SERVICE("scoring-service");

    private final String configName;

    Upstream(String configName) {
        this.configName = configName;
    }

    /** The name used in {@code leadsuite.gateway.upstreams.<name>} and in problem details. */
    public String configName() {
        return configName;
    }
}
