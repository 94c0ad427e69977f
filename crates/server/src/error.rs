//! The server's one error type. Handlers return it; the `localise` middleware turns it into the
//! contract's body `{"error": {"code", "message", "fields"}}` in the request's language.
//! Internal details are logged with the request id and never sent.

use std::marker::PhantomData;

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::value::MapAccessDeserializer;
use serde::de::{DeserializeOwned, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use yizhan_core::query::FieldErrors;
use yizhan_core::{ApiError, ErrorBody, ErrorCode, FieldCode, Lang};

/// Everything that can go wrong answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// 400: query parameters with bad values, by field.
    #[error("invalid query")]
    InvalidQuery(FieldErrors),
    /// 400: the body is not JSON, or not JSON of the expected shape (fields named when known).
    #[error("invalid body")]
    InvalidBody(FieldErrors),
    /// 400: a request header has a bad value, by header name.
    #[error("invalid header")]
    InvalidHeader(FieldErrors),
    /// 404: the station (or other thing) does not exist.
    #[error("not found")]
    NotFound,
    /// 413: the body is larger than the endpoint accepts.
    #[error("payload too large")]
    PayloadTooLarge,
    /// 415: the body is not `application/json`.
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// 422: a report breaks its rules, by field.
    #[error("invalid report")]
    InvalidReport(FieldErrors),
    /// 429: too many requests; try again after this many seconds (`Retry-After`).
    #[error("rate limited")]
    RateLimited {
        /// Seconds until a request may succeed.
        retry_after: u64,
    },
    /// 404: no such API route.
    #[error("no such route")]
    NoRoute,
    /// 401: not signed in.
    #[error("unauthenticated")]
    Unauthenticated,
    /// 401: the session ended (idle or absolute limit).
    #[error("session expired")]
    SessionExpired,
    /// 401: the username or password is wrong (never says which).
    #[error("wrong credentials")]
    WrongCredentials,
    /// 401: right password; the account signs in with a second step, and no code was sent.
    #[error("code required")]
    CodeRequired,
    /// 401: the second step's code (or recovery code) is wrong or used.
    #[error("wrong code")]
    WrongCode,
    /// 403: the operator requires two-step sign-in of this admin, who has not set it up yet.
    #[error("two-step required")]
    TwoStepRequired,
    /// 403: signed in, but not allowed to do this.
    #[error("forbidden")]
    Forbidden,
    /// 403: a cookie-authenticated write without the session's CSRF token.
    #[error("csrf token missing or wrong")]
    CsrfFailed,
    /// 428: an update without `If-Match`.
    #[error("precondition required")]
    PreconditionRequired,
    /// 412: someone else changed the station first; carries it as it is now.
    #[error("stale")]
    Stale(Box<yizhan_core::Station>),
    /// 409: something with this id or name exists already, by field.
    #[error("conflict")]
    Conflict(FieldErrors),
    /// 422: a form breaks its rules, by field.
    #[error("invalid input")]
    InvalidInput(FieldErrors),
    /// 400 (`invalid_file`): an uploaded file cannot be read at all (not UTF-8, not CSV or
    /// JSON), by field.
    #[error("unreadable file")]
    UnreadableFile(FieldErrors),
    /// 422 (`invalid_file`): an uploaded file reads, but is not a station list (a required
    /// column missing, too many rows), by field.
    #[error("invalid file")]
    InvalidFile(FieldErrors),
    /// 409: the phone already has a pending application at this union. Never names it.
    #[error("duplicate application")]
    DuplicateApplication,
    /// 404 (`not_found`): no application with this reference and phone. A wrong phone and an
    /// unknown reference answer alike.
    #[error("application not found")]
    ApplicationNotFound,
    /// 409: the application is not in a status that allows this (e.g. resubmitting one that is
    /// not rejected, deciding one already decided).
    #[error("wrong status")]
    WrongStatus,
    /// 503: every password worker is busy (a flood of sign-ins); try again in a moment.
    #[error("busy")]
    Busy,
    /// 503: the database does not answer, or was too busy to in time; try again shortly.
    #[error("unavailable: {0}")]
    Unavailable(String),
    /// 500: a bug or a failing dependency; the text is logged only.
    #[error("internal: {0}")]
    Internal(String),
}

