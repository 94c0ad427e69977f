//! `GET /api/docs`: the API described for people, rendered on the server from the same OpenAPI
//! document as `/api/v1/openapi.json`: every path and method with its summary, description,
//! parameters, request body and answers. All text is escaped; the page has no script and takes
//! its few styles from `/api/docs.css` (the CSP allows styles from this origin only).

use std::fmt::Write as _;
use std::sync::OnceLock;

use axum::http::{header, HeaderValue};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{OpenApi as Document, RefOr, Required};
use utoipa::OpenApi as _;
use yizhan_core::html::escape_html;

use super::openapi::ApiDoc;
use crate::state::AppState;

/// The page's styles: small, and a file so that no inline style is needed.
const CSS: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:0 1rem 3rem;color:#1f1f1f}\
section{border-top:1px solid #dadce0;margin-top:1.5rem}\
h2 code{font-size:1rem}.method{display:inline-block;min-width:4.5rem;font-family:monospace;color:#b3261e}\
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:4px 8px;border-bottom:1px solid #e8eaed}\
code{background:#f1f3f4;padding:0 3px;border-radius:3px}nav li{font-family:monospace}";

/// `/api/docs` and its stylesheet.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/docs", get(page))
        .route("/api/docs.css", get(css))
}

/// The rendered page; built once, since the document is fixed at compile time.
pub async fn page() -> Response {
    static PAGE: OnceLock<String> = OnceLock::new();
    let html = PAGE.get_or_init(|| render(&ApiDoc::openapi())).clone();
    no_cache(Html(html).into_response())
}

async fn css() -> Response {
    let mut res = CSS.into_response();
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/css; charset=utf-8"),
    );
    no_cache(res)
}

/// A new release may describe new endpoints: revalidate rather than keep an old copy.
fn no_cache(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    res
}

/// Escaped text, with `code` spans of the doc comments as `<code>` and blank lines as paragraphs.
fn prose(text: &str) -> String {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            let spans: String = escape_html(p.trim())
                .split('`')
                .enumerate()
                .map(|(i, part)| {
                    if i % 2 == 1 {
                        format!("<code>{part}</code>")
                    } else {
                        part.to_owned()
                    }
                })
                .collect();
            format!("<p>{spans}</p>")
        })
        .collect()
}

fn operations(item: &utoipa::openapi::PathItem) -> [(&'static str, Option<&Operation>); 8] {
    [
        ("GET", item.get.as_ref()),
        ("POST", item.post.as_ref()),
        ("PUT", item.put.as_ref()),
        ("PATCH", item.patch.as_ref()),
        ("DELETE", item.delete.as_ref()),
        ("HEAD", item.head.as_ref()),
        ("OPTIONS", item.options.as_ref()),
        ("TRACE", item.trace.as_ref()),
    ]
}

/// An anchor id from a method and path: letters, digits and dashes.
fn anchor(method: &str, path: &str) -> String {
    let mut id = method.to_ascii_lowercase();
    for c in path.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_owned()
}

fn location(p: &ParameterIn) -> &'static str {
    match p {
        ParameterIn::Query => "query",
        ParameterIn::Path => "path",
        ParameterIn::Header => "header",
        ParameterIn::Cookie => "cookie",
    }
}

fn operation(out: &mut String, method: &str, path: &str, op: &Operation) {
    let (m, p) = (escape_html(method), escape_html(path));
    let _ = write!(
        out,
        "<section id=\"{}\"><h2><span class=\"method\">{m}</span> <code>{p}</code></h2>",
        anchor(method, path)
    );
    if let Some(s) = &op.summary {
        out.push_str(&prose(s));
    }
    if let Some(d) = &op.description {
        out.push_str(&prose(d));
    }
    if let Some(params) = op.parameters.as_ref().filter(|p| !p.is_empty()) {
        out.push_str("<h3>Parameters</h3><table><thead><tr><th>name</th><th>in</th><th>required</th><th>description</th></tr></thead><tbody>");
        for param in params {
            let required = if matches!(param.required, Required::True) {
                "yes"
            } else {
                "no"
            };
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{required}</td><td>{}</td></tr>",
                escape_html(&param.name),
                location(&param.parameter_in),
                param.description.as_deref().map(prose).unwrap_or_default()
            );
        }
        out.push_str("</tbody></table>");
    }
    if let Some(body) = &op.request_body {
        out.push_str("<h3>Request body</h3>");
        if let Some(d) = &body.description {
            out.push_str(&prose(d));
        }
        let types: Vec<String> = body
            .content
            .keys()
            .map(|t| format!("<code>{}</code>", escape_html(t)))
            .collect();
        if !types.is_empty() {
            let _ = write!(out, "<p>{}</p>", types.join(", "));
        }
    }
    out.push_str("<h3>Responses</h3><table><thead><tr><th>status</th><th>description</th></tr></thead><tbody>");
    for (status, response) in &op.responses.responses {
        let description = match response {
            RefOr::T(r) => prose(&r.description),
            RefOr::Ref(r) => format!("<p>see <code>{}</code></p>", escape_html(&r.ref_location)),
        };
        let _ = write!(
            out,
            "<tr><td>{}</td><td>{description}</td></tr>",
            escape_html(status)
        );
    }
    out.push_str("</tbody></table></section>");
}

/// The whole page for `doc`.
pub fn render(doc: &Document) -> String {
    let title = escape_html(&doc.info.title);
    let mut out = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/api/docs.css\"></head><body>\
         <h1>{title} <small>{}</small></h1>",
        escape_html(&doc.info.version)
    );
    if let Some(d) = &doc.info.description {
        out.push_str(&prose(d));
    }
    out.push_str(
        "<p>Machine-readable: <a href=\"/api/v1/openapi.json\"><code>/api/v1/openapi.json</code></a> (OpenAPI 3).</p><nav><ul>",
    );
    for (path, item) in &doc.paths.paths {
        for (method, _) in operations(item).iter().filter(|(_, op)| op.is_some()) {
            let _ = write!(
                out,
                "<li><a href=\"#{}\">{method} {}</a></li>",
                anchor(method, path),
                escape_html(path)
            );
        }
    }
    out.push_str("</ul></nav>");
    for (path, item) in &doc.paths.paths {
        for (method, op) in operations(item) {
            if let Some(op) = op {
                operation(&mut out, method, path, op);
            }
        }
    }
    out.push_str("</body></html>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_escapes_markup_and_turns_backticks_into_code() {
        assert_eq!(
            prose("Sets `If-Match` <b>&</b>\n\nSecond"),
            "<p>Sets <code>If-Match</code> &lt;b&gt;&amp;&lt;/b&gt;</p><p>Second</p>"
        );
    }

    #[test]
    fn anchors_are_letters_digits_and_dashes() {
        assert_eq!(
            anchor("PATCH", "/api/v1/stations/{id}/status"),
            "patch-api-v1-stations-id-status"
        );
    }
}
