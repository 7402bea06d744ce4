-- scoring-service: scoring models, interactions, the leads it scores and their scores.

create table scoring_model (
    id                      uuid        primary key,
    name                    text        not null,
    description             text,
    status                  text        not null check (status in ('DRAFT', 'PUBLISHED', 'RETIRED')),
    -- {"topics": [...]}; an empty list admits every topic
    scope                   jsonb       not null default '{"topics": []}',
    sales_ready_threshold   integer     not null,
    -- [{"name": "A", "minScore": 75}, ...]
    grades                  jsonb       not null default '[]',
    -- [{"id", "kind", "interactionType", "attribute", "operator", "value", "points", "maxTimes", "windowDays"}, ...]
    rules                   jsonb       not null default '[]',
    version                 integer     not null default 1,
    created_at              timestamptz not null default now(),
    updated_at              timestamptz not null default now()
);

-- contact id -> normalised e-mail, from contact.created, so that interactions naming an e-mail resolve.
create table contact_ref (
    contact_id  uuid        primary key,
    email       text        not null,
    created_at  timestamptz not null default now()
);
create index contact_ref_email_idx on contact_ref (email);

-- The leads this service scores (from lead.created). sequence: of the last score.changed published about the lead.
create table tracked_lead (
    lead_id     uuid        primary key,
    contact_id  uuid        not null,
    topic       text,
    open        boolean     not null,
    sequence    bigint      not null default 0,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);
create index tracked_lead_contact_idx on tracked_lead (contact_id);

-- Every interaction ever accepted; its id is the client's, so a retry is a duplicate, never a second count.
create table interaction (
    id          text        primary key,
    type        text        not null,
    contact_id  uuid,
    email       text,
    lead_id     uuid,
    topic       text,
    occurred_at timestamptz not null,
    attributes  jsonb       not null default '{}',
    received_at timestamptz not null default now(),
    check (contact_id is not null or email is not null or lead_id is not null)
);
create index interaction_lead_idx on interaction (lead_id) where lead_id is not null;
create index interaction_contact_idx on interaction (contact_id) where lead_id is null and contact_id is not null;
create index interaction_email_idx on interaction (email) where lead_id is null and contact_id is null;

-- Which interaction was applied to which lead: nothing is applied twice.
create table interaction_application (
    interaction_id  text        not null references interaction (id),
    lead_id         uuid        not null references tracked_lead (lead_id),
    applied_at      timestamptz not null default now(),
    primary key (interaction_id, lead_id)
);
create index interaction_application_lead_idx on interaction_application (lead_id);

-- The rules that fired: a lead's score under a model is exactly the sum of its hits' points.
create table rule_hit (
    id              bigserial   primary key,
    lead_id         uuid        not null references tracked_lead (lead_id),
    model_id        uuid        not null references scoring_model (id),
    rule_id         text        not null,
    interaction_id  text        not null references interaction (id),
    points          integer     not null,
    occurred_at     timestamptz not null,
    recorded_at     timestamptz not null default now(),
    unique (lead_id, model_id, rule_id, interaction_id)
);
create index rule_hit_lead_model_idx on rule_hit (lead_id, model_id, rule_id);

create table lead_score (
    lead_id     uuid        not null references tracked_lead (lead_id),
    model_id    uuid        not null references scoring_model (id),
    score       integer     not null,
    grade       text,
    sales_ready boolean     not null,
    updated_at  timestamptz not null,
    primary key (lead_id, model_id)
);

-- The default model, published at first start. Its id is fixed so that every installation knows it.
insert into scoring_model (id, name, description, status, scope, sales_ready_threshold, grades, rules, version)
values ('00000000-0000-0000-0000-00000000d3fa', 'Default engagement',
        'Engagement points for every lead: forms, e-mails, pages, events; unsubscribing costs.', 'PUBLISHED',
        '{"topics": []}', 50,
        '[{"name": "D", "minScore": 0}, {"name": "C", "minScore": 25}, {"name": "B", "minScore": 50},
          {"name": "A", "minScore": 75}]',
        '[{"id": "form-submitted", "kind": "BEHAVIOUR", "interactionType": "FORM_SUBMITTED", "points": 10, "maxTimes": 5},
          {"id": "email-opened", "kind": "BEHAVIOUR", "interactionType": "EMAIL_OPENED", "points": 2, "maxTimes": 10},
          {"id": "email-clicked", "kind": "BEHAVIOUR", "interactionType": "EMAIL_CLICKED", "points": 5, "maxTimes": 10},
          {"id": "pricing-page-visited", "kind": "BEHAVIOUR", "interactionType": "PAGE_VISITED", "attribute": "url",
           "operator": "CONTAINS", "value": "/pricing", "points": 15, "maxTimes": 3},
          {"id": "page-visited", "kind": "BEHAVIOUR", "interactionType": "PAGE_VISITED", "points": 1, "maxTimes": 20},
          {"id": "event-registered", "kind": "BEHAVIOUR", "interactionType": "EVENT_REGISTERED", "points": 10},
          {"id": "event-attended", "kind": "BEHAVIOUR", "interactionType": "EVENT_ATTENDED", "points": 20},
          {"id": "unsubscribed", "kind": "BEHAVIOUR", "interactionType": "UNSUBSCRIBED", "points": -50}]',
        1);
