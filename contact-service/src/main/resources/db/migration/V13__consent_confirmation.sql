-- Double opt-in: consent given on a public web form is pending until the person confirms it with the token the
-- e-mail system sent them (consent.confirmation-requested). Only the token's SHA-256 is kept.
alter table contact add column consent_pending boolean not null default false;

create table consent_confirmation (
    token_hash  text        primary key,
    contact_id  uuid        not null references contact (id),
    source      text,
    created_at  timestamptz not null,
    expires_at  timestamptz not null
);
create index consent_confirmation_contact_idx on consent_confirmation (contact_id);
