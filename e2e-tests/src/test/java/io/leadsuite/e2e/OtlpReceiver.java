package io.leadsuite.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;

/**
 * A collector for the tests: takes OTLP/HTTP trace exports ({@code POST /v1/traces}, protobuf, as the services send
 * them with {@code quarkus.otel.exporter.otlp.traces.protocol=http/protobuf}) and keeps their spans. The protobuf is
 * read by hand (the fields of trace.proto a test needs), so the tests need no generated classes.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One span as exported: ids in hex, {@code parentSpanId} empty for a root, {@code service} its service.name. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name, Kind kind,
            long startNanos, long endNanos, Map<String, String> attributes) {
    }

    /** OTLP's SpanKind numbers. */
    enum Kind {
        UNSPECIFIED,
        INTERNAL,
        SERVER,
        CLIENT,
        PRODUCER,
        CONSUMER
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();
    private final List<RuntimeException> unreadable = new CopyOnWriteArrayList<>();

    OtlpReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body;
                try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))
                        ? new GZIPInputStream(exchange.getRequestBody())
                        : exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                int status = 200;
                if (!exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                    status = 404;
                } else {
                    try {
                        spans.addAll(exportTraceServiceRequest(body));
                    } catch (RuntimeException e) {
                        unreadable.add(e);
                        status = 400;
                    }
                }
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                // an empty ExportTraceServiceResponse: everything accepted
                exchange.sendResponseHeaders(status, -1);
            }
        });
        server.start();
    }

    /** What the services set as {@code quarkus.otel.exporter.otlp.traces.endpoint}. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The spans of one trace received so far. */
    List<Span> trace(String traceId) {
        return spans.stream().filter(s -> s.traceId().equals(traceId)).toList();
    }

    /** Exports this receiver could not read (a test fails on any). */
    List<RuntimeException> unreadable() {
        return List.copyOf(unreadable);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private static List<Span> exportTraceServiceRequest(byte[] body) {
        List<Span> out = new ArrayList<>();
        Reader request = new Reader(ByteBuffer.wrap(body));
        while (request.more()) {
            int field = request.tag();
            if (field == 1) {
                resourceSpans(request.message(), out);
            } else {
                request.skip();
            }
        }
        return out;
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    private static void resourceSpans(Reader r, List<Span> out) {
        String service = "?";
        List<Reader> scopes = new ArrayList<>();
        while (r.more()) {
            int field = r.tag();
            if (field == 1) {
                // Resource { repeated KeyValue attributes = 1; }
                Reader resource = r.message();
                while (resource.more()) {
                    if (resource.tag() == 1) {
                        String[] kv = keyValue(resource.message());
                        if ("service.name".equals(kv[0])) {
                            service = kv[1];
                        }
                    } else {
                        resource.skip();
                    }
                }
            } else if (field == 2) {
                scopes.add(r.message());
            } else {
                r.skip();
            }
        }
        for (Reader scope : scopes) {
            // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
            while (scope.more()) {
                if (scope.tag() == 2) {
                    out.add(span(service, scope.message()));
                } else {
                    scope.skip();
                }
            }
        }
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; string trace_state = 3; bytes parent_span_id = 4; string name = 5;
    // SpanKind kind = 6; fixed64 start_time_unix_nano = 7; fixed64 end_time_unix_nano = 8; repeated KeyValue
    // attributes = 9; ... }
    private static Span span(String service, Reader r) {
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        Kind kind = Kind.UNSPECIFIED;
        long start = 0;
        long end = 0;
        Map<String, String> attributes = new java.util.LinkedHashMap<>();
        while (r.more()) {
            switch (r.tag()) {
                case 1 -> traceId = HexFormat.of().formatHex(r.bytes());
                case 2 -> spanId = HexFormat.of().formatHex(r.bytes());
                case 4 -> parent = HexFormat.of().formatHex(r.bytes());
                case 5 -> name = r.string();
                case 6 -> kind = Kind.values()[(int) r.varint()];
                case 7 -> start = r.fixed64();
                case 8 -> end = r.fixed64();
                case 9 -> {
                    String[] kv = keyValue(r.message());
                    attributes.put(kv[0], kv[1]);
                }
                default -> r.skip();
            }
        }
        return new Span(service, traceId, spanId, parent, name, kind, start, end, attributes);
    }

    // KeyValue { string key = 1; AnyValue value = 2; } AnyValue { string string_value = 1; bool bool_value = 2;
    // int64 int_value = 3; double double_value = 4; ... }
    private static String[] keyValue(Reader r) {
        String key = "";
        String value = "";
        while (r.more()) {
            int field = r.tag();
            if (field == 1) {
                key = r.string();
            } else if (field == 2) {
                Reader any = r.message();
                while (any.more()) {
                    switch (any.tag()) {
                        case 1 -> value = any.string();
                        case 2 -> value = String.valueOf(any.varint() != 0);
                        case 3 -> value = String.valueOf(any.varint());
                        case 4 -> value = String.valueOf(Double.longBitsToDouble(any.fixed64()));
                        default -> {
                            value = "(complex)";
                            any.skip();
                        }
                    }
                }
            } else {
                r.skip();
            }
        }
        return new String[] { key, value };
    }

    /** Protobuf's wire format: tags, varints, fixed64 and length-delimited fields. */
    private static final class Reader {
        private final ByteBuffer buffer;
        private int wireType;

        Reader(ByteBuffer buffer) {
            this.buffer = buffer.order(ByteOrder.LITTLE_ENDIAN);
        }

        boolean more() {
            return buffer.hasRemaining();
        }

        int tag() {
            long tag = varint();
            wireType = (int) (tag & 7);
            return (int) (tag >>> 3);
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = buffer.get();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalStateException("malformed varint");
        }

        long fixed64() {
            return buffer.getLong();
        }

        byte[] bytes() {
            byte[] b = new byte[(int) varint()];
            buffer.get(b);
            return b;
        }

        String string() {
            return new String(bytes(), StandardCharsets.UTF_8);
        }

        Reader message() {
            int length = (int) varint();
            ByteBuffer slice = buffer.slice(buffer.position(), length);
            buffer.position(buffer.position() + length);
            return new Reader(slice);
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> buffer.position(buffer.position() + 8);
                case 2 -> {
                    int length = (int) varint();
                    buffer.position(buffer.position() + length);
                }
                case 5 -> buffer.position(buffer.position() + 4);
                default -> throw new IllegalStateException("wire type " + wireType);
            }
        }
    }
}
