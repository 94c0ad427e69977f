//! The one HTML escaper, for the few texts that must leave as HTML: the server's page shell and
//! API docs, Leaflet's attribution setting, the embed snippet a union pastes. The browser's own
//! DOM takes text nodes instead.

/// Text made safe inside HTML, as element content or a quoted attribute value: `&`, `<`, `>`,
/// `"` and `'` become character references (`&` first, so nothing is escaped twice).
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_html;

    #[test]
    fn escape_replaces_every_character_that_can_end_an_attribute_or_open_a_tag() {
        assert_eq!(
            escape_html(r#"a&b<c>d"e'f"#),
            "a&amp;b&lt;c&gt;d&quot;e&#39;f"
        );
    }

    #[test]
    fn escape_does_not_escape_twice_or_touch_chinese() {
        assert_eq!(escape_html("&amp; 朝阳区总工会"), "&amp;amp; 朝阳区总工会");
    }

    #[test]
    fn a_tile_attribution_with_a_link_shows_as_text() {
        assert_eq!(
            escape_html("© <a href=x>OSM</a>"),
            "© &lt;a href=x&gt;OSM&lt;/a&gt;"
        );
    }
}
