//! A union's services card (帮帮卡): the services it offers workers (legal aid, health checks,
//! mutual-aid insurance, ...), each a title, one line and a phone number or link. A station's card
//! is the 12351 hotline (which the app always shows first), then the items of every union above
//! its own, top down, then its own union's.

use serde::{Deserialize, Serialize};

use crate::field::{FieldCode, FieldErrors};
use crate::ids::UnionId;

/// The national trade-union hotline every card starts with.
pub const HOTLINE: &str = "12351";

/// Items one union may add.
pub const SERVICES_MAX: usize = 8;
/// Longest title, in characters.
pub const TITLE_MAX_CHARS: usize = 20;
/// Longest line, in characters.
pub const LINE_MAX_CHARS: usize = 60;
/// Longest contact, in characters.
pub const CONTACT_MAX_CHARS: usize = 200;

/// One service on the card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceItem {
    /// What it is, e.g. 法律援助.
    pub title: String,
    /// One line about it, e.g. 劳动纠纷免费咨询.
    #[serde(default)]
    pub line: String,
    /// A phone number (digits, spaces, `-` and `+`) or an `https://` link.
    pub contact: String,
}

/// How a rider reaches a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contact<'a> {
    /// A number to call (`tel:` with the digits).
    Phone(&'a str),
    /// A web page.
    Link(&'a str),
}

impl Contact<'_> {
    /// The `href` that reaches it: `tel:` plus the number without spaces or dashes, or the link.
    pub fn href(self) -> String {
        match self {
            Contact::Phone(p) => format!(
                "tel:{}",
                p.chars()
                    .filter(|c| c.is_ascii_digit() || *c == '+')
                    .collect::<String>()
            ),
            Contact::Link(l) => l.to_owned(),
        }
    }
}

/// Whether `s` reads as a phone number: 3 to 20 digits, with spaces, dashes and a leading `+`.
fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (3..=20).contains(&digits)
        && s.chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || c == ' ' || c == '-' || (c == '+' && i == 0))
}

/// Whether `s` is an https link with a host and nothing that could break out of an attribute.
fn is_link(s: &str) -> bool {
    s.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        host.contains('.')
            && rest
                .chars()
                .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '\'' | '<' | '>' | '\\'))
    })
}

impl ServiceItem {
    /// The item with its text trimmed.
    pub fn trimmed(&self) -> ServiceItem {
        ServiceItem {
            title: self.title.trim().to_owned(),
            line: self.line.trim().to_owned(),
            contact: self.contact.trim().to_owned(),
        }
    }

    /// How to reach it, or `None` when the contact is neither a number nor an https link.
    pub fn contact(&self) -> Option<Contact<'_>> {
        let c = self.contact.trim();
        if is_phone(c) {
            Some(Contact::Phone(c))
        } else if is_link(c) {
            Some(Contact::Link(c))
        } else {
            None
        }
    }

    /// Problems with this item, its fields named `{prefix}.title` and so on.
    fn problems(&self, prefix: &str, errors: &mut FieldErrors) {
        let t = self.trimmed();
        let mut put = |field: &str, code| {
            errors.insert(format!("{prefix}.{field}"), code);
        };
        match t.title.chars().count() {
            0 => put("title", FieldCode::Missing),
            n if n > TITLE_MAX_CHARS => put("title", FieldCode::TooLong),
            _ => {}
        }
        if t.line.chars().count() > LINE_MAX_CHARS {
            put("line", FieldCode::TooLong);
        }
        match t.contact.chars().count() {
            0 => put("contact", FieldCode::Missing),
            n if n > CONTACT_MAX_CHARS => put("contact", FieldCode::TooLong),
            _ if t.contact().is_none() => put("contact", FieldCode::Invalid),
            _ => {}
        }
    }
}

/// `PUT /api/v1/admin/unions/{id}/services`: the union's own items, in order (replacing them).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServicesDraft {
    /// At most [`SERVICES_MAX`].
    pub services: Vec<ServiceItem>,
}

impl ServicesDraft {
    /// The items trimmed, or the problems by field (`services` when there are too many,
    /// `services.{i}.title` and so on for one item).
    pub fn validate(&self) -> Result<Vec<ServiceItem>, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.services.len() > SERVICES_MAX {
            errors.insert("services".into(), FieldCode::OutOfRange);
        }
        for (i, item) in self.services.iter().enumerate() {
            item.problems(&format!("services.{i}"), &mut errors);
        }
        if errors.is_empty() {
            Ok(self.services.iter().map(ServiceItem::trimmed).collect())
        } else {
            Err(errors)
        }
    }
}

