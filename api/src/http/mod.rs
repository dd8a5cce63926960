//! The HTTP API on actix-web. [`Application::build`] binds the listener and assembles the server
//! (so tests can bind port 0 and read the port back); [`Application::run_until_stopped`] serves
//! until SIGTERM or ctrl-c, letting in-flight requests finish. The routes come from the caller
//! (`crate::router::configure` in the service): `http` is the edge's toolkit (errors, problems,
//! middleware, the server) and knows no handler.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use actix_cors::Cors;
use actix_web::dev::{Server, ServerHandle};
use actix_web::http::{Method, header};
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};

use crate::cache::SharedCache;
use crate::catalog::CatalogHandle;
pub use crate::config::HttpSettings;
use crate::config::{AllowedOrigins, Secret};
use crate::limits::headers::{RATELIMIT, RATELIMIT_POLICY};
use crate::store::Store;

pub mod caching;
pub mod error;
pub mod health;
pub mod json_body;
mod metric_method;
pub mod middleware;
pub mod negotiate;
pub mod problem;
pub mod setup_status;
pub mod upload_body;

pub use error::{ApiError, Problem};
use middleware::{BodyLimit, Deadline, Draining, REQUEST_ID};
pub use problem::{ProblemCode, ProblemView};
pub use setup_status::{SetupState, SetupStatus};

/// What handlers share: cheap to clone, one per worker.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    pub cache: SharedCache,
    pub catalog: CatalogHandle,
    pub admin_token: Option<Secret>,
    /// The API's services and limits (absent in tests of the HTTP skeleton alone).
    pub api: Option<crate::wiring::Api>,
    /// Where the first-run setup is (`inactive` unless `serve` started one).
    pub setup: SetupStatus,
    /// Set once the schema was seen current: embedded migrations cannot become pending while
    /// this binary runs, so readiness probes stop opening a connection to count them.
    migrations_current: Arc<AtomicBool>,
    /// Set once member statistics were seen stored: they are never all deleted, so readiness
    /// probes stop asking.
    statistics_stored: Arc<AtomicBool>,
}

impl AppState {
    pub fn new(
        store: Store,
        cache: SharedCache,
        catalog: CatalogHandle,
        admin_token: Option<Secret>,
    ) -> Self {
        Self {
            store,
            cache,
            catalog,
            admin_token,
            api: None,
            setup: SetupStatus::default(),
            migrations_current: Arc::default(),
            statistics_stored: Arc::default(),
        }
    }
}

/// How long an idle kept-alive connection stays open.
const KEEP_ALIVE: std::time::Duration = std::time::Duration::from_secs(5);

/// A bound, not yet running, server.
pub struct Application {
    local_addr: SocketAddr,
    server: Server,
}

