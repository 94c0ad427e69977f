//! The server's one error type. Handlers return it; the `localise` middleware turns it into the
//! contract's body `{"error": {"code", "message", "fields"}}` in the request's language.
//! Internal details are logged with the request id and never sent.

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use yizhan_core::query::FieldErrors;
use yizhan_core::{ApiError, ErrorBody};

use crate::lang::Lang;

/// Everything that can go wrong answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: query parameters with bad values, by field.
    #[error("invalid query")]
    InvalidQuery(FieldErrors),
    /// 404: the station (or other thing) does not exist.
    #[error("not found")]
    NotFound,
    /// 404: no such API route.
    #[error("no such route")]
    NoRoute,
    /// 503: the database does not answer (health check).
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// 500: a bug or a failing dependency; the text is logged only.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        AppError::Internal(e.to_string())
    }
}

/// What the middleware needs to write the body; rides in the response's extensions.
#[derive(Clone, Debug)]
struct Pending {
    code: &'static str,
    fields: FieldErrors,
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::InvalidQuery(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound | AppError::NoRoute => StatusCode::NOT_FOUND,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            AppError::InvalidQuery(_) => "invalid_query",
            AppError::NotFound => "not_found",
            AppError::NoRoute => "no_route",
            AppError::Unavailable(_) => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) | AppError::Unavailable(detail) = &self {
            tracing::error!(code = self.code(), %detail, "request failed");
        }
        let fields = match &self {
            AppError::InvalidQuery(f) => f.clone(),
            _ => FieldErrors::new(),
        };
        let mut res = self.status().into_response();
        res.extensions_mut().insert(Pending {
            code: self.code(),
            fields,
        });
        res
    }
}

fn message(code: &str, lang: Lang) -> &'static str {
    match (code, lang) {
        ("invalid_query", Lang::Zh) => "查询参数有误，请检查标出的字段。",
        ("invalid_query", Lang::En) => "Some query parameters are invalid; see the named fields.",
        ("not_found", Lang::Zh) => "没有找到这个驿站。",
        ("not_found", Lang::En) => "No such station.",
        ("no_route", Lang::Zh) => "没有这个接口。",
        ("no_route", Lang::En) => "No such API endpoint.",
        ("unavailable", Lang::Zh) => "服务暂时不可用，请稍后再试。",
        ("unavailable", Lang::En) => "The service is unavailable; try again shortly.",
        (_, Lang::Zh) => "服务器出错了，请稍后再试。",
        (_, Lang::En) => "Something went wrong on our side; try again shortly.",
    }
}

/// Middleware: fills in error bodies in the request's language.
pub async fn localise(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let lang = Lang::of(&parts);
    let mut res = next.run(Request::from_parts(parts, body)).await;
    let Some(pending) = res.extensions_mut().remove::<Pending>() else {
        return res;
    };
    let body = ErrorBody {
        error: ApiError {
            code: pending.code.to_owned(),
            message: message(pending.code, lang).to_owned(),
            fields: pending
                .fields
                .into_iter()
                .map(|(k, v)| (k, v.as_str().to_owned()))
                .collect(),
        },
        current: None,
    };
    let status = res.status();
    let mut out = (status, axum::Json(body)).into_response();
    out.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    out
}
