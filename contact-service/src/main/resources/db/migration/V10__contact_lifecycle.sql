-- issue 5: contact lifecycle (merge, erasure), consent history, search paging.
-- An erased contact keeps a tombstone row (id, status ERASED, erased_at, created_at, event_sequence) without any
-- personal data, so its e-mail becomes nullable. A merged duplicate keeps only its e-mail (so that captures naming
-- it find the survivor) and points at the survivor.
alter table contact alter column email drop not null;
alter table contact add column status text not null default 'ACTIVE'
    constraint contact_status_check check (status in ('ACTIVE', 'MERGED', 'ERASED'));
alter table contact add column merged_into uuid references contact (id);
alter table contact add column merged_at timestamptz;
alter table contact add column erased_at timestamptz;

-- keyset paging: order by (created_at, id)
create index contact_active_created_idx on contact (created_at, id) where status = 'ACTIVE';
create index contact_merged_into_idx on contact (merged_into) where merged_into is not null;

-- marketing consent given or withdrawn: when, where (source), oldest first by id
create table consent_change (
    id          bigserial   primary key,
    contact_id  uuid        not null references contact (id),
    marketing   boolean     not null,
    at          timestamptz not null,
    source      text,
    recorded_at timestamptz not null default now()
);
create index consent_change_contact_idx on consent_change (contact_id, id);
