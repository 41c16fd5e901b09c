//! Every route of the studio, in one place.

use std::sync::Arc;

use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;

use super::api;
use super::state::Studio;

const INDEX_HTML: &str = include_str!("page/index.html");
const MAP_JS: &str = include_str!("page/map.js");
const STUDIO_JS: &str = include_str!("page/studio.js");
const STUDIO_CSS: &str = include_str!("page/studio.css");

/// The page (everything it needs is in the binary) and the JSON API.
pub(crate) fn router(studio: Arc<Studio>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { page("text/html; charset=utf-8", INDEX_HTML) }),
        )
        .route(
            "/map.js",
            get(|| async { page("text/javascript; charset=utf-8", MAP_JS) }),
        )
        .route(
            "/studio.js",
            get(|| async { page("text/javascript; charset=utf-8", STUDIO_JS) }),
        )
        .route(
            "/studio.css",
            get(|| async { page("text/css; charset=utf-8", STUDIO_CSS) }),
        )
        .route("/api/city", get(api::city))
        .route("/api/plan", post(api::plan))
        .route("/api/parcel/{id}", get(api::parcel))
        .route("/api/locate", get(api::locate))
        .route("/api/geometry", get(api::geometry))
        .route("/api/geometry/points", get(api::points))
        .route("/api/candidates", get(api::candidates))
        .route("/api/export/{plan}/{kind}", get(api::export))
        .with_state(studio)
}

fn page(mime: &'static str, text: &'static str) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, mime)], text)
}
