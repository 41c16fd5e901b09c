//! Ingestion reads streaming: it never holds the file's text and the parcels
//! in memory at once. A counting allocator measures the peak.

use std::io::Read;
use std::sync::atomic::Ordering;

use landstock::ingest::{read_geojson, IngestOptions};

#[path = "common/alloc.rs"]
mod alloc;
use alloc::{CURRENT, PEAK};

/// Generates a FeatureCollection of `n` small squares on the fly, so the
/// text exists only as the reader hands it out.
struct GeneratedCity {
    n: usize,
    next: usize,
    pending: Vec<u8>,
    at: usize,
    bytes: usize,
}

impl GeneratedCity {
    fn new(n: usize) -> Self {
        GeneratedCity {
            n,
            next: 0,
            pending: br#"{"type":"FeatureCollection","features":["#.to_vec(),
            at: 0,
            bytes: 0,
        }
    }
}

impl Read for GeneratedCity {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.pending.len() {
            if self.next > self.n {
                return Ok(0);
            }
            self.pending.clear();
            self.at = 0;
            if self.next == self.n {
                self.pending.extend_from_slice(b"]}");
            } else {
                let i = self.next;
                let (x, y) = (
                    125.0 + (i % 1000) as f64 * 0.0002,
                    46.5 + (i / 1000) as f64 * 0.0002,
                );
                let d = 0.00015;
                let sep = if i == 0 { "" } else { "," };
                self.pending.extend_from_slice(
                    format!(
                        r#"{sep}{{"type":"Feature","id":"P{i:07}","properties":{{"landuse":"residential","population":{p},"name":"block {i} of a long street name that pads the text"}},"geometry":{{"type":"Polygon","coordinates":[[[{x:.7},{y:.7}],[{x2:.7},{y:.7}],[{x2:.7},{y2:.7}],[{x:.7},{y2:.7}],[{x:.7},{y:.7}]]]}}}}"#,
                        p = i % 97,
                        x2 = x + d,
                        y2 = y + d
                    )
                    .as_bytes(),
                );
            }
            self.next += 1;
        }
        let n = buf.len().min(self.pending.len() - self.at);
        buf[..n].copy_from_slice(&self.pending[self.at..self.at + n]);
        self.at += n;
        self.bytes += n;
        Ok(n)
    }
}

#[test]
fn a_large_file_is_read_without_holding_its_text_and_the_parcels_at_once() {
    let n = 200_000;
    let mut city = GeneratedCity::new(n);
    let before = CURRENT.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let got = read_geojson(&mut city, "generated", &IngestOptions::default()).unwrap();
    let peak = PEAK.load(Ordering::Relaxed) - before;
    let retained = CURRENT.load(Ordering::Relaxed) - before;
    let text = city.bytes;
    assert_eq!(got.report.accepted, n);
    eprintln!(
        "text {} MB, peak {} MB, retained {} MB",
        text >> 20,
        peak >> 20,
        retained >> 20
    );
    assert!(text > 60 << 20, "the text is large: {text} bytes");
    // Holding the whole text and the parcels together would need at least
    // text + retained bytes.
    assert!(
        peak < text + retained,
        "peak {peak} >= text {text} + parcels {retained}"
    );
    // The text is read in 1 MiB chunks and 16 MiB batches, and records are
    // freed batch by batch: the transient memory above the final parcels
    // (batch buffers, id and geometry hash tables) stays below the text's
    // size (measured: 40 MB for 62 MB of text).
    assert!(
        peak - retained < text,
        "transient {} vs text {text}",
        peak - retained
    );
}