/// Items a union above added, as its admins' editor shows them (read-only there).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InheritedServices {
    /// The union above.
    #[cfg_attr(feature = "openapi", schema(value_type = String))]
    pub union: UnionId,
    /// Its name.
    pub name: String,
    /// Its items.
    pub services: Vec<ServiceItem>,
}

/// `GET /api/v1/admin/unions/{id}/services`: a union's own items and those it inherits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnionServices {
    /// Its own items, in order.
    pub services: Vec<ServiceItem>,
    /// From the unions above, top down.
    pub inherited: Vec<InheritedServices>,
}

/// A service as riders' cards carry it: with the link that reaches it, made by the server (so
/// the rider's bundle carries no contact rules).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CardItem {
    /// What it is.
    pub title: String,
    /// One line about it.
    pub line: String,
    /// The phone number or link, as the union wrote it.
    pub contact: String,
    /// `tel:…` for a number, the `https://` link itself, or absent for a contact that is
    /// neither (an item stored before the rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
}

impl From<ServiceItem> for CardItem {
    fn from(item: ServiceItem) -> CardItem {
        let href = item.contact().map(Contact::href);
        CardItem {
            title: item.title,
            line: item.line,
            contact: item.contact,
            href,
        }
    }
}

/// `GET /api/v1/stations/{id}/services` and `/api/v1/unions/{id}/services`: the card riders see,
/// after the 12351 hotline.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServicesCard {
    /// The items of every union above, top down, then the union's own.
    pub services: Vec<CardItem>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(title: &str, contact: &str) -> ServiceItem {
        ServiceItem {
            title: title.into(),
            line: "劳动纠纷免费咨询".into(),
            contact: contact.into(),
        }
    }

    #[test]
    fn phones_become_tel_links_and_https_pages_stay_links() {
        assert_eq!(
            item("法律援助", "010-6512 3456")
                .contact()
                .map(Contact::href),
            Some("tel:01065123456".into())
        );
        assert_eq!(
            item("热线", "+86 12351").contact().map(Contact::href),
            Some("tel:+8612351".into())
        );
        assert_eq!(
            item("互助保障", "https://www.bjzgh.org/hzbz").contact(),
            Some(Contact::Link("https://www.bjzgh.org/hzbz"))
        );
    }

    #[test]
    fn contacts_that_are_neither_a_number_nor_an_https_link_are_refused() {
        for bad in [
            "javascript:alert(1)",
            "http://example.org",
            "https://",
            "https://a.b/\"onmouseover=",
            "12",
            "1-2-x",
            "tel:12351",
            "+",
        ] {
            assert_eq!(item("x", bad).contact(), None, "{bad}");
        }
    }

    #[test]
    fn a_draft_names_every_problem_by_item_and_field() {
        let draft = ServicesDraft {
            services: vec![
                item("  法律援助 ", " 12351 "),
                item("", "nope"),
                ServiceItem {
                    title: "很".repeat(TITLE_MAX_CHARS + 1),
                    line: "行".repeat(LINE_MAX_CHARS + 1),
                    contact: String::new(),
                },
            ],
        };
        let errors = draft.validate().expect_err("refused");
        assert_eq!(errors.get("services.1.title"), Some(&FieldCode::Missing));
        assert_eq!(errors.get("services.1.contact"), Some(&FieldCode::Invalid));
        assert_eq!(errors.get("services.2.title"), Some(&FieldCode::TooLong));
        assert_eq!(errors.get("services.2.line"), Some(&FieldCode::TooLong));
        assert_eq!(errors.get("services.2.contact"), Some(&FieldCode::Missing));
        assert!(!errors.keys().any(|k| k.starts_with("services.0")));
        let ok = ServicesDraft {
            services: vec![draft.services[0].clone()],
        };
        assert_eq!(
            ok.validate().expect("valid"),
            vec![ServiceItem {
                title: "法律援助".into(),
                line: "劳动纠纷免费咨询".into(),
                contact: "12351".into()
            }]
        );
    }

    #[test]
    fn a_union_adds_at_most_eight_items() {
        let draft = ServicesDraft {
            services: vec![item("体检", "12351"); SERVICES_MAX + 1],
        };
        assert_eq!(
            draft.validate().expect_err("too many").get("services"),
            Some(&FieldCode::OutOfRange)
        );
    }
}
