package io.leadsuite.contracts;

import java.util.Set;

/**
 * The roles of the suite, as they appear in a bearer token's {@code groups} claim (CONTRACT.md, "Conventions"). The
 * gateway checks them at the edge and every service checks them again.
 */
public final class Roles {

    public static final String MARKETING = "marketing";
    public static final String TELESALES = "telesales";
    public static final String SALES = "sales";
    public static final String ADMIN = "admin";
    public static final String CRM = "crm";
    /**
     * A public web form, through the gateway: never in a staff token. Only the form credential (the kit's
     * {@code FormTokens}) carries it, and only a capture (and the match-or-create it calls) admits it.
     */
    public static final String FORM = "form";

    /** Every role of the suite. */
    public static final Set<String> ALL = Set.of(MARKETING, TELESALES, SALES, ADMIN, CRM);

    private Roles() {
    }
}
