-- Answers to creating POSTs that carried an Idempotency-Key: the same key and body within 24 hours gets the first
-- answer again and creates nothing new. Written in the same transaction as what the request created.
create table idempotent_request (
    operation    text        not null,
    key          text        not null,
    request_hash text        not null,
    status       int         not null,
    body         text        not null,
    location     text,
    created_at   timestamptz not null default now(),
    primary key (operation, key)
);
create index idempotent_request_created_idx on idempotent_request (created_at);
