-- The timings of each stored audio (sentences, words, SSML marks: dev.ttsapi.timings.Timings as
-- JSON, character offsets into the text the engine was given), by content key, so a repeat or a
-- request answered from stored audio has them too. Kept apart from audio_cache so the audio's
-- index row stays small (a long document's timings are megabytes); the worker writes them just
-- before it indexes the audio, and they go when the audio's index row goes.
CREATE TABLE audio_timings (
    content_key text PRIMARY KEY,
    timings     jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION drop_audio_timings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM audio_timings WHERE content_key = OLD.content_key;
    RETURN OLD;
END;
$$;

CREATE TRIGGER audio_cache_drops_timings
    AFTER DELETE ON audio_cache
    FOR EACH ROW EXECUTE FUNCTION drop_audio_timings();

CREATE FUNCTION truncate_audio_timings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE audio_timings;
    RETURN NULL;
END;
$$;

CREATE TRIGGER audio_cache_truncates_timings
    AFTER TRUNCATE ON audio_cache
    FOR EACH STATEMENT EXECUTE FUNCTION truncate_audio_timings();
