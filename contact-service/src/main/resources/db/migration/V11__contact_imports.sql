-- issue 5: bulk CSV imports as background jobs. The upload stores every record (import_row) with the job in one
-- transaction; a worker takes the job, processes the rows in chunks (each chunk one transaction that also updates
-- the counters, records the failed lines and deletes the chunk's rows), so after a crash it resumes from the first
-- row not yet committed. Rows of a finished or cancelled job are deleted: no personal data stays behind.
create table import_job (
    id           uuid        primary key,
    state        text        not null constraint import_job_state_check
                             check (state in ('QUEUED', 'RUNNING', 'DONE', 'FAILED', 'CANCELLED')),
    total        int         not null,
    processed    int         not null default 0,
    created      int         not null default 0,
    updated      int         not null default 0,
    unchanged    int         not null default 0,
    failed       int         not null default 0,
    failure      text,
    lease_until  timestamptz,
    created_at   timestamptz not null default now(),
    started_at   timestamptz,
    finished_at  timestamptz
);
create index import_job_pending_idx on import_job (created_at) where state in ('QUEUED', 'RUNNING');

-- one CSV record: the physical line it starts on (header = line 1), its fields mapped to contact fields (a JSON
-- object, as text), or the reason it could not be read
create table import_row (
    job_id  uuid not null references import_job (id) on delete cascade,
    line    int  not null,
    data    text,
    error   text,
    primary key (job_id, line)
);

create table import_error (
    job_id   uuid not null references import_job (id) on delete cascade,
    line     int  not null,
    message  text not null,
    primary key (job_id, line)
);
