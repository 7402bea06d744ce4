package io.leadsuite.gateway;

import java.util.Set;

/** The roles of the suite, as they appear in a token's {@code groups} claim. */
public final class Roles {

    public static final String MARKETING = "marketing";
    public static final String TELESALES = "telesales";
    public static final String SALES = "sales";
    public static final String ADMIN = "admin";
    public static final String CRM = "crm";

    /** Any role of the suite: what every {@code /api} route needs at least. */
    public static final Set<String> ANY = Set.of(MARKETING, TELESALES, SALES, ADMIN, CRM);
    public static final Set<String> MARKETING_OR_ADMIN = Set.of(MARKETING, ADMIN);
    public static final Set<String> CRM_OR_ADMIN = Set.of(CRM, ADMIN);

    private Roles() {
    }
}
