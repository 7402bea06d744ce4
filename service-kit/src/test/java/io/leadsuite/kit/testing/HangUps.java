package io.leadsuite.kit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import io.vertx.sqlclient.Pool;

/**
 * Clients that give up, as browsers, web forms and a gateway under load do: many requests at once over plain sockets,
 * each abandoned at a random point. Some hang up while still sending the body, most after sending it, at a random
 * moment between 0 and {@code maxWaitMs} (before the service could answer, while it waits for a pool connection,
 * inside its transaction, or after it answered); half of them reset the connection (RST), half close it (FIN).
 */
public final class HangUps {

    private HangUps() {
    }

    /**
     * The check every service runs: 2,000 requests from 64 clients at once (the pool has fewer connections), each
     * abandoned at a random point within a second; then the pool must hand out all {@code maxSize} connections again,
     * no session may be idle in a transaction, and one more request ({@code request} of -1) must be answered with a
     * 2xx within 2 s.
     */
    public static Burst assertServiceSurvives(int port, Pool pool, int maxSize, IntFunction<String> request) {
        Burst burst = burst(port, 2000, 64, 1000, 21L, request);
        if (burst.hungUp() < 500) {
            throw new AssertionError("Too few requests were abandoned to test anything: " + burst);
        }
        PoolCheck.assertRecovers(pool, maxSize, Duration.ofSeconds(30));
        String status = statusLine(port, request.apply(-1), 2000);
        if (!status.matches("HTTP/1\\.1 2\\d\\d .*")) {
            throw new AssertionError("After the burst, a request was answered " + status + " (expected 2xx within 2 s)");
        }
        return burst;
    }

    /** Sends one request and returns the status line of its answer, or what went wrong within {@code timeoutMs}. */
    public static String statusLine(int port, String request, int timeoutMs) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(timeoutMs);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            StringBuilder line = new StringBuilder();
            InputStream in = socket.getInputStream();
            for (int c = in.read(); c != -1 && c != '\r'; c = in.read()) {
                line.append((char) c);
            }
            return line.toString();
        } catch (SocketTimeoutException e) {
            return "nothing within " + timeoutMs + " ms";
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    /** What a burst did: requests sent, answers read in full before the client gave up, and hang-ups. */
    public record Burst(int sent, int answered, int hungUp) {
    }

    /**
     * @param port the service's HTTP port
     * @param total how many requests to send
     * @param concurrency how many are in flight at once (more than the pool's size puts the pool at its limit)
     * @param request the whole HTTP/1.1 request text of the i-th request
     */
    public static Burst burst(int port, int total, int concurrency, int maxWaitMs, long seed,
            IntFunction<String> request) {
        ExecutorService clients = Executors.newFixedThreadPool(concurrency);
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger hungUp = new AtomicInteger();
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int n = i;
                sent.add(clients.submit(() -> {
                    Random random = new Random(seed * 31 + n);
                    boolean answer = one(port, request.apply(n).getBytes(StandardCharsets.UTF_8), random, maxWaitMs);
                    (answer ? answered : hungUp).incrementAndGet();
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get(2, TimeUnit.MINUTES);
            }
        } catch (Exception e) {
            throw new IllegalStateException("The burst did not finish", e);
        } finally {
            clients.shutdownNow();
        }
        return new Burst(total, answered.get(), hungUp.get());
    }

    /** A JSON POST with a bearer token, as the text of an HTTP/1.1 request. */
    public static String post(String path, String token, String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n" + json;
    }

    private static boolean one(int port, byte[] request, Random random, int maxWaitMs) {
        try (Socket socket = new Socket("localhost", port)) {
            if (random.nextBoolean()) {
                socket.setSoLinger(true, 0); // close() sends RST
            }
            OutputStream out = socket.getOutputStream();
            if (random.nextInt(10) == 0) {
                out.write(request, 0, random.nextInt(request.length));
                out.flush();
                return false;
            }
            out.write(request);
            out.flush();
            int wait = random.nextInt(maxWaitMs + 1);
            if (wait == 0) {
                return false;
            }
            socket.setSoTimeout(wait);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            try {
                // a whole answer is not parsed: reading the first bytes before the wait runs out counts as answered
                return in.read(buffer) > 0;
            } catch (SocketTimeoutException gaveUp) {
                return false;
            }
        } catch (IOException refused) {
            return false;
        }
    }
}
