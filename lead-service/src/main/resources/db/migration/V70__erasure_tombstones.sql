-- Erasure is final in lead-service. An erased contact leaves a tombstone (its id and when, no personal data), so that
-- a late or redelivered contact.created / contact.updated does not bring its country back and a capture racing the
-- erasure cannot open a new lead for it. Each of its leads records when it was erased: such a lead takes no further
-- change (no reopen, no CRM reason, no qualification text), so no free text about the person is written to it again.
create table erased_contact (
    contact_id  uuid        primary key,
    erased_at   timestamptz not null
);

alter table lead add column erased_at timestamptz;
