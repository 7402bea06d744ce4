import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;

/**
 * The broker's dead letters, over its own management API (CORE protocol, no web console needed): what is on the DLQ,
 * sending it back to the queue each message came from, and a check that this works. Run by scripts/infra.sh with the
 * Artemis distribution's lib/ on the class path and the operator account:
 *
 * <pre>
 *   BROKER_URL=tcp://127.0.0.1:25672 BROKER_USER=operator BROKER_PASSWORD=... \
 *     java -cp "$ARTEMIS_HOME/lib/*" scripts/tools/DeadLetters.java list | replay [queue] | check
 * </pre>
 *
 * A replayed message goes back to its original queue only (the broker's retry routes to that queue, not to every queue
 * of its address), keeps its id, and counts its deliveries from zero again.
 */
public class DeadLetters {

    static final String DLQ = "DLQ";
    static final String ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";
    static final String CHECK_ADDRESS = "leadsuite.dlq-check";

    public static void main(String[] args) throws Exception {
        String command = args.length > 0 ? args[0] : "list";
        String url = env("BROKER_URL");
        try (ServerLocator locator = ActiveMQClient.createServerLocator(url);
                ClientSessionFactory factory = locator.createSessionFactory();
                ClientSession session = factory.createSession(env("BROKER_USER"), env("BROKER_PASSWORD"), false, true,
                        true, false, 1)) {
            session.start();
            switch (command) {
                case "list" -> list(session);
                case "replay" -> System.out.println("replayed " + replay(session, args.length > 1 ? args[1] : null));
                case "check" -> check(factory);
                default -> throw new IllegalArgumentException("unknown command " + command + " (list, replay, check)");
            }
        }
    }

    private static String env(String name) {
        String value = System.getenv(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException(name + " is not set");
        }
        return value;
    }

    /** Dead letters per queue they came from. */
    static void list(ClientSession session) throws Exception {
        String counts = (String) invoke(session, ResourceNames.QUEUE + DLQ, "countMessages", "", ORIGINAL_QUEUE);
        Map<String, String> byQueue = new TreeMap<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"\\s*:\\s*(\\d+)").matcher(counts);
        while (m.find()) {
            byQueue.put(m.group(1), m.group(2));
        }
        if (byQueue.isEmpty()) {
            System.out.println("no dead letters");
        }
        byQueue.forEach((queue, count) -> System.out.println(queue + " " + count));
    }

    /** Sends the dead letters (all, or those of one original queue) back; returns how many. */
    static long replay(ClientSession session, String queue) throws Exception {
        if (queue == null) {
            return ((Number) invoke(session, ResourceNames.QUEUE + DLQ, "retryMessages")).longValue();
        }
        if (!queue.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("not a queue name: " + queue);
        }
        String json = (String) invoke(session, ResourceNames.QUEUE + DLQ, "listMessagesAsJSON",
                ORIGINAL_QUEUE + " = '" + queue + "'");
        List<Long> ids = new ArrayList<>();
        Matcher m = Pattern.compile("\"messageID\"\\s*:\\s*\"?(\\d+)").matcher(json);
        while (m.find()) {
            ids.add(Long.parseLong(m.group(1)));
        }
        long replayed = 0;
        for (long id : ids) {
            if (Boolean.TRUE.equals(invoke(session, ResourceNames.QUEUE + DLQ, "retryMessage", id))) {
                replayed++;
            }
        }
        return replayed;
    }

    /**
     * A message on a scratch multicast address with two queues is dead-lettered from one of them (rolled back once;
     * broker.xml gives the address one delivery), replayed with {@link #replay}, and must then be on that queue again,
     * once, while the other queue still holds only its own copy and the DLQ none.
     */
    static void check(ClientSessionFactory factory) throws Exception {
        String a = CHECK_ADDRESS + ".a";
        String b = CHECK_ADDRESS + ".b";
        String checkId = UUID.randomUUID().toString();
        String filter = "checkId = '" + checkId + "'";
        try (ClientSession session = factory.createSession(env("BROKER_USER"), env("BROKER_PASSWORD"), false, true,
                true, false, 1);
                ClientSession tx = factory.createSession(env("BROKER_USER"), env("BROKER_PASSWORD"), false, false,
                        false, false, 1)) {
            session.start();
            tx.start();
            for (String q : List.of(a, b)) {
                if (!session.queueQuery(org.apache.activemq.artemis.api.core.SimpleString.of(q)).isExists()) {
                    session.createQueue(QueueConfiguration.of(q).setAddress(CHECK_ADDRESS)
                            .setRoutingType(RoutingType.MULTICAST).setDurable(true));
                }
            }
            try (ClientProducer producer = session.createProducer(CHECK_ADDRESS)) {
                ClientMessage message = session.createMessage(true);
                message.setRoutingType(RoutingType.MULTICAST);
                message.putStringProperty("checkId", checkId);
                message.getBodyBuffer().writeString("dead letter check " + checkId);
                producer.send(message);
            }
            try (ClientConsumer consumer = tx.createConsumer(a, filter)) {
                ClientMessage got = consumer.receive(10_000);
                expect(got != null, "the message reached " + a);
                got.acknowledge();
                tx.rollback(); // one delivery allowed: the broker moves it to the DLQ
            }
            expect(count(session, DLQ, filter) == 1, "the failed message is on the DLQ");
            expect(count(session, a, filter) == 0, "and no longer on " + a);
            long replayed = replay(session, a);
            expect(replayed >= 1, "dlq-replay " + a + " replayed it");
            expect(count(session, DLQ, filter) == 0, "the DLQ no longer holds it");
            expect(count(session, a, filter) == 1, "it is back on " + a + ", once");
            expect(count(session, b, filter) == 1, b + " still holds its own copy only");
            for (String q : List.of(a, b)) {
                session.deleteQueue(q);
            }
            System.out.println("dlq-check: a dead letter of " + a + " went back to " + a + " only");
        }
    }

    private static long count(ClientSession session, String queue, String filter) throws Exception {
        Thread.sleep(200); // a moved message reaches its queue asynchronously
        return ((Number) invoke(session, ResourceNames.QUEUE + queue, "countMessages", filter)).longValue();
    }

    private static void expect(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError("dlq-check failed: " + what);
        }
    }

    private static Object invoke(ClientSession session, String resource, String operation, Object... params)
            throws Exception {
        try (ClientRequestor requestor = new ClientRequestor(session, "activemq.management")) {
            ClientMessage request = session.createMessage(false);
            ManagementHelper.putOperationInvocation(request, resource, operation, params);
            ClientMessage reply = requestor.request(request, 30_000);
            if (reply == null) {
                throw new IllegalStateException(operation + " on " + resource + ": no answer from the broker");
            }
            if (!ManagementHelper.hasOperationSucceeded(reply)) {
                throw new IllegalStateException(operation + " on " + resource + " failed: "
                        + ManagementHelper.getResult(reply));
            }
            return ManagementHelper.getResult(reply);
        }
    }
}
