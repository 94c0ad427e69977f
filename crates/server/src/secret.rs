//! Secrets made here: random bytes, tokens, one-time codes and passwords, hex, and the
//! constant-time comparison of secrets. Below everything else: it depends on no other module.

use base64::Engine;

/// The operating system gave no random bytes (nothing secret can be made).
#[derive(Debug, thiserror::Error)]
#[error("no randomness: {0}")]
pub struct NoRandomness(String);

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], NoRandomness> {
    let mut buf = [0u8; N];
    getrandom::getrandom(&mut buf).map_err(|e| NoRandomness(e.to_string()))?;
    Ok(buf)
}

/// A random URL-safe token of `N` bytes.
pub fn random_token<const N: usize>() -> Result<String, NoRandomness> {
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<N>()?))
}

/// A password to hand over once: 16 characters from an alphabet without look-alikes
/// (no 0/O, 1/l/I), about 85 bits.
pub fn generated_password() -> Result<String, NoRandomness> {
    random_code(b"abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
}

/// 16 random characters from `alphabet` (ASCII), in groups of four joined by `-`: easier to
/// read out over the phone or copy from paper.
pub(crate) fn random_code(alphabet: &[u8]) -> Result<String, NoRandomness> {
    let bytes = random_bytes::<16>()?;
    let chars: Vec<u8> = bytes
        .iter()
        .map(|b| alphabet[usize::from(*b) % alphabet.len()])
        .collect();
    Ok(groups_of_four(&chars, "-"))
}

/// ASCII text in groups of four characters, joined by `sep`.
pub(crate) fn groups_of_four(text: &[u8], sep: &str) -> String {
    text.chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(sep)
}

/// Bytes as lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two tokens in time independent of where they differ.
pub(crate) fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}