impl From<crate::secret::NoRandomness> for AppError {
    fn from(e: crate::secret::NoRandomness) -> Self {
        AppError::Internal(e.to_string())
    }
}

impl From<crate::db::DbError> for AppError {
    fn from(e: crate::db::DbError) -> Self {
        if e.is_unavailable() {
            AppError::Unavailable(e.to_string())
        } else {
            AppError::Internal(e.to_string())
        }
    }
}

/// `Retry-After` of a 503 (`busy`, `unavailable`).
const BUSY_RETRY_SECS: u64 = 2;

/// What the middleware needs to write the body; rides in the response's extensions.
#[derive(Clone, Debug)]
struct Pending {
    code: ErrorCode,
    message: Message,
    fields: FieldErrors,
    current: Option<Box<yizhan_core::Station>>,
    retry_after: Option<u64>,
}

impl AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::InvalidQuery(_) | AppError::InvalidBody(_) | AppError::InvalidHeader(_) => {
                StatusCode::BAD_REQUEST
            }
            AppError::NotFound | AppError::NoRoute | AppError::ApplicationNotFound => {
                StatusCode::NOT_FOUND
            }
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::InvalidReport(_) | AppError::InvalidInput(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            AppError::Unauthenticated
            | AppError::SessionExpired
            | AppError::WrongCredentials
            | AppError::CodeRequired
            | AppError::WrongCode => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::CsrfFailed | AppError::TwoStepRequired => {
                StatusCode::FORBIDDEN
            }
            AppError::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            AppError::Stale(_) => StatusCode::PRECONDITION_FAILED,
            AppError::Conflict(_) | AppError::DuplicateApplication | AppError::WrongStatus => {
                StatusCode::CONFLICT
            }
            AppError::UnreadableFile(_) => StatusCode::BAD_REQUEST,
            AppError::InvalidFile(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable(_) | AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> ErrorCode {
        match self {
            AppError::InvalidQuery(_) => ErrorCode::InvalidQuery,
            AppError::InvalidBody(_) => ErrorCode::InvalidBody,
            AppError::InvalidHeader(_) => ErrorCode::InvalidHeader,
            AppError::NotFound | AppError::ApplicationNotFound => ErrorCode::NotFound,
            AppError::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            AppError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            AppError::InvalidReport(_) => ErrorCode::InvalidReport,
            AppError::RateLimited { .. } => ErrorCode::RateLimited,
            AppError::NoRoute => ErrorCode::NoRoute,
            AppError::Unauthenticated => ErrorCode::Unauthenticated,
            AppError::SessionExpired => ErrorCode::SessionExpired,
            AppError::WrongCredentials => ErrorCode::WrongCredentials,
            AppError::Forbidden => ErrorCode::Forbidden,
            AppError::CodeRequired => ErrorCode::CodeRequired,
            AppError::WrongCode => ErrorCode::WrongCode,
            AppError::TwoStepRequired => ErrorCode::TwoStepRequired,
            AppError::CsrfFailed => ErrorCode::CsrfFailed,
            AppError::PreconditionRequired => ErrorCode::PreconditionRequired,
            AppError::Stale(_) => ErrorCode::Stale,
            AppError::Conflict(_) => ErrorCode::Conflict,
            AppError::InvalidInput(_) => ErrorCode::InvalidInput,
            AppError::UnreadableFile(_) | AppError::InvalidFile(_) => ErrorCode::InvalidFile,
            AppError::DuplicateApplication => ErrorCode::DuplicateApplication,
            AppError::WrongStatus => ErrorCode::WrongStatus,
            AppError::Unavailable(_) => ErrorCode::Unavailable,
            AppError::Busy => ErrorCode::Busy,
            AppError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Which message to show: the code's, except where one code reads differently per thing
    /// (an application not found is not a station not found).
    fn message(&self) -> Message {
        match self {
            AppError::ApplicationNotFound => Message::ApplicationNotFound,
            _ => Message::Code(self.code()),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) | AppError::Unavailable(detail) = &self {
            tracing::error!(code = self.code().as_str(), %detail, "request failed");
        }
        let fields = match &self {
            AppError::InvalidQuery(f)
            | AppError::InvalidBody(f)
            | AppError::InvalidHeader(f)
            | AppError::InvalidReport(f)
            | AppError::Conflict(f)
            | AppError::InvalidInput(f)
            | AppError::UnreadableFile(f)
            | AppError::InvalidFile(f) => f.clone(),
            _ => FieldErrors::new(),
        };
        let mut res = self.status().into_response();
        let mut retry = None;
        if matches!(self, AppError::Busy | AppError::Unavailable(_)) {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(BUSY_RETRY_SECS));
        }
        if let AppError::RateLimited { retry_after } = self {
            res.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
            retry = Some(retry_after);
        }
        let code = self.code();
        let message = self.message();
        let current = match self {
            AppError::Stale(s) => Some(s),
            _ => None,
        };
        res.extensions_mut().insert(Pending {
            code,
            message,
            fields,
            current,
            retry_after: retry,
        });
        res
    }
}

/// The message an error answer shows, in a language.
#[derive(Clone, Copy, Debug)]
enum Message {
    /// The code's own message.
    Code(ErrorCode),
    /// `not_found` for an application: it names the reference and phone, not a station.
    ApplicationNotFound,
}

impl Message {
    /// The text in `lang`.
    fn text(self, lang: Lang) -> &'static str {
        let (zh, en) = match self {
            Message::Code(code) => code_text(code),
            Message::ApplicationNotFound => (
                "没有找到这份申请。请核对申请编号和手机号。",
                "No application matches this reference and phone number; check both.",
            ),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// A code's message in Chinese and English. The match is exhaustive: a new [`ErrorCode`] does
/// not build without its message.
fn code_text(code: ErrorCode) -> (&'static str, &'static str) {
    match code {
        ErrorCode::InvalidQuery => (
            "查询参数有误，请检查标出的字段。",
            "Some query parameters are invalid; see the named fields.",
        ),
        ErrorCode::InvalidBody => (
            "请求内容看不懂，请检查标出的字段。",
            "The request body could not be read; see the named fields.",
        ),
        ErrorCode::InvalidHeader => (
            "请求头有误，请检查标出的字段。",
            "A request header is invalid; see the named fields.",
        ),
        ErrorCode::PayloadTooLarge => ("提交的内容太长了。", "The request body is too large."),
        ErrorCode::UnsupportedMediaType => (
            "只接受 JSON 格式（application/json）。",
            "Only JSON (application/json) is accepted.",
        ),
        ErrorCode::InvalidReport => (
            "报告内容不完整，请检查标出的字段。",
            "The report is incomplete or invalid; see the named fields.",
        ),
        ErrorCode::RateLimited => (
            "提交太频繁了，请过一会儿再试。",
            "Too many requests; try again later.",
        ),
        ErrorCode::Unauthenticated => ("请先登录。", "Please sign in."),
        ErrorCode::SessionExpired => (
            "登录已过期，请重新登录。",
            "Your session has ended; please sign in again.",
        ),
        ErrorCode::WrongCredentials => ("用户名或密码不对。", "Wrong username or password."),
        ErrorCode::CodeRequired => (
            "请输入验证器 App 里的 6 位验证码。",
            "Enter the 6-digit code from your authenticator app.",
        ),
        ErrorCode::WrongCode => (
            "验证码不对或已用过，请等下一个验证码再试。",
            "That code is wrong or already used; wait for the next one and try again.",
        ),
        ErrorCode::TwoStepRequired => (
            "请先开启两步验证，才能管理工会。",
            "Set up two-step sign-in first to manage the union.",
        ),
        ErrorCode::Forbidden => ("你没有权限做这件事。", "You are not allowed to do this."),
        ErrorCode::CsrfFailed => (
            "页面已过期，请刷新后再试。",
            "This page is out of date; reload it and try again.",
        ),
        ErrorCode::PreconditionRequired => (
            "缺少版本信息（If-Match），请刷新后再保存。",
            "The version (If-Match) is missing; reload and save again.",
        ),
        ErrorCode::Stale => (
            "别人刚刚改过这个驿站，请看看最新内容再决定。",
            "Someone else changed this station meanwhile; compare and choose.",
        ),
        ErrorCode::Conflict => (
            "已经有同样编号或用户名的记录了。",
            "Something with this id or username exists already.",
        ),
        ErrorCode::InvalidInput => (
            "有些内容不对，请检查标出的地方。",
            "Some fields are invalid; see the marked ones.",
        ),
        ErrorCode::InvalidFile => (
            "文件读不了，请检查格式和列名。",
            "The file cannot be read; check its format and columns.",
        ),
        ErrorCode::NotFound => ("没有找到这个驿站。", "No such station."),
        ErrorCode::DuplicateApplication => (
            "这个手机号在该工会已有一份正在审核的申请，请用当时的申请编号查询进度。",
            "This phone number already has an application under review at this union; \
             follow it with the reference you were given.",
        ),
        ErrorCode::WrongStatus => (
            "这份申请现在的状态不能这样操作。",
            "The application's status does not allow this now.",
        ),
        ErrorCode::NoRoute => ("没有这个接口。", "No such API endpoint."),
        ErrorCode::Busy => (
            "现在登录的人太多，请过几秒再试。",
            "Too many sign-ins at once; try again in a few seconds.",
        ),
        ErrorCode::Unavailable => (
            "服务暂时不可用，请稍后再试。",
            "The service is unavailable; try again shortly.",
        ),
        ErrorCode::Internal | ErrorCode::Other => (
            "服务器出错了，请稍后再试。",
            "Something went wrong on our side; try again shortly.",
        ),
    }
}

/// Middleware: fills in error bodies in the request's language.
pub async fn localise(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let lang = crate::lang::of(&parts);
    let request_id = parts
        .extensions
        .get::<crate::request_id::RequestId>()
        .map(|r| r.0.clone());
    let mut res = next.run(Request::from_parts(parts, body)).await;
    let Some(pending) = res.extensions_mut().remove::<Pending>() else {
        return res;
    };
    let mut text = pending.message.text(lang).to_owned();
    // Waits of a minute or more are said in minutes, e.g. after too many wrong passwords.
    if let Some(secs) = pending.retry_after.filter(|s| *s >= 60) {
        let minutes = secs.div_ceil(60);
        text = match lang {
            Lang::Zh => format!("次数太多了，请 {minutes} 分钟后再试。"),
            Lang::En => format!("Too many attempts; try again in {minutes} min."),
        };
    }
    let status = res.status();
    // A 500 says nothing of what went wrong, only which request it was.
    let request_id = request_id.filter(|_| status == StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(id) = &request_id {
        text = match lang {
            Lang::Zh => format!("{text}（编号 {id}）"),
            Lang::En => format!("{text} (reference {id})"),
        };
    }
    let body = ErrorBody {
        error: ApiError {
            code: pending.code,
            message: text,
            fields: pending.fields,
            request_id,
        },
        current: pending.current,
    };
    let mut out = (status, axum::Json(body)).into_response();
    // Keep what the error set (e.g. `Retry-After`); the body and its type are ours now.
    for (name, value) in res.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            out.headers_mut().append(name, value.clone());
        }
    }
    out.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    out
}

/// A JSON body extractor whose rejections are [`AppError`]s, so a wrong content type, broken
/// JSON or a wrong shape get the same error body as everything else. Every body is a JSON
/// object: serde would also read a struct from an array, field by position, which no client
/// means (`[null, null]` is not an empty change).
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match axum::Json::<Object<T>>::from_request(req, state).await {
            Ok(axum::Json(Object(value))) => Ok(JsonBody(value)),
            Err(rejection) => Err(rejection.into()),
        }
    }
}

/// `T`, read only from a JSON object.
struct Object<T>(T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ObjectVisitor<T>(PhantomData<T>);

        impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectVisitor<T> {
            type Value = Object<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Object)
            }
        }

        deserializer.deserialize_map(ObjectVisitor(PhantomData))
    }
}

