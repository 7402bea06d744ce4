-- Sales acceptance is a stage the lead enters, and an accepted lead switches to the sales flow (sales-lead) keeping its
-- history. Each history entry now names the flow of its stages: a lead's history spans flows, and the funnel of a flow
-- counts the entries made in it, whatever flow the lead is in today.
alter table lead_history
    add column flow_id      text,
    -- for a FLOW_SWITCHED entry: the flow of from_stage (flow_id is the flow of to_stage)
    add column from_flow_id text;
update lead_history h set flow_id = l.flow_id from lead l where l.id = h.lead_id;

drop index if exists lead_history_funnel_idx;
create index lead_history_funnel_idx on lead_history (flow_id, at)
    where kind in ('CREATED', 'STAGE_CHANGED', 'REOPENED', 'FLOW_SWITCHED');
create index lead_history_left_flow_idx on lead_history (from_flow_id, at) where kind = 'FLOW_SWITCHED';

alter table lead
    -- who accepted the lead (a sales user or the CRM's client)
    add column accepted_by         text,
    -- the flow the lead was in before it switched to a sales flow; where sales sends it back to
    add column origin_flow_id      text,
    add column origin_flow_version int,
    add foreign key (origin_flow_id, origin_flow_version) references flow (id, version);
