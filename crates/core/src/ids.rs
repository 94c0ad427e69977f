//! Station and union identifiers: short, stable strings printed on posters for years.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a string is not a valid id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    /// The id is empty.
    #[error("id is empty")]
    Empty,
    /// The id is longer than 40 characters.
    #[error("id is longer than 40 characters")]
    TooLong,
    /// The id has a character outside `[a-z0-9-]`.
    #[error("id may only contain a-z, 0-9 and '-'")]
    BadCharacter,
}

fn check_id(s: &str) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty);
    }
    if s.len() > 40 {
        return Err(IdError::TooLong);
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(IdError::BadCharacter);
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(value_type = String, pattern = "^[a-z0-9-]{1,40}$"))]
        pub struct $name(String);

        impl $name {
            /// Parses an id, `[a-z0-9-]{1,40}`.
            pub fn parse(s: &str) -> Result<Self, IdError> {
                check_id(s)?;
                Ok(Self(s.to_owned()))
            }
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                check_id(&s)?;
                Ok(Self(s))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::parse(s)
            }
        }
    };
}

id_type!(
    /// A station's id: assigned once, never renumbered or reused.
    StationId
);
id_type!(
    /// A union's id (city, district or street union).
    UnionId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_digits_and_dashes_are_accepted() {
        assert_eq!(
            StationId::parse("bj-chaoyang-0001").map(|i| i.to_string()),
            Ok("bj-chaoyang-0001".into())
        );
    }

    #[test]
    fn empty_id_is_rejected() {
        assert_eq!(StationId::parse(""), Err(IdError::Empty));
    }

    #[test]
    fn id_of_41_characters_is_rejected() {
        assert_eq!(StationId::parse(&"a".repeat(41)), Err(IdError::TooLong));
        assert!(StationId::parse(&"a".repeat(40)).is_ok());
    }

    #[test]
    fn uppercase_slash_and_chinese_are_rejected() {
        for bad in ["Abc", "a/b", "驿站", "a b", "a_b"] {
            assert_eq!(UnionId::parse(bad), Err(IdError::BadCharacter), "{bad}");
        }
    }

    #[test]
    fn id_deserialises_only_when_valid() {
        assert!(serde_json::from_str::<StationId>("\"ok-1\"").is_ok());
        assert!(serde_json::from_str::<StationId>("\"NOT OK\"").is_err());
    }
}
