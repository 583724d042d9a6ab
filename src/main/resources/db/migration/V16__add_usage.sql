-- Billable usage is added to usage_daily in one place: a completed request (in the same statement
-- as its completion, so a job run twice is charged once) and a streamed request (when its stream
-- ends) both call this, instead of each carrying a copy of the upsert.
CREATE FUNCTION add_usage(p_user uuid, p_day date, p_characters bigint, p_audio_seconds double precision,
                          p_input_tokens bigint, p_output_tokens bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO usage_daily (user_id, day, requests, characters, audio_seconds, input_tokens, output_tokens)
    VALUES (p_user, p_day, 1, p_characters, p_audio_seconds, p_input_tokens, p_output_tokens)
    ON CONFLICT (user_id, day) DO UPDATE SET
        requests = usage_daily.requests + 1,
        characters = usage_daily.characters + EXCLUDED.characters,
        audio_seconds = usage_daily.audio_seconds + EXCLUDED.audio_seconds,
        input_tokens = usage_daily.input_tokens + EXCLUDED.input_tokens,
        output_tokens = usage_daily.output_tokens + EXCLUDED.output_tokens;
$$;
