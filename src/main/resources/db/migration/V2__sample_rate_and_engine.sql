-- The sample rate the client asked for (or the voice's own), and which engine served the request,
-- so cost can be reported per engine and user.
ALTER TABLE requests ADD COLUMN sample_rate integer;
ALTER TABLE requests ADD COLUMN engine text;
UPDATE requests SET engine = split_part(voice, ':', 1) WHERE engine IS NULL;
