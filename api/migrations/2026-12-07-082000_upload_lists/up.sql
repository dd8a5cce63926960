-- The lists of an uploaded export (`lists/*.csv`), so `POST /predictions` can name one: each
-- `letterboxd::export::ExportList` as serde writes it, its films matched to the catalog at upload.
-- Older rows read as an upload without lists.
ALTER TABLE uploads ADD COLUMN lists jsonb NOT NULL DEFAULT '[]'::jsonb;
