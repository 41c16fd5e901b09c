//! The server's one error type: every failure of a handler becomes a status
//! code and a JSON body `{"error": text, "key"?: setting, "conflicts"?: [..]}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// Why a request failed.
#[derive(Debug)]
pub(crate) enum ApiError {
    /// 400: the body (or a query) is wrong; `key` names the setting.
    BadRequest { key: String, message: String },
    /// 404: no such parcel, plan or file.
    NotFound(String),
    /// 422: the plan's constraints cannot all hold.
    Infeasible {
        message: String,
        conflicts: Vec<String>,
    },
    /// 503: every solver slot and every place in the queue is taken.
    Busy,
    /// 500: a failure of the server itself.
    Internal(String),
}

impl ApiError {
    pub(crate) fn bad(key: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            key: key.into(),
            message: message.into(),
        }
    }
}

impl From<landstock::ConfigError> for ApiError {
    fn from(e: landstock::ConfigError) -> Self {
        ApiError::BadRequest {
            key: e.key.clone(),
            message: e.to_string(),
        }
    }
}

impl From<landstock::plan::PlanError> for ApiError {
    fn from(e: landstock::plan::PlanError) -> Self {
        use landstock::plan::PlanError as P;
        match &e {
            P::Infeasible { conflicts } => ApiError::Infeasible {
                message: e.to_string(),
                conflicts: conflicts.iter().map(|c| c.to_string()).collect(),
            },
            P::NoPlanFound { .. } => ApiError::Infeasible {
                message: e.to_string(),
                conflicts: Vec::new(),
            },
            P::MissingCap | P::InvalidCap { .. } => ApiError::bad("plan.cap", e.to_string()),
            P::UnknownLockId { .. } => ApiError::bad("plan.locks", e.to_string()),
            P::Invalid { .. } => ApiError::bad("plan", e.to_string()),
            _ => ApiError::Internal(e.to_string()),
        }
    }
}

impl From<landstock::score::ScoreError> for ApiError {
    fn from(e: landstock::score::ScoreError) -> Self {
        ApiError::bad("scoring", e.to_string())
    }
}

impl From<landstock::output::plan::Mismatch> for ApiError {
    fn from(e: landstock::output::plan::Mismatch) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl From<landstock::Error> for ApiError {
    fn from(e: landstock::Error) -> Self {
        ApiError::Internal(e.to_string())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, body) = match self {
            ApiError::BadRequest { key, message } => (
                StatusCode::BAD_REQUEST,
                json!({"error": message, "key": key}),
            ),
            ApiError::NotFound(m) => (StatusCode::NOT_FOUND, json!({ "error": m })),
            ApiError::Infeasible { message, conflicts } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                json!({"error": message, "conflicts": conflicts}),
            ),
            ApiError::Busy => (
                StatusCode::SERVICE_UNAVAILABLE,
                json!({"error": "every solver is busy and the queue is full: try again"}),
            ),
            ApiError::Internal(m) => (StatusCode::INTERNAL_SERVER_ERROR, json!({ "error": m })),
        };
        (status, Json(body)).into_response()
    }
}
