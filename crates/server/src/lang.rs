//! The language of an answer, read from a request: `lang` in the query, else
//! `Accept-Language`, else zh-CN. The rules are core's [`Lang`]; this is only the axum glue.

use axum::http::header;
use axum::http::request::Parts;
use yizhan_core::Lang;

/// Picks the language for a request.
pub fn of(parts: &Parts) -> Lang {
    Lang::from_query(parts.uri.query()).unwrap_or_else(|| {
        parts
            .headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map_or(Lang::Zh, Lang::from_accept_language)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;

    fn parts(uri: &str, accept: Option<&str>) -> Parts {
        let mut req = Request::builder().uri(uri);
        if let Some(v) = accept {
            req = req.header(header::ACCEPT_LANGUAGE, v);
        }
        req.body(()).expect("request").into_parts().0
    }

    #[test]
    fn the_query_beats_the_header_and_zh_is_the_default() {
        assert_eq!(of(&parts("/x?lang=en", Some("zh-CN"))), Lang::En);
        assert_eq!(of(&parts("/x?lang=zh", Some("en"))), Lang::Zh);
        assert_eq!(of(&parts("/x", Some("en-US,en;q=0.9"))), Lang::En);
        assert_eq!(of(&parts("/x?lang=fr", None)), Lang::Zh);
    }

    #[test]
    fn a_header_that_is_not_text_is_chinese() {
        let mut p = parts("/x", None);
        p.headers.insert(
            header::ACCEPT_LANGUAGE,
            axum::http::HeaderValue::from_bytes(b"en\xff").expect("opaque bytes"),
        );
        assert_eq!(of(&p), Lang::Zh);
    }
}
