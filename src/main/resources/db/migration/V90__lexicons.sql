-- Pronunciation lexicons, one row per user and name. A PUT replaces the rules and adds one to the
-- version; a DELETE keeps the row as a tombstone (deleted_at set, rules emptied) so a lexicon
-- created again under the same name goes on counting from there: a version, and so a content key
-- that includes it, is never reused for other rules.
CREATE TABLE lexicons (
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name        text NOT NULL,
    version     int NOT NULL,
    format      text NOT NULL CHECK (format IN ('pls', 'json')),
    source      text NOT NULL,
    rules       jsonb NOT NULL,
    rule_count  int NOT NULL,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    deleted_at  timestamptz,
    PRIMARY KEY (user_id, name)
);

-- What the engine is given when it differs from what the client sent (lexicons replaced words);
-- null when it is the text itself. The text stays what was submitted: what is shown and billed.
ALTER TABLE requests ADD COLUMN spoken_text text;
