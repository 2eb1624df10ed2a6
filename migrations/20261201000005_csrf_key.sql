-- The key that signs the web UI's pre-sign-in CSRF tokens: one per installation, so that every
-- `serve` process accepts the tokens of the others. Two v4 UUIDs give 244 bits from Postgres's
-- strong random source.
alter table instance
    add column csrf_key text not null
        default replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '');
