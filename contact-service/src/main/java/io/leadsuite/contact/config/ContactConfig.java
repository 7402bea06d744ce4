package io.leadsuite.contact.config;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** contact-service settings ({@code leadsuite.contact.*}, env {@code LEADSUITE_CONTACT_*}). */
@ConfigMapping(prefix = "leadsuite.contact")
public interface ContactConfig {

    /**
     * ISO 3166 country (alpha-2, alpha-3 or English name) in which a national phone number (no {@code +}) is read
     * when the contact has no country. Unset: such numbers are refused (422).
     */
    Optional<String> defaultPhoneRegion();

    /** Bulk imports. */
    Imports imports();

    /** Match-or-create calls (captures). */
    Matching matching();

    interface Matching {
        /**
         * The most match-or-create calls one transaction applies together
         * ({@code leadsuite.contact.matching.max-batch}): calls arriving while a batch is applied wait and go together
         * in the next (the kit's {@code GroupCommit}).
         */
        @WithDefault("64")
        int maxBatch();

        /**
         * How many batches are applied at once ({@code leadsuite.contact.matching.lanes}), each on its own pooled
         * connection: a batch's statements run one after another.
         */
        @WithDefault("4")
        int lanes();
    }

    /** Double opt-in of consent given on public web forms. */
    Consent consent();

    interface Consent {
        /** How long a confirmation token is valid ({@code leadsuite.contact.consent.confirmation-lifetime}). */
        @WithDefault("P7D")
        java.time.Duration confirmationLifetime();
    }

    interface Imports {
        /** Rows processed per transaction by the import worker. */
        @WithDefault("500")
        int chunkSize();

        /** How often an idle worker looks for queued or abandoned import jobs. */
        @WithDefault("1s")
        java.time.Duration pollInterval();

        /** A running job whose worker has not renewed its lease for this long is taken over by another worker. */
        @WithDefault("60s")
        java.time.Duration lease();

        /** The most failed lines an import job reports individually (all are counted). */
        @WithDefault("10000")
        int maxReportedErrors();

        /** The longest field a CSV line may have (characters); a longer one refuses its line, the job goes on. */
        @WithDefault("1000")
        int maxFieldLength();

        /** The longest CSV line (characters, quoted line breaks included); a longer one is refused, the job goes on. */
        @WithDefault("10000")
        int maxLineLength();
    }
}
