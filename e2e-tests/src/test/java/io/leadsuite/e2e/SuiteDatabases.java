package io.leadsuite.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Looks for values in every database of the suite: every database of the test PostgreSQL owned by a service role
 * ({@code <service>_service}: contact, lead, scoring; the gateway keeps nothing durable), every base table of every
 * schema in it, every column of every row (the whole row read as text, so no column type is left out).
 */
final class SuiteDatabases {

    /** What one search looked at and what it found ("database.schema.table: n rows hold value", per table and value). */
    record Search(List<String> databases, int tables, int columns, long rows, List<String> hits) {
    }

    private SuiteDatabases() {
    }

    static Search search(List<String> values) throws Exception {
        Map<String, String> env = infraEnv();
        String host = env.getOrDefault("LEADSUITE_DB_HOST", "127.0.0.1");
        String port = env.getOrDefault("LEADSUITE_DB_PORT", "26432");
        List<String> databases = new ArrayList<>();
        // every database the suite owns, read from the server itself (not a list kept here)
        try (Connection c = connect(host, port, "contact", "contact_service");
                PreparedStatement s = c.prepareStatement("select datname from pg_database d "
                        + "where pg_get_userbyid(d.datdba) like '%\\_service' order by datname");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                databases.add(rs.getString(1));
            }
        }
        int tables = 0;
        int columns = 0;
        long rows = 0;
        List<String> hits = new ArrayList<>();
        for (String database : databases) {
            try (Connection c = connect(host, port, database, database + "_service")) {
                List<String[]> names = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("select t.table_schema, t.table_name, (select count(*) "
                        + "from information_schema.columns k where k.table_schema = t.table_schema "
                        + "and k.table_name = t.table_name) from information_schema.tables t "
                        + "where t.table_type = 'BASE TABLE' and t.table_schema not in ('pg_catalog', "
                        + "'information_schema') order by 1, 2");
                        ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        names.add(new String[] { rs.getString(1), rs.getString(2) });
                        columns += rs.getInt(3);
                    }
                }
                tables += names.size();
                for (String[] table : names) {
                    String qualified = "\"" + table[0] + "\".\"" + table[1] + "\"";
                    rows += count(c, "select count(*) from " + qualified, null);
                    for (String value : values) {
                        long holding = count(c, "select count(*) from " + qualified + " r "
                                + "where position(lower(?) in lower(cast(r as text))) > 0", value);
                        if (holding > 0) {
                            hits.add(database + "." + table[0] + "." + table[1] + ": " + holding + " rows hold "
                                    + value);
                        }
                    }
                }
            }
        }
        return new Search(databases, tables, columns, rows, hits);
    }

    /** The rows a query answers, each a map from column label to value in column order. */
    static List<Map<String, Object>> rows(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        }
    }

    private static long count(Connection c, String sql, String value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            if (value != null) {
                s.setString(1, value);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Connection connect(String host, String port, String database, String role) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, role, role);
    }

    private static Map<String, String> infraEnv() throws Exception {
        Map<String, String> values = new HashMap<>(System.getenv());
        Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
        Path file = root.resolve(".run/test/env");
        if (!System.getenv().containsKey("LEADSUITE_DB_PORT") && Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("export ")) {
                    String[] kv = line.substring("export ".length()).split("=", 2);
                    values.put(kv[0], kv[1]);
                }
            }
        }
        return values;
    }
}
