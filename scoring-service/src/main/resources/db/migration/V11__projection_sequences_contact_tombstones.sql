-- Per-subject order in scoring's projections of leads and contacts (see README "Order of lead and contact events").
--
-- tracked_lead keeps, for each part of the lead that lead events carry, the sequence of the lead event that last set
-- it: event_sequence for the contact and status (every state event carries them: the highest sequence applied),
-- stage_sequence for the stage (lead.created, lead.stage-changed, lead.closed, ...), attributes_sequence for the
-- attribute set lead.updated carries whole (topic, source, team, owner, qualification). An event changes a part only
-- when its sequence is greater than that part's; sequence 0 (older producers) always applies and lowers nothing.
-- (tracked_lead.sequence stays what it was: the sequence of the last score.changed this service published.)
alter table tracked_lead add column event_sequence bigint not null default 0;
alter table tracked_lead add column stage_sequence bigint not null default 0;
alter table tracked_lead add column attributes_sequence bigint not null default 0;

-- contact_ref keeps the sequence of the contact event that last set it; an erased contact stays as a tombstone
-- (id, sequence, erased_at) without personal data, so that no later contact.created/updated brings that data back.
alter table contact_ref add column event_sequence bigint not null default 0;
alter table contact_ref add column erased_at timestamptz;
alter table contact_ref alter column email drop not null;
alter table contact_ref add constraint contact_ref_tombstone_without_personal_data
    check (erased_at is null or (email is null and attributes = '{}'::jsonb));
alter table contact_ref add constraint contact_ref_email_unless_erased check (erased_at is not null or email is not null);
