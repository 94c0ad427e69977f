//! The applicant's personal fields that parse at the boundary: a mainland mobile number and a
//! name. Both print only masked with `{:?}`.

use super::*;

/// A mainland China mobile number, `1[3-9]` and nine more digits. Spaces, dashes, full-width
/// digits and a leading `+86` are accepted as typed and dropped.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^1[3-9][0-9]{9}$"))]
pub struct Phone(String);

impl Phone {
    /// Parses a mobile number as people type it.
    pub fn parse(s: &str) -> Result<Phone, FieldCode> {
        let digits: String = s
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}' | '\u{2010}'..='\u{2015}'))
            .map(|c| match c {
                // Full-width digits, as some Chinese keyboards type them.
                '\u{ff10}'..='\u{ff19}' => {
                    char::from_u32(u32::from(c) - 0xff10 + u32::from('0')).unwrap_or(c)
                }
                '\u{ff0b}' => '+',
                _ => c,
            })
            .collect();
        if digits.is_empty() {
            return Err(FieldCode::Missing);
        }
        let digits = digits.strip_prefix("+86").unwrap_or(&digits);
        let b = digits.as_bytes();
        let ok = b.len() == 11
            && b[0] == b'1'
            && (b'3'..=b'9').contains(&b[1])
            && b.iter().all(u8::is_ascii_digit);
        if ok {
            Ok(Phone(digits.to_owned()))
        } else {
            Err(FieldCode::Invalid)
        }
    }

    /// The eleven digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as lists show it: first three and last four digits, e.g. `138****1234`.
    pub fn masked(&self) -> String {
        // Eleven ASCII digits, so byte slicing is character slicing.
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl AsRef<str> for Phone {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Phone {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Phone::parse(&s).map_err(|c| c.as_str().to_owned())
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// A person's name: 2–30 characters of Han (CJK Unified Ideographs, extension A and the rarer
/// extensions), Latin letters, single spaces between words, and the middle dot of transliterated
/// names (`·`; `•` and `・` are accepted and stored as `·`), e.g. 王丽, 买买提·艾力, Li Wei.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "王丽"))]
pub struct PersonName(String);

/// Whether `c` is a Han character a name may use.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4e00}'..='\u{9fff}'       // CJK Unified Ideographs
        | '\u{3400}'..='\u{4dbf}'     // Extension A
        | '\u{f900}'..='\u{faff}'     // Compatibility Ideographs
        | '\u{20000}'..='\u{323af}'   // Extensions B–H: rare characters some names need
    )
}

/// Whether `c` is a Latin letter (ASCII, or accented as in pinyin with tone marks).
fn is_latin(c: char) -> bool {
    c.is_ascii_alphabetic()
        || (matches!(c, '\u{c0}'..='\u{24f}')
            && c != '\u{d7}'
            && c != '\u{f7}'
            && c.is_alphabetic())
}

fn is_dot(c: char) -> bool {
    matches!(c, '\u{b7}' | '\u{2022}' | '\u{30fb}')
}

impl PersonName {
    /// The fewest characters a name has.
    pub const MIN_CHARS: usize = 2;
    /// The most characters a name has.
    pub const MAX_CHARS: usize = 30;

    /// Parses a name: trims it, makes runs of blanks one space, drops blanks around a dot,
    /// and checks characters and length.
    pub fn parse(s: &str) -> Result<PersonName, FieldCode> {
        let mut out = String::new();
        let mut pending_space = false;
        for c in s.trim().chars() {
            if c.is_whitespace() {
                pending_space = true;
                continue;
            }
            let c = if is_dot(c) { '\u{b7}' } else { c };
            let after_dot = out.ends_with('\u{b7}');
            if pending_space && !out.is_empty() && c != '\u{b7}' && !after_dot {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        }
        if out.is_empty() {
            return Err(FieldCode::Missing);
        }
        let n = out.chars().count();
        if n > Self::MAX_CHARS {
            return Err(FieldCode::TooLong);
        }
        let chars_ok = out
            .chars()
            .all(|c| is_han(c) || is_latin(c) || c == ' ' || c == '\u{b7}');
        let dots_ok =
            !out.starts_with('\u{b7}') && !out.ends_with('\u{b7}') && !out.contains("\u{b7}\u{b7}");
        if n < Self::MIN_CHARS || !chars_ok || !dots_ok {
            return Err(FieldCode::Invalid);
        }
        Ok(PersonName(out))
    }

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonName(..)")
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PersonName {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        PersonName::parse(&s).map_err(|c| c.as_str().to_owned())
    }
}

impl From<PersonName> for String {
    fn from(p: PersonName) -> String {
        p.0
    }
}
