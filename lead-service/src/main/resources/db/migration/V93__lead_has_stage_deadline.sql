-- Whether a lead has a row in lead_stage_sla (a deadline for its stay in its current stage). Entering a stage without
-- an SLA deleted the lead's deadline whether it had one or not: a statement for every such stage entry, though most
-- leads never had one. The lead now carries the answer, loaded with it, and the delete runs only when there is a row.
--
-- The database keeps the column true to the table, whoever writes the rows: the triggers below set it on every row
-- written and clear it when the row is deleted (a replica of an older version, during a rolling deploy, writes rows
-- without knowing the column). The entity maps it read-only: a transaction notes its own writes on its copy of the lead.
alter table lead add column has_stage_deadline boolean not null default false;

create function lead_stage_deadline_kept() returns trigger language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        update lead set has_stage_deadline = false where id = old.lead_id and has_stage_deadline;
    else
        update lead set has_stage_deadline = true where id = new.lead_id and not has_stage_deadline;
    end if;
    return null;
end
$$;

-- created before the column is filled: creating it waits for the transactions writing deadlines now and holds back
-- new ones until this migration commits, so the fill below sees every row and every later row fires the trigger
create trigger lead_stage_deadline_kept after insert or update or delete on lead_stage_sla
    for each row execute function lead_stage_deadline_kept();

update lead set has_stage_deadline = true where id in (select lead_id from lead_stage_sla);
