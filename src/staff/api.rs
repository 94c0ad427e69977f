//! The only place in the staff app that knows API URLs: a typed client over gloo-net, one
//! function per endpoint. Every write but signing in carries the session's CSRF token; a 401
//! from any call ends the session in the app (the sign-in form shows again) while the page
//! keeps what was typed.

use gloo_net::http::{Method, Request, RequestBuilder, Response};
use leptos::prelude::*;
use serde::de::DeserializeOwned;
use yizhan_core::staff::CSRF_HEADER;
use yizhan_core::{
    Account, AccountChange, AdminStation, AuditEntry, Coverage, ImportReport, InboxReport,
    IssuedPassword, NewAccount, PasswordChange, RecoveryCodes, Resolve, ServicesDraft, SessionInfo,
    SessionList, SessionSummary, SignIn, Station, StationDraft, StatusUpdate, TwoStepConfirm,
    TwoStepSetup, UnionNumbers, UnionServices, WebhookDraft, WebhookView,
};

use yizhan_core::{
    ApplicationList, ApplicationQuery, ApplicationRecord, ApplicationStats, ApplicationSummary,
    BulkDecision, BulkOutcome, Decision,
};

use yizhan_core::envelope::{Accounts, AuditPage, Inbox, StaffStations, Unions};

use super::i18n::{i18n_lang, Lang};
use super::state::{use_session, Session};
use crate::shared::http::{encode, json_of, request as builder, send_as};
use yizhan_core::{ErrorBody, ErrorCode};

/// A union the admin may act on.
pub use yizhan_core::envelope::UnionItem as UnionRow;

pub use crate::shared::http::Error;

/// The file formats the import understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImportFormat {
    /// Comma-separated values with a header line.
    Csv,
    /// A GeoJSON FeatureCollection of points.
    GeoJson,
}

impl ImportFormat {
    /// The `format=` value.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportFormat::Csv => "csv",
            ImportFormat::GeoJson => "geojson",
        }
    }

    /// The request's `Content-Type`.
    fn content_type(self) -> &'static str {
        match self {
            ImportFormat::Csv => "text/csv",
            ImportFormat::GeoJson => "application/geo+json",
        }
    }

    /// Guessed from a file name; CSV unless it ends in `.geojson` or `.json`.
    pub fn guess(file_name: &str) -> ImportFormat {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".geojson") || lower.ends_with(".json") {
            ImportFormat::GeoJson
        } else {
            ImportFormat::Csv
        }
    }
}

/// `GET /api/v1/stations/{id}/poster.svg`: the printable poster (public).
pub fn poster_url(id: &str) -> String {
    format!("/api/v1/stations/{}/poster.svg", encode(id))
}

/// `GET /api/v1/admin/export.csv`.
pub const EXPORT_CSV_URL: &str = "/api/v1/admin/export.csv";
/// `GET /api/v1/admin/export.geojson`.
pub const EXPORT_GEOJSON_URL: &str = "/api/v1/admin/export.geojson";

/// Sends; an error keeps a 412's station (staff pages show both versions side by side).
async fn send_raw(req: Result<Request, gloo_net::Error>) -> Result<Response, Error> {
    send_as::<ErrorBody>(req).await
}

/// `GET /api/v1/session`: who is signed in. A 401 here is an answer, not a lost session.
pub async fn current_session(lang: Lang) -> Result<SessionInfo, Error> {
    json_of(send_raw(builder(Method::GET, "/api/v1/session", lang).build()).await?).await
}

/// `POST /api/v1/session`: signs in (no CSRF token yet).
pub async fn sign_in(body: &SignIn, lang: Lang) -> Result<SessionInfo, Error> {
    json_of(send_raw(builder(Method::POST, "/api/v1/session", lang).json(body)).await?).await
}

/// The typed client for everything behind the session.
#[derive(Clone, Copy)]
pub struct Client {
    session: Session,
    lang: Memo<Lang>,
}

/// The client for this page: the session and language from context.
pub fn use_client() -> Client {
    Client {
        session: use_session(),
        lang: i18n_lang(),
    }
}

