create table contact (
    id                  uuid primary key,
    email               text        not null unique,
    first_name          text,
    last_name           text,
    phone               text,
    company             text,
    job_title           text,
    industry            text,
    country             text,
    consent_marketing   boolean     not null default false,
    consent_at          timestamptz,
    consent_source      text,
    event_sequence      bigint      not null default 0,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    version             bigint      not null default 0
);

create index contact_company_idx on contact (lower(company));
