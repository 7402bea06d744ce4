-- Shared by every service (service-kit): the outbox of events waiting to be relayed to the broker, and the inbox of
-- message ids already applied. Each service's own migrations start at V1.

create table outbox_message (
    id          bigserial primary key,
    message_id  uuid        not null unique,
    type        text        not null,
    subject     uuid        not null,
    sequence    bigint      not null,
    payload     jsonb       not null,
    created_at  timestamptz not null default now()
);

-- NOTIFY is delivered on commit only, so the relay wakes exactly when new events become visible.
create function outbox_message_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('outbox_message', '');
    return null;
end
$$;

create trigger outbox_message_notify after insert on outbox_message
    for each statement execute function outbox_message_notify();

create table processed_message (
    message_id   uuid        primary key,
    type         text        not null,
    processed_at timestamptz not null default now()
);

-- Outbox rows that cannot be sent (a payload that is not a JSON object) are moved here by the relay instead of
-- blocking the outbox; an operator can read and repair them.
create table outbox_dead_letter (
    id          bigint      primary key,
    message_id  uuid        not null,
    type        text        not null,
    subject     uuid        not null,
    sequence    bigint      not null,
    payload     jsonb       not null,
    created_at  timestamptz not null,
    failed_at   timestamptz not null default now(),
    reason      text        not null
);