impl Client {
    fn lang(&self) -> Lang {
        self.lang.try_get_untracked().unwrap_or_default()
    }

    fn read(&self, url: &str) -> RequestBuilder {
        builder(Method::GET, url, self.lang())
    }

    fn write(&self, method: Method, url: &str) -> RequestBuilder {
        let b = builder(method, url, self.lang());
        match self.session.csrf() {
            Some(token) => b.header(CSRF_HEADER, &token),
            None => b,
        }
    }

    /// Reacts to a failed call: a 401 ends the session; a refused CSRF token (the session was
    /// renewed in another tab) is fetched again so the next try works.
    fn after_error(&self, e: &Error) {
        let session = self.session;
        if e.is_signed_out() {
            session.lost(e.code() == Some(ErrorCode::SessionExpired));
        } else if e.code() == Some(ErrorCode::CsrfFailed) {
            let lang = self.lang();
            leptos::task::spawn_local(async move {
                match current_session(lang).await {
                    Ok(info) => session.renewed(info),
                    Err(e) if e.is_signed_out() => session.lost(false),
                    Err(_) => {}
                }
            });
        }
    }

    /// Sends, and tells the session about answers that end it.
    async fn send(&self, req: Result<Request, gloo_net::Error>) -> Result<Response, Error> {
        let result = send_raw(req).await;
        if let Err(e) = &result {
            self.after_error(e);
        }
        result
    }

    async fn json<T: DeserializeOwned>(
        &self,
        req: Result<Request, gloo_net::Error>,
    ) -> Result<T, Error> {
        json_of(self.send(req).await?).await
    }

    /// `DELETE /api/v1/session`: signs out here.
    pub async fn sign_out(&self) -> Result<(), Error> {
        self.send(self.write(Method::DELETE, "/api/v1/session").build())
            .await
            .map(|_| ())
    }

    /// `DELETE /api/v1/sessions`: signs out on every device.
    pub async fn sign_out_everywhere(&self) -> Result<(), Error> {
        self.send(self.write(Method::DELETE, "/api/v1/sessions").build())
            .await
            .map(|_| ())
    }

    /// `POST /api/v1/session/password`.
    pub async fn change_password(&self, body: &PasswordChange) -> Result<(), Error> {
        self.send(
            self.write(Method::POST, "/api/v1/session/password")
                .json(body),
        )
        .await
        .map(|_| ())
    }

    /// `GET /api/v1/sessions`: this person's live sessions.
    pub async fn sessions(&self) -> Result<Vec<SessionSummary>, Error> {
        let list: SessionList = self.json(self.read("/api/v1/sessions").build()).await?;
        Ok(list.sessions)
    }

    /// `DELETE /api/v1/sessions/{id}`: ends one of them.
    pub async fn end_session(&self, id: &str) -> Result<(), Error> {
        let url = format!("/api/v1/sessions/{}", encode(id));
        self.send(self.write(Method::DELETE, &url).build())
            .await
            .map(|_| ())
    }

    /// `POST /api/v1/session/two-step`: starts two-step set-up.
    pub async fn begin_two_step(&self) -> Result<TwoStepSetup, Error> {
        self.json(
            self.write(Method::POST, "/api/v1/session/two-step")
                .json(&serde_json::Value::Object(Default::default())),
        )
        .await
    }

    /// `POST /api/v1/session/two-step/confirm`: the app's first code; the recovery codes.
    pub async fn confirm_two_step(&self, body: &TwoStepConfirm) -> Result<RecoveryCodes, Error> {
        self.json(
            self.write(Method::POST, "/api/v1/session/two-step/confirm")
                .json(body),
        )
        .await
    }

    /// `POST /api/v1/admin/accounts/{id}/two-step/reset`.
    pub async fn reset_two_step(&self, id: &str) -> Result<(), Error> {
        let url = format!("/api/v1/admin/accounts/{}/two-step/reset", encode(id));
        self.send(
            self.write(Method::POST, &url)
                .json(&serde_json::Value::Object(Default::default())),
        )
        .await
        .map(|_| ())
    }

