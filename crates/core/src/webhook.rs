//! A union's group-chat robot (群机器人): where the server posts new fault reports on the
//! union's stations and stations whose status has gone stale, so managers hear of problems
//! without polling. WeCom (企业微信) and DingTalk (钉钉) robots take their own message formats;
//! anything else can take plain JSON.

use serde::{Deserialize, Serialize};

use crate::field::{FieldCode, FieldErrors};
use crate::time::Timestamp;

/// Longest robot address, in characters.
pub const URL_MAX_CHARS: usize = 500;

/// The message format a robot takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookFormat {
    /// 企业微信群机器人: `{"msgtype":"text","text":{"content":…}}`, answered `{"errcode":0}`.
    Wecom,
    /// 钉钉群机器人: the same text message shape, answered `{"errcode":0}`.
    Dingtalk,
    /// Plain JSON: the event with its fields, for any other receiver.
    Json,
}

impl WebhookFormat {
    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookFormat::Wecom => "wecom",
            WebhookFormat::Dingtalk => "dingtalk",
            WebhookFormat::Json => "json",
        }
    }

    /// Parses a wire code.
    pub fn parse(s: &str) -> Option<WebhookFormat> {
        match s {
            "wecom" => Some(WebhookFormat::Wecom),
            "dingtalk" => Some(WebhookFormat::Dingtalk),
            "json" => Some(WebhookFormat::Json),
            _ => None,
        }
    }
}

/// `PUT /api/v1/admin/unions/{id}/webhook`: the robot's address and format.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDraft {
    /// The robot's address as the chat app gives it, e.g.
    /// `https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…`.
    pub url: String,
    /// Its message format.
    pub format: WebhookFormat,
}

impl WebhookDraft {
    /// The draft with its address trimmed, or the problem by field (`url`). Only `https://`
    /// addresses are taken unless `allow_http` (a test or a robot on the same private network).
    pub fn validate(&self, allow_http: bool) -> Result<WebhookDraft, FieldErrors> {
        let url = self.url.trim();
        let code = if url.is_empty() {
            Some(FieldCode::Missing)
        } else if url.chars().count() > URL_MAX_CHARS {
            Some(FieldCode::TooLong)
        } else if !is_robot_url(url, allow_http) {
            Some(FieldCode::Invalid)
        } else {
            None
        };
        match code {
            Some(code) => Err(FieldErrors::from([("url".to_owned(), code)])),
            None => Ok(WebhookDraft {
                url: url.to_owned(),
                format: self.format,
            }),
        }
    }
}

/// Whether `url` is an https (or, when allowed, http) address with a host and printable ASCII
/// only, and no user name or password in it.
fn is_robot_url(url: &str, allow_http: bool) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://").filter(|_| allow_http));
    rest.is_some_and(|rest| {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = authority.split(':').next().unwrap_or("");
        !host.is_empty() && !authority.contains('@') && rest.chars().all(|c| c.is_ascii_graphic())
    })
}

/// The address as staff may see it again: the robot's key (in its query or path) is a
/// password to the group chat, so only the origin and the last four characters are shown,
/// e.g. `https://qyapi.weixin.qq.com/…9f3a`.
pub fn shown_url(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let after: Vec<char> = rest[authority.len()..].chars().collect();
    // Four characters tell two robots apart; a short path shows none of itself.
    let tail: String = match after.len() {
        0 => return format!("{scheme}://{authority}"),
        n if n > 8 => after[n - 4..].iter().collect(),
        _ => String::new(),
    };
    format!("{scheme}://{authority}/…{tail}")
}

/// What a post is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum WebhookEvent {
    /// A rider reported a fault at a station.
    Report,
    /// A station's status passed its expiry without a manager confirming it.
    Stale,
    /// An admin asked for a test message.
    Test,
}

