//! Reading property values the way GIS exports write them: booleans as
//! `Y`/`yes`/`1`, numbers as text with thousands separators, nulls and blanks
//! for "no data".

use std::borrow::Cow;

use serde_json::{Map, Value};

/// The properties of one feature.
pub(crate) type Props = Map<String, Value>;

/// A property's value as text, for matching and reporting. `None` when the
/// property is absent, `null`, or blank text (shapefile exports write blanks
/// for nulls). Integral numbers print without a fraction (`101.0` → `101`).
pub(crate) fn text(v: Option<&Value>) -> Option<Cow<'_, str>> {
    match v? {
        Value::Null => None,
        Value::String(s) if s.trim().is_empty() => None,
        Value::String(s) => Some(Cow::Borrowed(s.trim())),
        Value::Bool(b) => Some(Cow::Borrowed(if *b { "true" } else { "false" })),
        Value::Number(n) => Some(Cow::Owned(number_text(n))),
        other => Some(Cow::Owned(other.to_string())),
    }
}

/// A classification code as text (see [`text`]); a JSON number lost the
/// leading zero the codes of GB/T 21010 and 用地用海 have, so a number of odd
/// length gets it back (`101` → `0101`, `7` → `07`). Text is left as it is.
pub(crate) fn code_text(v: Option<&Value>) -> Option<Cow<'_, str>> {
    match v? {
        Value::Number(n) => {
            let t = number_text(n);
            if t.len() % 2 == 1 && t.bytes().all(|b| b.is_ascii_digit()) {
                Some(Cow::Owned(format!("0{t}")))
            } else {
                Some(Cow::Owned(t))
            }
        }
        other => text(Some(other)),
    }
}

fn number_text(n: &serde_json::Number) -> String {
    match n.as_f64() {
        Some(f) if !n.is_i64() && !n.is_u64() && f.fract() == 0.0 && f.abs() < 1e15 => {
            format!("{}", f as i64)
        }
        _ => n.to_string(),
    }
}

/// How a value reads as a yes/no flag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flag {
    /// `yes/true/1/y/t` in any case, JSON `true`, the number 1.
    Yes,
    /// `no/false/0/n/f` in any case, JSON `false`, the number 0, null, absent, blank.
    No,
    /// Anything else (reported as a warning, treated as no).
    Unrecognised,
}

/// Reads a yes/no flag (SPEC §2: `yes/true/1/y/t`, any case, is true).
pub(crate) fn flag(v: Option<&Value>) -> Flag {
    match v {
        None | Some(Value::Null) => Flag::No,
        Some(Value::Bool(true)) => Flag::Yes,
        Some(Value::Bool(false)) => Flag::No,
        Some(Value::Number(n)) => match n.as_f64() {
            Some(1.0) => Flag::Yes,
            Some(0.0) => Flag::No,
            _ => Flag::Unrecognised,
        },
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" | "y" | "t" => Flag::Yes,
            "no" | "false" | "0" | "n" | "f" | "" => Flag::No,
            _ => Flag::Unrecognised,
        },
        Some(_) => Flag::Unrecognised,
    }
}

/// Reads a number: a JSON number, or text such as `"93,088"`, `" 12.5 "`,
/// `"-3"`. `Ok(None)` when absent, null or blank; `Err(())` when the value is
/// not a finite number. Commas must group thousands (`1,234,567`), so
/// `"1,5"` (a decimal comma) is rejected rather than read as 15.
pub(crate) fn number(v: Option<&Value>) -> Result<Option<f64>, ()> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n.as_f64().filter(|x| x.is_finite()).map(Some).ok_or(()),
        Some(Value::String(s)) => {
            let s = s.trim();
            if s.is_empty() {
                return Ok(None);
            }
            parse_grouped(s).map(Some).ok_or(())
        }
        Some(_) => Err(()),
    }
}

