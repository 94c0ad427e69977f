//! Posts to unions' group-chat robots (群机器人): fault reports (queued with the report) and
//! stations whose status has gone stale (found by a scan here), at most once per union,
//! station and hour. Each post is claimed in the database before it is sent, so two instances
//! never both send it and a post whose sender died is tried again; failures are retried with
//! back-off, then given up. A post names the station and what is wrong, never the rider.

use std::time::Duration;

use serde_json::{json, Value};
use tokio::task::JoinHandle;
use yizhan_core::{
    Amenity, ReportKind, StationId, Timestamp, UnionId, WebhookEvent, WebhookFormat,
};

use crate::db::{union_chain, Db, DbError, DuePost, TryOutcome};
use crate::state::AppState;

/// Tries per post before it is given up.
pub const MAX_ATTEMPTS: u32 = 6;
/// How long one try may take.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Posts taken per round.
const BATCH: i64 = 50;
/// The stale scan looks back at most this far (a server down for a week does not post a
/// week of stale stations when it comes back).
const SCAN_HORIZON_SECS: i64 = 86_400;

/// The HTTP client posts are made with: no redirects followed (a robot answers itself), a
/// timeout on every try. `None` when TLS cannot start (no client without these rules is used).
pub fn client() -> Option<reqwest::Client> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(TIMEOUT)
        .user_agent("yizhan-webhook")
        .build()
        .ok()
}

/// How long after failed try number `attempts` (1 for the first) the next one is made:
/// `base`, then twice as long each time, at most an hour.
pub fn backoff(base: Duration, attempts: u32) -> Duration {
    let factor = 1u32 << attempts.saturating_sub(1).min(16);
    base.saturating_mul(factor).min(Duration::from_secs(3600))
}

/// The message text (Chinese: it is read in the union's group chat).
pub fn text(post: &DuePost, public_url: &str) -> String {
    let Some((id, name, district)) = &post.station else {
        return "【驿站】测试消息：群机器人已接通，新的故障报告和状态过期的驿站会发到这里。"
            .to_owned();
    };
    let link = format!("{public_url}/manage/stations/{id}");
    match post.event {
        WebhookEvent::Stale => {
            let since = post
                .detail
                .parse::<i64>()
                .map(|t| format!("上次确认 {}，", Timestamp::from_unix(t).beijing()))
                .unwrap_or_default();
            format!(
                "【驿站】{name}（{district}）状态已过期，{since}骑手现在看到「状态未知」。请站长更新：{link}"
            )
        }
        _ => format!(
            "【驿站】{name}（{district}）有骑手报告：{}。请站长查看：{link}",
            problem(&post.detail)
        ),
    }
}

/// A report's detail (`amenity_broken:microwave`) in words.
fn problem(detail: &str) -> String {
    let (kind, amenity) = detail.split_once(':').unwrap_or((detail, ""));
    match ReportKind::parse(kind) {
        Some(ReportKind::ClosedWhenOpen) => "应营业时未开门".into(),
        Some(ReportKind::AmenityBroken) => match amenity.parse::<Amenity>() {
            Ok(a) => format!("{}不能用", a.names().0),
            Err(_) => "设施不能用".into(),
        },
        _ => "其他问题".into(),
    }
}

/// The body posted for `post` in its robot's format.
pub fn body(post: &DuePost, public_url: &str) -> Value {
    let content = text(post, public_url);
    match post.format {
        WebhookFormat::Wecom | WebhookFormat::Dingtalk => {
            json!({"msgtype": "text", "text": {"content": content}})
        }
        WebhookFormat::Json => {
            let (kind, amenity) = post
                .detail
                .split_once(':')
                .map_or((post.detail.as_str(), None), |(k, a)| (k, Some(a)));
            let station = post.station.as_ref().map(|(id, name, district)| {
                json!({
                    "id": id, "name": name, "district": district,
                    "url": format!("{public_url}/stations/{id}"),
                    "manage_url": format!("{public_url}/manage/stations/{id}"),
                })
            });
            let mut v = json!({
                "event": post.event.as_str(),
                "at": post.created_at.to_string(),
                "station": station,
                "text": content,
            });
            if post.event == WebhookEvent::Report {
                v["report"] = json!({"kind": kind, "amenity": amenity});
            }
            v
        }
    }
}