    /// Every page of a paged staff station list, in order.
    async fn all_pages(&self, path: &str) -> Result<Vec<AdminStation>, Error> {
        let mut out = Vec::new();
        let mut url = format!("{path}?limit=1000");
        loop {
            let page: StaffStations = self.json(self.read(&url).build()).await?;
            out.extend(page.stations);
            match page.next {
                Some(next) => url = format!("{path}?limit=1000&after={}", encode(&next)),
                None => return Ok(out),
            }
        }
    }

    /// `GET /api/v1/manage/stations`: the stations this person keeps, raw status.
    pub async fn my_stations(&self) -> Result<Vec<AdminStation>, Error> {
        self.all_pages("/api/v1/manage/stations").await
    }

    /// `PATCH /api/v1/stations/{id}/status` with `If-Match: "<version>"`.
    pub async fn set_status(
        &self,
        id: &str,
        version: u64,
        body: &StatusUpdate,
    ) -> Result<Station, Error> {
        let url = format!("/api/v1/stations/{}/status", encode(id));
        self.json(
            self.write(Method::PATCH, &url)
                .header("If-Match", &format!("\"{version}\""))
                .json(body),
        )
        .await
    }

    /// `GET /api/v1/manage/reports[?station=id]`, newest first.
    pub async fn reports(&self, station: Option<&str>) -> Result<Vec<InboxReport>, Error> {
        let url = match station {
            Some(id) => format!("/api/v1/manage/reports?station={}", encode(id)),
            None => "/api/v1/manage/reports".to_owned(),
        };
        let list: Inbox = self.json(self.read(&url).build()).await?;
        Ok(list.reports)
    }

    /// `POST /api/v1/manage/reports/{id}/resolve`.
    pub async fn resolve(&self, report: &str, body: &Resolve) -> Result<InboxReport, Error> {
        let url = format!("/api/v1/manage/reports/{}/resolve", encode(report));
        self.json(self.write(Method::POST, &url).json(body)).await
    }

    /// `GET /api/v1/admin/unions`: the admin's union and those below it.
    pub async fn unions(&self) -> Result<Vec<UnionRow>, Error> {
        let list: Unions = self.json(self.read("/api/v1/admin/unions").build()).await?;
        Ok(list.unions)
    }

    /// `GET /api/v1/admin/unions/{id}/services`: a union's card, own and inherited items.
    pub async fn union_services(&self, union: &str) -> Result<UnionServices, Error> {
        let url = format!("/api/v1/admin/unions/{}/services", encode(union));
        self.json(self.read(&url).build()).await
    }

    /// `PUT /api/v1/admin/unions/{id}/services`: replaces the union's own items.
    pub async fn set_union_services(
        &self,
        union: &str,
        body: &ServicesDraft,
    ) -> Result<UnionServices, Error> {
        let url = format!("/api/v1/admin/unions/{}/services", encode(union));
        self.json(self.write(Method::PUT, &url).json(body)).await
    }

    /// `GET /api/v1/admin/unions/{id}/webhook`: the union's robot and its latest posts.
    pub async fn union_webhook(&self, union: &str) -> Result<WebhookView, Error> {
        let url = format!("/api/v1/admin/unions/{}/webhook", encode(union));
        self.json(self.read(&url).build()).await
    }

    /// `PUT /api/v1/admin/unions/{id}/webhook`: sets the union's robot.
    pub async fn set_union_webhook(
        &self,
        union: &str,
        body: &WebhookDraft,
    ) -> Result<WebhookView, Error> {
        let url = format!("/api/v1/admin/unions/{}/webhook", encode(union));
        self.json(self.write(Method::PUT, &url).json(body)).await
    }

    /// `POST /api/v1/admin/unions/{id}/webhook/test`: queues a test message.
    pub async fn test_union_webhook(&self, union: &str) -> Result<(), Error> {
        let url = format!("/api/v1/admin/unions/{}/webhook/test", encode(union));
        self.send(
            self.write(Method::POST, &url)
                .json(&serde_json::Value::Object(Default::default())),
        )
        .await
        .map(|_| ())
    }

