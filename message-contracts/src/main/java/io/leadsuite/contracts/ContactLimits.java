package io.leadsuite.contracts;

/**
 * The longest value, in characters, each field of a contact may hold, part of the contract: contact-service refuses a
 * longer one, and a capture checks the fields it passes on against the same limits, so that a person contact-service
 * would refuse is refused at the capture already.
 */
public final class ContactLimits {

    /** As {@link EmailAddress} accepts it. */
    public static final int EMAIL = 254;
    public static final int NAME = 100;
    public static final int PHONE = 40;
    public static final int COMPANY = 200;
    public static final int JOB_TITLE = 200;
    public static final int INDUSTRY = 100;
    public static final int COUNTRY = 100;
    public static final int CONSENT_SOURCE = 200;

    private ContactLimits() {
    }
}
