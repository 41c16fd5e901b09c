//! Streaming split of a GeoJSON FeatureCollection into its features' raw text.
//!
//! The file is read in chunks; the top-level object is walked by a small
//! scanner that only tracks strings and bracket depth, and each element of the
//! `features` array is handed out as a byte range with its absolute offset.
//! The features themselves are then parsed (in parallel) by serde_json, which
//! validates their syntax. The whole text is never held at once.

use std::io::Read;
use std::ops::Range;

use crate::error::{Error, ErrorKind};

/// Size of one read from the underlying reader.
const READ_CHUNK: usize = 1 << 20;

/// One feature's text inside a [`Batch`].
#[derive(Debug, Clone)]
pub(crate) struct RawItem {
    /// Index of the feature in the `features` array.
    pub index: usize,
    /// Absolute byte offset of the feature's first byte in the file.
    pub offset: u64,
    /// Its bytes in `Batch::text`.
    pub range: Range<usize>,
    /// The text holds bare `NaN`/`Infinity` tokens (not JSON, but written by
    /// Python's json module); they are read as null, i.e. as non-finite.
    pub nonfinite: bool,
}

/// A run of consecutive features, copied out of the read buffer.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    pub text: Vec<u8>,
    pub items: Vec<RawItem>,
}

/// What the top-level object said besides its features.
#[derive(Debug, Default, Clone)]
pub(crate) struct TopLevel {
    /// The `crs` member (GeoJSON 2008), raw JSON.
    pub crs: Option<serde_json::Value>,
    /// Whether a `features` array was seen.
    pub features_seen: bool,
    /// Whether `"type": "FeatureCollection"` was seen.
    pub type_seen: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Start,
    Key { first: bool },
    Features { first: bool },
    Done,
}

/// Resumable scan of one JSON value.
#[derive(Debug, Clone, Copy, Default)]
struct Scan {
    active: bool,
    start: usize,
    pos: usize,
    depth: u32,
    in_str: bool,
    esc: bool,
    nonfinite: bool,
}

pub(crate) struct Splitter<'s, R> {
    reader: R,
    source: &'s str,
    buf: Vec<u8>,
    /// Absolute offset of `buf[0]`.
    base: u64,
    pos: usize,
    eof: bool,
    state: State,
    scan: Scan,
    next_index: usize,
    pending_key: Option<String>,
    pub top: TopLevel,
}

enum Step<T> {
    Ready(T),
    NeedMore,
}

impl<'s, R: Read> Splitter<'s, R> {
    pub fn new(reader: R, source: &'s str) -> Self {
        Splitter {
            reader,
            source,
            buf: Vec::with_capacity(READ_CHUNK * 2),
            base: 0,
            pos: 0,
            eof: false,
            state: State::Start,
            scan: Scan::default(),
            next_index: 0,
            pending_key: None,
            top: TopLevel::default(),
        }
    }

    /// Number of features handed out so far.
    pub fn features_read(&self) -> usize {
        self.next_index
    }

    fn err(&self, at: usize, what: impl Into<String>) -> Error {
        let feature = matches!(self.state, State::Features { .. }).then_some(self.next_index);
        Error::malformed(self.source, self.base + at as u64, feature, what)
    }

    /// Reads more bytes, dropping what has been consumed. Returns false at EOF.
    fn fill(&mut self) -> Result<bool, Error> {
        if self.eof {
            return Ok(false);
        }
        // Keep the value being scanned; drop everything before it.
        let keep_from = if self.scan.active {
            self.scan.start
        } else {
            self.pos
        };
        if keep_from > 0 && keep_from >= self.buf.len() / 2 {
            self.buf.drain(..keep_from);
            self.base += keep_from as u64;
            self.pos -= keep_from;
            if self.scan.active {
                self.scan.start -= keep_from;
                self.scan.pos -= keep_from;
            }
        }
        let old = self.buf.len();
        self.buf.resize(old + READ_CHUNK, 0);
        let n = loop {
            match self.reader.read(&mut self.buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => {
                    self.buf.truncate(old);
                    return Err(Error::from(ErrorKind::Io {
                        source_name: self.source.to_string(),
                        error,
                    }));
                }
            }
        };
        self.buf.truncate(old + n);
        if n == 0 {
            self.eof = true;
        }
        Ok(n > 0)
    }

