-- The TMDB sync shares the resumable crawl queue: its keys are `tmdb:<kind>:<id>`.
ALTER TABLE crawl_jobs DROP CONSTRAINT crawl_jobs_kind_check;
ALTER TABLE crawl_jobs ADD CONSTRAINT crawl_jobs_kind_check CHECK (kind IN ('film', 'member', 'tmdb'));

-- One row per film source that syncs: when its daily id file seeded the catalog, and up to when
-- its changes feed has been queued, so a later run reads only what changed since.
CREATE TABLE source_syncs (
    source        text PRIMARY KEY CHECK (source IN ('tmdb')),
    seeded_at     timestamptz NOT NULL DEFAULT now(),
    -- The date of the id file the seed read.
    seeded_from   date NOT NULL,
    -- Changes up to this moment are queued (or were fetched by the seed itself).
    changes_until timestamptz NOT NULL
);
