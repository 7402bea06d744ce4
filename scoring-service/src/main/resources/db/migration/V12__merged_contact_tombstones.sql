-- A contact merged into another keeps its row as a tombstone too: no e-mail, no attributes, the survivor's id. Its
-- data lives on in the survivor, and a late or redelivered event about the duplicate must not bring it back (before,
-- the row was deleted, and such an event created it again with the duplicate's personal data).
alter table contact_ref add column merged_into uuid;
alter table contact_ref drop constraint contact_ref_email_unless_erased;
alter table contact_ref add constraint contact_ref_email_unless_gone
    check (erased_at is not null or merged_into is not null or email is not null);
alter table contact_ref add constraint contact_ref_merged_without_personal_data
    check (merged_into is null or (email is null and attributes = '{}'::jsonb));
