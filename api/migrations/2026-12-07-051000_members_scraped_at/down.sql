ALTER TABLE members DROP COLUMN scraped_at;
