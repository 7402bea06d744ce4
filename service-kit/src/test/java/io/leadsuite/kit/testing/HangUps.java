package io.leadsuite.kit.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * Clients that give up, as browsers, web forms and a gateway under load do: many requests at once over plain sockets,
 * each abandoned at a random point. Some hang up while still sending the body, most after sending it, at a random
 * moment between 0 and twice the time answers currently take (at most {@code maxWaitMs}): so whatever the load, the
 * hang-ups land all over the service's work (while it waits for a pool connection, opens a session, runs its
 * transaction, or has just answered). Half of them reset the connection (RST), half close it (FIN).
 */
public final class HangUps {

    private HangUps() {
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
        // what an answer takes now, learnt as the burst goes: up when clients give up, down to what answers take
        AtomicLong typicalMs = new AtomicLong(50);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                int n = i;
                sent.add(clients.submit(() -> {
                    Random random = new Random(seed * 31 + n);
                    int wait = (int) Math.min(maxWaitMs, random.nextInt((int) (2 * typicalMs.get()) + 1));
                    long started = System.nanoTime();
                    boolean answer = one(port, request.apply(n).getBytes(StandardCharsets.UTF_8), random, wait);
                    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                    typicalMs.updateAndGet(
                            t -> Math.min(maxWaitMs, Math.max(1, answer ? (9 * t + tookMs) / 10 : t * 21 / 20 + 1)));
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

    private static boolean one(int port, byte[] request, Random random, int wait) {
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
