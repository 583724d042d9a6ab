-- Batches (dev.ttsapi.batch): up to tts.batch.max-items requests submitted in one call, with one
-- webhook when the last of them ends.
CREATE TABLE batches (
    id            uuid PRIMARY KEY,
    user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at    timestamptz NOT NULL,
    total         integer NOT NULL CHECK (total > 0),
    -- Items that have ended, counted by the trigger of V42 as each one does; the batch ends when
    -- this reaches total. Statuses per item are read from requests, the truth.
    ended         integer NOT NULL DEFAULT 0,
    -- Of those, the ones that did not complete (failed or cancelled).
    unsuccessful  integer NOT NULL DEFAULT 0,
    ended_at      timestamptz,
    cancelled_at  timestamptz,
    callback_url  text
);
CREATE INDEX idx_batches_user ON batches (user_id, id);

-- The items of a batch in order. request_id is the key the trigger looks a request up by.
CREATE TABLE batch_items (
    request_id          uuid PRIMARY KEY,
    batch_id            uuid NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    position            integer NOT NULL,
    request_created_at  timestamptz NOT NULL,
    client_id           text,
    UNIQUE (batch_id, position)
);
