//! The polite client against the simulated Letterboxd: request counts, retries, and every typed
//! outcome, over real HTTP on a port-0 server.

use std::collections::HashSet;
use std::time::Duration;

use crate::support::*;
use letterboxd::client::{Client, ClientError, Outcome, RequestKind};
use letterboxd_sim::{FaultPlan, Knobs, PathFaults};
use model::{FilmKey, Username};

fn knobs(change: impl FnOnce(&mut Knobs)) -> FaultPlan {
    let mut plan = FaultPlan::default();
    change(&mut plan.all);
    plan
}

#[tokio::test]
async fn a_2000_film_member_costs_one_request_per_grid_page() {
    let sim = Sim::start(world_with_big_member(), FaultPlan::default()).await;
    let user = big_member();
    let scraped = sim.client().scrape_profile(&user, &has_all).await.unwrap();

    let expected = sim.world.profile(&user).unwrap();
    assert_eq!(scraped.profile, expected);
    assert_eq!(
        scraped.profile.ratings.len() + scraped.profile.watched.len(),
        BIG_FILMS
    );
    assert_eq!(scraped.profile.watchlist.len(), BIG_WATCHLIST);
    let pages =
        BIG_FILMS.div_ceil(72) + BIG_WATCHLIST.div_ceil(72) + diary_pages(&sim.world, &user);
    assert_eq!(scraped.requests as usize, pages);
    assert_eq!(sim.faults().total_requests() as usize, pages);
    assert!(scraped.films.is_empty() && scraped.queued.is_empty());
    sim.handle.stop().await;
}