impl Application {
    /// Binds `settings.bind_addr` (port 0 picks a free port) and builds the server over `state`,
    /// serving the routes `routes` adds.
    pub fn build(
        settings: HttpSettings,
        state: AppState,
        routes: fn(&mut web::ServiceConfig),
    ) -> std::io::Result<Self> {
        let listener = std::net::TcpListener::bind(settings.bind_addr.socket_addr())?;
        let local_addr = listener.local_addr()?;
        let data = web::Data::new(state);
        let app_settings = settings.clone();
        let api = data.api.clone();
        let prometheus = crate::metrics::http_middleware();
        let draining = Draining::default();
        let app_draining = draining.clone();
        let mut server = HttpServer::new(move || {
            let data = data.clone();
            let api = api.clone();
            app(app_settings.clone(), move |cfg| {
                cfg.app_data(data);
                if let Some(api) = &api {
                    api.register(cfg);
                }
                routes(cfg);
            })
            .app_data(app_draining.clone())
            .wrap(from_fn(metric_method::standard_methods_only))
            // Request count and latency per route pattern and status.
            .wrap(prometheus.clone())
            // Outermost: whatever answers, it closes the connection once draining.
            .wrap(from_fn(middleware::close_when_draining))
        })
        .keep_alive(KEEP_ALIVE)
        .listen(listener)?
        .shutdown_signal(termination(draining))
        // In-flight requests get as long as their own deadline to finish after SIGTERM.
        .shutdown_timeout(settings.request_timeout.as_secs().max(1));
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        Ok(Self {
            local_addr,
            server: server.run(),
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn port(&self) -> u16 {
        self.local_addr.port()
    }

    /// Stops the server from elsewhere (tests, or the serve command on a fatal error).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped: SIGTERM, ctrl-c or [`Self::handle`].
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Resolves [`KEEP_ALIVE`] after SIGTERM (what orchestrators send) or ctrl-c, having started
/// `draining` at the signal. actix's own handlers would treat ctrl-c as a forced stop; both are
/// graceful here:
/// - until this resolves, every request is still served, its response closing its connection:
///   a request a client sent on a kept-alive connection as the signal came is answered, not
///   dropped, and the client reconnects (to another replica);
/// - when it resolves, actix stops accepting and closes idle connections: any connection still
///   idle then has been idle for [`KEEP_ALIVE`], when the server would have closed it anyway;
///   in-flight requests finish within the shutdown timeout.
async fn termination(draining: Draining) {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let sigterm = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut sigterm) => {
                sigterm.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let sigterm = std::future::pending::<()>();
    let signal = tokio::select! {
        () = ctrl_c => "ctrl-c",
        () = sigterm => "SIGTERM",
    };
    // Before the log line: a test (or an operator) reading it knows draining has started.
    draining.start();
    tracing::info!("{signal}: finishing in-flight requests, then stopping");
    tokio::time::sleep(KEEP_ALIVE).await;
}

/// The app with every middleware and the extractor limits, its routes added by `routes`
/// (`crate::router::configure` in the service; tests add their own).
pub fn app(
    settings: HttpSettings,
    routes: impl FnOnce(&mut web::ServiceConfig),
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let limit = settings.body_limit;
    let origins = settings.allowed_origins();
    App::new()
        .app_data(Deadline(settings.request_timeout))
        .app_data(BodyLimit(limit))
        .app_data(
            web::JsonConfig::default()
                .limit(limit)
                .error_handler(move |err, _req| ApiError::from_json(err, limit).into()),
        )
        .app_data(web::PayloadConfig::new(limit))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|err, _req| ApiError::InvalidQuery(err.to_string()).into()),
        )
        .app_data(origins.clone())
        .configure(routes)
        .default_service(web::to(not_found))
        // Registered innermost first: the last `wrap` sees the request first.
        .wrap(from_fn(crate::limits::add_headers))
        .wrap(from_fn(caching::conditional_get))
        .wrap(from_fn(middleware::body_limit))
        .wrap(from_fn(middleware::deadline))
        .wrap(cors(&origins))
        .wrap(from_fn(middleware::refuse_foreign_origin))
        .wrap(from_fn(middleware::header_limit))
        .wrap(from_fn(middleware::problem_fallback))
        .wrap(from_fn(middleware::trace_request))
}

/// Anything no route matches: a problem body, like every other error.
async fn not_found() -> Result<actix_web::HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}

fn cors(origins: &AllowedOrigins) -> Cors {
    let cors = Cors::default()
        .allowed_methods([Method::GET, Method::POST, Method::DELETE])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            REQUEST_ID,
        ])
        .expose_headers([
            REQUEST_ID,
            header::RETRY_AFTER,
            header::ETAG,
            header::LOCATION,
            RATELIMIT,
            RATELIMIT_POLICY,
        ])
        .max_age(3600);
    match origins {
        AllowedOrigins::Any => cors.allow_any_origin().send_wildcard(),
        AllowedOrigins::Loopback => cors.allowed_origin_fn(|origin, _| {
            origin
                .to_str()
                .is_ok_and(|origin| AllowedOrigins::Loopback.allows(origin))
        }),
        AllowedOrigins::Only(origins) => origins
            .iter()
            .fold(cors, |cors, origin| cors.allowed_origin(origin)),
    }
}

#[cfg(test)]
mod tests;
