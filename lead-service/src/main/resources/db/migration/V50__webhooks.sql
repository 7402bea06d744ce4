-- Webhooks to CRMs (issue 3, item 9). A subscription names the lead event types a CRM wants; every such event becomes
-- one delivery row per matching subscription, written in the same transaction as the consumed event's inbox record.
-- The delivery worker POSTs each delivery, signed, until the target answers 2xx; every attempt is logged.
create table webhook_subscription (
    id          uuid primary key,
    url         text        not null,
    -- HMAC-SHA256 key shared with the CRM; never returned by the API
    secret      text        not null,
    -- comma-separated event types, e.g. lead.sales-ready,lead.closed
    events      text        not null,
    created_by  text,
    created_at  timestamptz not null,
    -- a deleted subscription keeps its delivery log; its pending deliveries are cancelled
    deleted_at  timestamptz
);

create table webhook_delivery (
    id              bigserial primary key,
    subscription_id uuid        not null references webhook_subscription (id),
    event_id        uuid        not null,
    event_type      text        not null,
    lead_id         uuid        not null,
    -- the event's per-lead sequence: deliveries of one (subscription, lead) go out in this order
    sequence        bigint      not null,
    -- the envelope exactly as it is POSTed (the signature covers these bytes)
    payload         text        not null,
    state           text        not null,
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null,
    -- a worker that took the delivery holds it until then; after a crash another worker takes it again
    leased_until    timestamptz,
    last_status     int,
    last_error      text,
    created_at      timestamptz not null,
    delivered_at    timestamptz,
    unique (subscription_id, event_id)
);
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at, id) where state = 'PENDING';
create index webhook_delivery_order_idx on webhook_delivery (subscription_id, lead_id, sequence)
    where state = 'PENDING';
create index webhook_delivery_log_idx on webhook_delivery (subscription_id, id);

create table webhook_attempt (
    id          bigserial primary key,
    delivery_id bigint      not null references webhook_delivery (id),
    at          timestamptz not null,
    status      int,
    error       text,
    duration_ms bigint      not null
);
create index webhook_attempt_delivery_idx on webhook_attempt (delivery_id, id);

-- NOTIFY on commit wakes the delivery worker as soon as new deliveries are visible (it also polls).
create function webhook_delivery_notify() returns trigger language plpgsql as $$
begin
    perform pg_notify('webhook_delivery', '');
    return null;
end
$$;

create trigger webhook_delivery_notify after insert on webhook_delivery
    for each statement execute function webhook_delivery_notify();
