-- Campaigns as things: a marketing campaign (name, channel, period, cost) that captures, import rows and interactions
-- name by id or by name. A lead keeps the campaign it came from (campaign_id); every capture, import row or
-- interaction that names a campaign is a touch of it (campaign_touch), so that a campaign's members, leads and
-- influenced revenue can be read.
create table campaign (
    id          uuid        primary key,
    name        text        not null,
    channel     text,
    starts_on   date,
    ends_on     date,
    cost        numeric(18, 2),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now(),
    version     bigint      not null default 0,
    constraint campaign_period_check check (starts_on is null or ends_on is null or ends_on >= starts_on),
    constraint campaign_cost_check check (cost is null or cost >= 0)
);
-- one campaign per name, whatever its case
create unique index campaign_name_idx on campaign (lower(name));

-- The campaign strings leads carry become campaigns of that name: one per name whatever its case and surrounding
-- blanks (its first spelling in sort order), as a capture naming it now would find it.
insert into campaign (id, name)
select gen_random_uuid(), min(btrim(campaign))
from lead
where campaign is not null and btrim(campaign) <> ''
group by lower(btrim(campaign));

alter table lead add column campaign_id uuid references campaign (id);
update lead l set campaign_id = c.id from campaign c where lower(btrim(l.campaign)) = lower(c.name);

create table campaign_touch (
    id           bigserial   primary key,
    campaign_id  uuid        not null references campaign (id),
    lead_id      uuid        not null references lead (id),
    kind         text        not null constraint campaign_touch_kind_check
                             check (kind in ('CAPTURE', 'INTERACTION')),
    -- the interaction's id, for a touch by an interaction: a redelivered one touches once
    interaction_id text,
    at           timestamptz not null
);
create index campaign_touch_campaign_idx on campaign_touch (campaign_id, lead_id);
create index campaign_touch_lead_idx on campaign_touch (lead_id);
create unique index campaign_touch_interaction_idx on campaign_touch (campaign_id, lead_id, interaction_id)
    where interaction_id is not null;
-- a lead's campaign was named by the capture or import row that created it
insert into campaign_touch (campaign_id, lead_id, kind, at)
select campaign_id, id, 'CAPTURE', created_at from lead where campaign_id is not null;

drop index if exists lead_campaign_idx;
alter table lead drop column campaign;
create index lead_campaign_idx on lead (campaign_id) where campaign_id is not null;