/// Whether the robot took the post: a 2xx answer, and for WeCom and DingTalk (which answer
/// 200 to a refused message) `errcode` 0.
fn taken(format: WebhookFormat, status: reqwest::StatusCode, answer: &[u8]) -> bool {
    status.is_success()
        && match format {
            WebhookFormat::Json => true,
            WebhookFormat::Wecom | WebhookFormat::Dingtalk => {
                serde_json::from_slice::<Value>(answer)
                    .ok()
                    .and_then(|v| v.get("errcode").and_then(Value::as_i64))
                    == Some(0)
            }
        }
}

/// Makes one try of `post`: the answer's status (none when it did not connect) and whether
/// it was taken.
async fn send(client: &reqwest::Client, post: &DuePost, public_url: &str) -> (Option<u16>, bool) {
    let res = client
        .post(&post.url)
        .json(&body(post, public_url))
        .send()
        .await;
    match res {
        Ok(res) => {
            let status = res.status();
            // Robots answer a few bytes; a longer answer is not read past its first chunk.
            let answer = res.bytes().await.unwrap_or_default();
            (Some(status.as_u16()), taken(post.format, status, &answer))
        }
        Err(_) => (None, false),
    }
}

/// What the sender needs: the database, the client and its settings.
#[derive(Clone)]
pub struct Sender {
    /// The database.
    pub db: Db,
    /// The HTTP client.
    pub client: reqwest::Client,
    /// The base of the links in posts.
    pub public_url: String,
    /// The first retry's delay ([`backoff`]).
    pub retry: Duration,
    /// Where tries are counted.
    pub metrics: std::sync::Arc<crate::metrics::Metrics>,
}

impl Sender {
    /// The sender of a running server; `None` when its HTTP client cannot be made.
    pub fn of(state: &AppState) -> Option<Sender> {
        Some(Sender {
            db: state.db.clone(),
            client: client()?,
            public_url: state.settings.public_url.clone(),
            retry: state.settings.webhook_retry,
            metrics: state.metrics.clone(),
        })
    }

    /// Queues a stale post for every station whose status expired since the last scan (the
    /// scan moves in the database, so only one instance queues each).
    pub async fn scan_stale(&self, now: Timestamp) -> Result<usize, DbError> {
        if !self.db.any_webhook().await? {
            return Ok(0);
        }
        let from = self.db.webhook_scanned_to(now).await?;
        if from >= now {
            return Ok(0);
        }
        let after = from.max(now.plus_seconds(-SCAN_HORIZON_SECS));
        let stale = self.db.stations_gone_stale(after, now).await?;
        let unions = if stale.is_empty() {
            Vec::new()
        } else {
            self.db.unions().await?
        };
        let posts: Vec<(StationId, Vec<UnionId>, String)> = stale
            .into_iter()
            .map(|(station, union, confirmed)| {
                let detail = confirmed.map(|t| t.to_string()).unwrap_or_default();
                (station, union_chain(&unions, &union), detail)
            })
            .collect();
        let n = posts.len();
        Ok(if self.db.finish_stale_scan(from, now, &posts).await? {
            n
        } else {
            0
        })
    }

    /// Makes every post due at `now`; how many the robots took.
    pub async fn deliver_due(&self, now: Timestamp) -> Result<usize, DbError> {
        let mut taken_n = 0;
        for post in self.db.due_webhook_posts(now, BATCH).await? {
            let lease = now.plus_seconds(i64::try_from(TIMEOUT.as_secs()).unwrap_or(10) * 3);
            if !self.db.claim_webhook_post(&post, lease).await? {
                continue;
            }
            let (status, ok) = send(&self.client, &post, &self.public_url).await;
            let attempts = post.attempts + 1;
            let after = Timestamp::now();
            let outcome = if ok {
                taken_n += 1;
                TryOutcome::Sent
            } else if attempts >= MAX_ATTEMPTS {
                TryOutcome::GiveUp
            } else {
                // Times are whole seconds: one more makes the wait at least `backoff`.
                let wait = backoff(self.retry, attempts).as_secs();
                TryOutcome::RetryAt(after.plus_seconds(i64::try_from(wait).unwrap_or(3600) + 1))
            };
            self.metrics.webhook_try(match outcome {
                TryOutcome::Sent => "sent",
                TryOutcome::RetryAt(_) => "retry",
                TryOutcome::GiveUp => "given_up",
            });
            // The address holds the robot's key: logs name the post only.
            if !ok {
                tracing::warn!(post = post.id, status, attempts, "webhook post not taken");
            }
            self.db
                .finish_webhook_try(post.id, status, outcome, after)
                .await?;
        }
        Ok(taken_n)
    }
}