    /// `DELETE /api/v1/admin/unions/{id}/webhook`: removes the union's robot.
    pub async fn remove_union_webhook(&self, union: &str) -> Result<(), Error> {
        let url = format!("/api/v1/admin/unions/{}/webhook", encode(union));
        self.send(self.write(Method::DELETE, &url).build())
            .await
            .map(|_| ())
    }

    /// `GET /api/v1/admin/stations`, every page, hidden ones included.
    pub async fn admin_stations(&self) -> Result<Vec<AdminStation>, Error> {
        self.all_pages("/api/v1/admin/stations").await
    }

    /// `POST /api/v1/admin/stations`.
    pub async fn create_station(&self, draft: &StationDraft) -> Result<AdminStation, Error> {
        self.json(
            self.write(Method::POST, "/api/v1/admin/stations")
                .json(draft),
        )
        .await
    }

    /// `PUT /api/v1/admin/stations/{id}` with `If-Match: "<version>"`.
    pub async fn update_station(
        &self,
        version: u64,
        draft: &StationDraft,
    ) -> Result<AdminStation, Error> {
        let url = format!("/api/v1/admin/stations/{}", encode(&draft.id));
        self.json(
            self.write(Method::PUT, &url)
                .header("If-Match", &format!("\"{version}\""))
                .json(draft),
        )
        .await
    }

    /// `POST /api/v1/admin/import?format=&datum=&commit=` with the file as the body.
    pub async fn import(
        &self,
        file: &web_sys::File,
        format: ImportFormat,
        datum: yizhan_core::datum::Datum,
        commit: bool,
    ) -> Result<ImportReport, Error> {
        let url = format!(
            "/api/v1/admin/import?format={}&datum={}&commit={}",
            format.as_str(),
            datum.as_str(),
            u8::from(commit)
        );
        self.json(
            self.write(Method::POST, &url)
                .header("Content-Type", format.content_type())
                .body(file.clone()),
        )
        .await
    }

    /// `GET /api/v1/admin/accounts`.
    pub async fn accounts(&self) -> Result<Vec<Account>, Error> {
        let list: Accounts = self
            .json(self.read("/api/v1/admin/accounts").build())
            .await?;
        Ok(list.accounts)
    }

    /// `POST /api/v1/admin/accounts`: the new account and its one-time password.
    pub async fn create_account(&self, body: &NewAccount) -> Result<IssuedPassword, Error> {
        self.json(
            self.write(Method::POST, "/api/v1/admin/accounts")
                .json(body),
        )
        .await
    }

    /// `PATCH /api/v1/admin/accounts/{id}`.
    pub async fn update_account(&self, id: &str, body: &AccountChange) -> Result<Account, Error> {
        let url = format!("/api/v1/admin/accounts/{}", encode(id));
        self.json(self.write(Method::PATCH, &url).json(body)).await
    }

    /// `POST /api/v1/admin/accounts/{id}/password`: a new one-time password.
    pub async fn reset_password(&self, id: &str) -> Result<IssuedPassword, Error> {
        let url = format!("/api/v1/admin/accounts/{}/password", encode(id));
        self.json(
            self.write(Method::POST, &url)
                .json(&serde_json::Value::Object(Default::default())),
        )
        .await
    }

    /// `GET /api/v1/admin/numbers?from=&to=`: the report's numbers (blank days: the last 30).
    pub async fn numbers(&self, from: &str, to: &str) -> Result<UnionNumbers, Error> {
        let url = format!(
            "/api/v1/admin/numbers?from={}&to={}",
            encode(from),
            encode(to)
        );
        self.json(self.read(&url).build()).await
    }

    /// `GET /api/v1/admin/audit[?before=id]`: 50 entries, newest first.
    pub async fn audit(&self, before: Option<i64>) -> Result<Vec<AuditEntry>, Error> {
        let url = match before {
            Some(id) => format!("/api/v1/admin/audit?before={id}"),
            None => "/api/v1/admin/audit".to_owned(),
        };
        let list: AuditPage = self.json(self.read(&url).build()).await?;
        Ok(list.entries)
    }
}

