-- Idempotency-Key (dev.ttsapi.idempotency): each key a submit was accepted under, written in the
-- submit's own transaction. Redis holds the first answer for replays; this row is what makes a
-- retry safe when Redis no longer has it (the API node died between the commit and keeping the
-- answer, or Redis lost data): the retry finds the request the key made instead of making another.
-- key_hash and fingerprint are SHA-256 of the key and of the canonical body, as in Redis. Rows
-- older than tts.idempotency.ttl are expired: a new call may take the key again, and the
-- maintenance role deletes them.
CREATE TABLE idempotency_keys (
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    key_hash     text NOT NULL,
    fingerprint  text NOT NULL,
    request_id   uuid NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key_hash)
);
CREATE INDEX idx_idempotency_keys_created ON idempotency_keys (created_at);