fn parse_grouped(s: &str) -> Option<f64> {
    let unsigned = s.strip_prefix(['-', '+']).unwrap_or(s);
    let int_part = unsigned.split(['.', 'e', 'E']).next().unwrap_or("");
    let cleaned: Cow<str> = if int_part.contains(',') {
        let mut groups = int_part.split(',');
        let first = groups.next()?;
        let first_ok = (1..=3).contains(&first.len());
        if !first_ok || !groups.all(|g| g.len() == 3) {
            return None;
        }
        Cow::Owned(s.replacen(',', "", int_part.matches(',').count()))
    } else {
        Cow::Borrowed(s)
    };
    // Only plain decimal notation: Rust's parser would also accept "inf" and "NaN".
    let ok_chars = cleaned
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+' | 'e' | 'E'));
    if !ok_chars || !cleaned.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    cleaned.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Quotes a raw value for a warning: text in quotes, other JSON as written.
pub(crate) fn quoted(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_true_spelling_is_yes() {
        for s in [
            "yes", "YES", "Yes", "true", "TRUE", "1", "y", "Y", "t", "T", " yes ",
        ] {
            assert_eq!(flag(Some(&json!(s))), Flag::Yes, "{s:?}");
        }
        assert_eq!(flag(Some(&json!(true))), Flag::Yes);
        assert_eq!(flag(Some(&json!(1))), Flag::Yes);
        assert_eq!(flag(Some(&json!(1.0))), Flag::Yes);
    }

    #[test]
    fn false_spellings_and_missing_are_no() {
        for s in ["no", "NO", "false", "0", "n", "F", ""] {
            assert_eq!(flag(Some(&json!(s))), Flag::No, "{s:?}");
        }
        assert_eq!(flag(Some(&json!(false))), Flag::No);
        assert_eq!(flag(Some(&json!(0))), Flag::No);
        assert_eq!(flag(Some(&Value::Null)), Flag::No);
        assert_eq!(flag(None), Flag::No);
    }

    #[test]
    fn other_flag_values_are_unrecognised() {
        for v in [json!("listed"), json!(2), json!([1]), json!("yess")] {
            assert_eq!(flag(Some(&v)), Flag::Unrecognised, "{v}");
        }
    }

    #[test]
    fn numbers_accept_thousands_separators() {
        assert_eq!(number(Some(&json!("93,088"))), Ok(Some(93088.0)));
        assert_eq!(number(Some(&json!("1,234,567.5"))), Ok(Some(1234567.5)));
        assert_eq!(number(Some(&json!(" 12.5 "))), Ok(Some(12.5)));
        assert_eq!(number(Some(&json!("-3"))), Ok(Some(-3.0)));
        assert_eq!(number(Some(&json!(42))), Ok(Some(42.0)));
        assert_eq!(number(Some(&json!("1e3"))), Ok(Some(1000.0)));
    }

    #[test]
    fn numbers_missing_or_invalid() {
        assert_eq!(number(None), Ok(None));
        assert_eq!(number(Some(&Value::Null)), Ok(None));
        assert_eq!(number(Some(&json!("  "))), Ok(None));
        for bad in [
            "abc", "1,5", "12,34", ",123", "1,2345", ".39 ac", "inf", "NaN", "-", "1.2.3",
        ] {
            assert_eq!(number(Some(&json!(bad))), Err(()), "{bad:?}");
        }
        assert_eq!(number(Some(&json!(true))), Err(()));
    }

    #[test]
    fn text_normalises_numbers_and_blanks() {
        assert_eq!(text(Some(&json!(101))).as_deref(), Some("101"));
        assert_eq!(text(Some(&json!(101.0))).as_deref(), Some("101"));
        assert_eq!(text(Some(&json!(1.5))).as_deref(), Some("1.5"));
        assert_eq!(text(Some(&json!(" R2 "))).as_deref(), Some("R2"));
        assert_eq!(text(Some(&json!(""))), None);
        assert_eq!(text(Some(&Value::Null)), None);
        assert_eq!(text(None), None);
    }
}