impl Client {
    /// `GET /api/v1/admin/coverage?state=&district=`: the stations by state (blank: all).
    pub async fn coverage(&self, state: &str, district: &str) -> Result<Coverage, Error> {
        let url = coverage_url("", state, district, None);
        self.json(self.read(&url).build()).await
    }
}

/// A coverage download or picture: `what` is `""` (JSON), `.csv` or `.svg`; `lang` labels it.
pub fn coverage_url(what: &str, state: &str, district: &str, lang: Option<Lang>) -> String {
    let mut url = format!(
        "/api/v1/admin/coverage{what}?state={}&district={}",
        encode(state),
        encode(district)
    );
    if let Some(l) = lang {
        url.push_str(lang_param(l));
    }
    url
}

/// The weekly figures of `district` (blank: all) as `.csv` or `.svg`, labelled in `lang`.
pub fn weekly_url(what: &str, district: &str, lang: Lang) -> String {
    format!(
        "/api/v1/admin/weekly{what}?district={}{}",
        encode(district),
        lang_param(lang)
    )
}

/// `GET /api/v1/admin/weekly.svg?station=…`: one station's chart week by week.
pub fn station_weekly_url(station: &str, lang: Lang) -> String {
    format!(
        "/api/v1/admin/weekly.svg?station={}{}",
        encode(station),
        lang_param(lang)
    )
}

fn lang_param(lang: Lang) -> &'static str {
    match lang {
        Lang::Zh => "&lang=zh",
        Lang::En => "&lang=en",
    }
}

/// `GET /api/v1/admin/numbers.csv`: the report's numbers (a download).
pub const NUMBERS_CSV_URL: &str = "/api/v1/admin/numbers.csv";

/// `GET /api/v1/admin/applications/export.csv`: the approved applications (a download).
pub const APPLICATIONS_CSV_URL: &str = "/api/v1/admin/applications/export.csv";

impl Client {
    /// `GET /api/v1/admin/applications?status=&station=&from=&to=`: the queue, newest first,
    /// phone numbers masked.
    pub async fn applications(
        &self,
        filter: &ApplicationQuery,
    ) -> Result<Vec<ApplicationSummary>, Error> {
        let query = filter.to_query_string();
        let url = if query.is_empty() {
            "/api/v1/admin/applications".to_owned()
        } else {
            format!("/api/v1/admin/applications?{query}")
        };
        let list: ApplicationList = self.json(self.read(&url).build()).await?;
        Ok(list.applications)
    }

    /// `GET /api/v1/admin/applications/{id}`: one application in full. The server writes the
    /// opening to the audit log and moves a `submitted` application to `under_review`.
    pub async fn application(&self, id: &str) -> Result<ApplicationRecord, Error> {
        let url = format!("/api/v1/admin/applications/{}", encode(id));
        self.json(self.read(&url).build()).await
    }

    /// `POST /api/v1/admin/applications/{id}/decision`: approve, or reject with a reason.
    pub async fn decide_application(
        &self,
        id: &str,
        body: &Decision,
    ) -> Result<ApplicationRecord, Error> {
        let url = format!("/api/v1/admin/applications/{}/decision", encode(id));
        self.json(self.write(Method::POST, &url).json(body)).await
    }

    /// `POST /api/v1/admin/applications/decisions`: one decision for many (bulk approve).
    pub async fn decide_applications(&self, body: &BulkDecision) -> Result<BulkOutcome, Error> {
        self.json(
            self.write(Method::POST, "/api/v1/admin/applications/decisions")
                .json(body),
        )
        .await
    }

    /// `GET /api/v1/admin/applications/stats`: applications and approvals per station.
    pub async fn application_stats(&self) -> Result<ApplicationStats, Error> {
        self.json(self.read("/api/v1/admin/applications/stats").build())
            .await
    }
}
