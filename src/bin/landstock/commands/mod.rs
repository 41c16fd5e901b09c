//! One file per subcommand; each takes parsed arguments and calls the library.

pub(crate) mod beyond;
pub(crate) mod plan;
pub(crate) mod score;
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
