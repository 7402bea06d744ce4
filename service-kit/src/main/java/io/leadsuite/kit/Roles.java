package io.leadsuite.kit;

/** The roles of the suite, as they appear in a token's {@code groups} claim. */
public final class Roles {

    public static final String MARKETING = "marketing";
    public static final String TELESALES = "telesales";
    public static final String SALES = "sales";
    public static final String ADMIN = "admin";
    public static final String CRM = "crm";

    private Roles() {
    }
}
