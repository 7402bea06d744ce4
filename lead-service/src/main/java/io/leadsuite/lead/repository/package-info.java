/**
 * The SQL that Panache's entity methods do not express: native statements, one repository per aggregate (a
 * {@code *Repository}), and the decoding of their rows ({@link io.leadsuite.lead.repository.RowValues}). A repository
 * runs in the caller's session or transaction and never opens one. The selects of the hot paths run on the session's
 * connection through the kit's {@code SessionSql} (Hibernate Reactive never reuses a native select's query plan).
 * <p>
 * Dependencies: repository -> domain. Only service calls a repository; a REST resource may show a row type a
 * repository answers ({@code LayersTest} checks that nothing here imports service, rest or event).
 */
package io.leadsuite.lead.repository;