impl From<JsonRejection> for AppError {
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => AppError::UnsupportedMediaType,
            JsonRejection::JsonDataError(e) => {
                AppError::InvalidBody(data_error_fields(&e.body_text(), "body"))
            }
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge
            }
            _ => AppError::InvalidBody(FieldErrors::new()),
        }
    }
}

/// A query extractor whose rejections are [`AppError`]s: a parameter of the wrong type (or one
/// given twice) is a 400 `invalid_query` naming it, in the same body as every other error.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueryParams<T>(pub T);

impl<T, S> FromRequestParts<S> for QueryParams<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, AppError> {
        match Query::<T>::try_from_uri(&parts.uri) {
            Ok(Query(value)) => Ok(QueryParams(value)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(AppError::InvalidQuery(
                data_error_fields(&e.body_text(), "query"),
            )),
            Err(_) => Err(AppError::InvalidQuery(FieldErrors::from([(
                "query".to_owned(),
                FieldCode::Invalid,
            )]))),
        }
    }
}

/// The one `{id}` of a path. An id that cannot even be decoded (percent-encoded bytes that are
/// not UTF-8) names nothing that exists: 404, like any other unknown id, rather than axum's
/// plain-text 400.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathId(pub String);

impl<S> FromRequestParts<S> for PathId
where
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Path::<String>::from_request_parts(parts, state)
            .await
            .map(|Path(id)| PathId(id))
            .map_err(|_| AppError::NotFound)
    }
}

