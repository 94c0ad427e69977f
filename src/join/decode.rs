//! What the scanner does with a frame and with the text in it: camera pixels to greyscale to a
//! QR code's text (with `rqrr`, where the browser has no `BarcodeDetector`), and that text to
//! the place in this deployment it points at. Only `/join` (with its station) and
//! `/stations/{id}` on this deployment's own origins are followed; the destination is rebuilt
//! from the parts that passed, never taken from the scanned text.

use yizhan_core::StationId;

/// Where a scanned code leads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// This deployment's application form, crediting a station when the code names a valid one.
    Join(Option<StationId>),
    /// A station's page in the rider app.
    Station(StationId),
    /// Anything else: shown as text, never opened.
    Foreign,
}

/// The decoded text of the first readable QR code in an RGBA frame (`width` × `height`, as a
/// canvas's `ImageData` holds it).
pub fn qr_text(width: usize, height: usize, rgba: &[u8]) -> Option<String> {
    if width == 0 || height == 0 || rgba.len() < width * height * 4 {
        return None;
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| {
        let i = (y * width + x) * 4;
        // ITU-R BT.601 luma in integer arithmetic: (77 R + 150 G + 29 B) / 256.
        let luma =
            (77 * u32::from(rgba[i]) + 150 * u32::from(rgba[i + 1]) + 29 * u32::from(rgba[i + 2]))
                >> 8;
        u8::try_from(luma).unwrap_or(u8::MAX)
    });
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

/// One address this deployment answers at: an origin (`scheme://host[:port]`, lower-cased)
/// and a path prefix (empty, or e.g. `/yizhan` when the public URL has one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base {
    origin: String,
    path: String,
}

impl Base {
    /// Reads `https://yizhan.example.org` or `https://union.example.org/yizhan/`; `None` for
    /// text that is not an http(s) URL.
    pub fn parse(url: &str) -> Option<Base> {
        let url = url.trim().trim_end_matches('/');
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "https" && scheme != "http" {
            return None;
        }
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if host.is_empty() || host.contains(['@', '\\', '?', '#']) {
            return None;
        }
        Some(Base {
            origin: format!("{scheme}://{}", host.to_ascii_lowercase()),
            path: path.to_owned(),
        })
    }

    /// What follows this base in `text` (a path, query or fragment, or nothing), when `text`
    /// starts with it and the base ends where a host or path segment ends: not
    /// `https://yizhan.org.evil.com`, `https://yizhan.org@evil.com` or `https://yizhan.org:8443`.
    fn rest<'t>(&self, text: &'t str) -> Option<&'t str> {
        let head = text.get(..self.origin.len())?;
        if !head.eq_ignore_ascii_case(&self.origin) {
            return None;
        }
        let rest = text[self.origin.len()..].strip_prefix(self.path.as_str())?;
        (rest.is_empty() || rest.starts_with(['/', '?', '#'])).then_some(rest)
    }
}

/// Where `text` leads, given the bases this deployment answers at.
pub fn classify(text: &str, bases: &[Base]) -> Target {
    let text = text.trim();
    bases
        .iter()
        .find_map(|b| b.rest(text))
        .map_or(Target::Foreign, route)
}

/// The target of a path with its query (after a base): `/join?station=…` or `/stations/{id}`.
fn route(rest: &str) -> Target {
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    let path = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    if path == yizhan_core::pages::JOIN {
        let station = query
            .split('&')
            .filter_map(|pair| pair.strip_prefix("station="))
            .find_map(|id| StationId::parse(id).ok());
        return Target::Join(station);
    }
    match yizhan_core::pages::station_id(path).map(StationId::parse) {
        Some(Ok(id)) => Target::Station(id),
        _ => Target::Foreign,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bases() -> Vec<Base> {
        ["https://yizhan.example.org/", "http://127.0.0.1:8080"]
            .iter()
            .filter_map(|b| Base::parse(b))
            .collect()
    }

    fn id(s: &str) -> StationId {
        StationId::parse(s).expect("id")
    }

    #[test]
    fn a_poster_code_opens_the_form_for_its_station() {
        assert_eq!(
            classify(
                "https://yizhan.example.org/join?station=bj-chaoyang-0001",
                &bases()
            ),
            Target::Join(Some(id("bj-chaoyang-0001")))
        );
        assert_eq!(
            classify(
                "HTTPS://Yizhan.Example.org/join/?lang=en&station=x1#top",
                &bases()
            ),
            Target::Join(Some(id("x1")))
        );
        assert_eq!(
            classify("http://127.0.0.1:8080/join", &bases()),
            Target::Join(None)
        );
    }

    #[test]
    fn a_station_link_opens_its_page() {
        assert_eq!(
            classify("https://yizhan.example.org/stations/bj-1", &bases()),
            Target::Station(id("bj-1"))
        );
    }

    #[test]
    fn a_bad_station_id_in_a_join_code_opens_the_form_without_it() {
        assert_eq!(
            classify(
                "https://yizhan.example.org/join?station=%3Cscript%3E",
                &bases()
            ),
            Target::Join(None)
        );
    }

    #[test]
    fn codes_for_other_sites_or_other_paths_are_not_followed() {
        for text in [
            "https://evil.example.com/join?station=a",
            "https://yizhan.example.org.evil.com/join",
            "https://yizhan.example.org@evil.com/join",
            "https://yizhan.example.org:8443/join",
            "http://yizhan.example.org/join",
            "https://yizhan.example.org/admin",
            "https://yizhan.example.org/stations/",
            "https://yizhan.example.org/stations/a/b",
            "https://yizhan.example.org/joinus",
            "javascript:alert(1)",
            "yizhan.example.org/join",
            "WIFI:S:station;T:WPA;P:secret;;",
            "",
        ] {
            assert_eq!(classify(text, &bases()), Target::Foreign, "{text}");
        }
    }

    #[test]
    fn a_base_with_a_path_prefix_needs_it() {
        let bases = vec![Base::parse("https://union.example.org/yizhan/").expect("base")];
        assert_eq!(
            classify("https://union.example.org/yizhan/join?station=a", &bases),
            Target::Join(Some(id("a")))
        );
        assert_eq!(
            classify("https://union.example.org/join", &bases),
            Target::Foreign
        );
        assert_eq!(
            classify("https://union.example.org/YIZHAN/join", &bases),
            Target::Foreign
        );
    }

    #[test]
    fn only_http_bases_count() {
        assert_eq!(Base::parse("ftp://x"), None);
        assert_eq!(Base::parse("not a url"), None);
        assert_eq!(Base::parse(""), None);
        assert_eq!(Base::parse("https://a@b"), None);
    }

    proptest::proptest! {
        #[test]
        fn whatever_a_code_holds_is_classified_never_a_panic(text in "\\PC{0,300}", base in "\\PC{0,60}") {
            let mut all = bases();
            all.extend(Base::parse(&base));
            let _ = classify(&text, &all);
        }

        #[test]
        fn any_frame_is_read_or_passed_over(
            w in 0usize..40, h in 0usize..40, pixels in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..6400),
        ) {
            let _ = qr_text(w, h, &pixels);
        }
    }
}
