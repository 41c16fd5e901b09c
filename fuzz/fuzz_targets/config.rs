//! The TOML configuration on arbitrary text: a typed error naming the file,
//! or a config whose mapping and ingest options build, never a panic.
#![no_main]

use std::path::Path;

use landstock::ingest::IngestOptions;
use landstock::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Config::from_toml_str(text, Path::new("fuzz.toml")) {
        Ok(cfg) => {
            // A config that loads must also build everything made from it.
            IngestOptions::from_config(&cfg).expect("a loaded config builds its options");
            cfg.scoring.validate().expect("a loaded config validates");
        }
        Err(e) => {
            assert_eq!(e.file.as_deref(), Some(Path::new("fuzz.toml")));
            let _ = e.to_string();
        }
    }
});
