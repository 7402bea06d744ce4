package io.leadsuite.contact.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NormaliserTest {

    private final Normaliser withoutDefault = new Normaliser(null);
    private final Normaliser portugal = new Normaliser("Portugal");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "  Ana.Silva@Example.COM  | ana.silva@example.com",
            "ANA@EXAMPLE.PT| ana@example.pt",
            "' ana+news@example.com '| ana+news@example.com" })
    void emailIsTrimmedAndLowerCased(String raw, String expected) {
        assertEquals(Optional.of(expected), Normaliser.email(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "  ", "ana", "ana@", "@example.com", "ana@example", "an a@example.com", "a@b@c.io" })
    void malformedEmailsAreRefused(String raw) {
        assertEquals(Optional.empty(), Normaliser.email(raw));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "PT | PT", "pt | PT", " de | DE", "PRT | PT", "prt | PT", "DEU | DE", "USA | US",
            "Portugal | PT", "portugal | PT", "GERMANY | DE", "United Kingdom | GB", "United  States | US",
            "Brazil | BR", "bra | BR" })
    void countriesBecomeAlpha2(String raw, String expected) {
        assertEquals(Optional.of(expected), Normaliser.country(raw));
    }

    @ParameterizedTest
    @ValueSource(strings = { "XX", "Atlantis", "P", "PTX", "", "12" })
    void unknownCountriesAreRefused(String raw) {
        assertEquals(Optional.empty(), Normaliser.country(raw));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "+351 912 345 678 | | +351912345678",
            "00351 912345678 | | +351912345678",
            "912 345 678 | PT | +351912345678",
            "(030) 1234567 | DE | +49301234567",
            "+1 (650) 253-0000 | DE | +16502530000",
            "020 7946 0958 | GB | +442079460958" })
    void phonesBecomeE164(String raw, String country, String expected) {
        assertEquals(Optional.of(expected), withoutDefault.phone(raw, country));
    }

    @Test
    void nationalNumbersNeedACountryOrTheDefaultRegion() {
        assertEquals(Optional.empty(), withoutDefault.phone("912 345 678", null));
        assertEquals(Optional.of("+351912345678"), portugal.phone("912 345 678", null));
        // the contact's own country wins over the default region
        assertEquals(Optional.of("+442079460958"), portugal.phone("020 7946 0958", "GB"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "123", "not a phone", "+351 1", "+999 123456789" })
    void invalidPhonesAreRefused(String raw) {
        assertTrue(withoutDefault.phone(raw, "PT").isEmpty());
    }

    @Test
    void anUnknownDefaultRegionIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new Normaliser("Atlantis"));
    }

    @Test
    void textIsTrimmedAndBlankIsNull() {
        assertEquals("Ana", Normaliser.text("  Ana "));
        assertEquals(null, Normaliser.text("   "));
        assertEquals(null, Normaliser.text(null));
    }
}
