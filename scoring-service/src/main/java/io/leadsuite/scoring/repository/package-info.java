/**
 * scoring-service's data access, one repository per aggregate: {@link TrackedLeadRepository} (a tracked lead with its
 * scores, rule hits, score history and applied interactions), {@link InteractionRepository},
 * {@link ContactRefRepository}, {@link ScoringModelRepository} (models and their versions) and
 * {@link RescoreJobRepository}. Every query, HQL or SQL, lives in its aggregate's repository; the services load,
 * persist and delete entities by id through Panache's active record and ask the repositories for the rest.
 * <p>
 * Repositories open no transaction and no session: they run in the caller's (see the service package). The selects of
 * the hot paths run on the session's connection through the kit's {@code SessionSql}, because Hibernate Reactive
 * never reuses a native select's query plan; native updates stay on {@code createNativeQuery}. One statement lives
 * elsewhere on purpose: the advisory locks of {@code service/ScoringLocks}, a lock rather than a query of an
 * aggregate. {@link InteractionRetention} hands the kit's retention job its statements, which the job runs on the
 * Vert.x pool.
 */
package io.leadsuite.scoring.repository;
