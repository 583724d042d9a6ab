-- Webhooks (dev.ttsapi.webhook). A request's end (completed, failed, cancelled) is POSTed to a
-- callback URL: the request's own (request_callbacks) or its user's default (webhook_endpoints).

-- A user's default callback URL (PUT /tts/webhook), used by every request that names none.
CREATE TABLE webhook_endpoints (
    user_id     uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    url         text NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- Signing secrets, per user. The current one has no expiry; a rotated-out one keeps signing until
-- expires_at, so a receiver can switch secrets without missing an event. Kept in clear: an HMAC
-- needs the secret itself.
CREATE TABLE webhook_secrets (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret      text NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz
);
CREATE UNIQUE INDEX idx_webhook_secrets_current ON webhook_secrets (user_id) WHERE expires_at IS NULL;
CREATE INDEX idx_webhook_secrets_user ON webhook_secrets (user_id);

-- The callback URL a request named (callback_url of POST /tts/request). Written in the
-- transaction that inserts the request, before its row, so the request cannot end without it.
CREATE TABLE request_callbacks (
    request_id  uuid PRIMARY KEY,
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    url         text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX idx_request_callbacks_created ON request_callbacks (created_at);

-- The outbox: one row per event to deliver, written by a trigger on requests in the transaction
-- that ends the request (V42), so no event is lost across a crash. Whichever worker claims a due
-- row (FOR UPDATE SKIP LOCKED) moves next_attempt_at past its lease, so a worker that dies
-- mid-delivery leaves it due again once the lease runs out; attempts is the fencing token that
-- keeps a late answer of an earlier claim from ending a newer one.
CREATE TABLE webhook_deliveries (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id          uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    subject          text NOT NULL CHECK (subject IN ('request', 'batch')),
    subject_id       uuid NOT NULL,
    event            text NOT NULL,
    url              text NOT NULL,
    state            text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    ended_at         timestamptz,
    -- The body, fixed at the first attempt so every retry sends the same bytes.
    payload          text
);
CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX idx_webhook_deliveries_subject ON webhook_deliveries (subject_id);
CREATE INDEX idx_webhook_deliveries_ended ON webhook_deliveries (ended_at) WHERE state <> 'pending';

-- The delivery log: one row per attempt. outcome is NULL while the attempt is in flight; an
-- attempt whose node died before it answered is marked lost when the delivery is claimed again.
CREATE TABLE webhook_attempts (
    delivery_id  uuid NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempt      integer NOT NULL,
    started_at   timestamptz NOT NULL,
    node         text NOT NULL,
    outcome      text CHECK (outcome IN ('delivered', 'http_error', 'timeout', 'network_error', 'refused', 'lost', 'gone')),
    status_code  integer,
    latency_ms   double precision,
    error        text,
    PRIMARY KEY (delivery_id, attempt)
);
