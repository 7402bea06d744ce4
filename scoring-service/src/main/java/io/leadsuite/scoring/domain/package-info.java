/**
 * What scores a lead, and why: scoring-service's domain. One name per concept:
 * <dl>
 * <dt>Scoring model ({@link ScoringModel})</dt>
 * <dd>Rules, each worth points; grade bands; a sales-ready threshold; a scope (the lead topics it scores, none for
 * every topic). Its row holds the version in force; {@link ModelStatus} says where it is: DRAFT, PUBLISHED,
 * RETIRED.</dd>
 * <dt>Model version ({@link ScoringModelVersion})</dt>
 * <dd>One version of a model's content. A published version never changes: the next published one SUPERSEDES it.
 * The model's row and its versions store the same content ({@link ScoringModelContent}).</dd>
 * <dt>Model input ({@link ScoringModelInput})</dt>
 * <dd>A model as a client writes it, validated, every problem named by its field. In the REST layer,
 * {@code ScoringModelRequest} documents it and {@code ScoringModelView} shows a model or a version.</dd>
 * <dt>Compiled model ({@link CompiledModel})</dt>
 * <dd>One version of a model as the rule engine applies it: its rules parsed ({@link ScoringRule}, of a
 * {@link RuleKind}, testing with an {@link Operator}), its {@link GradeBand}s, threshold and scope. Built from the
 * stored content by {@code ModelCatalog}.</dd>
 * <dt>Interaction ({@link Interaction})</dt>
 * <dd>Something a contact did ({@link InteractionTypes}: e-mail opened, page visited, form submitted, ...), stored
 * once by its id. {@link InteractionInput} is one accepted and not yet stored; {@link InteractionFacts} is what rules
 * look at; {@link InteractionApplication} records that it was applied to a lead, so it never counts twice.</dd>
 * <dt>Tracked lead ({@link TrackedLead}) and contact reference ({@link ContactRef})</dt>
 * <dd>scoring's copies of lead-service's lead and contact-service's contact, changed only by newer events; what the
 * two keep alike is a {@link Projection}.</dd>
 * <dt>Rule hit ({@link RuleHit})</dt>
 * <dd>A rule's hit on a lead under a model: from an interaction (BEHAVIOUR), or from a fact about the contact or
 * the lead that holds (DEMOGRAPHIC, LEAD); worth the rule's points, until it expires (a windowed rule). A score is the
 * sum of its hits, and the hits are its explanation (REST: {@code RuleHitView}). {@link RuleHitChanges} collects the
 * hits a unit of work adds and removes.</dd>
 * <dt>Running score ({@link RunningScore})</dt>
 * <dd>A lead's score under one compiled model, changed one step at a time; each step is a {@link ScoreDelta} (hits
 * added, hits removed).</dd>
 * <dt>Score card ({@link ScoreCard})</dt>
 * <dd>One lead's running scores under every published model that scores it, during one unit of work: the scoring
 * algorithm, without storage.</dd>
 * <dt>Standing ({@link Standing}) and lead score ({@link LeadScore})</dt>
 * <dd>A score with its grade and sales-readiness; a lead's stored standing under a model.</dd>
 * <dt>Score history ({@link ScoreHistoryEntry})</dt>
 * <dd>Every change of a lead's standing, with its {@link ScoreCause}.</dd>
 * <dt>Re-scoring job ({@link RescoreJob})</dt>
 * <dd>Re-scores the leads a model affects after it was published, or withdraws their scores after it was retired, in
 * the background.</dd>
 * </dl>
 * Statuses are enums, stored and shown by name. One exception: {@link TrackedLead#status} keeps lead-service's status
 * as text (plus {@link TrackedLead#ERASED}): it is another service's value, and a status added there must not make
 * scoring fail to read its copy.
 */
package io.leadsuite.scoring.domain;