    /// The next non-whitespace byte at or after `pos` (moving `pos` to it).
    fn peek(&mut self) -> Result<Option<u8>, Error> {
        loop {
            while self.pos < self.buf.len() {
                match self.buf[self.pos] {
                    b' ' | b'\t' | b'\r' | b'\n' => self.pos += 1,
                    b => return Ok(Some(b)),
                }
            }
            if !self.fill()? {
                return Ok(None);
            }
        }
    }

    fn describe(b: Option<u8>) -> String {
        match b {
            None => "the end of the file".to_string(),
            Some(b) if b.is_ascii_graphic() => format!("'{}'", b as char),
            Some(b) => format!("byte 0x{b:02x}"),
        }
    }

    fn expect(&mut self, want: u8, what: &str) -> Result<(), Error> {
        let got = self.peek()?;
        if got == Some(want) {
            self.pos += 1;
            Ok(())
        } else {
            let at = self.pos;
            Err(self.err(
                at,
                format!("expected {what}, found {}", Self::describe(got)),
            ))
        }
    }

    /// Scans one complete JSON value starting at the next non-whitespace byte;
    /// returns its range in `buf` and whether it holds bare NaN/Infinity.
    fn scan_value(&mut self, what: &str) -> Result<(Range<usize>, bool), Error> {
        if !self.scan.active {
            let first = self.peek()?;
            if first.is_none() {
                let at = self.pos;
                return Err(self.err(at, format!("unexpected end of file: expected {what}")));
            }
            self.scan = Scan {
                active: true,
                start: self.pos,
                pos: self.pos,
                ..Scan::default()
            };
        }
        loop {
            match self.scan_step() {
                Step::Ready(end) => {
                    let r = self.scan.start..end;
                    let nonfinite = self.scan.nonfinite;
                    self.scan.active = false;
                    self.pos = end;
                    return Ok((r, nonfinite));
                }
                Step::NeedMore => {
                    if !self.fill()? {
                        // A scalar ends at EOF; anything else is truncated.
                        let s = self.scan;
                        let b = self.buf[s.start];
                        if s.depth == 0 && !s.in_str && b != b'"' && b != b'{' && b != b'[' {
                            self.scan.active = false;
                            self.pos = self.buf.len();
                            return Ok((s.start..self.buf.len(), s.nonfinite));
                        }
                        let at = self.buf.len();
                        return Err(
                            self.err(at, format!("the file ends inside {what}: it is truncated"))
                        );
                    }
                }
            }
        }
    }

    fn scan_step(&mut self) -> Step<usize> {
        let buf = &self.buf;
        let s = &mut self.scan;
        let first = buf[s.start];
        let is_container = first == b'{' || first == b'[';
        let is_string = first == b'"';
        if !is_container && !is_string {
            // number, true, false, null, or a bare NaN/Infinity
            while s.pos < buf.len() {
                match buf[s.pos] {
                    b',' | b'}' | b']' | b' ' | b'\t' | b'\r' | b'\n' => return Step::Ready(s.pos),
                    b'N' | b'I' => s.nonfinite = true,
                    _ => {}
                }
                s.pos += 1;
            }
            return Step::NeedMore;
        }
        while s.pos < buf.len() {
            let b = buf[s.pos];
            s.pos += 1;
            if s.in_str {
                if s.esc {
                    s.esc = false;
                } else if b == b'\\' {
                    s.esc = true;
                } else if b == b'"' {
                    s.in_str = false;
                    if is_string {
                        return Step::Ready(s.pos);
                    }
                }
                continue;
            }
            match b {
                b'"' => s.in_str = true,
                b'{' | b'[' => s.depth += 1,
                b'}' | b']' => {
                    s.depth = s.depth.saturating_sub(1);
                    if s.depth == 0 {
                        return Step::Ready(s.pos);
                    }
                }
                b'N' | b'I' => s.nonfinite = true,
                _ => {}
            }
        }
        Step::NeedMore
    }