impl WebhookEvent {
    /// The wire code.
    pub fn as_str(self) -> &'static str {
        match self {
            WebhookEvent::Report => "report",
            WebhookEvent::Stale => "stale",
            WebhookEvent::Test => "test",
        }
    }

    /// Parses a wire code.
    pub fn parse(s: &str) -> Option<WebhookEvent> {
        match s {
            "report" => Some(WebhookEvent::Report),
            "stale" => Some(WebhookEvent::Stale),
            "test" => Some(WebhookEvent::Test),
            _ => None,
        }
    }
}

/// Where a post stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum DeliveryState {
    /// Not yet taken by the robot: the next try is due.
    Waiting,
    /// The robot took it.
    Sent,
    /// Every try failed; no more are made.
    Failed,
}

/// One post to the robot, as its union's admins see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookDelivery {
    /// What it is about.
    pub event: WebhookEvent,
    /// The station's name (none for a test).
    pub station: Option<String>,
    /// When it happened.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub created_at: Timestamp,
    /// Where the post stands.
    pub state: DeliveryState,
    /// Tries made so far.
    pub attempts: u32,
    /// The HTTP status of the last try (none when it did not connect).
    pub last_status: Option<u16>,
}

/// `GET /api/v1/admin/unions/{id}/webhook`: the robot (its address shown without its key) and
/// the latest posts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookView {
    /// The address with its key hidden ([`shown_url`]); none when no robot is set.
    pub url: Option<String>,
    /// Its format; none when no robot is set.
    pub format: Option<WebhookFormat>,
    /// The latest posts, newest first (at most 20).
    pub deliveries: Vec<WebhookDelivery>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(url: &str) -> WebhookDraft {
        WebhookDraft {
            url: url.into(),
            format: WebhookFormat::Wecom,
        }
    }

    fn problem(url: &str, allow_http: bool) -> Option<FieldCode> {
        draft(url)
            .validate(allow_http)
            .err()
            .and_then(|e| e.get("url").copied())
    }

    #[test]
    fn robot_addresses_of_wecom_and_dingtalk_are_taken_trimmed() {
        let ok = draft("  https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx ")
            .validate(false)
            .expect("valid");
        assert_eq!(
            ok.url,
            "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx"
        );
        assert_eq!(
            problem(
                "https://oapi.dingtalk.com/robot/send?access_token=abc",
                false
            ),
            None
        );
    }

    #[test]
    fn plain_http_other_schemes_credentials_and_spaces_are_refused() {
        assert_eq!(problem("", false), Some(FieldCode::Missing));
        assert_eq!(
            problem("http://127.0.0.1:9/hook", false),
            Some(FieldCode::Invalid)
        );
        assert_eq!(problem("http://127.0.0.1:9/hook", true), None);
        for bad in [
            "ftp://example.com/x",
            "https://",
            "https:///path",
            "https://user:pw@example.com/x",
            "https://example.com/a b",
            "javascript:alert(1)",
            "https://例子.com/x",
        ] {
            assert_eq!(problem(bad, true), Some(FieldCode::Invalid), "{bad}");
        }
        let long = format!("https://example.com/{}", "a".repeat(URL_MAX_CHARS));
        assert_eq!(problem(&long, false), Some(FieldCode::TooLong));
    }

    #[test]
    fn a_shown_address_keeps_the_origin_and_hides_the_key() {
        assert_eq!(
            shown_url("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-9f3a"),
            "https://qyapi.weixin.qq.com/…9f3a"
        );
        assert_eq!(shown_url("http://127.0.0.1:8/"), "http://127.0.0.1:8/…");
        assert_eq!(shown_url("https://example.com"), "https://example.com");
    }

    #[test]
    fn codes_read_back() {
        for f in [
            WebhookFormat::Wecom,
            WebhookFormat::Dingtalk,
            WebhookFormat::Json,
        ] {
            assert_eq!(WebhookFormat::parse(f.as_str()), Some(f));
        }
        for e in [
            WebhookEvent::Report,
            WebhookEvent::Stale,
            WebhookEvent::Test,
        ] {
            assert_eq!(WebhookEvent::parse(e.as_str()), Some(e));
        }
    }
}
