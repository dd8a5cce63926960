-- Films become the catalog's own: a numeric id of ours, the key a film entered with (a Letterboxd
-- slug, `film:<letterboxd id>` or `tmdb:<kind>:<id>`), and every external id optional. A film
-- found on TMDB has no slug until Letterboxd names it, and is a full citizen meanwhile.

ALTER TABLE films RENAME COLUMN slug TO key;
ALTER TABLE films DROP CONSTRAINT films_slug_check;
ALTER TABLE films ADD CONSTRAINT films_key_check
    CHECK (key ~ '^([a-z0-9_][a-z0-9_-]*|film:[0-9]{1,19}|tmdb:(movie|tv):[0-9]{1,19})$');
ALTER TABLE films DROP CONSTRAINT films_pkey;
ALTER TABLE films ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY;
ALTER TABLE films ADD CONSTRAINT films_key_key UNIQUE (key);

-- The Letterboxd slug, unique where known.
ALTER TABLE films ADD COLUMN slug text UNIQUE CHECK (slug ~ '^[a-z0-9_][a-z0-9_-]*$');
UPDATE films SET slug = key WHERE key !~ ':';

-- TMDB numbers movies and TV apart: the id means nothing without its kind.
ALTER TABLE films ADD COLUMN tmdb_kind text CHECK (tmdb_kind IN ('movie', 'tv'));
UPDATE films SET tmdb_kind = content_type WHERE tmdb_id IS NOT NULL;
ALTER TABLE films ADD CONSTRAINT films_tmdb_kind_with_id CHECK ((tmdb_id IS NULL) = (tmdb_kind IS NULL));
CREATE INDEX films_tmdb_idx ON films (tmdb_kind, tmdb_id) WHERE tmdb_id IS NOT NULL;

-- TMDB's own figures, kept beside Letterboxd's: the calibration maps them onto its scale.
ALTER TABLE films ADD COLUMN tmdb_popularity real CHECK (tmdb_popularity >= 0);
ALTER TABLE films ADD COLUMN tmdb_vote_average real CHECK (tmdb_vote_average BETWEEN 0 AND 10);
ALTER TABLE films ADD COLUMN tmdb_vote_count integer CHECK (tmdb_vote_count >= 0);
-- When the TMDB sync last fetched the film's details; NULL for films it never fetched.
ALTER TABLE films ADD COLUMN tmdb_synced_at timestamptz;

-- Profiles name films by any key; the columns say so.
ALTER TABLE ratings RENAME COLUMN film_slug TO film_key;
ALTER TABLE watched RENAME COLUMN film_slug TO film_key;
ALTER TABLE watchlist RENAME COLUMN film_slug TO film_key;
ALTER INDEX ratings_film_slug_idx RENAME TO ratings_film_key_idx;
