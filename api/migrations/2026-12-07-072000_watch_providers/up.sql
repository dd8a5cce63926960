-- Where films stream, per country: TMDB's watch providers (JustWatch's data), written with the
-- film by the TMDB sync and read per request for the countries asked about. Kept here rather than
-- in the served catalog: every country's offers for 100,000 films would not fit the memory budget.
CREATE TABLE watch_providers (
    id       integer PRIMARY KEY CHECK (id >= 0),
    name     text NOT NULL,
    logo_url text
);

CREATE TABLE film_offers (
    film_id     bigint NOT NULL REFERENCES films (id) ON DELETE CASCADE,
    country     text NOT NULL CHECK (country ~ '^[A-Z]{2}$'),
    provider_id integer NOT NULL REFERENCES watch_providers (id),
    kind        text NOT NULL CHECK (kind IN ('flatrate', 'free', 'rent', 'buy')),
    PRIMARY KEY (country, provider_id, kind, film_id)
);
-- A film's offers, to replace them when it is fetched again and to show them on its card.
CREATE INDEX film_offers_film_idx ON film_offers (film_id, country);
