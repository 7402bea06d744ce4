package io.leadsuite.contact.service;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.contact.config.ContactConfig;
import io.leadsuite.contact.domain.ContactDetails;
import io.leadsuite.contact.domain.Normaliser;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.Violation;

/**
 * Turns details as given into their normal form (see {@link Normaliser}) and checks lengths, collecting one error per
 * offending field. The one place where the API, patches and imports validate a contact.
 */
@ApplicationScoped
public class ContactValidator {

    private final Normaliser normaliser;

    public ContactValidator(ContactConfig config) {
        this.normaliser = new Normaliser(config.defaultPhoneRegion().orElse(null));
    }

    /** Normalised details, or a list of field errors (never both). */
    public record Result(ContactDetails details, List<Violation> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** The normalised details, or a 422 naming every offending field. */
    public ContactDetails normalise(ContactDetails raw) {
        Result result = check(raw);
        if (!result.valid()) {
            throw new InvalidValues("One or more fields are invalid", result.errors());
        }
        return result.details();
    }

    public Result check(ContactDetails raw) {
        List<Violation> errors = new ArrayList<>();
        String email = Normaliser.email(raw.email()).orElse(null);
        if (email == null) {
            errors.add(new Violation("email", "must be a valid e-mail address"));
        }
        String country = null;
        if (Normaliser.text(raw.country()) != null) {
            country = Normaliser.country(raw.country()).orElse(null);
            if (country == null) {
                errors.add(new Violation("country",
                        "must be an ISO 3166 country: alpha-2 code, alpha-3 code or English name"));
            }
        }
        String phone = null;
        if (Normaliser.text(raw.phone()) != null) {
            if (raw.phone().length() > 40) {
                errors.add(new Violation("phone", "size must be between 0 and 40"));
            } else {
                phone = normaliser.phone(raw.phone(), country).orElse(null);
                if (phone == null) {
                    errors.add(new Violation("phone", country == null
                            ? "must be a valid phone number in international form (+<country code> ...), "
                                    + "or give the contact's country"
                            : "must be a valid phone number"));
                }
            }
        }
        String firstName = sized("firstName", raw.firstName(), 100, errors);
        String lastName = sized("lastName", raw.lastName(), 100, errors);
        String company = sized("company", raw.company(), 200, errors);
        String jobTitle = sized("jobTitle", raw.jobTitle(), 200, errors);
        String industry = sized("industry", raw.industry(), 100, errors);
        String consentSource = sized("consentSource", raw.consentSource(), 200, errors);
        if (!errors.isEmpty()) {
            return new Result(null, List.copyOf(errors));
        }
        return new Result(new ContactDetails(email, firstName, lastName, phone, company, jobTitle, industry, country,
                raw.consent(), consentSource), List.of());
    }

    /** Normalised phone for a number given in a patch, read in the contact's country. */
    public String phone(String raw, String country) {
        return normaliser.phone(raw, country).orElse(null);
    }

    static String sized(String field, String raw, int max, List<Violation> errors) {
        String value = Normaliser.text(raw);
        if (value != null && value.length() > max) {
            errors.add(new Violation(field, "size must be between 0 and " + max));
        }
        if (value != null && value.indexOf('\u0000') >= 0) {
            errors.add(new Violation(field, "must not contain NUL characters"));
        }
        return value;
    }
}
