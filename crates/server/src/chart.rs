//! The coverage dashboard's pictures, drawn as SVG text by the server (no chart service, no
//! script, no web font): the weekly figures as one small bar chart per series, and the union's
//! stations as dots coloured by state. Every text put in is escaped.

use std::fmt::Write;

use yizhan_core::{CoverageCounts, CoverageState, Series, WeekFigures};

use crate::db::coverage::{MapCell, MapGrid};
use crate::poster::{escape, SANS};

/// The colour of each state, and the order dots are drawn (faults last, on top).
const STATE_COLOURS: [(CoverageState, &str); 4] = [
    (CoverageState::Fresh, "#2e7d32"),
    (CoverageState::Closed, "#5f6368"),
    (CoverageState::Stale, "#e37400"),
    (CoverageState::Faults, "#c5221f"),
];
const BAR: &str = "#1a73e8";
const INK: &str = "#202124";
const MUTED: &str = "#5f6368";

/// The document's opening: size, the title (also its accessible name) and a white page.
fn open(out: &mut String, width: f64, height: f64, title: &str, en: bool) {
    let lang = if en { "en" } else { "zh-CN" };
    let _ = write!(
        out,
        r##"<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" role="img" aria-labelledby="chart-title" xml:lang="{lang}" font-family="{SANS}" fill="{INK}">
<title id="chart-title">{title}</title>
<rect width="{width:.0}" height="{height:.0}" fill="#fff"/>
<text x="16" y="28" font-size="18" font-weight="bold">{title}</text>
"##,
        title = escape(title),
    );
}

