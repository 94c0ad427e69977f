//! The language of an answer: `lang` in the query, else `Accept-Language`, else zh-CN.

use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

/// A language the server answers in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// Simplified Chinese, the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// Picks the language for a request.
    pub fn of(parts: &Parts) -> Lang {
        Lang::from_query(parts.uri.query()).unwrap_or_else(|| Lang::from_headers(&parts.headers))
    }

    fn from_query(query: Option<&str>) -> Option<Lang> {
        query?.split('&').find_map(|pair| match pair {
            "lang=en" => Some(Lang::En),
            "lang=zh" => Some(Lang::Zh),
            _ => None,
        })
    }

    /// The best of zh/en in `Accept-Language` by its q-values; zh on a tie or when neither is asked.
    pub fn from_headers(headers: &HeaderMap) -> Lang {
        let Some(value) = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
        else {
            return Lang::Zh;
        };
        let mut best: Option<(f32, Lang)> = None;
        for item in value.split(',') {
            let mut parts = item.split(';');
            let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let lang = if tag.starts_with("zh") {
                Lang::Zh
            } else if tag.starts_with("en") {
                Lang::En
            } else {
                continue;
            };
            if best.is_none_or(|(bq, _)| q > bq) {
                best = Some((q, lang));
            }
        }
        best.map_or(Lang::Zh, |(_, l)| l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn accept(v: &str) -> Lang {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(v).expect("header"),
        );
        Lang::from_headers(&h)
    }

    #[test]
    fn english_browser_gets_english() {
        assert_eq!(accept("en-US,en;q=0.9"), Lang::En);
    }

    #[test]
    fn chinese_preferred_over_english_by_q_value() {
        assert_eq!(accept("en;q=0.5,zh-CN;q=0.9"), Lang::Zh);
        assert_eq!(accept("fr-FR"), Lang::Zh);
    }

    #[test]
    fn lang_parameter_beats_the_header() {
        assert_eq!(Lang::from_query(Some("q=x&lang=en")), Some(Lang::En));
        assert_eq!(Lang::from_query(Some("lang=fr")), None);
    }
}
