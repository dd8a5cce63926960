//! The simulated Letterboxd over HTTP (actix-web): member grids, diaries, film pages and popular members
//! for a [`World`], through the [`Faults`] switched on, plus `GET`/`PUT /-/faults` to switch them.

use std::borrow::Cow;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use model::{Film, FilmKey, Username};

use crate::faults::{Action, FaultPlan, Faults};
use crate::render::diary::{Logged, diary_page};
use crate::render::grid::{Watched, films_page, watchlist_page};
use crate::render::members::{MemberRow, popular_page};
use crate::render::{film::film_page, pages};
use crate::watches::DIARY_PAGE_SIZE;
use crate::world::{GRID_PAGE_SIZE, MEMBERS_PAGE_SIZE, World, pages_for};

struct State {
    world: Arc<World>,
    faults: Faults,
}

/// Starts simulated Letterboxd servers.
pub struct SimServer;

/// A running server: its faults handle and a way to stop it.
pub struct SimHandle {
    handle: ServerHandle,
    faults: Faults,
    task: tokio::task::JoinHandle<io::Result<()>>,
}

impl SimHandle {
    /// The live fault plan and the request counts per path.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// Stops accepting, finishes what is in flight, and waits for the server to end.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.task.await;
    }
}

impl SimServer {
    /// On `127.0.0.1`, a free port, two workers: what tests and benchmarks use.
    pub async fn start(world: Arc<World>, faults: Faults) -> io::Result<(SocketAddr, SimHandle)> {
        Self::start_on("127.0.0.1:0", 2, world, faults).await
    }

    /// On `bind` (port 0 picks a free port) with `workers` threads. Must run inside a Tokio
    /// runtime; the server runs as a task of it.
    pub async fn start_on(
        bind: &str,
        workers: usize,
        world: Arc<World>,
        faults: Faults,
    ) -> io::Result<(SocketAddr, SimHandle)> {
        let state = web::Data::new(State {
            world,
            faults: faults.clone(),
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .route("/-/faults", web::get().to(get_faults))
                .route("/-/faults", web::put().to(put_faults))
                .default_service(web::to(get_page))
        })
        .workers(workers.max(1))
        .disable_signals()
        .shutdown_timeout(1)
        .bind(bind)?;
        let addr = server
            .addrs()
            .first()
            .copied()
            .ok_or_else(|| io::Error::other("the server bound no address"))?;
        let server = server.run();
        let handle = server.handle();
        let task = tokio::spawn(server);
        Ok((
            addr,
            SimHandle {
                handle,
                faults,
                task,
            },
        ))
    }
}

async fn get_faults(state: web::Data<State>) -> HttpResponse {
    HttpResponse::Ok().json(state.faults.plan())
}

async fn put_faults(state: web::Data<State>, plan: web::Json<FaultPlan>) -> HttpResponse {
    state.faults.set(plan.into_inner());
    HttpResponse::NoContent().finish()
}

/// The pages the simulator knows.
#[derive(Debug, PartialEq)]
enum Route {
    Home,
    Films(Username, u32),
    Watchlist(Username, u32),
    Diary(Username, u32),
    Film(FilmKey),
    Popular(u32),
    Unknown,
}

impl Route {
    fn parse(path: &str) -> Route {
        let parts: Vec<&str> = path.split('/').filter(|part| !part.is_empty()).collect();
        let page = |raw: &str| raw.parse::<u32>().ok().filter(|&n| n >= 1);
        let member = |raw: &str| {
            Username::parse(raw)
                .ok()
                .filter(|name| name.as_str() == raw)
        };
        let route = match parts.as_slice() {
            [] => Some(Route::Home),
            ["film", slug] => FilmKey::parse(slug).ok().map(Route::Film),
            ["members", "popular", "this", "week"] => Some(Route::Popular(1)),
            ["members", "popular", "this", "week", "page", n] => page(n).map(Route::Popular),
            [name, "films"] => member(name).map(|name| Route::Films(name, 1)),
            [name, "films", "page", n] => {
                member(name).zip(page(n)).map(|(m, n)| Route::Films(m, n))
            }
            [name, "films", "diary"] => member(name).map(|name| Route::Diary(name, 1)),
            [name, "films", "diary", "page", n] => {
                member(name).zip(page(n)).map(|(m, n)| Route::Diary(m, n))
            }
            [name, "watchlist"] => member(name).map(|name| Route::Watchlist(name, 1)),
            [name, "watchlist", "page", n] => member(name)
                .zip(page(n))
                .map(|(m, n)| Route::Watchlist(m, n)),
            _ => None,
        };
        route.unwrap_or(Route::Unknown)
    }

