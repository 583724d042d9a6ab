-- Users and their API keys. Keys are stored only as SHA-256 hashes; the clear key is shown once.
CREATE TABLE users (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    role        text NOT NULL CHECK (role IN ('admin', 'user')),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_keys (
    id          uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id),
    key_hash    bytea NOT NULL UNIQUE,
    key_prefix  text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX idx_api_keys_user_id ON api_keys (user_id);

-- Requests, partitioned by month on created_at. Ids are UUIDv7 and created_at is the id's own
-- millisecond timestamp, so a lookup "id = ? AND created_at = ?" prunes to one partition. The
-- primary key must contain the partition key, hence (id, created_at).
CREATE TABLE requests (
    id                uuid NOT NULL,
    created_at        timestamptz NOT NULL,
    user_id           uuid NOT NULL,
    status            text NOT NULL CHECK (status IN ('queued', 'processing', 'completed', 'failed', 'cancelled')),
    priority          text NOT NULL CHECK (priority IN ('high', 'normal', 'low')),
    text              text NOT NULL,
    text_length       integer NOT NULL,
    language          text NOT NULL,
    voice_requested   text,
    voice             text NOT NULL,
    speed             double precision NOT NULL,
    pitch             double precision NOT NULL,
    format            text NOT NULL,
    content_key       text NOT NULL,
    cache_hit         boolean NOT NULL DEFAULT false,
    attempt           integer NOT NULL DEFAULT 0,
    progress          real NOT NULL DEFAULT 0,
    error             text,
    audio_bytes       bigint,
    audio_duration_ms bigint,
    started_at        timestamptz,
    completed_at      timestamptz,
    updated_at        timestamptz NOT NULL,
    PRIMARY KEY (id, created_at)
) PARTITION BY RANGE (created_at);

-- The seed's indexes. requests(user_id) carries id as a second column so "my requests, newest
-- first" is an index scan per partition merged in order, with keyset pagination on id.
CREATE INDEX idx_requests_status_created ON requests (status, created_at);
CREATE INDEX idx_requests_user_id ON requests (user_id, id);

-- The request's events: queued, started, retried, completed, failed, cancelled, ...
CREATE TABLE logs (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id  uuid NOT NULL,
    timestamp   timestamptz NOT NULL DEFAULT now(),
    event       text NOT NULL,
    attempt     integer,
    detail      text
);
CREATE INDEX idx_logs_request_id ON logs (request_id);
CREATE INDEX idx_logs_timestamp ON logs (timestamp);

-- Billable usage per user and UTC day, charged once when a request completes (in the same
-- transaction as the completing UPDATE, so a job run twice is charged once).
CREATE TABLE usage_daily (
    user_id        uuid NOT NULL REFERENCES users (id),
    day            date NOT NULL,
    requests       integer NOT NULL DEFAULT 0,
    characters     bigint NOT NULL DEFAULT 0,
    audio_seconds  double precision NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);

-- Creates the month partitions of requests from the current UTC month to months_ahead months
-- later; existing ones are left alone. Returns how many it created. Maintenance calls it on a
-- schedule; it is also called here so a fresh database can take requests at once.
CREATE FUNCTION ensure_request_partitions(months_ahead integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamp;
    created integer := 0;
    partition_name text;
BEGIN
    FOR m IN 0..months_ahead LOOP
        month_start := date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => m);
        partition_name := format('requests_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        IF to_regclass(partition_name) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I PARTITION OF requests FOR VALUES FROM (%L) TO (%L)',
                partition_name,
                (month_start AT TIME ZONE 'UTC'),
                ((month_start + interval '1 month') AT TIME ZONE 'UTC'));
            created := created + 1;
        END IF;
    END LOOP;
    RETURN created;
END;
$$;

SELECT ensure_request_partitions(2);

-- Which audio is stored, by content key: a request whose key is here completes at once.
CREATE TABLE audio_cache (
    content_key  text PRIMARY KEY,
    format       text NOT NULL,
    bytes        bigint NOT NULL,
    duration_ms  bigint NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    hits         bigint NOT NULL DEFAULT 0
);
