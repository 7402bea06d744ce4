-- Nurture triggers (issue 3, item 6): each emits lead.nurture once per occurrence. An occurrence has a key (the stage
-- event's id, the grade band entered with the score sequence, the start of an inactive spell); the unique key makes a
-- second emission impossible, even from two replicas at once.
create table nurture_trigger (
    id             uuid primary key,
    name           text        not null,
    kind           text        not null,
    enabled        boolean     not null default true,
    stage          text,
    grade          text,
    inactive_days  int,
    topics         text,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);

create table nurture_emission (
    trigger_id     uuid        not null references nurture_trigger (id) on delete cascade,
    lead_id        uuid        not null,
    occurrence     text        not null,
    emitted_at     timestamptz not null,
    primary key (trigger_id, lead_id, occurrence)
);

-- Which grade-band triggers a lead is inside now, so that "reached" fires on entering the band, not on every score.
create table nurture_grade_state (
    trigger_id     uuid        not null references nurture_trigger (id) on delete cascade,
    lead_id        uuid        not null,
    primary key (trigger_id, lead_id)
);
