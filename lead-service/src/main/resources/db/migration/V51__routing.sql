-- Routing rules (issue 3, item 5): when a lead enters a stage, the first enabled rule (by priority) whose conditions
-- hold assigns a team and, when it lists members, an owner by round-robin (the cursor lives on the rule row, which is
-- locked while it turns, so replicas never hand out the same turn twice).
create table routing_rule (
    id            uuid primary key,
    name          text        not null,
    priority      int         not null,
    enabled       boolean     not null default true,
    -- conditions; null means "any"
    flow_id       text,
    stage         text,
    topics        text,
    grades        text,
    countries     text,
    min_score     int,
    max_score     int,
    -- assignment
    team          text        not null,
    members       text,
    next_member   int         not null default 0,
    created_at    timestamptz not null,
    updated_at    timestamptz not null,
    version       bigint      not null default 0
);
create index routing_rule_priority_idx on routing_rule (priority, created_at) where enabled;

-- The country of each contact, kept from contact.created / contact.updated, for routing by country.
create table contact_country (
    contact_id  uuid primary key,
    country     text,
    updated_at  timestamptz not null
);
