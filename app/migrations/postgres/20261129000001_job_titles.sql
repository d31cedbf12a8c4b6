-- A title the owner gives a video; NULL until renamed (views then derive one from the prompt).
ALTER TABLE jobs ADD COLUMN title TEXT;
