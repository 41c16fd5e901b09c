//! One file per subcommand; each takes parsed arguments and calls the library.

pub(crate) mod beyond;
pub(crate) mod plan;
mod plan_out;
pub(crate) mod score;
#[cfg(feature = "serve")]
pub(crate) mod serve;
pub(crate) mod validate;

use std::path::Path;

use crate::Failure;

/// Point layers named on the command line.
pub(crate) struct PointLayers<'a> {
    pub(crate) transit: Option<&'a Path>,
    pub(crate) facilities: Option<&'a Path>,
}

/// The config of `--config`, or the defaults.
pub(crate) fn load_config(path: Option<&Path>) -> Result<landstock::Config, Failure> {
    Ok(match path {
        Some(path) => landstock::Config::load(path)?,
        None => landstock::Config::default(),
    })
}

/// `--layer` over `[input] layer`.
pub(crate) fn with_layer(mut cfg: landstock::Config, layer: Option<String>) -> landstock::Config {
    if layer.is_some() {
        cfg.input.layer = layer;
    }
    cfg
}
