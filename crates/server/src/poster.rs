//! Printable station posters: one A4 page with the station's name and the QR code that riders
//! scan to join the union.
//!
//! Plain SVG written by hand, so the server needs no image libraries and the page prints sharp
//! at any size. Lengths are millimetres (the viewBox is the page).

use std::fmt::{self, Write as _};

use qrcode::{Color, EcLevel, QrCode};

/// Everything printed on a poster.
pub struct Poster<'a> {
    /// The station's name, the biggest text on the page.
    pub station_name: &'a str,
    /// The union that runs the station.
    pub union_name: &'a str,
    /// Where the station is, e.g. a district name.
    pub district: &'a str,
    /// The address the QR code opens, also printed for typing by hand.
    pub join_url: &'a str,
    /// The station's id, printed small so staff can tell posters apart.
    pub station_id: &'a str,
}

const PAGE_W: f64 = 210.0;
const PAGE_H: f64 = 297.0;
const CENTER_X: f64 = PAGE_W / 2.0;
/// Widest a line of text may be: the page less a 15 mm margin each side, which most printers
/// can reach.
const TEXT_W: f64 = PAGE_W - 30.0;
const RED: &str = "#b3261e";
pub(crate) const SANS: &str =
    "Noto Sans CJK SC, WenQuanYi Micro Hei, PingFang SC, Microsoft YaHei, sans-serif";
const MONO: &str = "DejaVu Sans Mono, Menlo, Consolas, Noto Sans Mono CJK SC, monospace";

/// White modules around the code; the QR standard asks for four.
const QUIET: usize = 4;
/// Side of the code's box, quiet zone included. The smallest code (21 modules) still gets
/// 130 × 21 / 29 ≈ 94 mm of modules, above the 90 mm that scans from a step or two away.
const QR_BOX: f64 = 130.0;
const QR_TOP: f64 = 98.0;

/// Lines a station name may take; 80 characters (the longest name the station form takes) fit
/// in three at the smallest size.
const NAME_MAX_LINES: usize = 3;

