// Migrations and database roles (item 4):
//   * each service with a database has one Job <service>-migrate that runs its image in init-and-exit mode, migrating
//     with the migration role (Secret <service>-db-migration) and granting the service role its data rights;
//   * the service's pods never migrate (QUARKUS_FLYWAY_MIGRATE_AT_START=false), never see the migration role, and wait
//     in an init step that validates the schema (the rollout waits for the migration);
//   * the service role has no DDL rights where deploy/ creates it: the dev PostgreSQL's init script and the
//     CloudNativePG component (owner of its database: the migration role; no superuser, createdb, createrole; no
//     CREATE on the schema) and the database ends its sessions left idle in a transaction after 30 s
//     (ALTER ROLE ... SET idle_in_transaction_session_timeout = '30s');
//   * CloudNativePG's Pooler runs in session mode (LISTEN and Flyway's session lock).
import { id } from "./render.mjs";
import { envValue, envSecretRef } from "./env.mjs";

export const DB_SERVICES = ["contact-service", "lead-service", "scoring-service"];
const norm = (s) => String(s).replace(/\s+/g, " ").trim().toLowerCase();
/** A Secret reference to `name`, also when kustomize's secretGenerator appended its content hash. */
export const isSecret = (ref, name) => ref === name || (typeof ref === "string" && ref.startsWith(name + "-") && /^[a-z0-9]{10}$/.test(ref.slice(name.length + 1)));
const decode = (secret, key) => (secret?.data?.[key] !== undefined ? Buffer.from(secret.data[key], "base64").toString("utf8") : secret?.stringData?.[key]);

function checkServicePods(objects) {
  const problems = [];
  for (const s of DB_SERVICES) {
    const d = objects.find((o) => o.kind === "Deployment" && o.metadata?.name === s);
    if (!d) continue;
    const spec = d.spec.template.spec;
    const main = spec.containers.find((c) => c.name === s) || spec.containers[0];
    if (envValue(objects, d, main, "QUARKUS_FLYWAY_MIGRATE_AT_START") !== "false")
      problems.push(`${id(d)}: container ${main.name}: QUARKUS_FLYWAY_MIGRATE_AT_START must be false (the Job ${s}-migrate migrates, not the service)`);
    for (const c of [...(spec.initContainers || []), ...spec.containers]) {
      const refs = [...(c.env || []).map((e) => e.valueFrom?.secretKeyRef?.name), ...(c.envFrom || []).map((e) => e.secretRef?.name)];
      if (refs.some((r) => isSecret(r, `${s}-db-migration`))) problems.push(`${id(d)}: container ${c.name} reads Secret ${s}-db-migration: the service must never hold the migration role`);
    }
    const wait = (spec.initContainers || []).find(
      (c) => envValue(objects, d, c, "QUARKUS_INIT_AND_EXIT") === "true" && envValue(objects, d, c, "QUARKUS_FLYWAY_VALIDATE_AT_START") === "true",
    );
    if (!wait) problems.push(`${id(d)}: no init step that waits for the schema (QUARKUS_INIT_AND_EXIT=true, QUARKUS_FLYWAY_VALIDATE_AT_START=true): the rollout would not wait for ${s}-migrate`);
    else {
      if (envValue(objects, d, wait, "QUARKUS_FLYWAY_MIGRATE_AT_START") !== "false") problems.push(`${id(d)}: init container ${wait.name} must not migrate (QUARKUS_FLYWAY_MIGRATE_AT_START=false)`);
      if (wait.image !== main.image) problems.push(`${id(d)}: init container ${wait.name} must run the service's image ${main.image}`);
    }

    const jobs = objects.filter((o) => o.kind === "Job" && o.spec.template.spec.containers.some((c) => c.image === main.image));
    if (jobs.length !== 1) {
      problems.push(`${id(d)}: ${jobs.length} migration Jobs run its image ${main.image}; exactly one (${s}-migrate) must`);
      continue;
    }
    const job = jobs[0];
    const jc = job.spec.template.spec.containers[0];
    const want = { QUARKUS_INIT_AND_EXIT: "true", QUARKUS_FLYWAY_MIGRATE_AT_START: "true" };
    for (const [k, v] of Object.entries(want)) if (envValue(objects, job, jc, k) !== v) problems.push(`${id(job)}: ${k} must be ${v}`);
    for (const k of ["QUARKUS_FLYWAY_USERNAME", "QUARKUS_FLYWAY_PASSWORD"]) {
      const ref = envSecretRef(jc, k);
      if (!isSecret(ref?.name, `${s}-db-migration`)) problems.push(`${id(job)}: ${k} must come from Secret ${s}-db-migration (the migration role), found ${ref ? `${ref.name}` : "no Secret"}`);
    }
    const user = envSecretRef(jc, "LEADSUITE_DB_USER");
    if (!isSecret(user?.name, `${s}-db`) || user?.key !== "username") problems.push(`${id(job)}: LEADSUITE_DB_USER must be the service role (Secret ${s}-db key username), the grantee of the init SQL`);
    const sql = norm(envValue(objects, job, jc, "QUARKUS_FLYWAY_INIT_SQL") || "");
    const grantee = '"$(leadsuite_db_user)"';
    for (const stmt of [
      'revoke all on database "$(leadsuite_db_name)" from public',
      `grant connect, temporary on database "$(leadsuite_db_name)" to ${grantee}`,
      "revoke create on schema public from public",
      `alter default privileges in schema public grant select, insert, update, delete on tables to ${grantee}`,
      `alter default privileges in schema public grant usage, select on sequences to ${grantee}`,
    ])
      if (!sql.includes(stmt)) problems.push(`${id(job)}: QUARKUS_FLYWAY_INIT_SQL lacks "${stmt}"`);
    for (const m of sql.matchAll(/grant ([^;]*?) to "\$\(leadsuite_db_user\)"/g))
      if (/\b(create|all|truncate|references|trigger)\b/.test(m[1].replace(/\bon all (tables|sequences)\b/g, "")))
        problems.push(`${id(job)}: QUARKUS_FLYWAY_INIT_SQL grants the service role more than data rights: "grant ${m[1]}"`);
  }
  return problems;
}

