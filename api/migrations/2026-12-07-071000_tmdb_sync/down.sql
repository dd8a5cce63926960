DROP TABLE source_syncs;
DELETE FROM crawl_jobs WHERE kind = 'tmdb';
ALTER TABLE crawl_jobs DROP CONSTRAINT crawl_jobs_kind_check;
ALTER TABLE crawl_jobs ADD CONSTRAINT crawl_jobs_kind_check CHECK (kind IN ('film', 'member'));
