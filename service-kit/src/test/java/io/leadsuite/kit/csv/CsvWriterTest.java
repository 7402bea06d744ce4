package io.leadsuite.kit.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

class CsvWriterTest {

    @Test
    void cellsThatASpreadsheetWouldRunAsFormulasGetALeadingQuote() {
        assertEquals("\"'=HYPERLINK(\"\"x\"\")\"", CsvWriter.cell("=HYPERLINK(\"x\")"));
        assertEquals("'+1", CsvWriter.cell("+1"));
        assertEquals("'-2", CsvWriter.cell("-2"));
        assertEquals("'@SUM(A1)", CsvWriter.cell("@SUM(A1)"));
        assertEquals("'\tx", CsvWriter.cell("\tx"));
        assertEquals("a=b", CsvWriter.cell("a=b"));
        assertEquals("12.50", CsvWriter.cell(new BigDecimal("12.50")));
        assertEquals("", CsvWriter.cell(null));
    }

    @Test
    void commasQuotesAndLineBreaksAreQuotedAndReadBackAsWritten() throws Exception {
        String csv = new CsvWriter().row(List.of("key", "n")).row(Arrays.asList("a, \"b\"\nc", 3))
                .row(Arrays.asList(null, "=1+1")).toString();
        assertEquals("key,n\r\n\"a, \"\"b\"\"\nc\",3\r\n,'=1+1\r\n", csv);
        CsvReader reader = new CsvReader(new StringReader(csv), ',');
        assertEquals(List.of("key", "n"), reader.next().fields());
        assertEquals(List.of("a, \"b\"\nc", "3"), reader.next().fields());
        assertEquals(List.of("", "'=1+1"), reader.next().fields());
    }
}
