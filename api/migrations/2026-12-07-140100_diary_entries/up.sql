-- A member's dated watches (the diary): from a scrape's diary pages or a job's profile. Kept beside
-- the ratings and replaced with them, so a stored scrape served back still has its watch dates.
-- `position` keeps the profile's order (oldest first; a film may be watched twice in a day).
CREATE TABLE diary_entries (
    member_id  bigint NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    position   integer NOT NULL CHECK (position >= 0),
    film_key   text NOT NULL,
    watched_on date NOT NULL,
    rewatch    boolean NOT NULL,
    PRIMARY KEY (member_id, position)
);
