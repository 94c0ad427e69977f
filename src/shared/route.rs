//! Each bundle's router: the page's path and query as signals, links to the bundle's own pages
//! followed with `history.pushState`, and back/forward through `popstate`. A bundle says which
//! pages it owns; a link or a `navigate` anywhere else is the browser's (another bundle on the
//! same origin loads), so no link needs a marker. A few routes per bundle need no more than
//! this, and leptos_router cost the map's first view about 12 KB brotli (its matching, nested
//! views and URL types).

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Where the page is: path and query (without `?`), as the address bar shows them.
#[derive(Clone, Copy)]
pub struct Location {
    /// `location.pathname`.
    pub pathname: Memo<String>,
    /// `location.search` without its `?`.
    pub search: Memo<String>,
    url: RwSignal<(String, String)>,
    owns: Owns,
}

/// Whether this bundle draws the page at a path and query (without `?`).
pub type Owns = fn(&str, &str) -> bool;

impl Location {
    /// The query's pairs, decoded, in order.
    pub fn query(self) -> Memo<Vec<(String, String)>> {
        Memo::new(move |_| self.search.with(|s| parse_query(s)))
    }

    /// The first value of `key` in the query.
    pub fn param(self, key: &'static str) -> Memo<Option<String>> {
        Memo::new(move |_| self.search.with(|s| value_of(&parse_query(s), key)))
    }

    /// Goes to `href` (a same-origin path with its query) without reloading. `replace` rewrites
    /// the current history entry (the map following the rider's pans) instead of adding one,
    /// and keeps the scroll position; a new page starts at the top. A page of another bundle
    /// loads as a new document.
    pub fn navigate(self, href: &str, replace: bool) {
        let (to_path, to_search) = href.split_once('?').unwrap_or((href, ""));
        if !(self.owns)(to_path, to_search) {
            let l = window().location();
            let _ = if replace {
                l.replace(href)
            } else {
                l.set_href(href)
            };
            return;
        }
        let (path, search) = current();
        let replace = replaces(href, &path, &search, replace);
        let done = window().history().and_then(|h| {
            if replace {
                h.replace_state_with_url(&JsValue::NULL, "", Some(href))
            } else {
                h.push_state_with_url(&JsValue::NULL, "", Some(href))
            }
        });
        if done.is_err() && !replace {
            // No history API (or a refused URL): let the browser load the page.
            let _ = window().location().set_href(href);
            return;
        }
        // A refused replace (browsers throttle very frequent ones while the map pans) only
        // leaves the address a step behind: never worth reloading the page for.
        self.url.set(current());
        if !replace {
            window().scroll_to_with_x_and_y(0.0, 0.0);
        }
    }
}

/// Whether going to `href` from `path?search` rewrites the current history entry: when asked
/// to, and when it is the page already shown (a second entry would give Back a step that goes
/// nowhere).
fn replaces(href: &str, path: &str, search: &str, asked: bool) -> bool {
    asked
        || if search.is_empty() {
            href == path
        } else {
            href.strip_prefix(path)
                .and_then(|rest| rest.strip_prefix('?'))
                == Some(search)
        }
}

/// What a click on a link says about who should follow it.
#[derive(Clone, Copy, Debug, Default)]
struct Click<'a> {
    /// The page (or an earlier listener) has handled it already.
    handled: bool,
    /// Not the main button, or with Ctrl, Shift, Alt or Meta: a new tab or window, or a download.
    modified: bool,
    /// The link's `target`.
    target: &'a str,
    /// The link's `#fragment`, with its `#`.
    hash: &'a str,
    /// The link has `download`.
    download: bool,
    /// The link goes to this page's origin.
    same_origin: bool,
    /// This bundle draws the page it goes to.
    owned: bool,
}

impl Click<'_> {
    /// Whether this router follows it: a plain click on a link to a page of this bundle.
    /// Anything else is the browser's: other origins, `target`, `download`, a `#fragment` (a
    /// spot on a page: this router keeps none), and other bundles' pages on this origin.
    fn is_in_app(self) -> bool {
        !self.handled
            && !self.modified
            && self.target.is_empty()
            && self.hash.is_empty()
            && !self.download
            && self.same_origin
            && self.owned
    }
}

/// The location from context.
pub fn use_location() -> Location {
    expect_context::<Location>()
}

/// The address bar's path and query.
fn current() -> (String, String) {
    let l = window().location();
    let search = l.search().unwrap_or_default();
    (
        l.pathname().unwrap_or_default(),
        search.strip_prefix('?').unwrap_or(&search).to_owned(),
    )
}

/// `a=1&b=x+y` as decoded pairs (`+` is a space, as forms send it). A pair that does not decode
/// is kept as written rather than dropped, so the page can name it as a bad value.
pub fn parse_query(search: &str) -> Vec<(String, String)> {
    search
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The first value of `key` among decoded `pairs`.
pub fn value_of(pairs: &[(String, String)], key: &str) -> Option<String> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone())
}

