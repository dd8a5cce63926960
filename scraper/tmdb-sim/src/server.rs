//! The simulated TMDB over HTTP (actix-web): the API under `/3`, the daily id exports under
//! `/p/exports`, placeholder images under `/t/p`, and `/__sim/` to switch faults and mark
//! titles changed.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use actix_web::http::StatusCode;
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};
use chrono::{NaiveDate, Utc};
use flate2::Compression;
use flate2::write::GzEncoder;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::changes::Changes;
use crate::faults::{Action, FaultPlan, Faults};
use crate::films_file::Kind;
use crate::render::{self, Current};
use crate::search::{MAX_PAGE, PAGE_SIZE, search};
use crate::world::World;

struct State {
    world: Arc<World>,
    faults: Faults,
    changes: Changes,
    /// The bearer token (or `api_key`) requests must carry; `None` accepts any.
    token: Option<String>,
}

impl State {
    fn current<'w>(&self, film: &'w crate::world::SimFilm) -> Current<'w> {
        Current {
            film,
            revision: self.changes.revision(film.kind, film.id),
        }
    }
}

/// Starts simulated TMDB servers.
pub struct SimServer;

/// A running server: its faults and changes handles, and a way to stop it.
pub struct SimHandle {
    handle: ServerHandle,
    faults: Faults,
    changes: Changes,
    task: tokio::task::JoinHandle<io::Result<()>>,
}

impl SimHandle {
    /// The live fault plan and what the server saw.
    pub fn faults(&self) -> &Faults {
        &self.faults
    }

    /// The change log: mark titles changed from a test.
    pub fn changes(&self) -> &Changes {
        &self.changes
    }

    /// Stops accepting, finishes what is in flight, and waits for the server to end.
    pub async fn stop(self) {
        self.handle.stop(true).await;
        let _ = self.task.await;
    }
}

impl SimServer {
    /// On `127.0.0.1`, a free port, two workers: what tests use.
    pub async fn start(
        world: Arc<World>,
        token: Option<String>,
        faults: Faults,
    ) -> io::Result<(SocketAddr, SimHandle)> {
        Self::start_on("127.0.0.1:0", 2, world, token, faults).await
    }

