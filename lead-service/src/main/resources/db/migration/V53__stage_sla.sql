-- Stage SLAs (issue 3, item 7): when a lead enters a stage whose flow gives it slaHours, the deadline is recorded here;
-- a scheduler (SKIP LOCKED, safe with several replicas) flags it overdue and publishes lead.sla-breached once.
create table lead_stage_sla (
    lead_id      uuid primary key,
    stage        text        not null,
    sla_hours    int         not null,
    entered_at   timestamptz not null,
    due_at       timestamptz not null,
    breached_at  timestamptz
);
create index lead_stage_sla_due_idx on lead_stage_sla (due_at) where breached_at is null;