/// Percent-decoding, `+` as a space; text that is not UTF-8 once decoded stays as written.
pub fn decode(s: &str) -> String {
    let hex = |b: u8| char::from(b).to_digit(16);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let escaped = (b == b'%')
            .then(|| Some((hex(*bytes.get(i + 1)?)? << 4) | hex(*bytes.get(i + 2)?)?))
            .flatten();
        match (b, escaped) {
            (_, Some(v)) => {
                out.push(u8::try_from(v).unwrap_or(b'?'));
                i += 3;
                continue;
            }
            (b'+', _) => out.push(b' '),
            _ => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// `search` (a location's query, with or without `?`) with `key` set to `value`, or removed
/// when `None`; `"?…"`, or empty when nothing is left.
pub fn with_param(search: &str, key: &str, value: Option<&str>) -> String {
    with_params(search, &[(key, value)])
}

/// [`with_param`] for several keys at once.
pub fn with_params(search: &str, changes: &[(&str, Option<&str>)]) -> String {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(search) else {
        return String::new();
    };
    for (key, value) in changes {
        match value {
            Some(v) => params.set(key, v),
            None => params.delete(key),
        }
    }
    let qs = String::from(params.to_string());
    if qs.is_empty() {
        qs
    } else {
        format!("?{qs}")
    }
}

/// Makes the location, provides it, and starts following links to the pages the bundle `owns`
/// and back/forward. Call once, at the root.
pub fn provide_location(owns: Owns) -> Location {
    let url = RwSignal::new(current());
    let location = Location {
        pathname: Memo::new(move |_| url.with(|(p, _)| p.clone())),
        search: Memo::new(move |_| url.with(|(_, s)| s.clone())),
        url,
        owns,
    };
    provide_context(location);
    let on_pop = Closure::<dyn Fn()>::new(move || url.set(current()));
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if let Some(href) = in_app_link(&ev, owns) {
            ev.prevent_default();
            location.navigate(&href, false);
        }
    });
    let w = window();
    let _ = w.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    let _ = w.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    // The listeners live as long as the page.
    on_pop.forget();
    on_click.forget();
    location
}

/// The path and query of a plain click on a link to this bundle ([`Click::is_in_app`]), or
/// `None` for anything the browser should handle itself.
fn in_app_link(ev: &web_sys::MouseEvent, owns: Owns) -> Option<String> {
    let modified =
        ev.button() != 0 || ev.meta_key() || ev.alt_key() || ev.ctrl_key() || ev.shift_key();
    if ev.default_prevented() || modified {
        return None;
    }
    let a = ev
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .ok()?;
    let (target, hash, path, search) = (a.target(), a.hash(), a.pathname(), a.search());
    let click = Click {
        handled: false,
        modified: false,
        target: &target,
        hash: &hash,
        download: a.has_attribute("download"),
        same_origin: a.origin() == window().location().origin().ok()?,
        owned: owns(&path, search.strip_prefix('?').unwrap_or(&search)),
    };
    click.is_in_app().then(|| format!("{path}{search}"))
}

#[cfg(test)]
mod tests {
    use super::{parse_query, replaces, Click};

    #[test]
    fn a_link_to_the_page_already_shown_replaces_its_entry_instead_of_adding_one() {
        assert!(replaces("/stations/bj-1", "/stations/bj-1", "", false));
        assert!(replaces("/?lang=en", "/", "lang=en", false));
        // Another page, or the same path with another query, is a new entry
        assert!(!replaces("/stations/bj-2", "/stations/bj-1", "", false));
        assert!(!replaces("/?lang=en", "/", "", false));
        assert!(!replaces("/", "/", "lang=en", false));
        assert!(!replaces("/stations/bj-1x", "/stations/bj-1", "", false));
        // The map following pans asks for a replace
        assert!(replaces("/?bbox=1,2,3,4", "/", "bbox=0,1,2,3", true));
    }

    #[test]
    fn only_plain_clicks_on_links_into_this_app_are_followed_here() {
        let plain = Click {
            same_origin: true,
            owned: true,
            ..Click::default()
        };
        assert!(plain.is_in_app());
        for (why, click) in [
            (
                "handled",
                Click {
                    handled: true,
                    ..plain
                },
            ),
            (
                "new tab",
                Click {
                    modified: true,
                    ..plain
                },
            ),
            (
                "target",
                Click {
                    target: "_blank",
                    ..plain
                },
            ),
            (
                "fragment",
                Click {
                    hash: "#hours",
                    ..plain
                },
            ),
            (
                "download",
                Click {
                    download: true,
                    ..plain
                },
            ),
            (
                "another bundle's page",
                Click {
                    owned: false,
                    ..plain
                },
            ),
            (
                "another site",
                Click {
                    same_origin: false,
                    ..plain
                },
            ),
        ] {
            assert!(!click.is_in_app(), "{why} must be left to the browser");
        }
    }

    fn pairs(q: &str) -> Vec<(String, String)> {
        parse_query(q)
    }

    #[test]
    fn decodes_pairs_in_order() {
        assert_eq!(
            pairs("q=%E5%8D%81%E9%87%8C%E5%A0%A1&amenities=water,microwave&open_now=1"),
            vec![
                ("q".into(), "十里堡".into()),
                ("amenities".into(), "water,microwave".into()),
                ("open_now".into(), "1".into()),
            ]
        );
    }

    #[test]
    fn plus_is_a_space_and_escaped_plus_is_a_plus() {
        assert_eq!(pairs("q=a+b%2Bc"), vec![("q".into(), "a b+c".into())]);
    }

    #[test]
    fn keeps_what_does_not_decode() {
        // A lone `%`, a cut escape, and bytes that are not UTF-8 stay as typed.
        assert_eq!(
            pairs("a=100%&b=%E5%8D&c"),
            vec![
                ("a".into(), "100%".into()),
                ("b".into(), "%E5%8D".into()),
                ("c".into(), String::new()),
            ]
        );
        assert!(pairs("").is_empty());
        assert!(pairs("&&").is_empty());
    }
}
