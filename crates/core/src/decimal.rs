//! Numbers as decimal text without Rust's float printer: `{x}` and `{x:.5}` on an `f64` pull in
//! both of its float-to-text algorithms (about 5 KB brotli of the rider's first view). A value
//! scaled to an integer prints with the integer code every bundle has anyway. For coordinates,
//! zoom levels and distances, a fixed number of decimals is all the precision there is.

use std::fmt::Write as _;

/// Appends `x` rounded to `places` decimals (at most 9; half away from zero), with trailing
/// zeros (and a bare point) dropped: `116.4`, `-0.25`, `3`. A value too large for the scaled
/// integer, or not a number, is written as the nearest one that fits (or `0`).
pub fn write_trimmed(out: &mut String, x: f64, places: u32) {
    let places = places.min(9);
    let scale = 10i64.pow(places);
    // `as` saturates (and makes NaN 0): never a panic, never a wrong sign.
    let n = (x * scale as f64).round() as i64;
    let (whole, mut frac) = (n / scale, (n % scale).unsigned_abs());
    if n < 0 {
        out.push('-');
    }
    let _ = write!(out, "{}", whole.unsigned_abs());
    if frac == 0 {
        return;
    }
    let mut width = places as usize;
    while frac % 10 == 0 {
        frac /= 10;
        width -= 1;
    }
    let _ = write!(out, ".{frac:0width$}");
}

/// [`write_trimmed`] into a new string.
pub fn trimmed(x: f64, places: u32) -> String {
    let mut out = String::new();
    write_trimmed(&mut out, x, places);
    out
}

#[cfg(test)]
mod tests {
    use super::trimmed;

    #[test]
    fn rounds_to_the_places_asked_and_drops_trailing_zeros() {
        assert_eq!(trimmed(116.397_128_4, 5), "116.39713");
        assert_eq!(trimmed(116.4, 5), "116.4");
        assert_eq!(trimmed(39.9, 7), "39.9");
        assert_eq!(trimmed(3.0, 2), "3");
        assert_eq!(trimmed(12.5, 0), "13");
        assert_eq!(trimmed(0.049, 1), "0");
        assert_eq!(trimmed(1.25, 1), "1.3");
        assert_eq!(trimmed(0.000_1, 4), "0.0001");
        assert_eq!(trimmed(1.000_000_1, 7), "1.0000001");
    }

    #[test]
    fn negative_values_keep_their_sign_also_below_one() {
        assert_eq!(trimmed(-0.25, 5), "-0.25");
        assert_eq!(trimmed(-116.4, 5), "-116.4");
        assert_eq!(trimmed(-0.000_001, 5), "0");
        assert_eq!(trimmed(-180.0, 7), "-180");
    }

    #[test]
    fn what_does_not_fit_never_panics() {
        assert_eq!(trimmed(f64::NAN, 5), "0");
        assert!(!trimmed(f64::INFINITY, 9).is_empty());
        assert!(trimmed(f64::NEG_INFINITY, 9).starts_with('-'));
    }

    #[test]
    fn reads_back_as_the_same_number_on_its_grid() {
        for n in [
            -1_800_000_000i64,
            -399_123_457,
            -1,
            0,
            7,
            1_164_073_912,
            1_800_000_000,
        ] {
            let x = n as f64 / 1e7;
            assert_eq!(trimmed(x, 7).parse::<f64>(), Ok(x), "{n}");
        }
    }
}