/// The poster as a standalone SVG document (A4 portrait: `width="210mm" height="297mm"
/// viewBox="0 0 210 297"`).
///
/// A `join_url` too long for any QR code (over 2331 bytes) gets a note in place of the code;
/// the printed address is still there.
pub fn svg(p: &Poster) -> String {
    let name = fit(
        &clean(p.station_name),
        Font::SansBold,
        Fit {
            max_size: 16.0,
            min_size: 6.0,
            max_lines: NAME_MAX_LINES,
            max_height: 38.0,
        },
    );
    let union = fit(
        &clean(p.union_name),
        Font::Sans,
        Fit {
            max_size: 7.0,
            min_size: 4.0,
            max_lines: 1,
            max_height: 9.0,
        },
    );
    let district = fit(
        &clean(p.district),
        Font::Sans,
        Fit {
            max_size: 5.0,
            min_size: 3.5,
            max_lines: 1,
            max_height: 6.0,
        },
    );
    let id = fit(
        &format!("驿站编号：{}", clean(p.station_id)),
        Font::Sans,
        Fit {
            max_size: 4.0,
            min_size: 3.0,
            max_lines: 1,
            max_height: 5.0,
        },
    );
    // An address is typed more surely from one line, so it shrinks before it wraps.
    let join_url = clean(p.join_url);
    let url_lines = if width_em(&join_url, Font::Mono) * 3.0 <= TEXT_W {
        1
    } else {
        3
    };
    let url = fit(
        &join_url,
        Font::Mono,
        Fit {
            max_size: 4.0,
            min_size: 3.0,
            max_lines: url_lines,
            max_height: 13.0,
        },
    );

    let mut out = String::with_capacity(8 * 1024);
    // Writing to a String cannot fail, so the fmt::Results below are ignored on purpose.
    let _ = write!(
        out,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="210mm" height="297mm" viewBox="0 0 {PAGE_W} {PAGE_H}" role="img" aria-labelledby="poster-title" xml:lang="zh-CN" font-family="{SANS}" text-anchor="middle">
<title id="poster-title">{} 入会二维码</title>
<rect width="{PAGE_W}" height="{PAGE_H}" fill="#fff"/>
<rect width="{PAGE_W}" height="30" fill="{RED}"/>
<text x="{CENTER_X}" y="20.5" font-size="15" font-weight="bold" letter-spacing="3" fill="#fff">工会驿站</text>
"##,
        escape(&clean(p.station_name))
    );

    // The name block sits centred in the band between the header and the union name.
    let name_lh = name.size * 1.2;
    let name_top = 57.0 - name.lines.len() as f64 * name_lh / 2.0;
    text(
        &mut out,
        &name,
        name_top + name.size * 0.95,
        name_lh,
        r##"class="name" font-weight="bold" fill="#111""##,
    );
    text(
        &mut out,
        &union,
        86.0,
        0.0,
        r##"class="union" fill="#222""##,
    );
    text(
        &mut out,
        &district,
        93.0,
        0.0,
        r##"class="district" fill="#555""##,
    );

    qr(&mut out, p.join_url);

    let _ = write!(
        out,
        r##"<text x="{CENTER_X}" y="240" font-size="8" font-weight="bold" fill="#111">微信或手机相机扫码</text>
<text x="{CENTER_X}" y="251" font-size="9" font-weight="bold" fill="{RED}">申请加入工会</text>
<text x="{CENTER_X}" y="260" font-size="5.5" fill="#333">查看附近驿站、饮水、充电、热饭</text>
"##
    );
    text(&mut out, &id, 268.0, 0.0, r##"class="id" fill="#555""##);
    let _ = writeln!(
        out,
        r##"<text x="{CENTER_X}" y="275" font-size="3.5" fill="#555">无法扫码时，请在浏览器中输入：</text>"##
    );
    let mono = format!(r##"class="url" font-family="{MONO}" fill="#111""##);
    text(&mut out, &url, 281.0, url.size * 1.2, &mono);
    let _ = write!(
        out,
        r#"<rect y="293" width="{PAGE_W}" height="4" fill="{RED}"/>
</svg>
"#
    );
    out
}

/// The QR code's module matrix (true = dark), error correction level M, without quiet zone.
///
/// Empty when `data` is too long for any QR code (over 2331 bytes at level M).
pub fn qr_modules(data: &str) -> Vec<Vec<bool>> {
    // M survives a scuffed or partly covered print yet keeps the code coarse enough to scan
    // from a distance.
    let Ok(code) = QrCode::with_error_correction_level(data, EcLevel::M) else {
        return Vec::new();
    };
    let colors = code.to_colors();
    colors
        .chunks(code.width())
        .map(|row| row.iter().map(|c| *c == Color::Dark).collect())
        .collect()
}

/// A QR code alone, as an SVG image to show on screen (black on white, with its quiet zone);
/// for the two-step set-up.
pub fn qr_svg(data: &str) -> String {
    let modules = qr_modules(data);
    let n = modules.len() + 2 * QUIET;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" width="240" height="240" shape-rendering="crispEdges"><rect width="{n}" height="{n}" fill="#fff"/><path fill="none" stroke="#000" d="{d}"/></svg>"##,
        d = qr_path(&modules)
    )
}

/// Draws the code in its own viewport, one unit per module: the path stays short (no
/// coordinates in millimetres) and scales to any print size.
fn qr(out: &mut String, data: &str) {
    let modules = qr_modules(data);
    let n = modules.len() + 2 * QUIET;
    let x = CENTER_X - QR_BOX / 2.0;
    let _ = write!(
        out,
        r##"<svg x="{x}" y="{QR_TOP}" width="{QR_BOX}" height="{QR_BOX}" viewBox="0 0 {n} {n}" shape-rendering="crispEdges">
<rect width="{n}" height="{n}" fill="#fff"/>
"##
    );
    if modules.is_empty() {
        // No modules means an 8-unit viewport, 16 mm a unit: 0.5 keeps the note inside the box.
        let _ = writeln!(
            out,
            r##"<text x="{c}" y="{c}" font-size="0.5" fill="#555">网址过长，无法生成二维码</text>"##,
            c = n as f64 / 2.0
        );
    } else {
        out.push_str(r##"<path id="qr" fill="none" stroke="#000" d=""##);
        out.push_str(&qr_path(&modules));
        out.push_str("\"/>\n");
    }
    out.push_str("</svg>\n");
}

/// One `M x y.5hN` stroke, one unit wide, per run of dark modules in a row: a fraction of the
/// size of a rectangle per module.
fn qr_path(modules: &[Vec<bool>]) -> String {
    let mut d = String::new();
    for (y, row) in modules.iter().enumerate() {
        let mut x = 0;
        while x < row.len() {
            if !row[x] {
                x += 1;
                continue;
            }
            let start = x;
            while x < row.len() && row[x] {
                x += 1;
            }
            let _ = write!(d, "M{} {}.5h{}", start + QUIET, y + QUIET, x - start);
        }
    }
    d
}

/// Writes one `<text>` with a `<tspan>` per line, centred on the page.
fn text(out: &mut String, block: &Block, first_baseline: f64, line_height: f64, attrs: &str) {
    let _ = write!(out, r#"<text {attrs} font-size="{}">"#, Mm(block.size));
    for (i, line) in block.lines.iter().enumerate() {
        let y = first_baseline + i as f64 * line_height;
        let _ = write!(
            out,
            r#"<tspan x="{CENTER_X}" y="{}">{}</tspan>"#,
            Mm(y),
            escape(line)
        );
    }
    out.push_str("</text>\n");
}

/// A length in millimetres, printed with at most two decimals: finer than any printer, and
/// short.
struct Mm(f64);

impl fmt::Display for Mm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = format!("{:.2}", self.0);
        f.write_str(s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// Escapes text for XML content and attribute values (core's HTML escaper: the same five
/// characters), after dropping the characters XML 1.0 cannot hold at all, which would make the
/// whole poster unreadable.
pub(crate) fn escape(s: &str) -> String {
    let xml_can_hold = |c: &char| {
        matches!(c, '\t' | '\n' | '\r') || (*c >= ' ' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
    };
    let held: String = s.chars().filter(xml_can_hold).collect();
    yizhan_core::html::escape_html(&held)
}

/// Folds line breaks and runs of spaces into single spaces: a poster line has no room for them.
fn clean(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[derive(Clone, Copy, PartialEq)]
enum Font {
    Sans,
    SansBold,
    Mono,
}

/// Rough advance of `c` in em. No font metrics are at hand (the printer's browser picks the
/// font), so this errs wide: CJK and other non-ASCII as a full em, ASCII by letter shape.
fn em_width(c: char, font: Font) -> f64 {
    if !c.is_ascii() {
        return 1.0;
    }
    match font {
        Font::Mono => 0.6,
        Font::Sans | Font::SansBold => {
            let w = match c {
                'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '!' | '|' | '\'' | ' ' => 0.3,
                'M' | 'W' | 'm' | 'w' | '@' | '%' => 0.9,
                'A'..='Z' => 0.7,
                _ => 0.55,
            };
            if font == Font::SansBold {
                w * 1.05
            } else {
                w
            }
        }
    }
}

fn width_em(s: &str, font: Font) -> f64 {
    s.chars().map(|c| em_width(c, font)).sum()
}

/// Limits for laying out one piece of text.
struct Fit {
    max_size: f64,
    min_size: f64,
    max_lines: usize,
    /// Height the lines may take together, at 1.2 × font size per line.
    max_height: f64,
}

/// Text laid out: the font size (mm) and its lines, each at most `TEXT_W` wide.
struct Block {
    size: f64,
    lines: Vec<String>,
}

/// The largest size, down to `min_size`, at which `text` wraps into the allowed lines and
/// height; past that, the smallest size with the last line cut short by an ellipsis.
fn fit(text: &str, font: Font, limits: Fit) -> Block {
    let mut size = limits.max_size;
    loop {
        let lines = wrap(text, TEXT_W / size, font);
        let tall = lines.len() as f64 * size * 1.2;
        if lines.len() <= limits.max_lines && tall <= limits.max_height + 1e-9 {
            return Block { size, lines };
        }
        if size <= limits.min_size {
            break;
        }
        size = (size - 0.25).max(limits.min_size);
    }
    // Too long even at the smallest size: keep what fits, so nothing runs off the page.
    let size = limits
        .min_size
        .min(limits.max_height / (1.2 * limits.max_lines as f64));
    let max_em = TEXT_W / size;
    let mut lines = wrap(text, max_em, font);
    lines.truncate(limits.max_lines);
    if let Some(last) = lines.last_mut() {
        while !last.is_empty() && width_em(last, font) + em_width('…', font) > max_em {
            last.pop();
        }
        last.push('…');
    }
    Block { size, lines }
}

/// Greedy line breaking by estimated width. CJK may break between any two characters; a
/// Latin word moves whole to the next line when it fits there.
fn wrap(text: &str, max_em: f64, font: Font) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut width = 0.0;
    for c in text.chars() {
        let w = em_width(c, font);
        if width + w > max_em && !line.is_empty() {
            let mut carry = String::new();
            if c.is_ascii_alphanumeric() {
                if let Some(i) = line.rfind(' ') {
                    let tail = &line[i + 1..];
                    if !tail.is_empty()
                        && tail.chars().all(|t| t.is_ascii_alphanumeric())
                        && width_em(tail, font) + w <= max_em
                    {
                        carry = tail.to_owned();
                        line.truncate(i);
                    }
                }
            }
            lines.push(line.trim_end().to_owned());
            width = width_em(&carry, font);
            line = carry;
        }
        if line.is_empty() && c == ' ' {
            continue;
        }
        line.push(c);
        width += w;
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://127.0.0.1:8080/join?station=cy-0001";

    fn poster<'a>(name: &'a str, url: &'a str) -> Poster<'a> {
        Poster {
            station_name: name,
            union_name: "北京市朝阳区总工会",
            district: "朝阳区",
            join_url: url,
            station_id: "cy-0001",
        }
    }

    /// Draws a module grid as a greyscale image, `px` pixels per module, and decodes it as a
    /// phone camera would.
    fn decode(grid: &[Vec<bool>], px: usize) -> String {
        let n = grid.len();
        let mut img = rqrr::PreparedImage::prepare_from_greyscale(n * px, n * px, |x, y| {
            if grid[y / px][x / px] {
                0
            } else {
                255
            }
        });
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1, "exactly one QR code in the image");
        let (_, content) = grids[0].decode().expect("the QR code decodes");
        content
    }

    fn with_quiet_zone(modules: &[Vec<bool>]) -> Vec<Vec<bool>> {
        let n = modules.len() + 2 * QUIET;
        let mut grid = vec![vec![false; n]; n];
        for (y, row) in modules.iter().enumerate() {
            for (x, &dark) in row.iter().enumerate() {
                grid[y + QUIET][x + QUIET] = dark;
            }
        }
        grid
    }

    /// The value of `name="…"` in the first tag of `s` that has it.
    fn attr<'s>(s: &'s str, name: &str) -> &'s str {
        let key = format!(" {name}=\"");
        let start = s.find(&key).expect("attribute present") + key.len();
        let len = s[start..].find('"').expect("attribute closed");
        &s[start..start + len]
    }

    /// Reads back the module grid the poster draws: the QR viewport's size and the
    /// `M x y.5hN` runs of its path.
    fn grid_from_svg(svg: &str) -> Vec<Vec<bool>> {
        let viewport = &svg[svg
            .find("shape-rendering=\"crispEdges\"")
            .expect("QR viewport")..];
        let svg_tag_start = svg[..svg.len() - viewport.len()]
            .rfind("<svg")
            .expect("<svg");
        let view_box = attr(&svg[svg_tag_start..], "viewBox");
        let n: usize = view_box
            .split(' ')
            .nth(2)
            .expect("width")
            .parse()
            .expect("number");
        let path = &svg[svg.find("<path id=\"qr\"").expect("QR path")..];
        let d = attr(path, "d");
        let mut grid = vec![vec![false; n]; n];
        for run in d.split('M').filter(|r| !r.is_empty()) {
            let (xy, len) = run.split_once('h').expect("M x y hN");
            let (x, y) = xy.split_once(' ').expect("x y");
            let x: usize = x.parse().expect("x");
            let y: f64 = y.parse().expect("y");
            assert_eq!(y.fract(), 0.5, "strokes run through module centres");
            let len: usize = len.parse().expect("run length");
            for cell in &mut grid[y as usize][x..x + len] {
                *cell = true;
            }
        }
        grid
    }

    fn unescape(s: &str) -> String {
        s.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    /// Every line of text on the page with its font and size.
    fn lines(svg: &str) -> Vec<(String, Font, f64)> {
        let mut out = Vec::new();
        for element in svg.split("<text ").skip(1) {
            let element = &element[..element.find("</text>").expect("text closed")];
            let (tag, body) = element.split_once('>').expect("tag ends");
            let size: f64 = attr(&format!(" {tag}"), "font-size").parse().expect("size");
            let font = if tag.contains("monospace") {
                Font::Mono
            } else if tag.contains("bold") {
                Font::SansBold
            } else {
                Font::Sans
            };
            if body.contains("<tspan") {
                for tspan in body.split("<tspan").skip(1) {
                    let start = tspan.find('>').expect("tspan tag") + 1;
                    let end = tspan.find("</tspan>").expect("tspan closed");
                    out.push((unescape(&tspan[start..end]), font, size));
                }
            } else {
                out.push((unescape(body), font, size));
            }
        }
        out
    }

    #[test]
    fn qr_modules_decode_to_the_url() {
        let grid = with_quiet_zone(&qr_modules(URL));
        assert_eq!(decode(&grid, 8), URL);
    }

    #[test]
    fn qr_code_drawn_in_the_svg_decodes_to_the_url() {
        let svg = svg(&poster("朝阳门外卖小哥驿站", URL));
        let grid = grid_from_svg(&svg);
        assert_eq!(grid, with_quiet_zone(&qr_modules(URL)));
        assert_eq!(decode(&grid, 8), URL);
    }

    #[test]
    fn qr_code_is_at_least_90_mm_wide_with_a_four_module_quiet_zone() {
        let n = qr_modules(URL).len();
        let svg = svg(&poster("驿站", URL));
        let view_box = attr(&svg[svg.find("<svg x=").expect("QR viewport")..], "viewBox");
        assert_eq!(view_box, format!("0 0 {0} {0}", n + 2 * QUIET));
        // The smallest code has the widest quiet zone, so it is the one to check.
        let smallest = QR_BOX * 21.0 / (21 + 2 * QUIET) as f64;
        assert!(smallest >= 90.0, "modules span {smallest} mm");
    }

    #[test]
    fn markup_in_text_is_escaped() {
        let evil = r#"<script>alert(1)</script> & "x" 'y'"#;
        let p = Poster {
            station_name: evil,
            union_name: evil,
            district: evil,
            join_url: evil,
            station_id: evil,
        };
        let svg = svg(&p);
        assert!(!svg.contains("<script"), "raw markup got through");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("&amp; &quot;x&quot; &#39;y&#39;"));
        assert_eq!(
            escape(evil),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot; &#39;y&#39;"
        );
    }

    #[test]
    fn characters_xml_cannot_hold_are_dropped() {
        assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFF}"), "abc");
        let svg = svg(&poster("驿站\u{0}\u{8}", URL));
        assert!(!svg.chars().any(|c| c < ' ' && c != '\n'));
    }

    #[test]
    fn name_of_80_characters_wraps_into_at_most_3_lines_within_the_page() {
        let names = [
            "北京市朝阳区建国门外大街户外劳动者服务站点".repeat(4).chars().take(80).collect::<String>(),
            "W".repeat(80),
            "Chaoyang Outdoor Workers Rest Station 朝阳区户外劳动者驿站 number 0001 near the bridge".to_owned(),
            "Station".repeat(20).chars().take(80).collect(),
        ];
        for name in &names {
            let svg = svg(&poster(name, URL));
            let name_text = &svg[svg.find(r#"class="name""#).expect("name text")..];
            let name_text = &name_text[..name_text.find("</text>").expect("closed")];
            let tspans = name_text.matches("<tspan").count();
            assert!((1..=3).contains(&tspans), "{tspans} lines for {name}");
            for (line, font, size) in lines(&svg) {
                let width = width_em(&line, font) * size;
                assert!(width <= TEXT_W + 1e-6, "{line:?} is {width} mm wide");
            }
        }
    }

    #[test]
    fn long_names_shrink_but_short_names_print_big() {
        assert_eq!(
            fit(
                "工会驿站",
                Font::SansBold,
                Fit {
                    max_size: 16.0,
                    min_size: 6.0,
                    max_lines: 3,
                    max_height: 38.0
                }
            )
            .size,
            16.0
        );
        let long = "驿".repeat(80);
        let block = fit(
            &long,
            Font::SansBold,
            Fit {
                max_size: 16.0,
                min_size: 6.0,
                max_lines: 3,
                max_height: 38.0,
            },
        );
        assert!(block.size < 8.0);
        assert_eq!(
            block.lines.concat(),
            long,
            "80 characters fit without cutting"
        );
    }

    #[test]
    fn text_beyond_the_limit_is_cut_with_an_ellipsis() {
        let block = fit(
            &"驿".repeat(200),
            Font::SansBold,
            Fit {
                max_size: 16.0,
                min_size: 6.0,
                max_lines: 3,
                max_height: 38.0,
            },
        );
        assert_eq!(block.lines.len(), 3);
        assert!(block.lines[2].ends_with('…'));
    }

    #[test]
    fn latin_words_are_not_split_across_lines() {
        let lines = wrap("alpha beta gamma", 4.0, Font::Sans);
        assert_eq!(lines, ["alpha", "beta", "gamma"]);
    }

    #[test]
    fn poster_has_title_role_and_a4_size() {
        let svg = svg(&poster("朝阳门驿站", URL));
        assert!(svg.contains(r#"width="210mm" height="297mm" viewBox="0 0 210 297""#));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains("<title id=\"poster-title\">朝阳门驿站 入会二维码</title>"));
        for words in [
            "工会驿站",
            "微信或手机相机扫码",
            "申请加入工会",
            "查看附近驿站、饮水、充电、热饭",
            "cy-0001",
            "北京市朝阳区总工会",
        ] {
            assert!(svg.contains(words), "missing {words}");
        }
        assert!(svg.contains(&escape(URL)), "join URL printed");
    }

    #[test]
    fn svg_for_a_typical_url_is_under_20_kb() {
        let svg = svg(&poster(
            "朝阳门外卖小哥驿站",
            "https://yizhan.example.cn/join?station=cy-0001",
        ));
        assert!(svg.len() < 20 * 1024, "{} bytes", svg.len());
    }

    #[test]
    fn url_too_long_for_a_qr_code_gets_a_note_instead() {
        let url = format!("https://example.cn/join?station={}", "x".repeat(3000));
        assert!(qr_modules(&url).is_empty());
        let svg = svg(&poster("驿站", &url));
        assert!(svg.contains("网址过长，无法生成二维码"));
        assert!(!svg.contains("<path"));
    }
}