/// The field a well-formed but wrongly shaped body (or query) got wrong. axum reports it as
/// `Failed to deserialize …: {path}: {serde message}` (the path from serde_path_to_error, left
/// out at the top level), e.g. `kind: unknown variant `x`` or `missing field `kind``. A problem
/// with the whole value is reported under `whole`.
fn data_error_fields(text: &str, whole: &str) -> FieldErrors {
    let detail = text.split_once(": ").map_or(text, |(_, d)| d);
    let is_path = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '[' | ']'))
    };
    let (path, message) = match detail.split_once(": ") {
        Some((p, m)) if is_path(p) => (p, m),
        _ => (".", detail),
    };
    let code = if message.starts_with("missing field") {
        FieldCode::Missing
    } else if message.starts_with("unknown variant") {
        FieldCode::Unknown
    } else if message.starts_with("duplicate field") {
        FieldCode::Duplicate
    } else {
        FieldCode::Invalid
    };
    let named = message
        .strip_prefix("missing field `")
        .or_else(|| message.strip_prefix("duplicate field `"))
        .and_then(|rest| rest.split('`').next());
    let field = match (path, named) {
        (".", Some(name)) => name.to_owned(),
        (".", None) => whole.to_owned(),
        (p, Some(name)) => format!("{p}.{name}"),
        (p, None) => p.to_owned(),
    };
    FieldErrors::from([(field, code)])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields_for<T: DeserializeOwned + std::fmt::Debug>(body: &str) -> FieldErrors {
        match axum::Json::<T>::from_bytes(body.as_bytes()) {
            Err(JsonRejection::JsonDataError(e)) => data_error_fields(&e.body_text(), "body"),
            other => panic!("expected a data error, got {other:?}"),
        }
    }

    async fn json_body<T: DeserializeOwned>(body: &'static str) -> Result<T, AppError> {
        let req = Request::builder()
            .method("POST")
            .header(header::CONTENT_TYPE, "application/json")
            .body(axum::body::Body::from(body))
            .expect("request");
        JsonBody::<T>::from_request(req, &())
            .await
            .map(|JsonBody(v)| v)
    }

    #[tokio::test]
    async fn a_json_array_is_not_read_as_a_struct() {
        // Regression: serde reads a struct from an array by position, so `[null, null]` was an
        // empty account change, answered 200.
        let err = json_body::<yizhan_core::AccountChange>("[null, null]").await;
        assert!(
            matches!(&err, Err(AppError::InvalidBody(f)) if f.get("body") == Some(&FieldCode::Invalid)),
            "{err:?}"
        );
        assert_eq!(
            json_body::<yizhan_core::AccountChange>(r#"{"disabled": true}"#)
                .await
                .ok()
                .and_then(|c| c.disabled),
            Some(true)
        );
    }

    #[tokio::test]
    async fn an_object_body_still_names_the_field_it_got_wrong() {
        let err = json_body::<yizhan_core::NewReport>(r#"{"kind": "sauna"}"#).await;
        assert!(
            matches!(&err, Err(AppError::InvalidBody(f)) if f.get("kind") == Some(&FieldCode::Unknown)),
            "{err:?}"
        );
    }

    #[test]
    fn an_application_not_found_has_the_common_code_but_its_own_message() {
        let (station, application) = (AppError::NotFound, AppError::ApplicationNotFound);
        assert_eq!(application.code(), station.code());
        assert_eq!(application.code().as_str(), "not_found");
        for lang in [Lang::Zh, Lang::En] {
            assert_ne!(
                application.message().text(lang),
                station.message().text(lang)
            );
        }
        assert_eq!(
            application.message().text(Lang::En),
            "No application matches this reference and phone number; check both."
        );
    }

    #[test]
    fn every_file_refusal_reads_alike_whatever_its_status() {
        let fields = FieldErrors::new();
        let (unreadable, invalid) = (
            AppError::UnreadableFile(fields.clone()),
            AppError::InvalidFile(fields),
        );
        assert_eq!(unreadable.code(), ErrorCode::InvalidFile);
        assert_eq!(invalid.code(), ErrorCode::InvalidFile);
        assert_ne!(unreadable.status(), invalid.status());
        assert_eq!(
            unreadable.message().text(Lang::Zh),
            invalid.message().text(Lang::Zh)
        );
    }

    #[test]
    fn query_problems_name_the_parameter() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code, reason = "only deserialised")]
        struct Q {
            before: Option<i64>,
        }
        let fields = |query: &str| {
            let uri: axum::http::Uri = format!("/?{query}").parse().expect("uri");
            match Query::<Q>::try_from_uri(&uri) {
                Err(QueryRejection::FailedToDeserializeQueryString(e)) => {
                    data_error_fields(&e.body_text(), "query")
                }
                other => panic!("expected a query error, got {other:?}"),
            }
        };
        assert_eq!(
            fields("before=soon"),
            FieldErrors::from([("before".into(), FieldCode::Invalid)])
        );
        assert_eq!(
            fields("before=1&before=2"),
            FieldErrors::from([("before".into(), FieldCode::Duplicate)])
        );
    }

    #[test]
    fn wrong_shapes_name_the_field_axum_reports() {
        use yizhan_core::NewReport;
        let code = |body| fields_for::<NewReport>(body);
        assert_eq!(
            code(r#"{"kind":"sauna"}"#),
            FieldErrors::from([("kind".into(), FieldCode::Unknown)])
        );
        assert_eq!(
            code(r#"{"text":"x"}"#),
            FieldErrors::from([("kind".into(), FieldCode::Missing)])
        );
        assert_eq!(
            code(r#"{"kind":"other","text":7}"#),
            FieldErrors::from([("text".into(), FieldCode::Invalid)])
        );
        assert_eq!(
            code(r#"{"kind":"amenity_broken","amenity":"sauna"}"#),
            FieldErrors::from([("amenity".into(), FieldCode::Unknown)])
        );
        assert_eq!(
            code(r#""hello""#),
            FieldErrors::from([("body".into(), FieldCode::Invalid)])
        );
    }
}
