-- scoring-service, issue 4: model versions, contact and lead facts for DEMOGRAPHIC and LEAD rules, expiring hits
-- (decay), score history and re-scoring jobs.

-- Every version of every model. scoring_model holds the version that scores (or, for a model never published, its
-- draft); a published version never changes: editing a published model writes the next version here as a DRAFT, and
-- publishing it supersedes the old one.
create table scoring_model_version (
    model_id                uuid        not null references scoring_model (id),
    version                 integer     not null,
    status                  text        not null check (status in ('DRAFT', 'PUBLISHED', 'SUPERSEDED', 'RETIRED')),
    name                    text        not null,
    description             text,
    scope                   jsonb       not null,
    sales_ready_threshold   integer     not null,
    grades                  jsonb       not null,
    rules                   jsonb       not null,
    created_at              timestamptz not null default now(),
    published_at            timestamptz,
    primary key (model_id, version)
);
insert into scoring_model_version (model_id, version, status, name, description, scope, sales_ready_threshold, grades,
                                   rules, created_at, published_at)
select id, version, status, name, description, scope, sales_ready_threshold, grades, rules, created_at, created_at
from scoring_model;

-- The contact's demographic snapshot (from contact.created / contact.updated) that DEMOGRAPHIC rules test.
alter table contact_ref add column attributes jsonb not null default '{}';
alter table contact_ref add column updated_at timestamptz;
-- The lead's attributes (from lead.created / lead.updated / lead.stage-changed) that LEAD rules test.
alter table tracked_lead add column attributes jsonb not null default '{}';
alter table tracked_lead add column status text;

-- A hit of a DEMOGRAPHIC or LEAD rule has no interaction; a hit of a windowed rule expires.
alter table rule_hit alter column interaction_id drop not null;
alter table rule_hit add column expires_at timestamptz;
create index rule_hit_expiry_idx on rule_hit (expires_at) where expires_at is not null;
create index rule_hit_interaction_idx on rule_hit (interaction_id);
-- Which version of the model the lead's score was computed with; an older one is re-scored before it changes.
alter table lead_score add column model_version integer not null default 1;
create index lead_score_model_idx on lead_score (model_id);

-- Every change of a lead's standing under a model.
create table lead_score_history (
    id              bigserial   primary key,
    lead_id         uuid        not null,
    model_id        uuid        not null,
    model_version   integer     not null,
    score           integer     not null,
    grade           text,
    sales_ready     boolean     not null,
    cause           text        not null,
    interaction_id  text,
    at              timestamptz not null
);
create index lead_score_history_lead_idx on lead_score_history (lead_id, id);

-- Re-scoring after a model was published, edited or retired: background, resumable (cursor), one claim at a time.
create table rescore_job (
    id              uuid        primary key,
    model_id        uuid        not null references scoring_model (id),
    model_version   integer     not null,
    kind            text        not null check (kind in ('PUBLISH', 'RETIRE')),
    state           text        not null check (state in ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    total           integer     not null default 0,
    done            integer     not null default 0,
    failed          integer     not null default 0,
    changed         integer     not null default 0,
    cursor_lead_id  uuid,
    error           text,
    created_at      timestamptz not null,
    started_at      timestamptz,
    heartbeat_at    timestamptz,
    finished_at     timestamptz
);
create index rescore_job_open_idx on rescore_job (created_at) where state in ('QUEUED', 'RUNNING');

create index interaction_application_interaction_idx on interaction_application (interaction_id);
create index tracked_lead_open_idx on tracked_lead (lead_id) where open;
