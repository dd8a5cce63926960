DROP TABLE film_offers;
DROP TABLE watch_providers;
