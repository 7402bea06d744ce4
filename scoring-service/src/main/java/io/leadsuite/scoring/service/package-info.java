/**
 * scoring-service's use cases. One transaction style: a use case opens its own boundary at its entry, in code
 * ({@code Panache.withTransaction} for a change, {@code Panache.withSession} for a read), and what it calls
 * ({@link LeadScorer}, {@link EventIntake}, the repositories) runs inside that boundary and opens none. The
 * boundaries:
 * <ul>
 * <li>requests: {@link InteractionService#submit}, through the kit's {@code GroupCommit}, which opens one per batch of
 * the requests that arrive together (one per request when a batch fails); {@link ModelService}'s create, update, publish and
 * retire, and its
 * reads; {@link ModelCatalog#list}; {@link ScoreQueries}; {@link RescoreJobs#get};</li>
 * <li>background work: one transaction per batch of {@link DecayScheduler}, per claim and per batch of
 * {@link RescoreJobs};</li>
 * <li>messages: the kit's {@code BatchConsumer} opens one per batch (one per message when a batch fails);
 * {@link EventIntake} runs in it, and so does {@link InteractionService#apply}, called for the {@code interactions}
 * queue.</li>
 * </ul>
 * Deliberate exception: the kit's retention job and outbox relay run their own statements on the Vert.x pool, without
 * a session (scoring hands the retention job its statements, {@code repository/InteractionRetention}).
 */
package io.leadsuite.scoring.service;
