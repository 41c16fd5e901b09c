//! `landstock serve`: the planning studio. A thin axum server on tokio
//! that reads and scores the city once, then answers the page (inside the
//! binary) and the JSON API under `/api/` by calling the library: see
//! [`routes`] for every route. The planning core does not know it exists.

mod api;
mod error;
mod export;
mod geometry;
mod request;
mod routes;
mod state;
#[cfg(test)]
mod tests;

use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

use super::PointLayers;
use crate::progress::score_city;
use crate::Failure;

/// Where to listen.
pub(crate) struct Listen {
    pub(crate) bind: IpAddr,
    pub(crate) port: u16,
}

pub(crate) fn run(
    file: &Path,
    cfg: landstock::Config,
    layers: &PointLayers<'_>,
    listen: &Listen,
    quiet: bool,
) -> Result<(), Failure> {
    let city = score_city(file, &cfg, layers, quiet)?;
    let origin = state::Origin {
        file: file.to_path_buf(),
        transit: layers.transit.map(Path::to_path_buf),
        facilities: layers.facilities.map(Path::to_path_buf),
    };
    let studio = Arc::new(state::Studio::new(
        city,
        cfg,
        origin,
        super::plan::highs_worker(),
    ));
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| anyhow::anyhow!("cannot start the server's runtime: {e}"))?;
    rt.block_on(async move {
        let addr = SocketAddr::new(listen.bind, listen.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?;
        let addr = listener
            .local_addr()
            .map_err(|e| anyhow::anyhow!("cannot read the address listened on: {e}"))?;
        // stdout, one line, flushed: scripts read the address from it
        println!("landstock studio on http://{addr}/");
        use std::io::Write;
        let _ = std::io::stdout().flush();
        axum::serve(listener, routes::router(studio))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .map_err(|e| anyhow::anyhow!("the server stopped: {e}"))
    })?;
    Ok(())
}
