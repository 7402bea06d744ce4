/**
 * The use cases of contact-service, and where their transactions begin and end.
 * <p>
 * <b>One transaction style: a use case is one public method of a service class annotated
 * {@code @WithTransaction}</b> (Hibernate Reactive through Panache); a use case that only reads is
 * {@code @WithSession}. That method is the use case's one boundary: what it calls (other services' package-private
 * steps such as {@code ContactService.match}, the repositories, {@code ContactEvents} and the kit's outbox) runs in its
 * transaction and opens none of its own. Nothing in {@code rest} opens a transaction, and a {@code @WithTransaction}
 * method never calls another one.
 * <p>
 * SQL lives in the repositories ({@code io.leadsuite.contact.repository}), one per aggregate: the contact (with its
 * consent history and confirmations) and the import job (with its rows and failed lines). Native selects there run on
 * the session's connection through the kit's {@code SessionSql}; entity loads and changes go through the Hibernate
 * session and are flushed by the use case.
 * <p>
 * Three deliberate exceptions:
 * <ul>
 * <li><b>Match-or-create</b> ({@code ContactService.matchOrCreate}, what captures call): calls that arrive together
 * commit together, so the kit's {@code GroupCommit} opens the one transaction of a batch and applies each call in it
 * as if alone (one transaction per call again when a batch fails); a method annotation cannot span several callers.
 * The steps it runs ({@code ContactService.match}) open none of their own.</li>
 * <li><b>A keyed creation</b> ({@code POST /contacts} with an {@code Idempotency-Key}): the kit's
 * {@code IdempotentRequests.answerInTransaction} opens the one transaction, in which {@code ContactService.create}
 * creates the contact and the kit remembers the answer, so the key is only ever stored with its effect; a repeat after
 * a racing request took the key needs a new transaction, which a method annotation cannot give. So
 * {@code ContactService.create} runs in its caller's transaction and carries no annotation.</li>
 * <li><b>Imports</b> ({@code service.imports}): blocking JDBC on connections of their own pool, committed by hand. The
 * upload streams the CSV into the job's rows with PostgreSQL {@code COPY} (the JDBC driver's copy API; the reactive
 * client has none) in the transaction that creates the job; the worker, on a thread of its own, processes one chunk
 * of rows per transaction with a handful of statements over arrays. Bulk work stays off the event loop and off the
 * reactive pool the API's requests use; the contacts it writes follow the same rule for incoming details
 * ({@code Contact.take}) and publish the same events.</li>
 * </ul>
 */
package io.leadsuite.contact.service;
