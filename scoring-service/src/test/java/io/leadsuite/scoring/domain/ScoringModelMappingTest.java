package io.leadsuite.scoring.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.core.json.JsonArray;

/** The jsonb columns of a model are written as JSON (not as a JSON string) and read back as written. */
@QuarkusTest
class ScoringModelMappingTest {

    @Test
    void jsonColumnsRoundTripAsJson() throws Throwable {
        UUID id = UUID.randomUUID();
        String rules = "[{\"id\": \"r1\", \"kind\": \"BEHAVIOUR\", \"interactionType\": \"EMAIL_OPENED\", \"points\": 3}]";
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            ScoringModel model = new ScoringModel();
            model.id = id;
            model.name = "Mapping check";
            model.status = ModelStatus.DRAFT;
            model.scopeJson = "{\"topics\": [\"solar-panels\"]}";
            model.salesReadyThreshold = 30;
            model.gradesJson = "[{\"name\": \"D\", \"minScore\": 0}]";
            model.rulesJson = rules;
            model.version = 1;
            model.createdAt = Instant.now();
            model.updatedAt = model.createdAt;
            return model.persist();
        }));
        ScoringModel read = VertxContextSupport.subscribeAndAwait(
                () -> Panache.withSession(() -> ScoringModel.<ScoringModel> findById(id)));
        assertEquals(new JsonArray(rules), read.rules());
        assertEquals("solar-panels", read.scope().getJsonArray("topics").getString(0));
        String stored = VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession()
                .chain(s -> s.createNativeQuery("select jsonb_typeof(rules) || '/' || jsonb_typeof(scope) "
                        + "from scoring_model where id = ?1", String.class).setParameter(1, id).getSingleResult())));
        assertEquals("array/object", stored);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> ScoringModel.deleteById(id)));
    }
}
