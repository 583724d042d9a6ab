-- A user's own poll budget (status polls and audio downloads per minute), set by an admin with
-- PUT /admin/users/{id}/limits. NULL means the default: tts.ratelimit.poll-requests-per-minute, or
-- tts.ratelimit.poll-multiple times the user's requests_per_minute when an admin set that.
ALTER TABLE user_limits
    ADD COLUMN poll_requests_per_minute integer CHECK (poll_requests_per_minute > 0);
