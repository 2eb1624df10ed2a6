-- Where the workers last published (PODPUB_PUBLISH_URL, and the S3 endpoint). When a worker
-- starts with another, the new store holds none of the objects `publications` remembers.
alter table instance add column publish_target text;
