/**
 * scoring-service's use cases. One transaction style: a use case opens its own boundary at its entry, in code
 * ({@code Panache.withTransaction} for a change, {@code Panache.withSession} for a read), and what it calls
 * ({@link LeadScorer}, {@link EventIntake}, the repositories) runs inside that boundary and opens none. The
 * boundaries:
 * <ul>
 * <li>requests: {@link InteractionService#submit}; {@link ModelService}'s create, update, publish and retire, and its
 * reads; {@link ModelCatalog#list}; {@link ScoreQueries}; {@link RescoreJobs#get};</li>
 * <li>background work: one transaction per batch of {@link DecayScheduler}, per claim and per batch of
 * {@link RescoreJobs};</li>
 * <li>messages: the kit's {@code BatchConsumer} opens one per batch (one per message when a batch fails);
 * {@link EventIntake} runs in it, and {@link InteractionService#submit}, called for the {@code interactions} queue,
 * joins it.</li>
 * </ul>
 * Deliberate exception: the kit's retention job and outbox relay run their own statements on the Vert.x pool, without
 * a session (scoring hands the retention job its statements, {@code repository/InteractionRetention}).
 */
package io.leadsuite.scoring.service;