    /// On `bind` (port 0 picks a free port) with `workers` threads. Must run inside a Tokio
    /// runtime; the server runs as a task of it.
    pub async fn start_on(
        bind: &str,
        workers: usize,
        world: Arc<World>,
        token: Option<String>,
        faults: Faults,
    ) -> io::Result<(SocketAddr, SimHandle)> {
        let changes = Changes::default();
        let state = web::Data::new(State {
            world,
            faults: faults.clone(),
            changes: changes.clone(),
            token: token.filter(|token| !token.is_empty()),
        });
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                .route("/__sim/faults", web::get().to(get_faults))
                .route("/__sim/faults", web::put().to(put_faults))
                .route("/__sim/changes", web::post().to(post_changes))
                .route("/t/p/{size}/{name}", web::get().to(get_image))
                .default_service(web::to(get_data))
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
                changes,
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

/// `POST /__sim/changes`: `{"ids": [..]}` or `{"count": N}` titles of `kind` (default movie)
/// changed on `date` (default today, UTC).
#[derive(Deserialize)]
struct ChangeRequest {
    #[serde(default)]
    ids: Vec<u64>,
    #[serde(default)]
    count: usize,
    kind: Option<Kind>,
    date: Option<NaiveDate>,
}

async fn post_changes(state: web::Data<State>, body: web::Json<ChangeRequest>) -> HttpResponse {
    let request = body.into_inner();
    let kind = request.kind.unwrap_or(Kind::Movie);
    let date = request.date.unwrap_or_else(|| Utc::now().date_naive());
    let mut ids: Vec<u64> = request
        .ids
        .into_iter()
        .filter(|&id| state.world.get(kind, id).is_some())
        .collect();
    if request.count > 0 {
        // A deterministic pick, different at every call (it is keyed on the log's size).
        let round = state
            .changes
            .between(kind, NaiveDate::MIN, NaiveDate::MAX)
            .len() as u64;
        let mut pool: Vec<u64> = state
            .world
            .films()
            .iter()
            .filter(|film| film.kind == kind)
            .map(|film| film.id)
            .collect();
        let key = |id: &u64| crate::seed::hash(state.world.seed() ^ round, &id.to_le_bytes());
        pool.sort_by_key(key);
        ids.extend(pool.into_iter().take(request.count));
    }
    state.changes.mark(kind, &ids, date);
    HttpResponse::Ok().json(json!({ "changed": ids, "date": date }))
}

/// A placeholder poster or logo, so a front end pointed at the simulator shows something.
async fn get_image(path: web::Path<(String, String)>) -> HttpResponse {
    let (size, _) = path.into_inner();
    let width = size
        .trim_start_matches('w')
        .parse::<u32>()
        .unwrap_or(500)
        .min(2000);
    let height = width * 3 / 2;
    let svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\">\
         <rect width=\"100%\" height=\"100%\" fill=\"#2c3440\"/></svg>"
    );
    HttpResponse::Ok().content_type("image/svg+xml").body(svg)
}

fn json_response(status: StatusCode, body: &Value, truncate_at: Option<f64>) -> HttpResponse {
    let mut bytes = body.to_string().into_bytes();
    if let Some(share) = truncate_at {
        bytes.truncate((bytes.len() as f64 * share.clamp(0.0, 1.0)) as usize);
    }
    HttpResponse::build(status)
        .content_type("application/json;charset=utf-8")
        .body(bytes)
}

/// An error answer: its status, TMDB's own code for it, and TMDB's message.
struct Reject(StatusCode, u32, &'static str);

impl Reject {
    fn response(&self) -> HttpResponse {
        json_response(self.0, &render::error(self.1, self.2), None)
    }
}

const MISSING: Reject = Reject(
    StatusCode::NOT_FOUND,
    34,
    "The resource you requested could not be found.",
);

fn not_found() -> HttpResponse {
    MISSING.response()
}

fn authorized(req: &HttpRequest, query: &HashMap<String, String>, token: Option<&str>) -> bool {
    let Some(token) = token else { return true };
    let bearer = req
        .headers()
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "));
    bearer == Some(token) || query.get("api_key").map(String::as_str) == Some(token)
}

async fn get_data(req: HttpRequest, state: web::Data<State>) -> HttpResponse {
    let path = req.path().to_owned();
    let is_api = path.starts_with("/3/");
    let is_file = path.starts_with("/p/exports/");
    if !is_api && !is_file {
        return not_found();
    }
    let query = web::Query::<HashMap<String, String>>::from_query(req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default();
    // The exports need no token, as on TMDB.
    let authorized = is_file || authorized(&req, &query, state.token.as_deref());
    let (latency, action) = state.faults.decide(&path, authorized);
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let truncate_at = match action {
        Action::BadToken => {
            let body = render::error(7, "Invalid API key: You must be granted a valid key.");
            return json_response(StatusCode::UNAUTHORIZED, &body, None);
        }
        Action::RateLimited { retry_after_secs } => {
            let body = render::error(25, "Your request count is over the allowed limit.");
            let mut response = json_response(StatusCode::TOO_MANY_REQUESTS, &body, None);
            if let Ok(value) = retry_after_secs.to_string().parse() {
                response
                    .headers_mut()
                    .insert(actix_web::http::header::RETRY_AFTER, value);
            }
            return response;
        }
        Action::ServerError(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
            let body = render::error(11, "Internal error: Something went wrong, contact TMDb.");
            return json_response(status, &body, None);
        }
        Action::Serve { truncate_at } => truncate_at,
    };
    if is_file {
        // Gzipping a large world takes a while: off the server's worker threads.
        let name = path.trim_start_matches("/p/exports/").to_owned();
        let data = state.clone();
        return match web::block(move || export_file(&data, &name, truncate_at)).await {
            Ok(Some(bytes)) => HttpResponse::Ok()
                .content_type("application/octet-stream")
                .body(bytes),
            Ok(None) => not_found(),
            Err(_) => HttpResponse::InternalServerError().finish(),
        };
    }
    let parts: Vec<&str> = path[3..].split('/').filter(|p| !p.is_empty()).collect();
    match api(&req, &state, &parts, &query) {
        Ok(body) => json_response(StatusCode::OK, &body, truncate_at),
        Err(reject) => reject.response(),
    }
}

fn api(
    req: &HttpRequest,
    state: &State,
    parts: &[&str],
    query: &HashMap<String, String>,
) -> Result<Value, Reject> {
    let seed = state.world.seed();
    let title = |kind: Kind, raw: &str| {
        let id = raw.parse::<u64>().map_err(|_| MISSING)?;
        state.world.get(kind, id).ok_or(MISSING)
    };
    let kind_of = |raw: &str| if raw == "tv" { Kind::Tv } else { Kind::Movie };
    match parts {
        ["configuration"] => {
            let info = req.connection_info();
            let root = format!("{}://{}/t/p/", info.scheme(), info.host());
            Ok(render::configuration(&root))
        }
        ["genre", "movie", "list"] => Ok(render::genre_list()),
        ["movie", "changes"] => changes_page(state, query),
        ["search", kind @ ("movie" | "tv")] => search_page(state, kind_of(kind), query),
        [kind @ ("movie" | "tv"), id] => {
            let film = title(kind_of(kind), id)?;
            let append: Vec<&str> = query
                .get("append_to_response")
                .map(|list| list.split(',').map(str::trim).collect())
                .unwrap_or_default();
            Ok(state.current(film).details(&append, seed))
        }
        [kind @ ("movie" | "tv"), id, "watch", "providers"] => {
            let film = title(kind_of(kind), id)?;
            Ok(state.current(film).providers(seed, true))
        }
        [kind @ ("movie" | "tv"), id, "external_ids"] => {
            let film = title(kind_of(kind), id)?;
            let mut body = state.current(film).details(&["external_ids"], seed);
            Ok(body["external_ids"].take())
        }
        _ => Err(MISSING),
    }
}

fn invalid(message: &'static str) -> Reject {
    Reject(StatusCode::UNPROCESSABLE_ENTITY, 22, message)
}

fn page_param(query: &HashMap<String, String>) -> Result<u32, Reject> {
    match query.get("page") {
        None => Ok(1),
        Some(raw) => raw
            .parse::<u32>()
            .ok()
            .filter(|page| (1..=MAX_PAGE).contains(page))
            .ok_or_else(|| invalid("Invalid page: Pages start at 1 and max at 500.")),
    }
}

fn paged(page: u32, page_size: usize, results: Vec<Value>) -> Value {
    let total = results.len();
    let start = (page as usize - 1) * page_size;
    let shown: Vec<Value> = results.into_iter().skip(start).take(page_size).collect();
    json!({
        "page": page,
        "results": shown,
        "total_pages": total.div_ceil(page_size),
        "total_results": total,
    })
}

fn search_page(
    state: &State,
    kind: Kind,
    query: &HashMap<String, String>,
) -> Result<Value, Reject> {
    let page = page_param(query)?;
    let year_keys: &[&str] = match kind {
        Kind::Movie => &["primary_release_year", "year"],
        Kind::Tv => &["first_air_date_year", "year"],
    };
    let year = year_keys
        .iter()
        .find_map(|key| query.get(*key))
        .map(|raw| raw.parse::<u16>().map_err(|_| invalid("Invalid year.")))
        .transpose()?;
    let text = query.get("query").map(String::as_str).unwrap_or_default();
    let hits: Vec<Value> = search(&state.world, kind, text, year)
        .into_iter()
        .map(|film| state.current(film).hit())
        .collect();
    Ok(paged(page, PAGE_SIZE, hits))
}

fn changes_page(state: &State, query: &HashMap<String, String>) -> Result<Value, Reject> {
    let page = page_param(query)?;
    let date = |key: &str| {
        query
            .get(key)
            .map(|raw| {
                NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| invalid("Invalid date."))
            })
            .transpose()
    };
    let today = Utc::now().date_naive();
    let end = date("end_date")?.unwrap_or(today);
    let start = date("start_date")?.unwrap_or(end - chrono::Days::new(1));
    if start > end || (end - start).num_days() > 14 {
        return Err(invalid(
            "Invalid date range: Should be a range no longer than 14 days.",
        ));
    }
    let ids: Vec<Value> = state
        .changes
        .between(Kind::Movie, start, end)
        .into_iter()
        .map(|id| json!({"id": id, "adult": false}))
        .collect();
    Ok(paged(page, 100, ids))
}

/// `movie_ids_MM_DD_YYYY.json.gz` or `tv_series_ids_...`: every title of the kind, by id, as it
/// is now, gzipped; 404 for other names and days not yet published.
fn export_file(state: &State, name: &str, truncate_at: Option<f64>) -> Option<Vec<u8>> {
    let stem = name.strip_suffix(".json.gz")?;
    let (kind, date) = if let Some(date) = stem.strip_prefix("movie_ids_") {
        (Kind::Movie, date)
    } else if let Some(date) = stem.strip_prefix("tv_series_ids_") {
        (Kind::Tv, date)
    } else {
        return None;
    };
    match NaiveDate::parse_from_str(date, "%m_%d_%Y") {
        Ok(date) if date <= Utc::now().date_naive() => {}
        _ => return None,
    }
    let mut films: Vec<_> = state
        .world
        .films()
        .iter()
        .filter(|film| film.kind == kind)
        .collect();
    films.sort_by_key(|film| film.id);
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    for film in films {
        let line = state.current(film).export_line();
        writeln!(encoder, "{line}").ok()?;
    }
    let mut bytes = encoder.finish().ok()?;
    if let Some(share) = truncate_at {
        bytes.truncate((bytes.len() as f64 * share) as usize);
    }
    Some(bytes)
}