/// A number as a short label: whole numbers without decimals, others with one.
fn label(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Scales `v` of `max` onto `0..=height` pixels (0 when there is nothing to scale).
pub fn bar_height(v: f64, max: f64, height: f64) -> f64 {
    if max <= 0.0 || !v.is_finite() {
        0.0
    } else {
        (v.max(0.0) / max).min(1.0) * height
    }
}

const PANEL_W: f64 = 360.0;
const PANEL_H: f64 = 170.0;
const PLOT_H: f64 = 100.0;

/// The weekly figures: a titled bar chart per series, weeks along the bottom.
pub fn weekly_svg(title: &str, weeks: &[WeekFigures], en: bool) -> String {
    let rows = Series::ALL.len().div_ceil(2);
    let (width, height) = (2.0 * PANEL_W + 32.0, 48.0 + PANEL_H * rows as f64);
    let mut out = String::with_capacity(16 * 1024);
    open(&mut out, width, height, title, en);
    for (i, series) in Series::ALL.into_iter().enumerate() {
        let x0 = 16.0 + PANEL_W * (i % 2) as f64;
        let y0 = 48.0 + PANEL_H * (i / 2) as f64;
        panel(&mut out, series, weeks, x0, y0, en);
    }
    out.push_str("</svg>\n");
    out
}

/// One series' bars, its name, its largest value and the weeks' dates.
fn panel(out: &mut String, series: Series, weeks: &[WeekFigures], x0: f64, y0: f64, en: bool) {
    let (zh, english) = series.labels();
    let name = if en { english } else { zh };
    let values: Vec<Option<f64>> = weeks.iter().map(|w| series.value(w)).collect();
    let max = values.iter().flatten().copied().fold(0.0, f64::max);
    let (plot_x, plot_y, plot_w) = (x0 + 36.0, y0 + 26.0, PANEL_W - 56.0);
    let _ = write!(
        out,
        r##"<g><text x="{x0}" y="{}" font-size="13" font-weight="bold">{}</text>
<text x="{}" y="{}" font-size="10" text-anchor="end" fill="{MUTED}">{}</text>
<text x="{}" y="{}" font-size="10" text-anchor="end" fill="{MUTED}">0</text>
<line x1="{plot_x}" y1="{}" x2="{}" y2="{}" stroke="{MUTED}"/>
"##,
        y0 + 14.0,
        escape(name),
        plot_x - 4.0,
        plot_y + 8.0,
        // Nothing to scale: the baseline's 0 says it all.
        if max > 0.0 { label(max) } else { String::new() },
        plot_x - 4.0,
        plot_y + PLOT_H,
        plot_y + PLOT_H,
        plot_x + plot_w,
        plot_y + PLOT_H,
    );
    let n = weeks.len().max(1);
    let slot = plot_w / n as f64;
    // A date under every week would overlap past a dozen weeks: then every other, and so on.
    let every = n.div_ceil(12);
    for (i, (w, v)) in weeks.iter().zip(&values).enumerate() {
        let x = plot_x + slot * i as f64;
        if let Some(v) = v {
            let h = bar_height(*v, max, PLOT_H);
            let _ = writeln!(
                out,
                r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="{BAR}"><title>{} {}</title></rect>"##,
                x + slot * 0.15,
                plot_y + PLOT_H - h,
                slot * 0.7,
                escape(&w.week),
                label(*v),
            );
        }
        if i % every == 0 {
            let _ = writeln!(
                out,
                r##"<text x="{:.1}" y="{}" font-size="9" text-anchor="middle" fill="{MUTED}">{}</text>"##,
                x + slot / 2.0,
                plot_y + PLOT_H + 14.0,
                escape(w.week.get(5..).unwrap_or(&w.week)),
            );
        }
    }
    out.push_str("</g>\n");
}

/// The largest picture of the map, in pixels, and the grid its dots snap to.
const MAP_MAX: f64 = 600.0;
const CELL: f64 = 4.0;

/// Where the map of the stations within (south, west, north, east) draws: a plate carrée with
/// longitudes shrunk by the cosine of the middle latitude (so a district keeps its shape), as
/// large as fits in [`MAP_MAX`]; answers the grid and the plot's width and height.
pub fn project(bounds: (f64, f64, f64, f64)) -> (MapGrid, f64, f64) {
    let (south, west, north, east) = bounds;
    // One station, or stations in a line, still get a frame around them.
    let pad = 0.005;
    let (south, west, north, east) = (south - pad, west - pad, north + pad, east + pad);
    let shrink = ((south + north) / 2.0).to_radians().cos().max(0.1);
    let (w_deg, h_deg) = ((east - west) * shrink, north - south);
    let px_per_deg = (MAP_MAX / w_deg).min(MAP_MAX / h_deg);
    let grid = MapGrid {
        west,
        north,
        per_lng: px_per_deg * shrink / CELL,
        per_lat: px_per_deg / CELL,
    };
    (grid, w_deg * px_per_deg, h_deg * px_per_deg)
}

/// The stations as dots coloured by state, with a legend that names each state in text and
/// counts it.
pub fn map_svg(
    title: &str,
    map: Option<(MapGrid, f64, f64)>,
    cells: &[MapCell],
    counts: &CoverageCounts,
    en: bool,
) -> String {
    let (plot_w, plot_h) = map.map_or((MAP_MAX, 80.0), |(_, w, h)| (w.max(200.0), h));
    let (left, top) = (16.0, 48.0);
    let legend_y = top + plot_h + 24.0;
    let (width, height) = ((plot_w + 2.0 * left).ceil(), (legend_y + 28.0 * 2.0).ceil());
    let mut out = String::with_capacity(64 * 1024);
    open(&mut out, width, height, title, en);
    let _ = writeln!(
        out,
        r##"<rect x="{left}" y="{top}" width="{plot_w:.1}" height="{plot_h:.1}" fill="#f8f9fa" stroke="#dadce0"/>"##
    );
    if map.is_none() {
        let none = if en { "No stations" } else { "没有驿站" };
        let _ = writeln!(
            out,
            r##"<text x="{}" y="{}" font-size="14" fill="{MUTED}">{none}</text>"##,
            left + 12.0,
            top + 44.0
        );
    }
    for (state, colour) in STATE_COLOURS {
        let _ = writeln!(out, r##"<g fill="{colour}">"##);
        for c in cells.iter().filter(|c| c.state == state) {
            let _ = writeln!(
                out,
                r##"<circle cx="{:.1}" cy="{:.1}" r="{}"/>"##,
                left + (c.x as f64 + 0.5) * CELL,
                top + (c.y as f64 + 0.5) * CELL,
                if c.stations > 1 { 3.0 } else { 2.5 },
            );
        }
        out.push_str("</g>\n");
    }
    for (i, (state, colour)) in STATE_COLOURS.into_iter().enumerate() {
        let x = left + 170.0 * (i % 2) as f64;
        let y = legend_y + 28.0 * (i / 2) as f64;
        let _ = writeln!(
            out,
            r##"<circle cx="{}" cy="{}" r="6" fill="{colour}"/><text x="{}" y="{}" font-size="13">{} {}</text>"##,
            x + 6.0,
            y - 4.0,
            x + 18.0,
            y,
            escape(state.label(en)),
            counts.get(state),
        );
    }
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_value_and_never_leave_the_plot() {
        assert_eq!(bar_height(5.0, 10.0, 100.0), 50.0);
        assert_eq!(bar_height(10.0, 10.0, 100.0), 100.0);
        assert_eq!(bar_height(20.0, 10.0, 100.0), 100.0);
        assert_eq!(bar_height(3.0, 0.0, 100.0), 0.0);
        assert_eq!(bar_height(-1.0, 10.0, 100.0), 0.0);
    }

    #[test]
    fn the_map_fits_the_largest_side_and_keeps_the_shape() {
        // A square degree around Beijing is wider than tall on the ground by cos(40°).
        let (grid, w, h) = project((39.5, 116.0, 40.5, 117.0));
        assert!((h - MAP_MAX).abs() < 1e-6, "{h}");
        assert!(w < h && w > 0.7 * h, "{w} x {h}");
        // The north-east corner lands on the plot's far edge.
        let x = (117.005 - grid.west) * grid.per_lng * CELL;
        let y = (grid.north - 39.495) * grid.per_lat * CELL;
        assert!((x - w).abs() < 1e-6 && (y - h).abs() < 1e-6, "{x},{y}");
    }

    #[test]
    fn one_station_still_gets_a_frame() {
        let (_, w, h) = project((39.9, 116.4, 39.9, 116.4));
        assert!(w > 100.0 && h > 100.0, "{w} x {h}");
    }

    #[test]
    fn titles_and_labels_are_escaped() {
        let weeks = vec![WeekFigures {
            week: "2026-11-30".into(),
            visits: 3,
            ..WeekFigures::default()
        }];
        let svg = weekly_svg("<b>&\"朝阳\"", &weeks, false);
        assert!(svg.contains("&lt;b&gt;&amp;&quot;朝阳&quot;"), "{svg}");
        assert!(!svg.contains("<b>"));
        let map = map_svg("a<b", None, &[], &CoverageCounts::default(), true);
        assert!(map.contains("a&lt;b") && map.contains("No stations"));
    }
}
