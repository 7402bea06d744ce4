package io.leadsuite.kit.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvReaderLimitsTest {

    @Test
    void aTooLongFieldOrLineIsRefusedWithItsLineAndTheNextRecordsAreReadAsUsual() throws IOException {
        String csv = "email,name\n"
                + "a@example.com,Ana\n"
                + "b@example.com," + "x".repeat(21) + "\n"
                + "c@example.com,\"multi\nline " + "y".repeat(40) + "\"\n"
                + "d@example.com,Dora\n";
        CsvReader reader = new CsvReader(new StringReader(csv), ',', 20, 40);
        assertEquals(List.of("email", "name"), reader.next().fields());
        assertEquals(List.of("a@example.com", "Ana"), reader.next().fields());
        CsvReader.Row field = reader.next();
        assertEquals(3, field.line());
        assertNull(field.fields());
        assertEquals("field 2 is longer than 20 characters", field.error());
        CsvReader.Row line = reader.next();
        assertEquals(4, line.line());
        assertEquals("field 2 is longer than 20 characters", line.error());
        CsvReader.Row next = reader.next();
        assertEquals(6, next.line(), "the quoted line break counted, the record after it read from its own line");
        assertEquals(List.of("d@example.com", "Dora"), next.fields());
        assertNull(reader.next());
    }

    @Test
    void aLineOfManyShortFieldsIsRefusedByTheLineLimit() throws IOException {
        CsvReader reader = new CsvReader(new StringReader("a,b\n" + "1,".repeat(30) + "1\nok,ok\n"), ',', 20, 40);
        reader.next();
        assertEquals("the line is longer than 40 characters", reader.next().error());
        assertEquals(List.of("ok", "ok"), reader.next().fields());
    }

    @Test
    void withoutLimitsNothingChanges() throws IOException {
        CsvReader reader = new CsvReader(new StringReader("a\n" + "z".repeat(100_000) + "\n"), ',');
        reader.next();
        assertEquals(100_000, reader.next().fields().get(0).length());
    }
}