#[tokio::test]
async fn the_diary_gives_the_watch_dates_up_to_its_page_bound_and_says_when_it_is_cut() {
    let sim = Sim::start(world_with_big_member(), FaultPlan::default()).await;
    let user = big_member();
    let log = sim.world.diary_log(&user).unwrap();
    let pages = log.len().div_ceil(letterboxd_sim::DIARY_PAGE_SIZE) as u32;
    assert!(pages > 3, "the big member's diary fits in {pages} pages");

    // Three pages of many: the newest 150 watches, oldest first, and the cut is reported.
    let config = letterboxd::client::ClientConfig {
        diary_pages_per_profile: 3,
        ..sim.config()
    };
    let scraped = Client::new(config)
        .unwrap()
        .scrape_profile(&user, &has_all)
        .await
        .unwrap();
    assert_eq!(
        scraped.profile,
        sim.world.profile_reading(&user, 3).unwrap()
    );
    assert_eq!(scraped.profile.diary.len(), 150);
    assert_eq!(
        scraped.profile.diary.last().unwrap().date,
        log.last().unwrap().date
    );
    assert!(scraped.profile.diary.iter().any(|entry| entry.rewatch));
    assert_eq!((scraped.diary.pages_read, scraped.diary.pages), (3, pages));
    assert!(!scraped.diary.is_complete());
    assert_eq!(
        sim.faults()
            .requests_to(&format!("/{BIG_MEMBER}/films/diary/page/4/")),
        0
    );

    // A bound above the diary's length reads it whole.
    let config = letterboxd::client::ClientConfig {
        diary_pages_per_profile: pages + 5,
        ..sim.config()
    };
    let scraped = Client::new(config)
        .unwrap()
        .scrape_profile(&user, &has_all)
        .await
        .unwrap();
    assert_eq!(scraped.profile.diary.len(), log.len());
    assert!(scraped.diary.is_complete());
    assert_eq!(scraped.diary.skipped_rows, 0);
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_failing_diary_page_keeps_the_ratings_and_the_dates_read_before_it() {
    let plan = FaultPlan {
        paths: vec![PathFaults {
            prefix: format!("/{BIG_MEMBER}/films/diary/page/3/"),
            knobs: Knobs {
                server_errors: 1.0,
                ..Knobs::default()
            },
        }],
        ..FaultPlan::default()
    };
    let sim = Sim::start(world_with_big_member(), plan).await;
    let config = letterboxd::client::ClientConfig {
        max_attempts: 2,
        ..sim.config()
    };
    let user = big_member();
    let scraped = Client::new(config)
        .unwrap()
        .scrape_profile(&user, &has_all)
        .await
        .unwrap();
    let truth = sim.world.profile(&user).unwrap();
    assert_eq!(scraped.profile.ratings, truth.ratings);
    assert_eq!(scraped.profile.watchlist, truth.watchlist);
    // Pages 1 and 2: the newest hundred watches, and nothing past the gap.
    assert_eq!(
        scraped.profile.diary,
        sim.world.profile_reading(&user, 2).unwrap().diary
    );
    assert!(matches!(
        scraped.diary.error,
        Some(ClientError::UpstreamUnavailable { .. })
    ));
    assert!(!scraped.diary.is_complete());

    // A challenge on the diary's first page: no dates, the profile still whole otherwise.
    let sim_blocked = Sim::start(
        world_with_big_member(),
        FaultPlan {
            paths: vec![PathFaults {
                prefix: format!("/{BIG_MEMBER}/films/diary/"),
                knobs: Knobs {
                    challenge: true,
                    ..Knobs::default()
                },
            }],
            ..FaultPlan::default()
        },
    )
    .await;
    let scraped = sim_blocked
        .client()
        .scrape_profile(&user, &has_all)
        .await
        .unwrap();
    assert_eq!(scraped.profile.ratings, truth.ratings);
    assert!(scraped.profile.diary.is_empty());
    assert!(matches!(
        scraped.diary.error,
        Some(ClientError::UpstreamBlocked { .. })
    ));
    sim.handle.stop().await;
    sim_blocked.handle.stop().await;
}

#[tokio::test]
async fn thirty_percent_429s_still_end_in_the_full_profile() {
    let plan = knobs(|k| {
        k.rate_limited = 0.3;
        k.retry_after_secs = 0;
    });
    let sim = Sim::start(world_with_big_member(), plan).await;
    let client = sim.client();
    let user = big_member();
    let scraped = client.scrape_profile(&user, &has_all).await.unwrap();

    assert_eq!(scraped.profile, sim.world.profile(&user).unwrap());
    let limited = client
        .counters()
        .get(RequestKind::FilmsPage, Outcome::RateLimited)
        + client
            .counters()
            .get(RequestKind::WatchlistPage, Outcome::RateLimited);
    assert!(limited > 0, "no 429 was injected");
    assert_eq!(u64::from(scraped.requests), client.counters().total());
    assert_eq!(sim.faults().total_requests(), client.counters().total());
    sim.handle.stop().await;
}

#[tokio::test]
async fn truncated_pages_are_retried_not_half_read() {
    let sim = Sim::start(world_with_big_member(), knobs(|k| k.truncated = 0.3)).await;
    let client = sim.client();
    let user = big_member();
    let scraped = client.scrape_profile(&user, &has_all).await.unwrap();
    assert_eq!(scraped.profile, sim.world.profile(&user).unwrap());
    assert!(
        client
            .counters()
            .get(RequestKind::FilmsPage, Outcome::Truncated)
            > 0
    );
    sim.handle.stop().await;
}

#[tokio::test]
async fn cloudflare_mode_ends_in_upstream_blocked_after_at_most_one_request_per_page() {
    let sim = Sim::start(world_with_big_member(), knobs(|k| k.challenge = true)).await;
    let client = sim.client();
    let err = client
        .scrape_profile(&big_member(), &has_all)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::UpstreamBlocked { .. }),
        "{err:?}"
    );
    let requests = sim.faults().requests();
    assert!(requests.values().all(|&n| n <= 1), "{requests:?}");
    assert_eq!(sim.faults().total_requests(), 1);

    // The block holds for the whole client: the next scrape sends nothing.
    let config = letterboxd::client::ClientConfig {
        block_cooldown: Duration::from_secs(600),
        ..sim.config()
    };
    let client = Client::new(config).unwrap();
    let _ = client.scrape_profile(&big_member(), &has_all).await;
    let err = client
        .fetch_film(&FilmKey::parse("anything-1").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::UpstreamBlocked { .. }),
        "{err:?}"
    );
    assert_eq!(sim.faults().total_requests(), 2);
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_challenge_mid_scrape_stops_the_other_pages() {
    let plan = FaultPlan {
        paths: vec![PathFaults {
            prefix: format!("/{BIG_MEMBER}/films/page/3/"),
            knobs: Knobs {
                challenge: true,
                ..Knobs::default()
            },
        }],
        ..FaultPlan::default()
    };
    let sim = Sim::start(world_with_big_member(), plan).await;
    let err = sim
        .client()
        .scrape_profile(&big_member(), &has_all)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::UpstreamBlocked { .. }),
        "{err:?}"
    );
    let requests = sim.faults().requests();
    assert!(requests.values().all(|&n| n <= 1), "{requests:?}");
    // Only what was already in flight when the challenge came: far fewer than the 30 pages.
    assert!(sim.faults().total_requests() < 15, "{requests:?}");
    sim.handle.stop().await;
}

