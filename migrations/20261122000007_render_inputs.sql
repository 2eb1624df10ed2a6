-- What the show's published objects were last rendered from (see src/jobs/inputs.rs), and
-- until when that render holds (the next scheduled release). A refresh of a show whose inputs
-- are unchanged loads no episodes.
alter table shows add column rendered_inputs text;
alter table shows add column rendered_until timestamptz;