/// Starts the sender: a scan and a round of posts every `every`, and at once when `wake` is
/// notified (a report was queued on this instance). Abort the handle to stop it.
pub fn spawn(state: AppState, every: Duration) -> JoinHandle<()> {
    let sender = Sender::of(&state);
    let wake = state.webhooks.clone();
    tokio::spawn(async move {
        let Some(sender) = sender else {
            // Posts stay queued in the database for a server that can send them.
            tracing::error!(
                "no HTTP client for group-chat robots (TLS did not start); not posting"
            );
            return;
        };
        loop {
            let now = Timestamp::now();
            if let Err(e) = sender.scan_stale(now).await {
                tracing::error!(error = %e, "stale scan failed");
            }
            if let Err(e) = sender.deliver_due(now).await {
                tracing::error!(error = %e, "webhook round failed");
            }
            tokio::select! {
                () = wake.notified() => {}
                () = tokio::time::sleep(every) => {}
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(format: WebhookFormat, event: WebhookEvent, detail: &str) -> DuePost {
        DuePost {
            id: 1,
            next_at: 0,
            attempts: 0,
            url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k".into(),
            format,
            event,
            detail: detail.into(),
            station: Some(("bj-1".into(), "望京驿站".into(), "朝阳区".into())),
            created_at: Timestamp::from_unix(1_780_000_000),
        }
    }

    #[test]
    fn wecom_and_dingtalk_get_a_text_message_naming_the_station_and_the_fault() {
        for f in [WebhookFormat::Wecom, WebhookFormat::Dingtalk] {
            let b = body(
                &post(f, WebhookEvent::Report, "amenity_broken:microwave"),
                "https://yz.example",
            );
            assert_eq!(b["msgtype"], "text");
            assert_eq!(
                b["text"]["content"],
                "【驿站】望京驿站（朝阳区）有骑手报告：热饭不能用。请站长查看：https://yz.example/manage/stations/bj-1"
            );
        }
    }

    #[test]
    fn plain_json_carries_codes_and_links() {
        let b = body(
            &post(
                WebhookFormat::Json,
                WebhookEvent::Report,
                "closed_when_open",
            ),
            "https://yz.example",
        );
        assert_eq!(b["event"], "report");
        assert_eq!(b["report"]["kind"], "closed_when_open");
        assert_eq!(b["report"]["amenity"], Value::Null);
        assert_eq!(b["station"]["url"], "https://yz.example/stations/bj-1");
        assert_eq!(b["at"], "2026-05-28T20:26:40Z");
    }

    #[test]
    fn a_stale_post_says_when_it_was_last_confirmed_in_beijing_time() {
        let t = text(
            &post(WebhookFormat::Wecom, WebhookEvent::Stale, "1780000000"),
            "https://yz.example",
        );
        assert!(t.contains("上次确认 2026-05-29 04:26"), "{t}");
        let never = text(
            &post(WebhookFormat::Wecom, WebhookEvent::Stale, ""),
            "https://yz.example",
        );
        assert!(!never.contains("上次确认"), "{never}");
    }

    #[test]
    fn robots_that_answer_200_with_an_error_code_did_not_take_it() {
        let ok = reqwest::StatusCode::OK;
        assert!(taken(
            WebhookFormat::Wecom,
            ok,
            br#"{"errcode":0,"errmsg":"ok"}"#
        ));
        assert!(!taken(
            WebhookFormat::Dingtalk,
            ok,
            br#"{"errcode":310000,"errmsg":"keywords not in content"}"#
        ));
        assert!(!taken(WebhookFormat::Wecom, ok, b"not json"));
        assert!(taken(
            WebhookFormat::Json,
            reqwest::StatusCode::NO_CONTENT,
            b""
        ));
        assert!(!taken(
            WebhookFormat::Json,
            reqwest::StatusCode::BAD_GATEWAY,
            b""
        ));
    }

    #[test]
    fn retries_wait_twice_as_long_each_time_up_to_an_hour() {
        let base = Duration::from_secs(30);
        assert_eq!(backoff(base, 1), Duration::from_secs(30));
        assert_eq!(backoff(base, 2), Duration::from_secs(60));
        assert_eq!(backoff(base, 5), Duration::from_secs(480));
        assert_eq!(backoff(base, 40), Duration::from_secs(3600));
    }
}