#[tokio::test]
async fn permanent_5xx_ends_in_upstream_unavailable_within_the_attempt_bound() {
    let sim = Sim::start(world_with_big_member(), knobs(|k| k.server_errors = 1.0)).await;
    let config = letterboxd::client::ClientConfig {
        max_attempts: 4,
        ..sim.config()
    };
    let err = Client::new(config)
        .unwrap()
        .scrape_profile(&big_member(), &has_all)
        .await
        .unwrap_err();
    match err {
        ClientError::UpstreamUnavailable { attempts, .. } => assert_eq!(attempts, 4),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        sim.faults()
            .requests_to(&format!("/{BIG_MEMBER}/films/page/1/")),
        4
    );
    assert_eq!(sim.faults().total_requests(), 4);
    sim.handle.stop().await;
}

#[tokio::test]
async fn permanent_5xx_ends_within_the_time_budget() {
    let sim = Sim::start(world_with_big_member(), knobs(|k| k.server_errors = 1.0)).await;
    // Attempts alone would allow 1,000 tries; the 10 ms budget with 5 ms backoff stops far earlier.
    let config = letterboxd::client::ClientConfig {
        max_attempts: 1_000,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(5),
        max_retry_time: Duration::from_millis(10),
        ..sim.config()
    };
    let err = Client::new(config)
        .unwrap()
        .scrape_profile(&big_member(), &has_all)
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::UpstreamUnavailable { .. }),
        "{err:?}"
    );
    assert!(sim.faults().total_requests() < 1_000);
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_retry_after_beyond_the_budget_is_rate_limited_with_the_wait() {
    let plan = knobs(|k| {
        k.rate_limited = 1.0;
        k.retry_after_secs = 3_600;
    });
    let sim = Sim::start(world_with_big_member(), plan).await;
    let err = sim
        .client()
        .scrape_profile(&big_member(), &has_all)
        .await
        .unwrap_err();
    match err {
        ClientError::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Duration::from_secs(3_600));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(sim.faults().total_requests(), 1);
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_429_to_every_attempt_is_rate_limited_with_the_last_wait() {
    let plan = knobs(|k| {
        k.rate_limited = 1.0;
        k.retry_after_secs = 0;
    });
    let sim = Sim::start(world_with_big_member(), plan).await;
    let client = sim.client();
    let err = client
        .scrape_profile(&big_member(), &has_all)
        .await
        .unwrap_err();
    match err {
        ClientError::RateLimited { retry_after, .. } => assert_eq!(retry_after, Duration::ZERO),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        sim.faults().total_requests(),
        u64::from(client.config().max_attempts)
    );
    sim.handle.stop().await;
}

#[tokio::test]
async fn unknown_and_private_members_are_typed_errors_after_one_request() {
    let plan = FaultPlan {
        private_members: ["member3".to_owned()].into(),
        unknown_members: ["member4".to_owned()].into(),
        ..FaultPlan::default()
    };
    let sim = Sim::start(world_with_big_member(), plan).await;
    let client = sim.client();
    for (name, expect_private) in [("member3", true), ("member4", false), ("nobody", false)] {
        let user = Username::parse(name).unwrap();
        let err = client.scrape_profile(&user, &has_all).await.unwrap_err();
        match (err, expect_private) {
            (ClientError::ProfilePrivate(who), true)
            | (ClientError::MemberNotFound(who), false) => {
                assert_eq!(who, user);
            }
            (other, _) => panic!("{name}: {other:?}"),
        }
    }
    assert_eq!(sim.faults().total_requests(), 3);
    sim.handle.stop().await;
}

#[tokio::test]
async fn film_pages_only_for_missing_films_and_bounded_per_profile() {
    let sim = Sim::start(world_with_big_member(), FaultPlan::default()).await;
    let config = letterboxd::client::ClientConfig {
        film_pages_per_profile: 5,
        ..sim.config()
    };
    let client = Client::new(config).unwrap();
    let user = big_member();
    let truth = sim.world.profile(&user).unwrap();
    // The catalog lacks the first 12 films the member has seen.
    let missing: HashSet<FilmKey> = truth
        .films_seen
        .iter()
        .take(12)
        .map(|f| f.key.clone())
        .collect();
    let needs = |slug: &FilmKey| missing.contains(slug);
    let scraped = client.scrape_profile(&user, &needs).await.unwrap();

    assert_eq!(scraped.films.len(), 5);
    assert_eq!(scraped.queued.len(), 7);
    for film in &scraped.films {
        assert!(missing.contains(&film.key));
        assert_eq!(*film, *sim.world.film_by_slug(&film.key).unwrap());
    }
    let pages =
        BIG_FILMS.div_ceil(72) + BIG_WATCHLIST.div_ceil(72) + diary_pages(&sim.world, &user);
    assert_eq!(scraped.requests as usize, pages + 5);
    assert_eq!(client.counters().get(RequestKind::FilmPage, Outcome::Ok), 5);
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_failing_film_page_costs_that_film_not_the_profile() {
    let plan = FaultPlan {
        paths: vec![PathFaults {
            prefix: "/film/".to_owned(),
            knobs: Knobs {
                server_errors: 1.0,
                ..Knobs::default()
            },
        }],
        ..FaultPlan::default()
    };
    let sim = Sim::start(world_with_big_member(), plan).await;
    let config = letterboxd::client::ClientConfig {
        max_attempts: 2,
        film_pages_per_profile: 3,
        ..sim.config()
    };
    let user = big_member();
    let scraped = Client::new(config)
        .unwrap()
        .scrape_profile(&user, &|_: &FilmKey| true)
        .await
        .unwrap();
    assert_eq!(scraped.profile, sim.world.profile(&user).unwrap());
    assert!(scraped.films.is_empty());
    assert_eq!(
        scraped.film_errors.len() + scraped.queued.len(),
        scraped.profile.films_seen.len()
    );
    assert!(!scraped.film_errors.is_empty());
    sim.handle.stop().await;
}

#[tokio::test]
async fn popular_members_and_single_films_come_back_as_the_world_has_them() {
    let sim = Sim::start(world_with_big_member(), FaultPlan::default()).await;
    let client = sim.client();
    let first = client.fetch_popular_members(1).await.unwrap();
    let expected: Vec<Username> = (0..30)
        .map(|rank| sim.world.member_at(rank).unwrap())
        .collect();
    assert_eq!(first.usernames, expected);
    assert!(first.has_next);
    let last = client.fetch_popular_members(2).await.unwrap();
    assert_eq!(last.usernames.len(), sim.world.member_count() - 30);
    assert!(!last.has_next);

    let film = sim.world.film(42).unwrap().into_owned();
    assert_eq!(client.fetch_film(&film.key).await.unwrap(), film);
    let missing = client
        .fetch_film(&FilmKey::parse("no-such-film").unwrap())
        .await
        .unwrap_err();
    assert!(
        matches!(missing, ClientError::FilmNotFound(_)),
        "{missing:?}"
    );
    sim.handle.stop().await;
}

#[tokio::test]
async fn every_request_carries_the_configured_honest_user_agent() {
    let sim = Sim::start(world_with_big_member(), FaultPlan::default()).await;
    let default = letterboxd::client::ClientConfig::default().user_agent;
    assert!(
        default.starts_with("reel/") && default.contains("+https://"),
        "{default}"
    );
    let config = letterboxd::client::ClientConfig {
        user_agent: "reel/test (+https://reel.example/contact)".to_owned(),
        ..sim.config()
    };
    Client::new(config)
        .unwrap()
        .scrape_profile(&big_member(), &has_all)
        .await
        .unwrap();
    let agents: Vec<String> = sim.faults().user_agents().into_iter().collect();
    assert_eq!(agents, ["reel/test (+https://reel.example/contact)"]);
    sim.handle.stop().await;
}

#[tokio::test]
async fn timeouts_are_retried_then_reported_unavailable() {
    let sim = Sim::start(world_with_big_member(), knobs(|k| k.latency_ms = 400)).await;
    let config = letterboxd::client::ClientConfig {
        request_timeout: Duration::from_millis(50),
        max_attempts: 2,
        ..sim.config()
    };
    let client = Client::new(config).unwrap();
    let err = client
        .scrape_profile(&big_member(), &has_all)
        .await
        .unwrap_err();
    match err {
        ClientError::UpstreamUnavailable { attempts, last, .. } => {
            assert_eq!(attempts, 2);
            assert_eq!(last, "timed out");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        client
            .counters()
            .get(RequestKind::FilmsPage, Outcome::Transport),
        2
    );
    sim.handle.stop().await;
}

#[tokio::test]
async fn faults_switch_at_runtime_over_the_admin_endpoint() {
    let sim = Sim::start(world_with_big_member(), FaultPlan::default()).await;
    let client = sim.client();
    let user = Username::parse("member1").unwrap();
    client.scrape_profile(&user, &has_all).await.unwrap();

    let admin = reqwest::Client::new();
    let url = format!("http://{}/-/faults", sim.addr);
    let current = admin.get(&url).send().await.unwrap().text().await.unwrap();
    let mut plan: FaultPlan = serde_json::from_str(&current).unwrap();
    plan.all.challenge = true;
    let put = admin
        .put(&url)
        .header("content-type", "application/json")
        .body(serde_json::to_string(&plan).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 204);
    assert_eq!(sim.faults().plan(), plan);

    let err = client.scrape_profile(&user, &has_all).await.unwrap_err();
    assert!(
        matches!(err, ClientError::UpstreamBlocked { .. }),
        "{err:?}"
    );
    sim.handle.stop().await;
}

#[tokio::test]
async fn a_synthetic_world_of_100000_films_and_10000_members_serves_its_far_ends() {
    let world = letterboxd_sim::World::synthetic(letterboxd_sim::SyntheticSpec {
        films: 100_000,
        members: 10_000,
        seed: 7,
    });
    let sim = Sim::start(world, FaultPlan::default()).await;
    let client = sim.client();
    let last = Username::parse("member9999").unwrap();
    let scraped = client.scrape_profile(&last, &has_all).await.unwrap();
    assert_eq!(scraped.profile, sim.world.profile(&last).unwrap());
    let film = sim.world.film(99_999).unwrap().into_owned();
    assert_eq!(client.fetch_film(&film.key).await.unwrap(), film);
    let err = client
        .scrape_profile(&Username::parse("member10000").unwrap(), &has_all)
        .await
        .unwrap_err();
    assert!(matches!(err, ClientError::MemberNotFound(_)), "{err:?}");
    sim.handle.stop().await;
}
