-- Lead imports (CSV): a job with its counters and failed lines. The rows themselves are held by the replica that took
-- the upload while it works through them (the import runs with the uploader's authority, whose token is not stored),
-- so nothing of a row's personal data is written here; a job whose replica stopped is reported FAILED once its lease
-- has run out.
create table lead_import_job (
    id             uuid        primary key,
    state          text        not null constraint lead_import_job_state_check
                               check (state in ('QUEUED', 'RUNNING', 'DONE', 'FAILED', 'CANCELLED')),
    total          int         not null,
    processed      int         not null default 0,
    created        int         not null default 0,
    updated        int         not null default 0,
    unchanged      int         not null default 0,
    failed         int         not null default 0,
    leads_created  int         not null default 0,
    leads_touched  int         not null default 0,
    failure        text,
    created_by     text,
    lease_until    timestamptz,
    created_at     timestamptz not null default now(),
    started_at     timestamptz,
    finished_at    timestamptz
);

create table lead_import_error (
    job_id   uuid not null references lead_import_job (id) on delete cascade,
    line     int  not null,
    message  text not null,
    primary key (job_id, line)
);

-- the campaign a lead came from (a capture's or an import row's), as given
alter table lead add column campaign text;
