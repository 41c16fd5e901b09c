//! What the GDAL reader decides about a source before GDAL opens it, in
//! plain Rust: that a Shapefile has its parts, the text encoding of its
//! attributes, and a connection string fit to print.

use std::path::Path;

use crate::error::{Error, ErrorKind};

/// A Shapefile needs its `.dbf` (attributes) and `.shx` (index): GDAL would
/// otherwise open it with no attributes or rebuild the index silently.
pub(super) fn check_parts(path: &Path, source: &str) -> Result<(), Error> {
    if let Err(error) = std::fs::metadata(path) {
        return Err(Error::from(ErrorKind::Io {
            source_name: source.to_string(),
            error,
        }));
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    if ext.eq_ignore_ascii_case("shp") {
        for part in ["dbf", "shx"] {
            let found = [part.to_string(), part.to_ascii_uppercase()]
                .iter()
                .any(|e| path.with_extension(e).is_file());
            if !found {
                return Err(Error::from(ErrorKind::MissingPart {
                    source_name: source.to_string(),
                    part: path.with_extension(part).display().to_string(),
                }));
            }
        }
    }
    Ok(())
}

/// A connection string's password is not repeated in messages.
pub(super) fn redact(source: &str) -> String {
    if !source.starts_with("PG:") {
        return source.to_string();
    }
    source
        .split_whitespace()
        .map(|kv| {
            if kv.to_ascii_lowercase().starts_with("password=") {
                "password=***"
            } else {
                kv
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A text encoding by name or code page, as `.cpg` files and users write it.
///
/// ```
/// use landstock::ingest::encoding_by_name;
/// assert_eq!(encoding_by_name("GBK").unwrap().name(), "GBK");
/// assert_eq!(encoding_by_name("936").unwrap().name(), "GBK");
/// assert_eq!(encoding_by_name("utf8").unwrap().name(), "UTF-8");
/// assert!(encoding_by_name("klingon").is_none());
/// ```
pub fn encoding_by_name(name: &str) -> Option<&'static encoding_rs::Encoding> {
    let n = name.trim().to_ascii_lowercase();
    let n = n.strip_prefix("cp").unwrap_or(&n);
    let label = match n {
        "936" | "gb2312" | "gbk" => "gbk",
        "54936" | "gb18030" => "gb18030",
        "950" | "big5" => "big5",
        "65001" | "utf8" | "utf-8" => "utf-8",
        "1252" | "ansi 1252" => "windows-1252",
        "932" | "sjis" | "shift_jis" => "shift_jis",
        "949" => "euc-kr",
        other => other,
    };
    encoding_rs::Encoding::for_label(label.as_bytes())
}

/// The encoding of a source's text: the configured one, else a Shapefile's
/// `.cpg`, else its `.dbf` language driver byte, else UTF-8.
pub(super) fn resolve_encoding(
    source: &str,
    configured: Option<&str>,
    is_shp: bool,
) -> Result<&'static encoding_rs::Encoding, Error> {
    if let Some(name) = configured {
        return encoding_by_name(name).ok_or_else(|| {
            Error::from(ErrorKind::Encoding {
                source_name: source.to_string(),
                feature_index: None,
                field: None,
                encoding: name.to_string(),
                what: "unknown encoding; give e.g. \"GBK\", \"UTF-8\", \"Big5\", \"windows-1252\""
                    .into(),
            })
        });
    }
    if is_shp {
        let p = Path::new(source);
        for ext in ["cpg", "CPG"] {
            if let Ok(text) = std::fs::read_to_string(p.with_extension(ext)) {
                let name = text.trim();
                return encoding_by_name(name).ok_or_else(|| {
                    Error::from(ErrorKind::Encoding {
                        source_name: p.with_extension(ext).display().to_string(),
                        feature_index: None,
                        field: None,
                        encoding: name.to_string(),
                        what: "the .cpg names an encoding landstock does not know; set [input] encoding".into(),
                    })
                });
            }
        }
        // byte 29 of the .dbf header: the language driver id
        for ext in ["dbf", "DBF"] {
            if let Ok(bytes) = std::fs::read(p.with_extension(ext)).map(|b| b.get(29).copied()) {
                let enc = match bytes {
                    Some(0x4D | 0x7A) => encoding_rs::GBK,
                    Some(0x78) => encoding_rs::BIG5,
                    Some(0x03 | 0x57 | 0x58 | 0x59) => encoding_rs::WINDOWS_1252,
                    _ => encoding_rs::UTF_8,
                };
                return Ok(enc);
            }
        }
    }
    Ok(encoding_rs::UTF_8)
}
