-- The service's whole schema. Films are keyed by their Letterboxd slug (the only id every page and
-- export carries); members by a surrogate id so ratings rows stay narrow.

CREATE TABLE films (
    -- A Letterboxd slug, or `film:<id>` for a film known only by its numeric id.
    slug            text PRIMARY KEY CHECK (slug ~ '^([a-z0-9_][a-z0-9_-]*|film:[0-9]{1,20})$'),
    letterboxd_id   bigint CHECK (letterboxd_id >= 0),
    boxd_id         text UNIQUE,
    title           text NOT NULL,
    year            smallint CHECK (year >= 0),
    runtime_minutes smallint CHECK (runtime_minutes >= 0),
    -- Letterboxd's genre names ('Science Fiction'), readable in ad-hoc queries: 'Drama' = ANY(genres).
    genres          text[] NOT NULL DEFAULT '{}',
    countries       text[] NOT NULL DEFAULT '{}',
    language        text,
    content_type    text NOT NULL DEFAULT 'movie' CHECK (content_type IN ('movie', 'tv')),
    lb_average      real CHECK (lb_average BETWEEN 0.5 AND 5),
    lb_rating_count integer CHECK (lb_rating_count >= 0),
    poster_url      text,
    tmdb_id         bigint CHECK (tmdb_id >= 0),
    imdb_id         text,
    -- NULL until our crawler has read the film's page (imported films have never been scraped).
    scraped_at      timestamptz,
    status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'gone')),
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX films_letterboxd_id_idx ON films (letterboxd_id) WHERE letterboxd_id IS NOT NULL;
CREATE INDEX films_status_scraped_at_idx ON films (status, scraped_at);

CREATE TABLE members (
    id         bigserial PRIMARY KEY,
    username   text NOT NULL UNIQUE CHECK (username = lower(username) AND username <> ''),
    first_seen timestamptz NOT NULL DEFAULT now(),
    last_seen  timestamptz NOT NULL DEFAULT now(),
    -- Requests that used this member's profile; imported members start at 0.
    uses       integer NOT NULL DEFAULT 0 CHECK (uses >= 0)
);

-- No foreign key to films: a profile rates films the catalog crawl has not reached yet.
CREATE TABLE ratings (
    member_id bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    film_slug text NOT NULL,
    -- Half stars: 1 = 0.5 stars .. 10 = 5 stars.
    rating    smallint NOT NULL CHECK (rating BETWEEN 1 AND 10),
    liked     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (member_id, film_slug)
);
-- Per-film lookups (community rating distributions) read only the index.
CREATE INDEX ratings_film_slug_idx ON ratings (film_slug) INCLUDE (rating);

-- Films logged without a rating; an unrated like is also a watch.
CREATE TABLE watched (
    member_id bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    film_slug text NOT NULL,
    liked     boolean NOT NULL DEFAULT false,
    PRIMARY KEY (member_id, film_slug)
);

CREATE TABLE watchlist (
    member_id bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    film_slug text NOT NULL,
    PRIMARY KEY (member_id, film_slug)
);

-- One row per statistics computation; percentiles compare against each member's latest row.
CREATE TABLE member_stats_snapshots (
    id                      bigserial PRIMARY KEY,
    member_id               bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    computed_at             timestamptz NOT NULL DEFAULT now(),
    ratings                 integer NOT NULL CHECK (ratings >= 0),
    mean_rating             double precision NOT NULL,
    mean_letterboxd_average double precision,
    mean_differential       double precision,
    mean_rating_count       double precision
);
CREATE INDEX member_stats_snapshots_member_idx
    ON member_stats_snapshots (member_id, computed_at DESC);

-- Uses per member and UTC day, so unique members per day can be counted.
CREATE TABLE member_usage (
    day       date NOT NULL,
    member_id bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    uses      integer NOT NULL DEFAULT 0 CHECK (uses >= 0),
    PRIMARY KEY (day, member_id)
);

-- The daily series the metrics page shows, written by `reel usage snapshot`.
CREATE TABLE daily_usage (
    day     date PRIMARY KEY,
    members integer NOT NULL CHECK (members >= 0),
    uses    integer NOT NULL CHECK (uses >= 0)
);

CREATE TABLE models (
    name       text NOT NULL,
    version    integer NOT NULL CHECK (version > 0),
    trained_at timestamptz NOT NULL DEFAULT now(),
    metrics    jsonb NOT NULL DEFAULT '{}',
    bytes      bytea NOT NULL,
    PRIMARY KEY (name, version)
);

-- The resumable crawl queue: one row per (kind, key); a run re-queues rows, workers claim batches
-- with FOR UPDATE SKIP LOCKED and a stale claim (a killed worker) can be taken over.
CREATE TABLE crawl_jobs (
    id         bigserial PRIMARY KEY,
    kind       text NOT NULL CHECK (kind IN ('film', 'member')),
    key        text NOT NULL,
    status     text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'claimed', 'done', 'failed')),
    claimed_by text,
    claimed_at timestamptz,
    attempts   integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error text,
    queued_at  timestamptz NOT NULL DEFAULT now(),
    done_at    timestamptz,
    UNIQUE (kind, key)
);
CREATE INDEX crawl_jobs_claimable_idx ON crawl_jobs (kind, status, id)
    WHERE status IN ('queued', 'claimed');

-- A single row; servers poll it and swap in a new catalog when it moves.
CREATE TABLE catalog_version (
    id         smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    version    bigint NOT NULL DEFAULT 0,
    changed_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO catalog_version (id, version) VALUES (1, 0);
