-- Topics as a managed list: a product or service of interest, by id (a slug: "solar-panels") with a display name
-- ("Solar panels"). Captures, new leads and imports name a topic in any spelling; its slug is the lead's topic.
create table topic (
    id          text        primary key,
    name        text        not null,
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null default now()
);
-- the topics leads already have, each its own display name
insert into topic (id, name) select distinct topic, topic from lead on conflict do nothing;
