package io.leadsuite.contact.domain;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

import io.leadsuite.contracts.EmailAddress;

/**
 * The normal forms contacts are stored in: e-mail trimmed and lower-cased ({@link EmailAddress}, the suite's matching
 * rule), phone numbers in E.164, countries as ISO 3166 alpha-2 codes. Pure functions, no I/O; each answers empty when
 * the input cannot be normalised, and the caller names the field in its 422.
 */
public final class Normaliser {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    /** Common English names that differ from the JDK's display names, by alpha-2 code. */
    private static final Map<String, List<String>> ENGLISH_ALIASES = Map.of(
            "US", List.of("UNITED STATES OF AMERICA", "USA"),
            "GB", List.of("UK", "GREAT BRITAIN", "ENGLAND"),
            "NL", List.of("HOLLAND", "THE NETHERLANDS"),
            "RU", List.of("RUSSIA"), "KR", List.of("SOUTH KOREA"), "KP", List.of("NORTH KOREA"),
            "CZ", List.of("CZECH REPUBLIC"), "VN", List.of("VIETNAM"), "CI", List.of("IVORY COAST"));
    /** Upper-case alpha-2, alpha-3 and English name of every ISO 3166 country, to its alpha-2 code. */
    private static final Map<String, String> COUNTRIES = countries();

    private final String defaultPhoneRegion;

    /** @param defaultPhoneRegion the alpha-2 region a national phone number is read in when the contact has no country */
    public Normaliser(String defaultPhoneRegion) {
        this.defaultPhoneRegion = defaultPhoneRegion == null || defaultPhoneRegion.isBlank() ? null
                : country(defaultPhoneRegion).orElseThrow(
                        () -> new IllegalArgumentException("Not an ISO 3166 country: " + defaultPhoneRegion));
    }

    public static Optional<String> email(String raw) {
        return EmailAddress.normalise(raw);
    }

    /** Alpha-2 code for an alpha-2 code, an alpha-3 code or an English country name, in any case. */
    public static Optional<String> country(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String key = raw.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        return Optional.ofNullable(COUNTRIES.get(key));
    }

    /**
     * E.164 form of a phone number. A number in international form ({@code +351 ...} or {@code 00351 ...}) needs no
     * region; a national one is read in {@code countryAlpha2}, else in the configured default region.
     */
    public Optional<String> phone(String raw, String countryAlpha2) {
        if (raw == null || raw.isBlank()) {
            return Optional.empty();
        }
        String candidate = raw.strip();
        if (candidate.startsWith("00")) {
            candidate = "+" + candidate.substring(2);
        }
        String region = countryAlpha2 != null ? countryAlpha2 : defaultPhoneRegion;
        try {
            Phonenumber.PhoneNumber number = PHONES.parse(candidate, region == null ? "ZZ" : region);
            if (!PHONES.isValidNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    /** Trimmed text, or null when blank. */
    public static String text(String raw) {
        return raw == null || raw.isBlank() ? null : raw.strip();
    }

    private static Map<String, String> countries() {
        Map<String, String> map = new HashMap<>();
        for (String alpha2 : Locale.getISOCountries()) {
            Locale locale = new Locale("", alpha2);
            map.put(alpha2, alpha2);
            try {
                map.put(locale.getISO3Country().toUpperCase(Locale.ROOT), alpha2);
            } catch (java.util.MissingResourceException e) {
                // no alpha-3 code known for this one
            }
            map.putIfAbsent(locale.getDisplayCountry(Locale.ENGLISH).toUpperCase(Locale.ROOT), alpha2);
        }
        ENGLISH_ALIASES.forEach((alpha2, names) -> names.forEach(name -> map.putIfAbsent(name, alpha2)));
        return Map.copyOf(map);
    }
}
