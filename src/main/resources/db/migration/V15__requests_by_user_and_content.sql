-- A cache hit is reported to a user only for audio they asked for themselves before (telling them
-- that someone else asked for the same text would leak it): "has this user a request with this
-- content key?" must be an index lookup, not a scan of the user's requests.
CREATE INDEX idx_requests_user_content ON requests (user_id, content_key);
