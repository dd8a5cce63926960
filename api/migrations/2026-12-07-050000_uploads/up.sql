-- Uploaded Letterboxd exports, usable as a member by id until `expires_at` (24 hours). They are a
-- member's data: deleted on `DELETE /profiles/{id}`, when read after expiry, and by the service's
-- hourly sweep. No member row: an upload is anonymous.
CREATE TABLE uploads (
    id         uuid PRIMARY KEY,
    -- `model::Profile` as serde writes it: jsonb so an added optional field keeps older rows
    -- readable across a deploy, and a row can be read in SQL; TOAST compresses it.
    profile    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);
-- The sweep deletes by expiry.
CREATE INDEX uploads_expires_at_idx ON uploads (expires_at);
