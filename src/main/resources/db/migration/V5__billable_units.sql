-- What serving each request cost, in the units its engine bills by, so cost can be reported per
-- user and engine: characters sent, and tokens for engines that count them (Gemini).
ALTER TABLE requests ADD COLUMN model text;
ALTER TABLE requests ADD COLUMN billable_characters bigint;
ALTER TABLE requests ADD COLUMN input_tokens bigint;
ALTER TABLE requests ADD COLUMN output_tokens bigint;

ALTER TABLE usage_daily ADD COLUMN input_tokens bigint NOT NULL DEFAULT 0;
ALTER TABLE usage_daily ADD COLUMN output_tokens bigint NOT NULL DEFAULT 0;
