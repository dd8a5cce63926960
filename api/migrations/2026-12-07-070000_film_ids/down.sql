ALTER INDEX ratings_film_key_idx RENAME TO ratings_film_slug_idx;
ALTER TABLE watchlist RENAME COLUMN film_key TO film_slug;
ALTER TABLE watched RENAME COLUMN film_key TO film_slug;
ALTER TABLE ratings RENAME COLUMN film_key TO film_slug;
ALTER TABLE films DROP COLUMN tmdb_synced_at, DROP COLUMN tmdb_vote_count,
    DROP COLUMN tmdb_vote_average, DROP COLUMN tmdb_popularity;
DROP INDEX films_tmdb_idx;
ALTER TABLE films DROP CONSTRAINT films_tmdb_kind_with_id, DROP COLUMN tmdb_kind;
-- Films known only from TMDB have no slug to go back to.
DELETE FROM films WHERE key LIKE 'tmdb:%';
ALTER TABLE films DROP COLUMN slug;
ALTER TABLE films DROP CONSTRAINT films_key_key;
ALTER TABLE films DROP COLUMN id;
ALTER TABLE films ADD PRIMARY KEY (key);
ALTER TABLE films DROP CONSTRAINT films_key_check;
ALTER TABLE films RENAME COLUMN key TO slug;
ALTER TABLE films ADD CONSTRAINT films_slug_check
    CHECK (slug ~ '^([a-z0-9_][a-z0-9_-]*|film:[0-9]{1,20})$');
