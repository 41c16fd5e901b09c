//! Value patterns for user rules: exact, `prefix*`, `*suffix`, `*substring*`
//! and `*` (present), compared case-insensitively.

/// One compiled pattern; needles are stored lower-cased.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Pattern {
    /// `*`: present, not null, not blank.
    Present,
    /// `abc`: the whole value.
    Exact(String),
    /// `abc*`.
    Prefix(String),
    /// `*abc`.
    Suffix(String),
    /// `*abc*`.
    Contains(String),
}

impl Pattern {
    /// Compiles one pattern; `None` for an empty pattern (the caller reports it).
    pub(crate) fn parse(raw: &str) -> Option<Pattern> {
        let p = raw.trim().to_lowercase();
        if p.is_empty() {
            return None;
        }
        if p == "*" {
            return Some(Pattern::Present);
        }
        let lead = p.starts_with('*');
        let trail = p.ends_with('*') && p.len() > 1;
        let core = p.trim_start_matches('*').trim_end_matches('*').to_string();
        if core.is_empty() {
            return Some(Pattern::Present);
        }
        Some(match (lead, trail) {
            (true, true) => Pattern::Contains(core),
            (true, false) => Pattern::Suffix(core),
            (false, true) => Pattern::Prefix(core),
            (false, false) => Pattern::Exact(core),
        })
    }

    /// Whether a value (already trimmed and lower-cased; `None` = missing) matches.
    pub(crate) fn matches(&self, value_lc: Option<&str>) -> bool {
        let Some(v) = value_lc else { return false };
        match self {
            Pattern::Present => true,
            Pattern::Exact(s) => v == s,
            Pattern::Prefix(s) => v.starts_with(s.as_str()),
            Pattern::Suffix(s) => v.ends_with(s.as_str()),
            Pattern::Contains(s) => v.contains(s.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, v: Option<&str>) -> bool {
        Pattern::parse(p)
            .unwrap()
            .matches(v.map(|s| s.to_lowercase()).as_deref())
    }

    #[test]
    fn exact_is_case_insensitive_and_whole_value() {
        assert!(m("Lot", Some("lot")));
        assert!(m("lot", Some("LOT")));
        assert!(!m("Lot", Some("Lots")));
        assert!(!m("Lot", None));
    }

    #[test]
    fn star_forms() {
        assert!(m("RESIDENTIAL_*", Some("residential_under_4_units")));
        assert!(!m("RESIDENTIAL_*", Some("private_res")));
        assert!(m("*house", Some("Warehouse")));
        assert!(!m("*house", Some("Warehouses")));
        assert!(m("*storage*", Some("Box Company/Storage")));
        assert!(m("*storage*", Some("storage")));
        assert!(!m("*storage*", Some("Stor.")));
    }

    #[test]
    fn lone_star_means_present() {
        assert!(m("*", Some("A&C")));
        assert!(!m("*", None));
        assert_eq!(Pattern::parse("**"), Some(Pattern::Present));
        assert_eq!(Pattern::parse("  "), None);
    }
}
