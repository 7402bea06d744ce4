-- Flows are versioned: a lead keeps the (flow_id, flow_version) it was created under, so changing a flow never
-- changes the rules under a lead already in it.
create table flow (
    id          text        not null,
    version     int         not null,
    definition  jsonb       not null,
    created_at  timestamptz not null default now(),
    primary key (id, version)
);

create table lead (
    id              uuid primary key,
    contact_id      uuid        not null,
    topic           text        not null,
    source          text        not null,
    source_ref      text,
    flow_id         text        not null,
    flow_version    int         not null,
    stage           text        not null,
    status          text        not null,
    sales_ready     boolean     not null default false,
    sales_ready_by  text,
    sales_ready_at  timestamptz,
    team            text,
    owner           text,
    -- the full score snapshot (a JSON array) of the last applied score.changed, and its per-lead sequence
    scores          text        not null default '[]',
    score_sequence  bigint      not null default 0,
    -- sequence of the last event this service published about the lead
    event_sequence  bigint      not null default 0,
    stage_entered_at timestamptz not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    version         bigint      not null default 0,
    foreign key (flow_id, flow_version) references flow (id, version)
);

-- One open lead per contact and topic: a second submission touches it instead of creating another.
create unique index lead_open_per_contact_topic on lead (contact_id, topic) where status in ('OPEN', 'ACCEPTED');
create index lead_contact_idx on lead (contact_id);
create index lead_sales_ready_feed_idx on lead (sales_ready_at, id) where sales_ready and status = 'OPEN';

create table lead_history (
    id          bigserial primary key,
    lead_id     uuid        not null references lead (id),
    at          timestamptz not null,
    kind        text        not null,
    from_stage  text,
    to_stage    text,
    cause       text        not null,
    actor       text,
    reason      text
);
create index lead_history_lead_idx on lead_history (lead_id, id);
