package io.leadsuite.scoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InteractionTypesTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "EMAIL_OPENED          | EMAIL_OPENED",
            "' page_visited '      | PAGE_VISITED",
            "CUSTOM:webinar        | CUSTOM:webinar",
            "custom:Trial-Started  | CUSTOM:Trial-Started",
            "CUSTOM:               | NONE",
            "'CUSTOM:two words'    | NONE",
            "EMAIL_BOUNCED         | NONE",
            "''                    | NONE",
            "NONE                  | NONE" })
    void normalisesOrRejects(String raw, String expected) {
        assertEquals(Optional.ofNullable(expected), InteractionTypes.normalise(raw));
    }
}
