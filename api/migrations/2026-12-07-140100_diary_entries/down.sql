DROP TABLE diary_entries;
