//! An application's reference (`BJ-7K3Q-9DXW`): Crockford base32 that survives being read
//! aloud.

use super::*;

/// Crockford's base32 alphabet: no I, L, O or U, so references survive being read aloud.
const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

fn crockford_value(c: u8) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        b'I' | b'L' => b'1',
        b'O' => b'0',
        c => c,
    };
    CROCKFORD
        .iter()
        .position(|&a| a == c)
        .and_then(|p| u8::try_from(p).ok())
}

/// An application's reference, e.g. `BJ-7K3Q-9DXW`: two letters naming the union's city, then
/// 40 random bits as eight Crockford base32 characters. Never sequential; with the phone number
/// it is what lets an applicant follow their application.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, example = "BJ-7K3Q-9DXW", pattern = "^[A-Z]{2}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$"))]
pub struct Reference(String);

impl Reference {
    /// The prefix when a union id does not start with two letters.
    pub const FALLBACK_PREFIX: &'static str = "YZ";

    /// The prefix for a union: the first two letters of its id upper-cased when they are
    /// letters (`bj-chaoyang` → `BJ`), else `YZ`.
    pub fn prefix_for(union_id: &str) -> String {
        let b = union_id.as_bytes();
        if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1].is_ascii_alphabetic() {
            union_id[..2].to_ascii_uppercase()
        } else {
            Self::FALLBACK_PREFIX.to_owned()
        }
    }

    /// A reference from a prefix (two ASCII letters, else `YZ`) and 40 random bits.
    pub fn generate(prefix: &str, random: [u8; 5]) -> Reference {
        let prefix = Self::prefix_for(prefix);
        let bits = random
            .iter()
            .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        let mut out = String::with_capacity(12);
        out.push_str(&prefix);
        for i in 0..8 {
            if i % 4 == 0 {
                out.push('-');
            }
            let shift = 35 - 5 * i;
            // A 5-bit value indexes the 32-letter alphabet.
            let v = usize::try_from((bits >> shift) & 0x1f).unwrap_or(0);
            out.push(char::from(CROCKFORD[v]));
        }
        Reference(out)
    }

    /// Parses a reference as a person types it: any case, with or without dashes or spaces, and
    /// Crockford's look-alikes (I and L read as 1, O as 0) in the random part.
    pub fn parse(s: &str) -> Result<Reference, FieldCode> {
        let compact: Vec<u8> = s
            .bytes()
            .filter(|b| !matches!(b, b'-' | b' ' | b'\t'))
            .collect();
        if compact.is_empty() {
            return Err(FieldCode::Missing);
        }
        if compact.len() != 10 || !compact[..2].iter().all(u8::is_ascii_alphabetic) {
            return Err(FieldCode::Invalid);
        }
        let mut out = String::with_capacity(12);
        out.push(char::from(compact[0].to_ascii_uppercase()));
        out.push(char::from(compact[1].to_ascii_uppercase()));
        for (i, c) in compact[2..].iter().enumerate() {
            if i % 4 == 0 {
                out.push('-');
            }
            let v = crockford_value(*c).ok_or(FieldCode::Invalid)?;
            out.push(char::from(CROCKFORD[usize::from(v)]));
        }
        Ok(Reference(out))
    }

    /// The reference in its canonical form, `BJ-7K3Q-9DXW`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The two-letter prefix.
    pub fn prefix(&self) -> &str {
        &self.0[..2]
    }

    /// The 40 random bits.
    pub fn random_bits(&self) -> u64 {
        self.0[2..]
            .bytes()
            .filter(|b| *b != b'-')
            .filter_map(crockford_value)
            .fold(0u64, |acc, v| (acc << 5) | u64::from(v))
    }
}

impl fmt::Debug for Reference {
    /// Only the prefix: a reference and a phone number together open an application.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reference({}-…)", self.prefix())
    }
}

impl fmt::Display for Reference {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Reference {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Reference {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Reference::parse(&s).map_err(|c| c.as_str().to_owned())
    }
}

impl From<Reference> for String {
    fn from(r: Reference) -> String {
        r.0
    }
}
