-- A delivery behind an earlier pending one of the same subscription and lead waits for it (one lead's events go out
-- in order): it is not due until that one is delivered. The claim then reads only the deliveries that can go, instead
-- of walking every pending row behind a receiver that is down (a long-run fault test found 125,000 rows read per
-- claim, 1.6 s each, and every other subscriber starved behind one dead one).
alter table webhook_delivery add column waiting boolean not null default false;

update webhook_delivery c set waiting = true
 where c.state = 'PENDING'
   and exists (select 1 from webhook_delivery e
                where e.subscription_id = c.subscription_id and e.lead_id = c.lead_id and e.state = 'PENDING'
                  and (e.sequence < c.sequence or (e.sequence = c.sequence and e.id < c.id)));

drop index webhook_delivery_due_idx;
create index webhook_delivery_due_idx on webhook_delivery (next_attempt_at, id) where state = 'PENDING' and not waiting;
-- the worker's safety net looks at the deliveries that started waiting lately
create index webhook_delivery_waiting_idx on webhook_delivery (created_at) where state = 'PENDING' and waiting;