/** The dev PostgreSQL's init script (ConfigMap postgres-init) and the StatefulSet's variables for it. */
function checkDevRoles(objects) {
  const cm = objects.find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("postgres-init"));
  if (!cm) return [];
  const problems = [];
  const where = `${id(cm)} (dev PostgreSQL init script)`;
  const script = Object.values(cm.data || {}).join("\n");
  const sql = norm(script);
  const has = (what, re) => {
    if (!re.test(sql)) problems.push(`${where}: ${what}`);
  };
  has("the database must be owned by the migration role (create database ... owner :'owner')", /format\('create database %i owner %i', :'db', :'owner'\)/);
  has("the service role must be created nosuperuser nocreatedb nocreaterole", /format\('create role %i login nosuperuser nocreatedb nocreaterole[^']*', :'role'/);
  has("the service role needs alter role ... set idle_in_transaction_session_timeout = '30s'", /format\('alter role %i set idle_in_transaction_session_timeout = %l', :'role', '30s'\)/);
  has("each database must be closed to other roles (revoke all on database ... from public)", /format\('revoke all on database %i from public', :'db'\)/);
  has("nobody but the owner may create in the public schema (revoke create on schema public from public)", /revoke create on schema public from public/);
  if (/owner %i', :'db', :'role'|grant (create|all)[^;]*:'role'|grant %i to %i', :'owner', :'role'|alter database %i owner to %i', :'db', :'role'/.test(sql))
    problems.push(`${where}: gives the service role DDL rights (ownership, CREATE or ALL)`);
  const sts = objects.find((o) => o.kind === "StatefulSet" && o.metadata.name === "postgres");
  const c = sts?.spec.template.spec.containers[0];
  const calls = [...script.matchAll(/^\s*setup "\$(\w+)" "\$(\w+)" "\$(\w+)" "\$(\w+)" "\$(\w+)"\s*$/gm)];
  for (const s of DB_SERVICES) {
    const bound = (v, secret, key) => {
      const ref = c && envSecretRef(c, v);
      return isSecret(ref?.name, secret) && ref.key === key;
    };
    const call = calls.find((m) => bound(m[4], `${s}-db`, "username"));
    if (!call) {
      problems.push(`${where}: no setup call creates ${s}'s role from Secret ${s}-db (username)`);
      continue;
    }
    const [, db, owner, , role] = call;
    if (!bound(db, `${s}-db`, "dbname")) problems.push(`${where}: ${s}: the database must be Secret ${s}-db's dbname`);
    if (!bound(owner, `${s}-db-migration`, "username")) problems.push(`${where}: ${s}: the owner must be the migration role of Secret ${s}-db-migration (username), found $${owner}`);
    const sec = (name) => objects.find((o) => o.kind === "Secret" && isSecret(o.metadata.name, name));
    const migrator = decode(sec(`${s}-db-migration`), "username");
    const service = decode(sec(`${s}-db`), "username");
    if (migrator && service && migrator === service) problems.push(`${where}: ${s}: the migration role and the service role are the same role (${service})`);
    void role;
  }
  return problems;
}

/** The CloudNativePG component: Cluster roles, Databases, Pooler. */
function checkCnpg(objects) {
  const cluster = objects.find((o) => o.kind === "Cluster" && o.apiVersion?.startsWith("postgresql.cnpg.io/"));
  if (!cluster) return [];
  const problems = [];
  const where = id(cluster);
  const roles = cluster.spec?.managed?.roles || [];
  const post = (cluster.spec?.bootstrap?.initdb?.postInitSQL || []).map(norm);
  const databases = objects.filter((o) => o.kind === "Database");
  for (const s of DB_SERVICES) {
    const svc = roles.find((r) => isSecret(r.passwordSecret?.name, `${s}-db`));
    const mig = roles.find((r) => isSecret(r.passwordSecret?.name, `${s}-db-migration`));
    if (!svc) {
      problems.push(`${where}: no managed role with passwordSecret ${s}-db (the service role of ${s})`);
      continue;
    }
    if (!mig) problems.push(`${where}: no managed role with passwordSecret ${s}-db-migration (the migration role of ${s})`);
    if (svc.login !== true) problems.push(`${where}: role ${svc.name} must log in (login: true)`);
    for (const f of ["superuser", "createdb", "createrole", "replication", "bypassrls"]) if (svc[f] === true) problems.push(`${where}: role ${svc.name} must not have ${f}`);
    if ((svc.inRoles || []).length) problems.push(`${where}: role ${svc.name} must be in no role (inRoles ${svc.inRoles.join(", ")}): data rights come from its database's grants only`);
    if (!post.includes(`alter role ${svc.name} set idle_in_transaction_session_timeout = '30s'`))
      problems.push(`${where}: postInitSQL lacks "ALTER ROLE ${svc.name} SET idle_in_transaction_session_timeout = '30s'"`);
    const create = post.find((q) => q.startsWith(`create role ${svc.name} `));
    if (create && !/nosuperuser/.test(create)) problems.push(`${where}: postInitSQL creates ${svc.name} without NOSUPERUSER`);
    if (create && /\b(superuser|createdb|createrole)\b/.test(create.replace(/\bno(superuser|createdb|createrole)\b/g, ""))) problems.push(`${where}: postInitSQL gives ${svc.name} DDL attributes: ${create}`);
    for (const q of post) if (new RegExp(`^grant .* to ${svc.name}\\b`).test(q) || new RegExp(`owner (to )?${svc.name}\\b`).test(q)) problems.push(`${where}: postInitSQL gives ${svc.name} more than data rights: ${q}`);
    for (const db of databases.filter((x) => x.spec?.owner === svc.name)) problems.push(`${id(db)}: owned by the service role ${svc.name}; the migration role must own it`);
    if (mig && !databases.some((x) => x.spec?.owner === mig.name) && cluster.spec?.bootstrap?.initdb?.owner !== mig.name)
      problems.push(`${where}: no database is owned by ${s}'s migration role ${mig.name}`);
  }
  if (cluster.spec?.bootstrap?.initdb?.owner && roles.some((r) => r.passwordSecret?.name?.match(/-db$/) && r.name === cluster.spec.bootstrap.initdb.owner))
    problems.push(`${where}: bootstrap.initdb.owner ${cluster.spec.bootstrap.initdb.owner} is a service role; the migration role must own the database`);
  for (const p of objects.filter((o) => o.kind === "Pooler"))
    if (p.spec?.pgbouncer?.poolMode !== "session")
      problems.push(`${id(p)}: pgbouncer.poolMode must be session: the outbox relay LISTENs and Flyway holds a session-level advisory lock (transaction pooling breaks both)`);
  return problems;
}

export function checkDatabase(objects) {
  return [...checkServicePods(objects), ...checkDevRoles(objects), ...checkCnpg(objects)];
}
