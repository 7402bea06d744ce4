package io.leadsuite.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on localhost that a process connects through instead of connecting to its target, so that a test can
 * break the network between the two (tc/netem is not available on the test machines):
 * <ul>
 * <li>{@link #drop()}: every open connection is reset at once (new ones pass);</li>
 * <li>{@link #blackhole()}: no byte moves in either direction, on open and new connections, until {@link #heal()};
 * nothing is closed, as when a link goes silent;</li>
 * <li>{@link #delay(long)}: every chunk of bytes is held that long before it is passed on.</li>
 * </ul>
 * With several targets it is also a balancer, as a cluster's service is: each new connection goes to the next target
 * that accepts it (a killed replica refuses, so its share goes to the others). One thread per direction per
 * connection: meant for a test's few dozen connections, not for a benchmark.
 */
final class FaultProxy implements AutoCloseable {

    private final String name;
    private final List<Integer> targets;
    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong connections = new AtomicLong();
    private final Object gate = new Object();
    private volatile boolean blackholed;
    private volatile long delayMillis;
    private volatile boolean closed;

    /** Listens on the port and passes every connection to one of the targets (all on localhost). */
    FaultProxy(String name, int port, List<Integer> targets) throws IOException {
        this.name = name;
        this.targets = List.copyOf(targets);
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        Thread acceptor = new Thread(this::accept, "proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String name() {
        return name;
    }

    long connections() {
        return connections.get();
    }

    /** Resets every open connection. */
    void drop() {
        for (Socket socket : sockets) {
            try {
                socket.setSoLinger(true, 0);
                socket.close();
            } catch (IOException e) {
                // already gone
            }
        }
        sockets.clear();
    }

    void blackhole() {
        blackholed = true;
    }

    void delay(long millis) {
        delayMillis = millis;
    }

    /** Bytes move again, without delay. */
    void heal() {
        synchronized (gate) {
            blackholed = false;
            delayMillis = 0;
            gate.notifyAll();
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            Socket upstream = connectToTarget();
            if (upstream == null) {
                close(client);
                continue;
            }
            connections.incrementAndGet();
            sockets.add(client);
            sockets.add(upstream);
            pump(client, upstream, "up");
            pump(upstream, client, "down");
        }
    }

    /** The next target that accepts a connection, or null when none does. */
    private Socket connectToTarget() {
        for (int i = 0; i < targets.size(); i++) {
            int target = targets.get(Math.floorMod(next.getAndIncrement(), targets.size()));
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 2000);
                return socket;
            } catch (IOException e) {
                close(socket);
            }
        }
        return null;
    }

    private void pump(Socket from, Socket to, String direction) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    hold();
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // a reset, a drop() or the other side gone: the connection ends below
            } finally {
                close(from);
                close(to);
            }
        }, "proxy-" + name + "-" + direction);
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits while the proxy is a black hole, then for the delay. */
    private void hold() throws InterruptedException, SocketException {
        synchronized (gate) {
            while (blackholed && !closed) {
                gate.wait(500);
            }
        }
        long delay = delayMillis;
        if (delay > 0) {
            Thread.sleep(delay);
        }
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        heal();
        try {
            server.close();
        } catch (IOException e) {
            // already closed
        }
        drop();
    }

    @Override
    public String toString() {
        return name + " :" + port() + " -> " + targets;
    }
}
