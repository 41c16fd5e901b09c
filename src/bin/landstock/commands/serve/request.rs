//! The body of `POST /api/plan`: the `[plan]` settings as JSON (a merge
//! patch onto the config's `[plan]`: members given replace, `null` removes),
//! with two more members: `scoring` (a merge patch onto `[scoring]`, e.g.
//! new weights) and `explain` (add the explanations, as `landstock plan`
//! does without `--no-explain`). Errors name the setting as the config
//! parser does (`plan.cap`, `scoring.green.size_fit.weight`).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::error::ApiError;
use landstock::config::{PlanConfig, ScoringConfig};
use landstock::Config;

/// A parsed plan request.
#[derive(Debug, Clone)]
pub(crate) struct PlanRequest {
    /// The effective configuration: the server's, with the body applied.
    pub(crate) config: Config,
    /// Explain the plan (marginal values, what stopped each parcel).
    pub(crate) explain: bool,
}

/// RFC 7396: objects merge member by member, `null` removes, anything
/// else replaces.
pub(crate) fn merge_patch(target: &mut Value, patch: &Value) {
    match (target, patch) {
        (Value::Object(t), Value::Object(p)) => {
            for (k, v) in p {
                if v.is_null() {
                    t.remove(k);
                } else {
                    merge_patch(t.entry(k.clone()).or_insert(Value::Null), v);
                }
            }
        }
        (t, p) => *t = p.clone(),
    }
}

/// `base` with `patch` merged in, read back as a `T`; an error names the
/// member as `section.path`.
fn patched<T: serde::Serialize + DeserializeOwned>(
    base: &T,
    patch: &Value,
    section: &str,
) -> Result<T, ApiError> {
    let mut v = serde_json::to_value(base).map_err(|e| ApiError::Internal(e.to_string()))?;
    merge_patch(&mut v, patch);
    serde_path_to_error::deserialize(v).map_err(|e| {
        let path = e.path().to_string();
        // the path names an unknown member too (`plan.capp`)
        let key = if path == "." || path.is_empty() {
            section.to_string()
        } else {
            format!("{section}.{path}")
        };
        let message = e.into_inner().to_string();
        ApiError::bad(key.clone(), format!("{message} at {key}"))
    })
}

impl PlanRequest {
    /// Reads a body against the server's configuration.
    pub(crate) fn parse(body: &[u8], base: &Config) -> Result<PlanRequest, ApiError> {
        let v: Value = if body.iter().all(u8::is_ascii_whitespace) {
            Value::Object(Map::new())
        } else {
            serde_json::from_slice(body)
                .map_err(|e| ApiError::bad("", format!("the body is not JSON: {e}")))?
        };
        let Value::Object(mut members) = v else {
            return Err(ApiError::bad(
                "",
                "the body must be a JSON object of [plan] settings, e.g. {\"cap\": \"60ha\"}",
            ));
        };
        let explain = match members.remove("explain") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => b,
            Some(other) => {
                return Err(ApiError::bad(
                    "explain",
                    format!("explain must be true or false, not {other}"),
                ))
            }
        };
        let scoring_patch = members.remove("scoring");
        let mut config = base.clone();
        config.plan = patched::<PlanConfig>(&base.plan, &Value::Object(members), "plan")?;
        config.plan.validate()?;
        if let Some(p) = scoring_patch {
            let s: ScoringConfig = patched(&base.scoring, &p, "scoring")?;
            s.validate().map_err(|e| {
                ApiError::bad(
                    e.key.clone(),
                    format!("{} at {}: {}", e.problem, e.key, e.hint),
                )
            })?;
            // the context (centre, population) was built once at start
            if s.centre_lonlat != base.scoring.centre_lonlat {
                return Err(ApiError::bad(
                    "scoring.centre_lonlat",
                    "the centre is fixed when the server starts: restart it with another config",
                ));
            }
            if s.residents_per_m2 != base.scoring.residents_per_m2 {
                return Err(ApiError::bad(
                    "scoring.residents_per_m2",
                    "residents per m² are fixed when the server starts: restart it with another config",
                ));
            }
            config.scoring = s;
        }
        Ok(PlanRequest { config, explain })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(body: &str) -> String {
        match PlanRequest::parse(body.as_bytes(), &Config::default()) {
            Err(ApiError::BadRequest { key, .. }) => key,
            other => panic!("{body}: expected a 400, got {other:?}"),
        }
    }

    #[test]
    fn bad_members_are_named_by_their_config_key() {
        assert_eq!(key_of(r#"{"cap": "-5ha"}"#), "plan.cap");
        assert_eq!(key_of(r#"{"cap": "12%"}"#), "plan.cap");
        assert_eq!(key_of(r#"{"solver": "best"}"#), "plan.solver");
        assert_eq!(key_of(r#"{"capp": 10}"#), "plan.capp");
        assert_eq!(
            key_of(r#"{"adjacency_lambda": -1}"#),
            "plan.adjacency_lambda"
        );
        assert_eq!(
            key_of(r#"{"bounds": {"green": {"min": "5 acres"}}}"#),
            "plan.bounds.green.min"
        );
        assert_eq!(key_of(r#"{"locks": {"a": "parking"}}"#), "plan.locks.\"a\"");
        assert_eq!(
            key_of(r#"{"scoring": {"green": {"size_fit": {"weight": -1}}}}"#),
            "scoring.green.size_fit.weight"
        );
        assert_eq!(key_of(r#"{"explain": 3}"#), "explain");
        assert_eq!(key_of("[1, 2]"), "");
        assert_eq!(key_of("{"), "");
    }

    #[test]
    fn members_merge_onto_the_config_and_null_removes() {
        let base = Config::from_toml_str(
            "[plan]\ncap = \"80ha\"\nbudget = 1e6\n[plan.locks]\na = \"out\"\n",
            std::path::Path::new("c.toml"),
        )
        .unwrap();
        let r = PlanRequest::parse(
            br#"{"cap": "60ha", "budget": null, "locks": {"b": "green"}, "explain": true}"#,
            &base,
        )
        .unwrap();
        assert_eq!(r.config.plan.cap, Some(60.0));
        assert_eq!(r.config.plan.budget, None);
        assert_eq!(r.config.plan.locks.len(), 2, "{:?}", r.config.plan.locks);
        assert!(r.explain);
        let empty = PlanRequest::parse(b"", &base).unwrap();
        assert_eq!(empty.config, base);
    }
}
