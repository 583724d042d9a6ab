-- The sweeper's stale scan (RequestRepository.stale: status = 'queued' or 'processing' AND
-- updated_at < now - age) walked idx_requests_status_created through every queued row when none
-- was stale: O(backlog) each sweep. This index holds only the unfinished rows (so it stays as small
-- as the backlog and costs the finished majority nothing), ordered by their last change, so the
-- scan reads only the stale ones: O(stale). The query names its status as a literal so the planner
-- can prove the partial predicate even with a generic plan.
CREATE INDEX idx_requests_unfinished_updated ON requests (status, updated_at)
    WHERE status IN ('queued', 'processing');