    /// The next batch of at most `max_items` features (or about `max_bytes`
    /// of text); `None` once the collection is complete.
    pub fn next_batch(
        &mut self,
        max_items: usize,
        max_bytes: usize,
    ) -> Result<Option<Batch>, Error> {
        let mut batch = Batch::default();
        while batch.items.len() < max_items && batch.text.len() < max_bytes {
            match self.state {
                State::Start => {
                    while self.buf.len() < 3 && self.fill()? {}
                    if self.buf.starts_with(&[0xEF, 0xBB, 0xBF]) {
                        // A UTF-8 byte-order mark: RFC 8259 lets readers skip it.
                        self.pos = 3;
                    }
                    match self.peek()? {
                        Some(b'{') => {
                            self.pos += 1;
                            self.state = State::Key { first: true };
                        }
                        None => {
                            return Err(self
                                .err(0, "the file is empty: expected a GeoJSON FeatureCollection"))
                        }
                        Some(b'[') => {
                            let at = self.pos;
                            return Err(self.err(
                                at,
                                "expected a GeoJSON FeatureCollection object, found a JSON array",
                            ));
                        }
                        Some(b) => {
                            let at = self.pos;
                            return Err(self.err(
                                at,
                                format!(
                                    "not JSON: expected a GeoJSON FeatureCollection object starting with '{{', found {}",
                                    Self::describe(Some(b))
                                ),
                            ));
                        }
                    }
                }
                State::Key { first } => {
                    if self.peek()? == Some(b'}') {
                        self.pos += 1;
                        self.state = State::Done;
                        self.finish()?;
                        continue;
                    }
                    if !first {
                        self.expect(b',', "',' or '}' after a member of the FeatureCollection")?;
                    }
                    if self.peek()? != Some(b'"') {
                        let got = self.peek()?;
                        let at = self.pos;
                        return Err(self.err(
                            at,
                            format!(
                                "expected a member name in quotes, found {}",
                                Self::describe(got)
                            ),
                        ));
                    }
                    let (r, _) = self.scan_value("a member name")?;
                    let key: String = serde_json::from_slice(&self.buf[r.clone()])
                        .map_err(|e| self.err(r.start, format!("bad member name: {e}")))?;
                    self.expect(b':', "':' after a member name")?;
                    if key == "features" {
                        if self.top.features_seen {
                            let at = self.pos;
                            return Err(
                                self.err(at, "the FeatureCollection has two \"features\" members")
                            );
                        }
                        let got = self.peek()?;
                        if got != Some(b'[') {
                            let at = self.pos;
                            return Err(self.err(
                                at,
                                format!(
                                    "\"features\" must be an array, found {}",
                                    Self::describe(got)
                                ),
                            ));
                        }
                        self.pos += 1;
                        self.top.features_seen = true;
                        self.state = State::Features { first: true };
                    } else {
                        let (r, _) = self.scan_value(&format!("the value of \"{key}\""))?;
                        self.pending_key = Some(key);
                        self.top_member(r)?;
                        self.state = State::Key { first: false };
                    }
                }
                State::Features { first } => {
                    if self.peek()? == Some(b']') {
                        self.pos += 1;
                        self.state = State::Key { first: false };
                        continue;
                    }
                    if !first {
                        self.expect(b',', "',' or ']' between features")?;
                        if self.peek()? == Some(b']') {
                            let at = self.pos;
                            return Err(self.err(at, "a trailing ',' before ']' is not JSON"));
                        }
                    }
                    let (r, nonfinite) = self.scan_value("a feature")?;
                    let start = batch.text.len();
                    batch.text.extend_from_slice(&self.buf[r.clone()]);
                    batch.items.push(RawItem {
                        index: self.next_index,
                        offset: self.base + r.start as u64,
                        range: start..batch.text.len(),
                        nonfinite,
                    });
                    self.next_index += 1;
                    self.state = State::Features { first: false };
                }
                State::Done => break,
            }
        }
        if batch.items.is_empty() && self.state == State::Done {
            Ok(None)
        } else {
            Ok(Some(batch))
        }
    }

    fn top_member(&mut self, r: Range<usize>) -> Result<(), Error> {
        let key = self.pending_key.take().unwrap_or_default();
        let text = &self.buf[r.clone()];
        match key.as_str() {
            "type" => {
                let v: serde_json::Value = serde_json::from_slice(text)
                    .map_err(|e| self.err(r.start, format!("bad \"type\" value: {e}")))?;
                if v.as_str() != Some("FeatureCollection") {
                    return Err(self.err(
                        r.start,
                        format!("expected \"type\": \"FeatureCollection\", found {v}; a single Feature or Geometry must be wrapped in a FeatureCollection"),
                    ));
                }
                self.top.type_seen = true;
            }
            "crs" => {
                let v: serde_json::Value = serde_json::from_slice(text)
                    .map_err(|e| self.err(r.start, format!("bad \"crs\" value: {e}")))?;
                self.top.crs = Some(v);
            }
            _ => {} // bbox, name and foreign members are allowed and ignored
        }
        Ok(())
    }

