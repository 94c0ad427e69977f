//! Percent-encoding and query strings: one encoder for the links the pages, the embed builder
//! and the hand-offs write, one writer for the queries core writes back, and the reading of a
//! query both the server and the browser must agree on.

/// Percent-encodes everything but RFC 3986's unreserved characters, byte by byte of the UTF-8
/// (what `encodeURIComponent` does, less its `!'()*`).
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    encode_into(&mut out, value, false);
    out
}

fn encode_into(out: &mut String, value: &str, keep_comma: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
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
}

/// A query string being written, without the `?`: `name=value` pairs joined by `&`. (One
/// buffer and no list of pairs: this code ships in the rider's first view.)
#[derive(Debug, Default)]
pub struct QueryWriter(String);

impl QueryWriter {
    /// Starts a pair and returns the buffer to write its value into as it is: for numbers and
    /// codes, which never need encoding.
    pub fn plain(&mut self, name: &str) -> &mut String {
        if !self.0.is_empty() {
            self.0.push('&');
        }
        self.0.push_str(name);
        self.0.push('=');
        &mut self.0
    }

    /// A pair whose value is text, percent-encoded but for `,` (lists use it and every browser
    /// leaves it as it is).
    pub fn text(&mut self, name: &str, value: &str) {
        encode_into(self.plain(name), value, true);
    }

    /// A pair whose value is numbers joined by `,`, each to 7 decimals (about a centimetre of
    /// latitude) without trailing zeros, which never needs encoding. (Printed as scaled
    /// integers: Rust's float printer weighs about 5 KB brotli in the rider's first view.)
    pub fn numbers(&mut self, name: &str, values: &[f64]) {
        let out = self.plain(name);
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            crate::decimal::write_trimmed(out, *v, 7);
        }
    }

    /// The query string.
    pub fn finish(self) -> String {
        self.0
    }
}

/// Whether `/embed`'s decoded query `pairs` name a station: the first `station` is there and
/// not empty. The server opens the station bundle on it and the browser shows the station's
/// page on it, so the two cannot disagree. Generic over the pair types so each side passes what
/// its decoder gives (`Cow<str>` on the server, `String` in the browser) without copying.
pub fn names_station<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> bool
where
    K: AsRef<str>,
    V: AsRef<str>,
{
    pairs
        .into_iter()
        .find(|(k, _)| k.as_ref() == "station")
        .is_some_and(|(_, v)| !v.as_ref().is_empty())
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
    fn query_values_keep_their_commas_and_plain_values_stay_as_written() {
        let mut w = QueryWriter::default();
        w.text("amenities", "water,toilet");
        w.text("q", "a+b");
        w.plain("zoom").push_str("12");
        w.numbers("near", &[39.9, 116.0]);
        assert_eq!(
            w.finish(),
            "amenities=water,toilet&q=a%2Bb&zoom=12&near=39.9,116"
        );
    }

    #[test]
    fn the_embed_names_a_station_only_with_a_non_empty_first_station() {
        let names = |pairs: &[(&str, &str)]| names_station(pairs.iter().copied());
        assert!(names(&[("station", "bj-cy-0001")]));
        assert!(names(&[("lang", "en"), ("station", "bj-cy")]));
        assert!(!names(&[]));
        assert!(!names(&[("station", "")]));
        assert!(!names(&[("stations", "x"), ("amenities", "water")]));
        // The first one counts, as the browser reads a parameter.
        assert!(!names(&[("station", ""), ("station", "bj-cy-0001")]));
        assert!(names(&[("station", "bj-cy-0001"), ("station", "")]));
    }
}