    fn member(&self) -> Option<&str> {
        match self {
            Route::Films(name, _) | Route::Watchlist(name, _) | Route::Diary(name, _) => {
                Some(name.as_str())
            }
            _ => None,
        }
    }
}

fn html(status: StatusCode, body: String) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body)
}

async fn get_page(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    let path = req.path();
    let route = Route::parse(path);
    if route == Route::Home {
        // Readiness probes see no faults.
        return html(StatusCode::OK, pages::home());
    }
    let agent = req
        .headers()
        .get("user-agent")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    state.faults.saw_user_agent(agent);
    let (latency, action) = state.faults.decide(path, route.member());
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    match action {
        Action::Challenge => {
            let ray = format!("{:016x}", crate::seed::hash(0, path.as_bytes()));
            HttpResponse::Forbidden()
                .content_type("text/html; charset=UTF-8")
                .insert_header(("cf-mitigated", "challenge"))
                .insert_header(("server", "cloudflare"))
                .insert_header(("cf-ray", format!("{ray}-AMS")))
                .body(pages::challenge(&ray))
        }
        Action::RateLimited { retry_after_secs } => HttpResponse::TooManyRequests()
            .content_type("text/html; charset=utf-8")
            .insert_header(("retry-after", retry_after_secs.to_string()))
            .body("<html><body><h1>429 Too Many Requests</h1></body></html>"),
        Action::ServerError(code) => html(
            StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
            format!(
                "<html><body><h1>{code}</h1><p>Letterboxd is taking a break.</p></body></html>"
            ),
        ),
        Action::NotFound => html(StatusCode::NOT_FOUND, pages::not_found()),
        Action::Private => html(
            StatusCode::OK,
            pages::private_profile(route.member().unwrap_or_default()),
        ),
        Action::Serve { truncate_at } => match render(&state.world, &route) {
            Some(body) => html(StatusCode::OK, truncate(body, truncate_at)),
            None => html(StatusCode::NOT_FOUND, pages::not_found()),
        },
    }
}

/// Cuts a page at a share of its length (on a character boundary).
fn truncate(mut body: String, at: Option<f64>) -> String {
    if let Some(share) = at {
        let mut cut = (body.len() as f64 * share.clamp(0.0, 1.0)) as usize;
        while !body.is_char_boundary(cut) {
            cut -= 1;
        }
        body.truncate(cut);
    }
    body
}

