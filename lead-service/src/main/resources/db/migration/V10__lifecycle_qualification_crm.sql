-- issue 3 (part A): qualification, the CRM hand-off, time in stage.

alter table lead
    add column budget              numeric(18, 2),
    add column currency            text,
    add column timeframe           text,
    add column need                text,
    add column decision_maker      boolean,
    add column crm_lead_id         text,
    add column crm_opportunity_id  text,
    add column estimated_revenue   numeric(18, 2),
    add column estimated_close     date,
    add column revenue             numeric(18, 2),
    add column close_reason        text,
    add column crm_rejection_reason text,
    add column accepted_at         timestamptz,
    add column closed_at           timestamptz;

-- for a stage change: how long the lead was in the stage it left (funnel analytics: median time in stage)
alter table lead_history add column seconds_in_stage bigint;

create index lead_history_funnel_idx on lead_history (at) where kind in ('CREATED', 'STAGE_CHANGED', 'REOPENED');
create index lead_flow_idx on lead (flow_id, stage);
