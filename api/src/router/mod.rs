//! Every operation of the API, in one list: each handler's `#[utoipa::path]` gives its path, its
//! method and its OpenAPI description, and both the router and the document ([`openapi`]) are
//! built from that list, so a route cannot be served undocumented or documented unserved.
//! Handlers live in one file per resource and are named `verb_resource`.
//!
//! The router sits above the handlers and `http`: it is the one place that knows every handler,
//! and nothing below it imports it (the server takes [`configure`] as an argument).

mod docs;
pub mod openapi;

use std::sync::LazyLock;

use actix_web::http::Method;
use actix_web::{Route, web};
use utoipa::OpenApi;
use utoipa::openapi::PathItem;
use utoipa_swagger_ui::SwaggerUi;

use crate::handlers::{admin, metrics, profiles, recommendations, statistics, usage, watchlist};
use crate::http::health;

/// Declares the operations: `Operations` (their OpenAPI paths, derived by utoipa from the
/// handlers' attributes) and `handlers()` (each handler under its name, which is utoipa's
/// operation id, beside an actix route to it).
macro_rules! operations {
    ($($module:ident :: $handler:ident),+ $(,)?) => {
        /// The OpenAPI paths of every operation, and the schemas they use.
        #[derive(OpenApi)]
        #[openapi(paths($($module::$handler),+))]
        struct Operations;

        fn handlers() -> Vec<(&'static str, Route)> {
            vec![$((stringify!($handler), web::route().to($module::$handler))),+]
        }
    };
}

operations![
    recommendations::create_recommendations,
    statistics::get_statistics,
    watchlist::create_watchlist_picks,
    profiles::create_profile,
    profiles::delete_profile,
    usage::get_usage,
    metrics::get_metrics,
    admin::reload_catalog,
    docs::get_openapi_json,
    docs::get_openapi_yaml,
    health::get_liveness,
    health::get_readiness,
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
        let Some((path, method)) = documented(name) else {
            // Unreachable while `every_handler_is_documented_once_and_every_operation_served` passes.
            tracing::error!(
                handler = name,
                "handler without an OpenAPI operation: not routed"
            );
            continue;
        };
        let route = route.method(method);
        match by_path.iter_mut().find(|(known, _)| *known == path) {
            Some((_, routes)) => routes.push(route),
            None => by_path.push((path, vec![route])),
        }
    }
    for (path, routes) in by_path {
        cfg.service(
            routes
                .into_iter()
                .fold(web::resource(path), actix_web::Resource::route),
        );
    }
    // Swagger UI's assets are compiled in (`vendored`): the page works with no network.
    cfg.service(
        SwaggerUi::new("/docs/{_:.*}").url("/docs/openapi.json", openapi::document().clone()),
    );
}

/// The path and method of the operation whose id is `name`.
fn documented(name: &str) -> Option<(&'static str, Method)> {
    PATHS.paths.paths.iter().find_map(|(path, item)| {
        operations_of(item)
            .find(|(_, operation)| operation.operation_id.as_deref() == Some(name))
            .map(|(method, _)| (path.as_str(), method))
    })
}

/// The operations of a path item with their methods (the API uses these three).
fn operations_of(
    item: &PathItem,
) -> impl Iterator<Item = (Method, &utoipa::openapi::path::Operation)> {
    [
        (Method::GET, &item.get),
        (Method::POST, &item.post),
        (Method::DELETE, &item.delete),
        (Method::PUT, &item.put),
        (Method::PATCH, &item.patch),
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
    fn every_handler_is_documented_once_and_every_operation_served() {
        let names: Vec<&str> = handlers().into_iter().map(|(name, _)| name).collect();
        for name in &names {
            assert!(
                documented(name).is_some(),
                "{name} is served but not documented"
            );
        }
        let documented: Vec<String> = PATHS
            .paths
            .paths
            .values()
            .flat_map(operations_of)
            .filter_map(|(_, operation)| operation.operation_id.clone())
            .collect();
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
            let concrete = path.replace("{id}", "00000000-0000-4000-8000-000000000000");
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
        assert_eq!(operations, handlers().len());
    }
}
