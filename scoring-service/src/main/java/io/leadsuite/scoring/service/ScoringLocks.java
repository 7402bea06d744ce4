package io.leadsuite.scoring.service;

import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Transaction-scoped advisory locks that order the paths which could otherwise miss each other: an interaction stored
 * while its lead (or its contact's e-mail) is being registered by a concurrent transaction would be seen by neither.
 * Every transaction takes the locks of the leads, contacts and e-mails it touches in one global order (leads, then
 * contacts, then e-mails; by hash within each), so they serialize exactly where they meet and never deadlock.
 */
@ApplicationScoped
public class ScoringLocks {

    static final int LEAD_SPACE = 73_001;
    static final int CONTACT_SPACE = 73_002;
    static final int EMAIL_SPACE = 73_003;

    /** One advisory lock: a key space and a 32-bit key. */
    public record Key(int space, int key) {
        static final Comparator<Key> ORDER = Comparator.comparingInt(Key::space).thenComparingInt(Key::key);
    }

    public static Key lead(UUID leadId) {
        return new Key(LEAD_SPACE, leadId.hashCode());
    }

    public static Key contact(UUID contactId) {
        return new Key(CONTACT_SPACE, contactId.hashCode());
    }

    public static Key email(String normalisedEmail) {
        return new Key(EMAIL_SPACE, normalisedEmail.toLowerCase(Locale.ROOT).hashCode());
    }

    /** Whether the key is an e-mail's: e-mails come last in the global order. */
    public static boolean isEmail(Key key) {
        return key.space() == EMAIL_SPACE;
    }

    /**
     * The keys each open transaction holds: taking a key again would be one more statement for nothing (advisory
     * locks are re-entrant), and a batch's effects take, one by one, keys the batch took together first. Weak keys:
     * an entry goes with its transaction.
     */
    private final Map<Mutiny.Transaction, Set<Key>> held = Collections.synchronizedMap(new WeakHashMap<>());

    /**
     * Takes the locks, in the global order, until the transaction ends; keys this transaction holds already are not
     * taken again. A transaction that takes more later must only take keys that sort after those it holds. Yields
     * how many keys it took now.
     */
    public Uni<Integer> acquire(Collection<Key> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return Panache.getSession().chain(session -> {
            Mutiny.Transaction transaction = session.currentTransaction();
            Set<Key> taken = transaction == null ? new HashSet<>()
                    : held.computeIfAbsent(transaction, t -> ConcurrentHashMap.newKeySet());
            List<Key> missing = keys.stream().distinct().filter(key -> !taken.contains(key)).sorted(Key.ORDER)
                    .toList();
            if (missing.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            Integer[] spaces = missing.stream().map(Key::space).toArray(Integer[]::new);
            Integer[] hashes = missing.stream().map(Key::key).toArray(Integer[]::new);
            // one statement; unnest yields the keys in the arrays' (global) order
            return SessionSql.select(session, "select cast(pg_advisory_xact_lock(k1, k2) as text) "
                    + "from unnest($1::int[], $2::int[]) as t(k1, k2)", spaces, hashes)
                    .map(locked -> {
                        taken.addAll(missing);
                        return missing.size();
                    });
        });
    }
}
