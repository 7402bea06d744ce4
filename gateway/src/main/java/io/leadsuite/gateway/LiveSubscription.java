package io.leadsuite.gateway;

import java.time.Duration;
import java.util.List;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The live stream's subscription to {@code lead-events} and {@code score-updates}, held only while someone listens.
 * <p>
 * A gateway replica with no live stream open has no use for the suite's events, and with a subscription each replica
 * would still receive every one of them (three of the eight deliveries a capture costs the broker, a third of an
 * interaction's). So the first stream to open attaches it ({@link #join}: the stream answers once the broker has made
 * the subscription's queue, so nothing published after that is missed), and it is detached {@code linger} after the
 * last stream closed (a console that reconnects within that time resumes with {@code Last-Event-ID}).
 * <p>
 * The subscription is made with the Vert.x AMQP client, not a SmallRye Reactive Messaging channel: a channel attaches
 * at start-up and stays attached for the life of the application, and this one must come and go. Each link takes the
 * AMQP capability {@code topic} without durability: Artemis makes a queue for that link alone on the multicast address
 * and deletes it when the link closes, so nothing piles up while no one listens.
 * <p>
 * Whenever events may have been missed (the subscription detached, or the broker connection was lost),
 * {@link Listener#missed} is called; after a lost connection is re-established for streams still open,
 * {@link Listener#resumed}. While streams are open and the broker is away it retries every
 * {@code leadsuite.gateway.stream.reconnect-interval}.
 */
@ApplicationScoped
class LiveSubscription {

    private static final Logger LOG = Logger.getLogger(LiveSubscription.class);
    static final List<String> ADDRESSES = List.of("lead-events", "score-updates");

    /** The broker account and address of the live stream's connection. */
    @ConfigMapping(prefix = "leadsuite.amqp")
    interface Broker {
        String host();

        int port();

        String username();

        String password();

        /** amqps (the broker's certificate checked against the JVM's trust store) */
        @WithDefault("false")
        boolean tls();
    }

    /** What the live stream does with the subscription's events. */
    interface Listener {
        /** One event's envelope, as published. */
        void event(JsonObject envelope);

        /** Events from now until the subscription is attached again are not received. */
        void missed();

        /** The subscription is back after a lost connection, for the streams that stayed open. */
        void resumed();
    }

    private final Vertx vertx;
    private final Broker broker;
    private final Duration linger;
    private final Duration reconnectInterval;
    private Listener listener;

    // guarded by this
    private int listeners;
    private long detachTimer = -1;
    /** The attachment in progress or made, null while detached. */
    private Future<Void> attached;
    private AmqpClient client;
    private AmqpConnection connection;
    /** Counts attachments: callbacks of an earlier one (a connection closed on purpose) change nothing. */
    private long generation;
    private boolean stopped;
    /** The connection was lost while streams were open: they hear of it once a subscription is back. */
    private boolean resumePending;

    LiveSubscription(Vertx vertx, Broker broker, GatewayConfig config) {
        this.vertx = vertx;
        this.broker = broker;
        this.linger = config.stream().linger();
        this.reconnectInterval = config.stream().reconnectInterval();
    }

    void listener(Listener listener) {
        this.listener = listener;
    }

    /**
     * A stream opens: attaches the subscription unless it is (or is being) attached, and cancels a pending detach.
     * The future completes when the subscription receives (at once if it does already), or fails when the broker
     * cannot be reached; either way the caller {@link #leave}s once, when its stream ends or did not open.
     */
    synchronized Future<Void> join() {
        listeners++;
        if (detachTimer >= 0) {
            vertx.cancelTimer(detachTimer);
            detachTimer = -1;
        }
        if (attached == null) {
            attached = attach(++generation);
        }
        return attached;
    }

    /** A stream ended: the subscription is detached {@code linger} after the last one. */
    synchronized void leave() {
        if (--listeners > 0 || stopped) {
            return;
        }
        listeners = 0;
        if (detachTimer >= 0) {
            vertx.cancelTimer(detachTimer);
        }
        detachTimer = vertx.setTimer(Math.max(1, linger.toMillis()), t -> detachIfIdle());
    }

    /** Whether the subscription is attached (or attaching). */
    synchronized boolean attached() {
        return attached != null;
    }

    private void detachIfIdle() {
        AmqpClient closing;
        synchronized (this) {
            detachTimer = -1;
            if (listeners > 0 || attached == null) {
                return;
            }
            generation++;
            attached = null;
            closing = client;
            client = null;
            connection = null;
            resumePending = false;
        }
        LOG.infof("Live stream: no stream open for %s; unsubscribed from %s", linger, ADDRESSES);
        listener.missed();
        if (closing != null) {
            closing.close();
        }
    }

    private Future<Void> attach(long attempt) {
        AmqpClientOptions options = new AmqpClientOptions().setHost(broker.host()).setPort(broker.port())
                .setUsername(broker.username()).setPassword(broker.password()).setSsl(broker.tls())
                .setConnectTimeout(5_000);
        AmqpClient amqp = AmqpClient.create(vertx, options);
        return amqp.connect()
                .compose(made -> {
                    made.closeFuture().onComplete(closed -> lost(attempt));
                    made.exceptionHandler(failure -> LOG.debugf(failure, "Live stream connection"));
                    return Future.all(ADDRESSES.stream().map(address -> receive(made, address)).toList())
                            .map(made);
                })
                .<Void> map(made -> {
                    boolean current;
                    boolean resume;
                    synchronized (this) {
                        current = attempt == generation;
                        resume = current && resumePending;
                        if (current) {
                            client = amqp;
                            connection = made;
                            resumePending = false;
                        }
                    }
                    if (current) {
                        LOG.infof("Live stream: subscribed to %s", ADDRESSES);
                        if (resume) {
                            // before the callers of join() register their streams: only those that stayed open
                            listener.resumed();
                        }
                        return null;
                    }
                    // detached (or stopped) while attaching
                    amqp.close();
                    return null;
                })
                .onFailure(failure -> {
                    amqp.close();
                    synchronized (this) {
                        if (attempt == generation) {
                            attached = null;
                        }
                    }
                    LOG.warnf("Live stream: cannot subscribe to %s at %s:%d: %s", ADDRESSES, broker.host(),
                            broker.port(), failure.getMessage());
                });
    }

    private Future<?> receive(AmqpConnection connection, String address) {
        AmqpReceiverOptions options = new AmqpReceiverOptions().setDurable(false).addCapability("topic")
                .setAutoAcknowledgement(true);
        return connection.createReceiver(address, options).onSuccess(receiver -> receiver.handler(this::deliver));
    }

    private void deliver(AmqpMessage message) {
        JsonObject envelope;
        try {
            Buffer body = message.bodyAsBinary();
            envelope = body != null ? body.toJsonObject() : new JsonObject(message.bodyAsString());
        } catch (RuntimeException unreadable) {
            LOG.debugf(unreadable, "Live stream: an event that is not a JSON object, dropped");
            return;
        }
        listener.event(envelope);
    }

    /** The connection of an attachment closed: unless it was closed on purpose, the broker went away. */
    private void lost(long attempt) {
        boolean open;
        AmqpClient closing;
        synchronized (this) {
            if (attempt != generation || attached == null) {
                return;
            }
            attached = null;
            closing = client;
            client = null;
            connection = null;
            open = listeners > 0;
            resumePending = open;
        }
        if (closing != null) {
            closing.close();
        }
        listener.missed();
        if (open) {
            LOG.warnf("Live stream: the broker connection was lost; subscribing again every %s", reconnectInterval);
            vertx.setTimer(reconnectInterval.toMillis(), t -> reattach());
        }
    }

    /**
     * After a lost connection, for the streams still open (unless a stream opening meanwhile attached it again, or none
     * is left); the attachment tells them ({@link Listener#resumed}).
     */
    private void reattach() {
        Future<Void> attempt;
        synchronized (this) {
            if (listeners == 0 || attached != null || stopped) {
                return;
            }
            attempt = attached = attach(++generation);
        }
        attempt.onFailure(failure -> vertx.setTimer(reconnectInterval.toMillis(), t -> reattach()));
    }

    /** Closes the connection as a broker going away would (for tests of what follows: missed, then resumed). */
    void dropConnection() {
        AmqpConnection dropping;
        synchronized (this) {
            dropping = connection;
        }
        if (dropping != null) {
            dropping.unwrap().disconnect();
        }
    }

    @PreDestroy
    void stop() {
        AmqpClient closing;
        synchronized (this) {
            stopped = true;
            generation++;
            attached = null;
            closing = client;
            client = null;
            connection = null;
        }
        if (closing != null) {
            closing.close();
        }
    }
}
