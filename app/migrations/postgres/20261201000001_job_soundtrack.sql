-- The generated ambient soundtrack (an Opus track in the video); 0 = off, the default, as before.
ALTER TABLE jobs ADD COLUMN soundtrack BIGINT NOT NULL DEFAULT 0;
