-- The webhook outbox is written by the database itself, in the transaction that ends a request:
-- every way a request ends (a worker's completion or last failure, a cancel, a batch cancel, the
-- sweeper, an answer from stored audio inserted completed) goes through one of these triggers, so
-- no event can be lost between the status change and its delivery job, whichever code path (now
-- or later) makes the change.
--
-- A request of a batch sends no event of its own: it counts towards its batch, and the batch's
-- event is written when its last item ends. Any other request's event goes to its own callback URL,
-- else to its user's default one at the time it ends; with neither, nothing is written.
CREATE FUNCTION webhook_request_ended() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_at      timestamptz := COALESCE(NEW.completed_at, NEW.updated_at);
    v_batch   batches%ROWTYPE;
    v_target  text;
BEGIN
    UPDATE batches b
       SET ended = b.ended + 1,
           unsuccessful = b.unsuccessful + CASE WHEN NEW.status = 'completed' THEN 0 ELSE 1 END,
           ended_at = CASE WHEN b.ended + 1 = b.total THEN v_at END
      FROM batch_items i
     WHERE i.request_id = NEW.id AND b.id = i.batch_id
    RETURNING b.* INTO v_batch;
    IF FOUND THEN
        IF v_batch.ended = v_batch.total THEN
            v_target := COALESCE(v_batch.callback_url,
                                 (SELECT url FROM webhook_endpoints WHERE user_id = v_batch.user_id));
            IF v_target IS NOT NULL THEN
                INSERT INTO webhook_deliveries (user_id, subject, subject_id, event, url, created_at, next_attempt_at)
                VALUES (v_batch.user_id, 'batch', v_batch.id,
                        'batch.' || CASE WHEN v_batch.cancelled_at IS NOT NULL THEN 'cancelled'
                                         WHEN v_batch.unsuccessful = 0 THEN 'completed'
                                         ELSE 'completed_with_failures' END,
                        v_target, v_at, v_at);
            END IF;
        END IF;
        RETURN NULL;
    END IF;
    v_target := COALESCE((SELECT url FROM request_callbacks WHERE request_id = NEW.id),
                         (SELECT url FROM webhook_endpoints WHERE user_id = NEW.user_id));
    IF v_target IS NOT NULL THEN
        INSERT INTO webhook_deliveries (user_id, subject, subject_id, event, url, created_at, next_attempt_at)
        VALUES (NEW.user_id, 'request', NEW.id, 'request.' || NEW.status, v_target, v_at, v_at);
    END IF;
    RETURN NULL;
END;
$$;

-- Row triggers on the partitioned table apply to every partition, present and future. The WHEN
-- clauses are checked without calling the function, so other status changes cost nothing.
CREATE TRIGGER requests_ended AFTER UPDATE OF status ON requests
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status AND NEW.status IN ('completed', 'failed', 'cancelled'))
    EXECUTE FUNCTION webhook_request_ended();

CREATE TRIGGER requests_inserted_ended AFTER INSERT ON requests
    FOR EACH ROW
    WHEN (NEW.status IN ('completed', 'failed', 'cancelled'))
    EXECUTE FUNCTION webhook_request_ended();