    /// After the closing '}': only whitespace may follow, and the object must
    /// have been a FeatureCollection.
    fn finish(&mut self) -> Result<(), Error> {
        if let Some(b) = self.peek()? {
            let at = self.pos;
            return Err(self.err(
                at,
                format!(
                    "unexpected {} after the end of the FeatureCollection",
                    Self::describe(Some(b))
                ),
            ));
        }
        let end = self.buf.len();
        if !self.top.type_seen {
            return Err(self.err(
                end,
                "the top-level object has no \"type\": \"FeatureCollection\" member",
            ));
        }
        if !self.top.features_seen {
            return Err(self.err(end, "the FeatureCollection has no \"features\" array"));
        }
        Ok(())
    }
}

/// Rewrites bare `NaN`, `Infinity` and `-Infinity` tokens (outside strings)
/// as `null`, so that serde_json can read the feature and the coordinate is
/// seen as non-finite.
pub(crate) fn patch_nonfinite(text: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    let mut in_str = false;
    let mut esc = false;
    while i < text.len() {
        let b = text[i];
        if in_str {
            out.push(b);
            if esc {
                esc = false;
            } else if b == b'\\' {
                esc = true;
            } else if b == b'"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        let rest = &text[i..];
        let token = [&b"-Infinity"[..], b"Infinity", b"NaN"]
            .into_iter()
            .find(|t| rest.starts_with(t));
        if let Some(t) = token {
            out.extend_from_slice(b"null");
            i += t.len();
            continue;
        }
        if b == b'"' {
            in_str = true;
        }
        out.push(b);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(text: &str) -> Result<Vec<String>, Error> {
        let mut s = Splitter::new(text.as_bytes(), "t.geojson");
        let mut out = vec![];
        while let Some(b) = s.next_batch(2, 1 << 20)? {
            for it in b.items {
                out.push(String::from_utf8(b.text[it.range].to_vec()).unwrap());
            }
        }
        Ok(out)
    }

    #[test]
    fn features_are_split_whatever_the_member_order() {
        let t = r#"{"features": [{"a":"}]"}, {"b":[1,{"c":2}]} , 7], "type":"FeatureCollection", "bbox":[1,2,3,4]}"#;
        let f = split_all(t).unwrap();
        assert_eq!(f, vec![r#"{"a":"}]"}"#, r#"{"b":[1,{"c":2}]}"#, "7"]);
    }

    #[test]
    fn escaped_quotes_inside_strings_do_not_end_them() {
        let t = r#"{"type":"FeatureCollection","features":[{"a":"x\"}]"},{"b":"\\"}]}"#;
        assert_eq!(split_all(t).unwrap().len(), 2);
    }

    #[test]
    fn truncated_file_names_the_feature_and_offset() {
        let t = r#"{"type":"FeatureCollection","features":[{"a":1},{"b":"#;
        let e = split_all(t).unwrap_err();
        match e.kind() {
            ErrorKind::Malformed {
                offset,
                feature_index,
                what,
                ..
            } => {
                assert_eq!(*offset, t.len() as u64);
                assert_eq!(*feature_index, Some(1));
                assert!(what.contains("truncated"), "{what}");
            }
            k => panic!("{k:?}"),
        }
    }

    #[test]
    fn a_single_feature_is_not_a_collection() {
        let e = split_all(r#"{"type":"Feature","geometry":null}"#).unwrap_err();
        assert!(e.to_string().contains("FeatureCollection"), "{e}");
    }

    #[test]
    fn chunked_reads_split_the_same_as_one_read() {
        // A reader that returns 3 bytes at a time exercises every resume path.
        struct Trickle<'a>(&'a [u8]);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(3).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let t =
            r#"{"type":"FeatureCollection","features":[{"a":"x\"y"},{"b":[1,2,[3]]},{"c":NaN}]}"#;
        let mut s = Splitter::new(Trickle(t.as_bytes()), "t");
        let mut got = vec![];
        while let Some(b) = s.next_batch(100, 1 << 20).unwrap() {
            for it in b.items {
                got.push((
                    String::from_utf8(b.text[it.range].to_vec()).unwrap(),
                    it.nonfinite,
                    it.offset,
                ));
            }
        }
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, r#"{"a":"x\"y"}"#);
        assert_eq!(got[0].2, 40);
        assert!(got[2].1, "bare NaN flagged");
    }

    #[test]
    fn nonfinite_tokens_become_null_outside_strings_only() {
        let p = patch_nonfinite(br#"[NaN, -Infinity, Infinity, "NaN"]"#);
        assert_eq!(
            std::str::from_utf8(&p).unwrap(),
            r#"[null, null, null, "NaN"]"#
        );
    }
}
