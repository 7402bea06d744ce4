package io.leadsuite.lead.repository;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** Columns of a native query's row as the domain reads them (the driver gives several types for one SQL type). */
public final class RowValues {

    private RowValues() {
    }

    /** A timestamp column; null stays null. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        if (value instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        }
        if (value instanceof LocalDateTime utc) {
            return utc.toInstant(ZoneOffset.UTC);
        }
        return (Instant) value;
    }

    /** A date column; null stays null. */
    public static LocalDate date(Object value) {
        return value instanceof java.sql.Date d ? d.toLocalDate() : (LocalDate) value;
    }

    /** A count. */
    public static long count(Object value) {
        return ((Number) value).longValue();
    }

    /** A sum of money, to the cent (a sum over no rows, coalesced to 0, too). */
    public static BigDecimal amount(Object value) {
        return (value instanceof BigDecimal d ? d : new BigDecimal(value.toString())).setScale(2, RoundingMode.HALF_UP);
    }
}
