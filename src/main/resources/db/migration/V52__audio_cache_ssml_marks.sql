-- Where the marks of an SSML document fell in its stored audio ([{"name", "time_ms"}]), so a
-- request answered from that audio (a repeat, or a job that found it made) has them too; null for
-- audio of plain text.
ALTER TABLE audio_cache ADD COLUMN ssml_marks jsonb;
