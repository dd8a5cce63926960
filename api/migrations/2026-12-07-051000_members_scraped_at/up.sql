-- When the service last scraped the member's diary: a stored diary with it is a whole scrape
-- (films, likes, watchlist) the service may serve when its cache misses; imported members and
-- diaries written by jobs leave it null.
ALTER TABLE members ADD COLUMN scraped_at timestamptz;
