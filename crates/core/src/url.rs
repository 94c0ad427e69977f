//! Percent-encoding for query values and path segments: one encoder for the links the pages,
//! the embed builder and the hand-offs write.

/// Percent-encodes everything but RFC 3986's unreserved characters, byte by byte of the UTF-8
/// (what `encodeURIComponent` does, less its `!'()*`).
pub fn encode_component(value: &str) -> String {
    encode(value, false)
}

/// [`encode_component`], but `,` stays: lists use it and every browser leaves it as it is.
pub fn encode_query_value(value: &str) -> String {
    encode(value, true)
}

fn encode(value: &str, keep_comma: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'.' | b'_' | b'~')
            || (keep_comma && b == b',')
        {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        }
    }
    out
}

/// `name=value` pairs as a query string without the `?`, values encoded by
/// [`encode_query_value`].
pub fn query_string<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = String::new();
    for (name, value) in pairs {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(name);
        out.push('=');
        out.push_str(&encode_query_value(value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_is_encoded_as_utf8_bytes() {
        assert_eq!(encode_component("朝阳"), "%E6%9C%9D%E9%98%B3");
        assert_eq!(encode_component("a b&c=d,e"), "a%20b%26c%3Dd%2Ce");
    }

    #[test]
    fn query_values_keep_their_commas() {
        assert_eq!(
            query_string([("amenities", "water,toilet"), ("q", "a+b")]),
            "amenities=water,toilet&q=a%2Bb"
        );
    }
}
