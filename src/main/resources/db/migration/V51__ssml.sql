-- SSML requests keep their report here (null for plain text): what the voice's engine honoured and
-- dropped of the document, and once the audio is made where each <mark> fell in it
-- ({"honoured": [...], "dropped": [{"feature", "reason"}], "marks": [{"name", "time_ms"}]}).
-- Their text column holds the SSML as submitted; text_length the spoken characters (what is billed).
ALTER TABLE requests ADD COLUMN ssml jsonb;
