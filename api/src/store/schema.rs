// @generated automatically by Diesel CLI.

diesel::table! {
    catalog_version (id) {
        id -> Int2,
        version -> Int8,
        changed_at -> Timestamptz,
    }
}

diesel::table! {
    crawl_jobs (id) {
        id -> Int8,
        kind -> Text,
        key -> Text,
        status -> Text,
        claimed_by -> Nullable<Text>,
        claimed_at -> Nullable<Timestamptz>,
        attempts -> Int4,
        last_error -> Nullable<Text>,
        queued_at -> Timestamptz,
        done_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    daily_usage (day) {
        day -> Date,
        members -> Int4,
        uses -> Int4,
    }
}

diesel::table! {
    diary_entries (member_id, position) {
        member_id -> Int8,
        position -> Int4,
        film_key -> Text,
        watched_on -> Date,
        rewatch -> Bool,
    }
}

diesel::table! {
    film_offers (country, provider_id, kind, film_id) {
        film_id -> Int8,
        country -> Text,
        provider_id -> Int4,
        kind -> Text,
    }
}

diesel::table! {
    films (id) {
        key -> Text,
        letterboxd_id -> Nullable<Int8>,
        boxd_id -> Nullable<Text>,
        title -> Text,
        year -> Nullable<Int2>,
        runtime_minutes -> Nullable<Int2>,
        genres -> Array<Nullable<Text>>,
        countries -> Array<Nullable<Text>>,
        language -> Nullable<Text>,
        content_type -> Text,
        lb_average -> Nullable<Float4>,
        lb_rating_count -> Nullable<Int4>,
        poster_url -> Nullable<Text>,
        tmdb_id -> Nullable<Int8>,
        imdb_id -> Nullable<Text>,
        scraped_at -> Nullable<Timestamptz>,
        status -> Text,
        created_at -> Timestamptz,
        id -> Int8,
        slug -> Nullable<Text>,
        tmdb_kind -> Nullable<Text>,
        tmdb_popularity -> Nullable<Float4>,
        tmdb_vote_average -> Nullable<Float4>,
        tmdb_vote_count -> Nullable<Int4>,
        tmdb_synced_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    member_stats_snapshots (id) {
        id -> Int8,
        member_id -> Int8,
        computed_at -> Timestamptz,
        ratings -> Int4,
        mean_rating -> Float8,
        mean_letterboxd_average -> Nullable<Float8>,
        mean_differential -> Nullable<Float8>,
        mean_rating_count -> Nullable<Float8>,
    }
}

diesel::table! {
    member_usage (day, member_id) {
        day -> Date,
        member_id -> Int8,
        uses -> Int4,
    }
}

diesel::table! {
    members (id) {
        id -> Int8,
        username -> Text,
        first_seen -> Timestamptz,
        last_seen -> Timestamptz,
        uses -> Int4,
        scraped_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    models (name, version) {
        name -> Text,
        version -> Int4,
        trained_at -> Timestamptz,
        metrics -> Jsonb,
        bytes -> Bytea,
    }
}

diesel::table! {
    ratings (member_id, film_key) {
        member_id -> Int8,
        film_key -> Text,
        rating -> Int2,
        liked -> Bool,
    }
}

diesel::table! {
    source_syncs (source) {
        source -> Text,
        seeded_at -> Timestamptz,
        seeded_from -> Date,
        changes_until -> Timestamptz,
    }
}

diesel::table! {
    uploads (id) {
        id -> Uuid,
        profile -> Jsonb,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
        lists -> Jsonb,
    }
}

diesel::table! {
    watch_providers (id) {
        id -> Int4,
        name -> Text,
        logo_url -> Nullable<Text>,
    }
}

diesel::table! {
    watched (member_id, film_key) {
        member_id -> Int8,
        film_key -> Text,
        liked -> Bool,
    }
}

diesel::table! {
    watchlist (member_id, film_key) {
        member_id -> Int8,
        film_key -> Text,
    }
}

diesel::joinable!(diary_entries -> members (member_id));
diesel::joinable!(film_offers -> films (film_id));
diesel::joinable!(film_offers -> watch_providers (provider_id));
diesel::joinable!(member_stats_snapshots -> members (member_id));
diesel::joinable!(member_usage -> members (member_id));
diesel::joinable!(ratings -> members (member_id));
diesel::joinable!(watched -> members (member_id));
diesel::joinable!(watchlist -> members (member_id));

diesel::allow_tables_to_appear_in_same_query!(
    catalog_version,
    crawl_jobs,
    daily_usage,
    diary_entries,
    film_offers,
    films,
    member_stats_snapshots,
    member_usage,
    members,
    models,
    ratings,
    source_syncs,
    uploads,
    watch_providers,
    watched,
    watchlist,
);
