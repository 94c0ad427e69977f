//! `GET /api/docs`: the OpenAPI document rendered as a page for people.

use crate::helpers::TestApp;

#[tokio::test]
async fn api_docs_page_lists_every_operation_of_the_openapi_document() {
    // Given the server and its machine-readable description
    let app = TestApp::spawn().await;
    let spec = app.get_json("/api/v1/openapi.json").await;
    // When someone opens the docs page
    let res = app.get("/api/docs").await;
    // Then it is HTML under the pages' CSP, never framed
    assert_eq!(res.status(), 200);
    let content_type = res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    assert_eq!(
        res.headers().get("x-frame-options").map(|v| v.as_bytes()),
        Some(&b"DENY"[..])
    );
    let html = res.text().await.expect("html");
    // And every path and method of the document has its section, with its answers
    let paths = spec["paths"].as_object().expect("paths");
    assert!(paths.len() > 10);
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                let heading = format!(
                    "<span class=\"method\">{}</span> <code>{}</code>",
                    method.to_uppercase(),
                    path
                );
                assert!(html.contains(&heading), "missing {heading}");
            }
        }
    }
    // Parameters with where they go, and status codes with what they mean
    assert!(html.contains("<td><code>near</code></td><td>query</td><td>no</td>"));
    assert!(html.contains("<td><code>id</code></td><td>path</td><td>yes</td>"));
    assert!(html.contains(
        "<tr><td>304</td><td><p>Unchanged since the ETag in If-None-Match</p></td></tr>"
    ));
    // No script, no inline style: the page's styles come from a file the CSP allows
    assert!(!html.contains("<script"));
    assert!(!html.contains("style="));
    assert!(html.contains("<link rel=\"stylesheet\" href=\"/api/docs.css\">"));
    let css = app.get("/api/docs.css").await;
    assert_eq!(css.status(), 200);
    assert!(css
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/css")));
}

#[tokio::test]
async fn api_docs_text_is_escaped() {
    // Given a description with markup in it (the station list's `bbox` uses none, so build one)
    let mut doc = <yizhan_server::routes::openapi::ApiDoc as utoipa::OpenApi>::openapi();
    doc.info.description = Some("<script>alert(1)</script> & `code`".into());
    doc.info.title = "<b>API</b>".into();
    // When it is rendered
    let html = yizhan_server::routes::api_docs::render(&doc);
    // Then the markup shows as text
    assert!(!html.contains("<script>"));
    assert!(!html.contains("<b>API"));
    assert!(html.contains("<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; <code>code</code></p>"));
    assert!(html.contains("<title>&lt;b&gt;API&lt;/b&gt;</title>"));
}
