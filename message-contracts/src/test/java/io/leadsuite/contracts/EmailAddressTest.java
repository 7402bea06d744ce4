package io.leadsuite.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmailAddressTest {

    @ParameterizedTest(name = "''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', nullValues = "NONE", value = {
            "ana@example.com          | ana@example.com",
            "  Ana.Silva@Example.COM  | ana.silva@example.com",
            "ANA+news@EXAMPLE.co.uk   | ana+news@example.co.uk",
            "'\tana@example.com\n'     | ana@example.com",
            "ana                      | NONE",
            "ana@example              | NONE",
            "ana@@example.com         | NONE",
            "'ana silva@example.com'  | NONE",
            "''                       | NONE",
            "NONE                     | NONE" })
    void normalisesOrRejects(String raw, String expected) {
        assertEquals(Optional.ofNullable(expected), EmailAddress.normalise(raw));
    }

    @Test
    void aNulCharacterIsNeverPartOfAnAddress() {
        assertEquals(Optional.empty(), EmailAddress.normalise("ana\0x@example.com"));
    }
}
