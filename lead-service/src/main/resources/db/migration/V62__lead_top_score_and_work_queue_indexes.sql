-- Work queues: the lead list filters and sorts by score and grade, owner, source, campaign, dates and SLA due time.
-- A lead's scores are one JSON snapshot (text); its highest score over the models and that model's grade are kept
-- beside it so that they can be filtered, sorted and indexed.
alter table lead
    add column top_score int,
    add column top_grade text;

update lead l set top_score = t.score, top_grade = t.grade
from (select l2.id, (s ->> 'score')::int as score, s ->> 'grade' as grade,
             row_number() over (partition by l2.id order by (s ->> 'score')::int desc) as rank
      from lead l2, jsonb_array_elements(l2.scores::jsonb) s) t
where t.id = l.id and t.rank = 1;

create index lead_top_score_idx on lead (top_score, id);
create index lead_created_idx on lead (created_at, id);
create index lead_owner_idx on lead (owner) where owner is not null;
create index lead_campaign_idx on lead (campaign) where campaign is not null;
