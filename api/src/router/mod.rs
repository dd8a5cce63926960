//! Every operation of the API, in one list: each handler's `#[utoipa::path]` gives its path, its
//! method and its OpenAPI description, and both the router and the document ([`openapi`]) are
//! built from that list, so a route cannot be served undocumented or documented unserved.
//! Handlers live in one file per resource and are named `verb_resource`.
//!
//! The router sits above the handlers and `http`: it is the one place that knows every handler,
//! and nothing below it imports it (the server takes [`configure`] as an argument).

mod docs;
mod examples;
pub mod openapi;
mod problems;

use std::sync::LazyLock;

use actix_web::http::Method;
use actix_web::{Route, web};
use utoipa::OpenApi;
use utoipa::openapi::PathItem;
use utoipa_swagger_ui::SwaggerUi;

use crate::handlers::{
    about, admin, compatibility, metrics, predictions, profiles, recommendations, statistics,
    usage, watchlist,
};
use crate::http::health;

/// Declares the operations: `Operations` (their OpenAPI paths, derived by utoipa from the
/// handlers' attributes) and `handlers()` (each handler under its name, which is utoipa's
/// operation id, beside a maker of actix routes to it: one route per documented method).
macro_rules! operations {
    ($($module:ident :: $handler:ident),+ $(,)?) => {
        /// The OpenAPI paths of every operation, and the schemas they use.
        #[derive(OpenApi)]
        #[openapi(paths($($module::$handler),+))]
        struct Operations;

        fn handlers() -> Vec<(&'static str, fn() -> Route)> {
            vec![$((stringify!($handler), (|| web::route().to($module::$handler)) as fn() -> Route)),+]
        }
    };
}

operations![
    recommendations::create_recommendations,
    statistics::get_statistics,
    compatibility::create_compatibility,
    predictions::create_predictions,
    watchlist::create_watchlist_picks,
    profiles::create_profile,
    profiles::delete_profile,
    usage::get_usage,
    metrics::get_metrics,
    about::get_faq,
    about::get_release_notes,
    admin::reload_catalog,
    docs::get_openapi_json,
    docs::get_openapi_yaml,
    problems::get_problems,
    problems::get_problem,
    health::get_liveness,
    health::head_liveness,
    health::get_readiness,
    health::head_readiness,
];

/// The operations' part of the document, built once.
static PATHS: LazyLock<utoipa::openapi::OpenApi> = LazyLock::new(Operations::openapi);

/// The operations' paths and schemas, for [`openapi`] to complete into the document.
pub fn operations() -> utoipa::openapi::OpenApi {
    PATHS.clone()
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // One resource per path, each method a route of it: a known path with another method is a
    // 405, not a 404.
    let mut by_path: Vec<(&'static str, Vec<Route>)> = Vec::new();
    for (name, route) in handlers() {
        let documented = documented(name);
        if documented.is_empty() {
            // Unreachable while `every_handler_is_documented_once_and_every_operation_served` passes.
            tracing::error!(
                handler = name,
                "handler without an OpenAPI operation: not routed"
            );
        }
        // A handler documented under several methods (`GET` and `HEAD` for the probes) gets a
        // route for each.
        for (path, method) in documented {
            let route = route().method(method);
            match by_path.iter_mut().find(|(known, _)| *known == path) {
                Some((_, routes)) => routes.push(route),
                None => by_path.push((path, vec![route])),
            }
        }
    }
    for (path, routes) in by_path {
        cfg.service(
            routes
                .into_iter()
                .fold(web::resource(path), actix_web::Resource::route),
        );
    }
    // Swagger UI's assets are compiled in (`vendored`): the page works with no network. The tail
    // is a named segment, not utoipa's `{_:.*}`: the metrics middleware labels requests by the
    // route pattern with its segments filled in, and cannot fill a regex one (it logged a warning
    // for every asset).
    cfg.service(
        SwaggerUi::new("/docs/{tail}*").url("/docs/openapi.json", openapi::document().clone()),
    );
    // The page's assets are relative to `/docs/`: without the slash they would not load.
    cfg.service(web::redirect("/docs", "/docs/").permanent());
}

/// The path and methods of the operation whose id is `name` (utoipa lists an operation declared
/// with `method(get, head)` once per method, under the same id).
fn documented(name: &str) -> Vec<(&'static str, Method)> {
    PATHS
        .paths
        .paths
        .iter()
        .flat_map(|(path, item)| {
            operations_of(item)
                .filter(|(_, operation)| operation.operation_id.as_deref() == Some(name))
                .map(|(method, _)| (path.as_str(), method))
        })
        .collect()
}

/// The operations of a path item with their methods.
fn operations_of(
    item: &PathItem,
) -> impl Iterator<Item = (Method, &utoipa::openapi::path::Operation)> {
    [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::DELETE, &item.delete),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
        (Method::HEAD, &item.head),
    ]
    .into_iter()
    .filter_map(|(method, operation)| operation.as_ref().map(|operation| (method, operation)))
}

#[cfg(test)]
mod tests {
    use actix_web::test::{self, TestRequest};
    use actix_web::{App, http::StatusCode};

    use super::*;

    #[test]
    fn every_cacheable_route_is_a_documented_get() {
        let document = operations();
        for (path, _) in crate::http::caching::CACHEABLE {
            let item = document.paths.paths.get(*path);
            assert!(item.is_some_and(|item| item.get.is_some()), "{path}");
        }
    }

    #[test]
    fn every_handler_is_documented_once_and_every_operation_served() {
        let names: Vec<&str> = handlers().into_iter().map(|(name, _)| name).collect();
        for name in &names {
            assert!(
                !documented(name).is_empty(),
                "{name} is served but not documented"
            );
        }
        let mut documented: Vec<String> = PATHS
            .paths
            .paths
            .values()
            .flat_map(operations_of)
            .filter_map(|(_, operation)| operation.operation_id.clone())
            .collect();
        documented.sort_unstable();
        documented.dedup();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "a handler is listed twice");
        assert_eq!(documented.len(), names.len(), "{documented:?} vs {names:?}");
    }

    /// Over the real router, without the services: every documented operation reaches its handler
    /// (which fails for want of app data, but is neither a 404 nor a 405), and another method on
    /// a documented path is a 405.
    #[actix_web::test]
    async fn the_router_serves_what_the_document_lists() {
        let app = test::init_service(App::new().configure(configure)).await;
        let mut operations = 0;
        for (path, item) in &PATHS.paths.paths {
            let concrete = path
                .replace("{id}", "00000000-0000-4000-8000-000000000000")
                .replace("{code}", "not_found");
            for (method, _) in operations_of(item) {
                operations += 1;
                let request = TestRequest::default()
                    .method(method.clone())
                    .uri(&concrete)
                    .to_request();
                let status = test::call_service(&app, request).await.status();
                assert!(
                    status != StatusCode::NOT_FOUND && status != StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path}: {status}"
                );
            }
            let request = TestRequest::default()
                .method(Method::PATCH)
                .uri(&concrete)
                .to_request();
            let status = test::call_service(&app, request).await.status();
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED, "PATCH {path}");
        }
        let routes: usize = handlers()
            .into_iter()
            .map(|(name, _)| documented(name).len())
            .sum();
        assert_eq!(operations, routes);
    }

    /// Uptime monitors probe with `HEAD`: it answers like `GET`, without a body.
    #[test]
    fn the_probes_are_documented_for_head_too() {
        for path in ["/health/live", "/health/ready"] {
            let item = &PATHS.paths.paths[path];
            assert!(item.get.is_some() && item.head.is_some(), "{path}");
        }
    }
}
