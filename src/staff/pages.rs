//! Which staff page a path opens, and the id in it. The pages draw inside their shell (`/manage`
//! or `/admin`), which stays mounted while the rider-sized router (`crate::shared::route`) moves
//! between its pages.

use leptos::prelude::*;
use yizhan_core::url::encode_component;

use crate::staff::i18n::{href, Lang};

/// The frame around a page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Manage,
    Admin,
    NotFound,
}

/// A staff page. Pages about one thing (a station, an application) read its id from the path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    ManageList,
    ManageStation,
    Password,
    AdminHome,
    Stations,
    NewStation,
    EditStation,
    Import,
    People,
    Posters,
    PosterPrint,
    Embed,
    Applications,
    ApplicationStats,
    Application,
    Audit,
    Services,
    Coverage,
    Alerts,
    NotFound,
}

impl Page {
    /// The page at `path` (a trailing `/` is ignored).
    pub fn of(path: &str) -> Page {
        let path = path
            .strip_suffix('/')
            .filter(|p| !p.is_empty())
            .unwrap_or(path);
        let one = |rest: &str| !rest.is_empty() && !rest.contains('/');
        if let Some(rest) = path.strip_prefix("/manage") {
            return match rest {
                "" => Page::ManageList,
                "/password" => Page::Password,
                _ if rest.strip_prefix("/stations/").is_some_and(one) => Page::ManageStation,
                _ => Page::NotFound,
            };
        }
        let Some(rest) = path.strip_prefix("/admin") else {
            return Page::NotFound;
        };
        match rest {
            "" => Page::AdminHome,
            "/stations" => Page::Stations,
            "/stations/new" => Page::NewStation,
            "/import" => Page::Import,
            "/people" => Page::People,
            "/posters" => Page::Posters,
            "/posters/print" => Page::PosterPrint,
            "/embed" => Page::Embed,
            "/applications" => Page::Applications,
            "/applications/stats" => Page::ApplicationStats,
            "/audit" => Page::Audit,
            "/services" => Page::Services,
            "/coverage" => Page::Coverage,
            "/alerts" => Page::Alerts,
            _ if rest.strip_prefix("/stations/").is_some_and(one) => Page::EditStation,
            _ if rest.strip_prefix("/applications/").is_some_and(one) => Page::Application,
            _ => Page::NotFound,
        }
    }

    /// Every page but [`Page::NotFound`], for the round-trip test.
    #[cfg(test)]
    const ALL: [Page; 20] = [
        Page::ManageList,
        Page::ManageStation,
        Page::Password,
        Page::AdminHome,
        Page::Stations,
        Page::NewStation,
        Page::EditStation,
        Page::Import,
        Page::People,
        Page::Posters,
        Page::PosterPrint,
        Page::Embed,
        Page::Applications,
        Page::ApplicationStats,
        Page::Application,
        Page::Audit,
        Page::Services,
        Page::Coverage,
        Page::Alerts,
        Page::NotFound,
    ];

    /// Where the page lives: its path, with `id` (encoded here) in the pages about one thing
    /// (the others ignore it). [`Page::of`] reads it back.
    pub fn path(self, id: &str) -> String {
        let about = |collection: &str| format!("{collection}/{}", encode_component(id));
        let fixed = match self {
            Page::ManageList => "/manage",
            Page::ManageStation => return about("/manage/stations"),
            Page::Password => "/manage/password",
            Page::AdminHome => "/admin",
            Page::Stations => "/admin/stations",
            Page::NewStation => "/admin/stations/new",
            Page::EditStation => return about("/admin/stations"),
            Page::Import => "/admin/import",
            Page::People => "/admin/people",
            Page::Posters => "/admin/posters",
            Page::PosterPrint => "/admin/posters/print",
            Page::Embed => "/admin/embed",
            Page::Applications => "/admin/applications",
            Page::ApplicationStats => "/admin/applications/stats",
            Page::Application => return about("/admin/applications"),
            Page::Audit => "/admin/audit",
            Page::Services => "/admin/services",
            Page::Coverage => "/admin/coverage",
            Page::Alerts => "/admin/alerts",
            Page::NotFound => "/admin/not-found",
        };
        fixed.to_owned()
    }

    /// A link to the page in `lang` (see [`Page::path`]).
    pub fn href(self, lang: Lang, id: &str) -> String {
        href(lang, &self.path(id))
    }

    /// The frame it draws in.
    pub fn shell(self) -> Shell {
        match self {
            Page::ManageList | Page::ManageStation | Page::Password => Shell::Manage,
            Page::NotFound => Shell::NotFound,
            _ => Shell::Admin,
        }
    }
}

/// The id at the end of the path (`…/stations/{id}`, `…/applications/{id}`), decoded. On a
/// path of another page it keeps the last id, so a page on its way out never asks for
/// "stats" or "new" (opening an application writes to the audit log).
pub fn path_id() -> Memo<String> {
    let location = crate::shared::route::use_location();
    Memo::new(move |prev: Option<&String>| {
        location
            .pathname
            .with(|p| id_in(p).unwrap_or_else(|| prev.cloned().unwrap_or_default()))
    })
}

/// The decoded id in the path of a page about one thing.
fn id_in(path: &str) -> Option<String> {
    match Page::of(path) {
        Page::ManageStation | Page::EditStation | Page::Application => {
            let last = path.trim_end_matches('/').rsplit('/').next()?;
            Some(crate::shared::route::decode(last))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::{id_in, Page, Shell};

    #[test]
    fn every_page_writes_a_path_that_reads_back_as_it() {
        for page in Page::ALL {
            for id in ["bj-1", "BJ-7K3Q-9DXW", "链家 1/号"] {
                let path = page.path(id);
                assert_eq!(Page::of(&path), page, "{path}");
                let about_one = matches!(
                    page,
                    Page::ManageStation | Page::EditStation | Page::Application
                );
                assert_eq!(id_in(&path), about_one.then(|| id.to_owned()), "{path}");
            }
        }
    }

    #[test]
    fn paths_pick_pages_in_their_shell() {
        let cases = [
            ("/manage", Page::ManageList),
            ("/manage/", Page::ManageList),
            ("/manage/stations/bj-1", Page::ManageStation),
            ("/manage/password", Page::Password),
            ("/admin", Page::AdminHome),
            ("/admin/stations", Page::Stations),
            ("/admin/stations/new", Page::NewStation),
            ("/admin/stations/bj-1", Page::EditStation),
            ("/admin/applications", Page::Applications),
            ("/admin/applications/stats", Page::ApplicationStats),
            ("/admin/applications/BJ-7K3Q-9DXW", Page::Application),
            ("/admin/posters/print", Page::PosterPrint),
            ("/admin/audit", Page::Audit),
            ("/admin/coverage", Page::Coverage),
        ];
        for (path, page) in cases {
            assert_eq!(Page::of(path), page, "{path}");
        }
        for other in [
            "/",
            "/admin/nope",
            "/manage/stations",
            "/manage/stations/a/b",
            "/administrator",
            "/admin/password",
        ] {
            assert_eq!(Page::of(other), Page::NotFound, "{other}");
            assert_eq!(Page::of(other).shell(), Shell::NotFound, "{other}");
        }
        assert_eq!(Page::of("/manage/password").shell(), Shell::Manage);
        assert_eq!(Page::of("/admin/embed").shell(), Shell::Admin);
    }
}