/// The page for a route, or `None` for a 404.
fn render(world: &World, route: &Route) -> Option<String> {
    match route {
        Route::Home => Some(pages::home()),
        Route::Unknown => None,
        Route::Film(slug) => world.film_by_slug(slug).map(|film| film_page(&film)),
        Route::Films(name, page) => {
            let diary = world.diary(name)?;
            let total = diary.entries.len();
            let last = pages_for(total, GRID_PAGE_SIZE);
            let shown = page_slice(&diary.entries, *page);
            let films: Vec<(Cow<'_, Film>, _)> = shown
                .iter()
                .filter_map(|entry| world.film(entry.film).map(|film| (film, entry)))
                .collect();
            let watched: Vec<Watched<'_>> = films
                .iter()
                .map(|(film, entry)| Watched {
                    film,
                    rating: entry.rating,
                    liked: entry.liked,
                })
                .collect();
            Some(films_page(name, total, &watched, *page, last))
        }
        Route::Diary(name, page) => {
            let log = world.diary_log(name)?;
            let last = pages_for(log.len(), DIARY_PAGE_SIZE);
            // Newest first, 50 a page.
            let start = (*page as usize - 1).saturating_mul(DIARY_PAGE_SIZE);
            let shown: Vec<_> = log.iter().rev().skip(start).take(DIARY_PAGE_SIZE).collect();
            let films: Vec<_> = shown
                .iter()
                .filter_map(|&watch| world.film(watch.film).map(|film| (film, watch)))
                .collect();
            let rows: Vec<Logged<'_>> = films
                .iter()
                .map(|(film, watch)| Logged { film, watch })
                .collect();
            Some(diary_page(name, &rows, *page, last))
        }
        Route::Watchlist(name, page) => {
            let diary = world.diary(name)?;
            let total = diary.watchlist.len();
            let last = pages_for(total, GRID_PAGE_SIZE);
            let films: Vec<Cow<'_, Film>> = page_slice(&diary.watchlist, *page)
                .iter()
                .filter_map(|&index| world.film(index))
                .collect();
            let refs: Vec<&Film> = films.iter().map(|film| film.as_ref()).collect();
            Some(watchlist_page(name, total, &refs, *page, last))
        }
        Route::Popular(page) => {
            let start = (*page as usize - 1) * MEMBERS_PAGE_SIZE;
            let end = (start + MEMBERS_PAGE_SIZE).min(world.member_count());
            let rows: Vec<MemberRow> = (start..end)
                .filter_map(|rank| world.member_at(rank))
                .map(|name| {
                    let films = world.diary(&name).map_or(0, |diary| diary.entries.len());
                    MemberRow { name, films }
                })
                .collect();
            Some(popular_page(&rows, *page, end < world.member_count()))
        }
    }
}

/// The items of 1-based grid page `page` (empty past the end, as Letterboxd shows it).
fn page_slice<T>(items: &[T], page: u32) -> &[T] {
    let start = (page as usize - 1).saturating_mul(GRID_PAGE_SIZE);
    let end = start.saturating_add(GRID_PAGE_SIZE).min(items.len());
    items.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_parse() {
        let ann = Username::parse("ann").unwrap();
        assert_eq!(Route::parse("/"), Route::Home);
        assert_eq!(Route::parse("/ann/films/"), Route::Films(ann.clone(), 1));
        assert_eq!(
            Route::parse("/ann/films/page/3/"),
            Route::Films(ann.clone(), 3)
        );
        assert_eq!(
            Route::parse("/ann/watchlist/page/2"),
            Route::Watchlist(ann, 2)
        );
        assert_eq!(Route::parse("/ann/films/page/0/"), Route::Unknown);
        assert_eq!(
            Route::parse("/ann/films/diary/"),
            Route::Diary(Username::parse("ann").unwrap(), 1)
        );
        assert_eq!(
            Route::parse("/ann/films/diary/page/4/"),
            Route::Diary(Username::parse("ann").unwrap(), 4)
        );
        assert_eq!(Route::parse("/Ann/films/"), Route::Unknown);
        assert_eq!(
            Route::parse("/film/heat-1995/"),
            Route::Film(FilmKey::parse("heat-1995").unwrap())
        );
        assert_eq!(
            Route::parse("/members/popular/this/week/page/4/"),
            Route::Popular(4)
        );
        assert_eq!(Route::parse("/film/heat/reviews/"), Route::Unknown);
    }

    #[test]
    fn pages_slice_by_72() {
        let items: Vec<u32> = (0..150).collect();
        assert_eq!(page_slice(&items, 1).len(), 72);
        assert_eq!(page_slice(&items, 3), &items[144..]);
        assert!(page_slice(&items, 4).is_empty());
        assert_eq!(truncate("h\u{e9}llo".to_owned(), Some(0.4)), "h");
    }
}
