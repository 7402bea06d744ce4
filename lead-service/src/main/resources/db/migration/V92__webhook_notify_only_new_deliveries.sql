-- Every lead event is fanned out with one insert into webhook_delivery, also when no subscription takes its type: the
-- insert then adds no row. The statement trigger of V50 notified all the same, so each lead event woke the delivery
-- worker of every replica for a round that found nothing to deliver. It notifies now only when the statement added a
-- row (its transition table is not empty); the worker still polls as well.
create or replace function webhook_delivery_notify() returns trigger language plpgsql as $$
begin
    if exists (select 1 from inserted_deliveries) then
        perform pg_notify('webhook_delivery', '');
    end if;
    return null;
end
$$;

drop trigger webhook_delivery_notify on webhook_delivery;

create trigger webhook_delivery_notify after insert on webhook_delivery
    referencing new table as inserted_deliveries
    for each statement execute function webhook_delivery_notify();
