-- Limits set for one user by an admin (PUT /admin/users/{id}/limits). A NULL column means the
-- configured default (tts.ratelimit.*) applies, so changing a default reaches every user who has
-- no limit of their own.
CREATE TABLE user_limits (
    user_id              uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    requests_per_minute  integer CHECK (requests_per_minute > 0),
    characters_per_day   bigint CHECK (characters_per_day > 0),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

-- The seed's rate_limit table: what each user asked of the rate limiter per UTC day, for audit
-- and billing. Written in batches by the API nodes (one multi-row upsert every few seconds), never
-- per request. "timestamp" is the start of the UTC day the counts belong to.
CREATE TABLE rate_limit (
    user_id            uuid NOT NULL,
    timestamp          timestamptz NOT NULL,
    requests           bigint NOT NULL DEFAULT 0,
    characters         bigint NOT NULL DEFAULT 0,
    refused_requests   bigint NOT NULL DEFAULT 0
);
-- The seed's index, unique so a batch can add to a day's row with ON CONFLICT.
CREATE UNIQUE INDEX idx_rate_limit_user_timestamp ON rate_limit (user_id, timestamp);
