-- Whether each contact has confirmed marketing consent, kept from contact.created / contact.updated beside its
-- country: nurture triggers emit lead.nurture only for contacts that have it (consent from a public web form counts
-- once the person confirmed it). Contacts not reported yet have none.
alter table contact_country add column marketing_consent boolean not null default false;
