//! Deterministic demo data: rest stations (暖心驿站, 工会驿站, 司机之家, 劳动者港湾) and the union
//! tree that runs them, for `make run`, screenshots, posters, tests and benchmarks.
//!
//! Everything comes from a fixed seed and a tiny in-file PRNG (SplitMix64), so the same call
//! gives the same ids, names and coordinates on every run, machine and dependency upgrade.
//! Each station is drawn from its own generator seeded by (region, sequence number), and regions
//! take turns in an order that does not depend on `n`, so `beijing(2100, ..)` starts with exactly
//! the 2000 stations of `beijing(2000, ..)`: growing the demo never renames or moves a station.
//! Coordinates use only `+`, `-`, `*` and `/` (no `sin`, `ln` or other libm calls), which IEEE 754
//! fixes bit for bit on every platform.
//!
//! Place, street and road names are real or realistic for their district; coordinates are
//! approximate WGS-84 and good for a map, not for navigation. The tables of districts, streets
//! and cities are data, in `crates/server/data/demo/*.json`, embedded in the binary and read
//! once; this file holds only how stations are drawn from them.

use std::collections::HashMap;

use yizhan_core::{
    Amenity, AmenityState, AmenityStatus, LatLng, OpeningHours, Station, StationId, StationState,
    StationStatus, Timestamp, UnionId, UnionRef,
};

/// A union in the tree city → district → street.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoUnion {
    /// Stable id, e.g. `bj-chaoyang-wangjing`.
    pub id: UnionId,
    /// Name, e.g. 望京街道总工会.
    pub name: String,
    /// The union above it; `None` for a city union.
    pub parent: Option<UnionId>,
}

/// Unions (every parent listed before its children) and the stations they run.
#[derive(Clone, Debug)]
pub struct DemoData {
    /// The union tree, parents first, so it can be inserted in order.
    pub unions: Vec<DemoUnion>,
    /// Stations in generation order.
    pub stations: Vec<Station>,
}

impl DemoData {
    /// The unions as the storage layer takes them.
    pub fn union_rows(&self) -> Vec<crate::db::UnionRow> {
        self.unions
            .iter()
            .map(|u| crate::db::UnionRow {
                id: u.id.clone(),
                name: u.name.clone(),
                parent: u.parent.clone(),
            })
            .collect()
    }
}

/// `n` stations in Beijing's 16 districts (the `make run` default is 2000).
///
/// Ids are `bj-{district}-{NNNN}` (e.g. `bj-chaoyang-0001`), numbered per district. The result
/// for `n` is a prefix of the result for any larger `n`. Confirmations lie between `now` and
/// `1.5 × status_expiry_secs` before it, so about a third of them have already expired.
pub fn beijing(n: usize, now: Timestamp, status_expiry_secs: i64) -> DemoData {
    build_beijing(n, now, status_expiry_secs).unwrap_or_else(DemoData::empty)
}

/// `n` stations spread over 30 Chinese cities (for benchmarks, e.g. 100_000).
///
/// Ids are `{city}-{NNNNNN}` (e.g. `sh-000123`), numbered per city; unions are a city union with
/// a few district unions below it. Like [`beijing`], the result for `n` is a prefix of the result
/// for any larger `n`.
pub fn nationwide(n: usize, now: Timestamp, status_expiry_secs: i64) -> DemoData {
    build_nationwide(cities_table(), n, now, status_expiry_secs).unwrap_or_else(DemoData::empty)
}

/// `n` stations in one of [`nationwide`]'s cities (`code`, e.g. `sh`), as a city deployment
/// outside Beijing would have; empty for an unknown code.
pub fn one_city(code: &str, n: usize, now: Timestamp, status_expiry_secs: i64) -> DemoData {
    cities_table()
        .iter()
        .find(|c| c.code == code)
        .and_then(|c| build_nationwide(std::slice::from_ref(c), n, now, status_expiry_secs))
        .unwrap_or_else(DemoData::empty)
}

/// The code of a city [`one_city`] can seed, as a `'static` string.
pub fn city_code(code: &str) -> Option<&'static str> {
    cities_table()
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.code.as_str())
}

impl DemoData {
    fn empty() -> DemoData {
        DemoData {
            unions: Vec::new(),
            stations: Vec::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------

/// The one constant every demo value derives from. Changing it renames every demo station.
const SEED: u64 = 0x5949_5a48_414e_2d31; // "YIZHAN-1"

/// SplitMix64 (Steele, Lea & Flood 2014): tiny, fast, and good enough for demo data. Written
/// here rather than taken from a crate so the output can never change with a dependency.
struct Rng(u64);

impl Rng {
    /// A generator for one station, independent of every other station's.
    fn for_station(region: &str, seq: u32) -> Rng {
        // FNV-1a over the region id, then SplitMix to spread nearby sequence numbers apart.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in region.bytes() {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        let mut mix = Rng(SEED ^ h);
        let base = mix.next_u64();
        Rng(base ^ u64::from(seq).wrapping_mul(0xd6e8_feb8_6659_fd93))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`, exactly representable (53 random bits).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1_u64 << 53) as f64)
    }

    /// Uniform in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        // Multiply-shift instead of `%`: no modulo bias worth speaking of, no division.
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One of `items` (the empty string for an empty list).
    fn pick<'a, S: AsRef<str>>(&mut self, items: &'a [S]) -> &'a str {
        items.get(self.below(items.len())).map_or("", AsRef::as_ref)
    }

    /// An index into `weights`, chosen in proportion to them.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        self.weighted_by(weights, |&w| w)
    }

    /// An index into `items`, chosen in proportion to `weight(item)`.
    fn weighted_by<T>(&mut self, items: &[T], weight: impl Fn(&T) -> u32) -> usize {
        let total: u32 = items.iter().map(&weight).sum();
        let mut r = self.below(total as usize) as u32;
        for (i, item) in items.iter().enumerate() {
            let w = weight(item);
            if r < w {
                return i;
            }
            r -= w;
        }
        0
    }

    /// Roughly standard normal (Irwin–Hall of four uniforms): bell-shaped, bounded at ±3.46,
    /// and free of `ln`/`cos`, whose last bit differs between C libraries.
    fn gauss(&mut self) -> f64 {
        let s = self.unit() + self.unit() + self.unit() + self.unit();
        (s - 2.0) * 1.732_050_807_568_877_2
    }
}

/// Splits stations among regions in proportion to their weights, one at a time (Sainte-Laguë:
/// the next station goes to the region with the largest `weight / (2 × stations + 1)`). The
/// sequence never depends on how many stations are asked for, which keeps smaller demos a
/// prefix of larger ones.
struct Turns {
    weights: Vec<f64>,
    taken: Vec<u32>,
}

impl Turns {
    fn new(weights: Vec<f64>) -> Turns {
        let taken = vec![0; weights.len()];
        Turns { weights, taken }
    }

    /// The next region and its 1-based station number.
    fn next(&mut self) -> (usize, u32) {
        let mut best = 0;
        let mut best_score = f64::MIN;
        for (i, (&w, &t)) in self.weights.iter().zip(&self.taken).enumerate() {
            let score = w / f64::from(2 * t + 1);
            if score > best_score {
                best = i;
                best_score = score;
            }
        }
        if let Some(t) = self.taken.get_mut(best) {
            *t += 1;
            return (best, *t);
        }
        (best, 0)
    }
}

// ---------------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------------

const KM_PER_DEGREE_LAT: f64 = 111.32;

/// cos(x) by its Taylor series, accurate to 1e-9 for |x| ≤ 0.9 rad (latitudes up to 51°).
fn cos_small(x: f64) -> f64 {
    let x2 = x * x;
    1.0 - x2 / 2.0 * (1.0 - x2 / 12.0 * (1.0 - x2 / 30.0 * (1.0 - x2 / 56.0 * (1.0 - x2 / 90.0))))
}

/// A point scattered around `centre` with about `sigma_km` spread in each direction, rounded to
/// six decimals (~10 cm) so the stored text stays short.
fn scatter(rng: &mut Rng, centre: (f64, f64), sigma_km: f64) -> (f64, f64) {
    let dy = rng.gauss() * sigma_km;
    let dx = rng.gauss() * sigma_km;
    let km_per_degree_lng =
        KM_PER_DEGREE_LAT * cos_small(centre.0 * (std::f64::consts::PI / 180.0));
    let lat = centre.0 + dy / KM_PER_DEGREE_LAT;
    let lng = centre.1 + dx / km_per_degree_lng;
    ((lat * 1e6).round() / 1e6, (lng * 1e6).round() / 1e6)
}

/// Squared distance in "degrees", with longitude shrunk by the latitude's cosine; good for
/// finding the nearest of a handful of points, nothing more.
fn near_sq(a: (f64, f64), b: (f64, f64)) -> f64 {
    let dlat = a.0 - b.0;
    let dlng = (a.1 - b.1) * cos_small(a.0 * (std::f64::consts::PI / 180.0));
    dlat * dlat + dlng * dlng
}

/// Beijing's rough bounding box (lat, lng), slightly inside 39.4–41.1 / 115.4–117.5.
const BEIJING_LAT: (f64, f64) = (39.45, 41.05);
const BEIJING_LNG: (f64, f64) = (115.45, 117.45);

// ---------------------------------------------------------------------------------------------
// Beijing data
// ---------------------------------------------------------------------------------------------

/// A street (街道), area (地区) or town (镇) union's patch of a district.
#[derive(serde::Deserialize)]
struct Street {
    /// Pinyin, the last part of the union id.
    id: String,
    /// e.g. 望京街道; the union is `{name}总工会`.
    name: String,
    /// Approximate centre (lat, lng).
    at: (f64, f64),
    /// Share of the district's stations.
    weight: u32,
    /// Neighbourhoods, landmarks and malls, for station names.
    places: Vec<String>,
    /// Roads, for addresses.
    roads: Vec<String>,
    /// Residential communities (社区), without the 社区 suffix.
    communities: Vec<String>,
}

#[derive(serde::Deserialize)]
struct District {
    /// Pinyin, e.g. `chaoyang`.
    id: String,
    /// e.g. 朝阳区, as in `BEIJING_DISTRICTS`.
    name: String,
    /// Approximate centre of its built-up area (lat, lng).
    at: (f64, f64),
    /// Spread of stations run directly by the district union around `at`.
    radius_km: f64,
    /// Spread of stations around a street's centre.
    street_km: f64,
    /// Share of the city's stations (roughly people and couriers, urban core heavier).
    weight: f64,
    streets: Vec<Street>,
}

/// Beijing's districts in the order of `BEIJING_DISTRICTS`, from `data/demo/beijing.json`.
fn beijing_table() -> &'static [District] {
    static TABLE: std::sync::OnceLock<Vec<District>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| table("beijing.json", include_str!("../data/demo/beijing.json")))
}

/// A data table shipped in the binary; empty (and logged) if it does not parse, which the
/// tests rule out, so the seed gives empty data rather than panic.
fn table<T: serde::de::DeserializeOwned>(name: &str, json: &str) -> Vec<T> {
    serde_json::from_str(json).unwrap_or_else(|e| {
        tracing::error!(table = name, error = %e, "demo data table does not parse");
        Vec::new()
    })
}

// ---------------------------------------------------------------------------------------------
// Nationwide data
// ---------------------------------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct City {
    /// Short pinyin code, the first part of every id (`sh`).
    code: String,
    /// e.g. 上海市; the city union is `{name}总工会`.
    name: String,
    /// Approximate centre (lat, lng).
    at: (f64, f64),
    /// How far stations scatter from the centre.
    radius_km: f64,
    /// Share of the country's stations (roughly urban population).
    weight: f64,
    /// Telephone area code.
    area_code: String,
    /// (pinyin, name, lat, lng) of a few central districts, each with a union.
    districts: Vec<(String, String, f64, f64)>,
    /// Well-known places, for station names.
    places: Vec<String>,
    /// Main roads, for addresses.
    roads: Vec<String>,
}

/// China's big cities, from `data/demo/cities.json`.
fn cities_table() -> &'static [City] {
    static TABLE: std::sync::OnceLock<Vec<City>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| table("cities.json", include_str!("../data/demo/cities.json")))
}

// ---------------------------------------------------------------------------------------------
// What a station is like
// ---------------------------------------------------------------------------------------------

/// The kind of host, which decides the name and nudges hours and amenities.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    /// A 链家 estate agency store (the city's 1,457 户外劳动者暖心驿站).
    Lianjia,
    /// A parcel company depot (快递网点).
    Express,
    /// A station the union runs itself (工会驿站).
    UnionPost,
    /// A community's 党群服务中心.
    Community,
    /// A bank branch's 劳动者港湾.
    Harbour,
    /// A petrol station's 司机之家 for truck drivers.
    Gas,
}

/// Kinds and their shares (about a third are 链家 stores, as in Beijing).
const KINDS: [(Kind, u32); 6] = [
    (Kind::Lianjia, 33),
    (Kind::Express, 18),
    (Kind::UnionPost, 18),
    (Kind::Community, 12),
    (Kind::Harbour, 12),
    (Kind::Gas, 7),
];

/// Every opening-hours text the generator uses; all must parse (a test checks).
const HOURS: [&str; 12] = [
    "24/7",
    "Mo-Su 09:00-21:00",
    "Mo-Fr 08:30-20:30; Sa,Su 10:00-18:00",
    "Mo-Su 08:00-22:00",
    "Mo-Su 18:00-06:00",
    "Mo-Fr 09:00-17:00; PH off",
    "Mo-Su 08:00-20:00",
    "Mo-Su 07:00-21:00",
    "Mo-Su 06:00-22:00",
    "Mo-Su 20:00-08:00",
    "Mo-Fr 09:00-17:00; Sa 09:00-12:00",
    "Mo-Su 08:30-21:30",
];

/// (index into `HOURS`, weight) per kind; about 15% of all stations end up `24/7`.
fn hours_table(kind: Kind) -> &'static [(usize, u32)] {
    match kind {
        Kind::Lianjia => &[(1, 5), (11, 3), (3, 2), (0, 1)],
        Kind::Express => &[(6, 4), (7, 3), (0, 2), (4, 1)],
        Kind::UnionPost => &[(0, 3), (3, 3), (1, 2), (2, 2), (4, 1)],
        Kind::Community => &[(5, 3), (2, 3), (3, 2), (10, 2)],
        Kind::Harbour => &[(5, 3), (10, 3), (2, 2), (1, 2)],
        // Truck drivers arrive at night: mostly round the clock.
        Kind::Gas => &[(0, 6), (4, 2), (9, 1), (8, 1)],
    }
}

/// Chance of each amenity, in `Amenity::ALL` order:
/// water, charging, microwave, rest, toilet, first_aid, repair, battery_swap, shower, climate,
/// wifi, books.
fn amenity_odds(kind: Kind) -> [f64; 12] {
    let mut p = [
        0.97, 0.93, 0.60, 0.85, 0.50, 0.40, 0.12, 0.08, 0.02, 0.50, 0.40, 0.20,
    ];
    match kind {
        Kind::Lianjia => {
            p[4] = 0.35;
            p[9] = 0.65;
            p[10] = 0.55;
        }
        Kind::Express => {
            p[4] = 0.35;
            p[6] = 0.30;
            p[7] = 0.15;
        }
        Kind::UnionPost => {
            p[4] = 0.55;
            p[5] = 0.55;
            p[11] = 0.35;
        }
        Kind::Community => {
            p[3] = 0.95;
            p[4] = 0.85;
            p[10] = 0.60;
            p[11] = 0.45;
        }
        Kind::Harbour => {
            p[2] = 0.50;
            p[9] = 0.80;
            p[10] = 0.70;
        }
        Kind::Gas => {
            p[3] = 0.95;
            p[4] = 0.95;
            p[6] = 0.30;
            p[8] = 0.25;
        }
    }
    p
}

/// Notes managers leave; the first one goes with a broken microwave.
const NOTICES: [&str; 12] = [
    "微波炉维修中，周五恢复",
    "今日提前至18:00关门",
    "新到一批急救药品",
    "充电柜已扩容，可同时充20台",
    "饮水机更换滤芯，暂停供应热水",
    "本周六全天开放，欢迎歇脚",
    "冬季供暖已开通",
    "夏送清凉：免费领取绿豆汤",
    "新增电动车打气筒，免费使用",
    "每周三下午免费理发",
    "工会入会咨询：每周二上午",
    "门口施工，请从东侧入口进入",
];

const MOBILE_PREFIXES: [&str; 25] = [
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "156", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189",
];

/// Where a station is and who runs it: what naming and addressing it needs.
struct Setting<'a> {
    /// District (区) name, e.g. 朝阳区.
    district: &'a str,
    /// The street union's area name when a street union runs it, e.g. 望京街道.
    street: Option<&'a str>,
    /// The union that runs it.
    union: &'a UnionRef,
    places: &'a [String],
    communities: &'a [String],
    roads: &'a [String],
    /// The address up to the road, e.g. 北京市朝阳区望京街道.
    address: &'a str,
    /// Telephone area code, e.g. 010.
    area_code: &'a str,
}

/// One candidate name as (head, tail); may repeat another station's (see `Names`). A second
/// store of a chain gets its number between the two (链家望京西园 + 二 + 店暖心驿站).
fn draw_name(rng: &mut Rng, kind: Kind, at: &Setting<'_>) -> (String, &'static str) {
    let place = rng.pick(at.places);
    let community = if at.communities.is_empty() {
        place
    } else {
        rng.pick(at.communities)
    };
    let whole = match kind {
        Kind::Lianjia => {
            let spot = if rng.chance(0.5) { place } else { community };
            return (format!("链家{spot}"), "店暖心驿站");
        }
        Kind::Express => match rng.below(5) {
            0 => format!("顺丰{place}营业部驿站"),
            1 => format!("京东物流{place}站驿站"),
            2 => format!("中通快递{place}网点驿站"),
            3 => format!("韵达快递{place}网点驿站"),
            _ => format!("圆通速递{place}网点驿站"),
        },
        Kind::UnionPost => match (at.street, rng.weighted(&[1, 1, 2, 2, 2])) {
            (Some(street), 0) => format!("{street}工会驿站"),
            (Some(street), 1) => format!("{street}总工会暖心驿站"),
            (None, 0 | 1) => format!("{}{place}暖心驿站", at.union.name),
            (_, 2) => format!("{place}工会驿站"),
            (_, 3) => format!("{place}户外劳动者暖心驿站"),
            (Some(_), _) => format!("{community}社区工会驿站"),
            (None, _) => format!("{place}骑手暖心服务站"),
        },
        Kind::Community => match rng.weighted(&[3, 1, 1]) {
            0 => format!("{community}社区党群服务中心"),
            1 => format!("{community}社区职工之家"),
            _ => format!("{community}社区新就业群体服务站"),
        },
        Kind::Harbour => match rng.below(3) {
            0 => return (format!("劳动者港湾（{place}"), "）"),
            1 => format!("建设银行{place}支行劳动者港湾"),
            _ => format!("工商银行{place}支行工行驿站"),
        },
        Kind::Gas => {
            if rng.chance(0.6) {
                format!("中国石化{place}加油站司机之家")
            } else {
                let road = rng.pick(at.roads);
                format!("中国石油{road}加油站司机之家")
            }
        }
    };
    (whole, "")
}

/// 2 → 二, 12 → 十二, 45 → 四十五; digits from 100 on.
fn chinese_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let digit = |d: u32| DIGITS.get(d as usize).copied().unwrap_or_default();
    match n {
        1..=9 => digit(n).to_owned(),
        10..=19 => format!("十{}", digit(n % 10)),
        20..=99 => format!("{}十{}", digit(n / 10), digit(n % 10)),
        _ => n.to_string(),
    }
}

/// Hands out unique names: a name already taken is drawn again a few times, then numbered
/// (链家望京西园二店暖心驿站, 望京街道工会驿站（2号）). Amortised O(1) per name.
#[derive(Default)]
struct Names {
    /// Every name given out; for drawn names, the highest number given to a copy of it.
    seen: HashMap<String, u32>,
}

impl Names {
    fn unique(&mut self, rng: &mut Rng, kind: Kind, at: &Setting<'_>) -> String {
        let (head, tail) = draw_name(rng, kind, at);
        let first = format!("{head}{tail}");
        if self.claim(&first) {
            return first;
        }
        for _ in 0..3 {
            let (h, t) = draw_name(rng, kind, at);
            let again = format!("{h}{t}");
            if self.claim(&again) {
                return again;
            }
        }
        let mut count = self.seen.get(&first).copied().unwrap_or(1);
        loop {
            count += 1;
            let numbered = match tail {
                "" => format!("{head}（{count}号）"),
                "）" => format!("{head}{}号站{tail}", chinese_number(count)),
                _ => format!("{head}{}{tail}", chinese_number(count)),
            };
            // Checked like any other name, so a numbered name can never meet a drawn one.
            if self.claim(&numbered) {
                self.seen.insert(first, count);
                return numbered;
            }
        }
    }

    /// Takes `name` if no station has it yet.
    fn claim(&mut self, name: &str) -> bool {
        if self.seen.contains_key(name) {
            return false;
        }
        self.seen.insert(name.to_owned(), 1);
        true
    }
}

/// The parsed `HOURS`, parsed once rather than per station.
struct HoursBook(Vec<Option<OpeningHours>>);

impl HoursBook {
    fn new() -> HoursBook {
        HoursBook(HOURS.iter().map(|h| OpeningHours::parse(h).ok()).collect())
    }

    fn draw(&self, rng: &mut Rng, kind: Kind) -> Option<OpeningHours> {
        let table = hours_table(kind);
        let (index, _) = table.get(rng.weighted_by(table, |&(_, w)| w))?;
        self.0.get(*index)?.clone()
    }
}

fn draw_kind(rng: &mut Rng) -> Kind {
    KINDS
        .get(rng.weighted_by(&KINDS, |&(_, w)| w))
        .map_or(Kind::UnionPost, |&(k, _)| k)
}

fn draw_amenities(rng: &mut Rng, kind: Kind) -> Vec<AmenityStatus> {
    let odds = amenity_odds(kind);
    Amenity::ALL
        .into_iter()
        .zip(odds)
        .filter_map(|(code, p)| {
            let has = rng.chance(p);
            // Always draw the state too, so one amenity's odds never shift the next one's draws.
            let broken = rng.chance(0.07);
            has.then_some(AmenityStatus {
                code,
                state: if broken {
                    AmenityState::OutOfOrder
                } else {
                    AmenityState::Ok
                },
            })
        })
        .collect()
}

/// ~85% open, ~8% closed, the rest never confirmed; confirmations up to 1.5 × the expiry old.
fn draw_status(
    rng: &mut Rng,
    now: Timestamp,
    expiry_secs: i64,
    amenities: &mut [AmenityStatus],
) -> StationStatus {
    let roll = rng.unit();
    let age_roll = rng.unit();
    let notice_roll = rng.unit();
    let notice_index = rng.below(NOTICES.len());
    if roll >= 0.93 {
        return StationStatus {
            state: StationState::Unknown,
            confirmed_at: None,
            expires_at: None,
            notice: None,
        };
    }
    let state = if roll < 0.85 {
        StationState::Open
    } else {
        StationState::Closed
    };
    let expiry = expiry_secs.max(0);
    // `as` saturates, so a huge expiry cannot overflow.
    let age = (age_roll * 1.5 * expiry as f64) as i64;
    let confirmed = now.plus_seconds(-age);
    let notice = (notice_roll < 0.08).then(|| {
        let microwave = amenities.iter_mut().find(|a| a.code == Amenity::Microwave);
        match (notice_index, microwave) {
            (0, Some(m)) => {
                m.state = AmenityState::OutOfOrder;
                NOTICES[0]
            }
            // No microwave to repair: say something else.
            (0, None) => NOTICES[2],
            (i, _) => NOTICES.get(i).copied().unwrap_or(NOTICES[2]),
        }
        .to_owned()
    });
    StationStatus {
        state,
        confirmed_at: Some(confirmed),
        expires_at: Some(confirmed.plus_seconds(expiry)),
        notice,
    }
}

/// A landline with the city's area code, or a mobile number; ~10% have none.
fn draw_phone(rng: &mut Rng, area_code: &str) -> Option<String> {
    let none = rng.chance(0.10);
    let landline = rng.chance(0.55);
    let first = if rng.chance(0.5) { 6 } else { 8 };
    let prefix = rng.pick(&MOBILE_PREFIXES);
    let digits = rng.below(10_000_000);
    let tail = rng.below(100_000_000);
    if none {
        None
    } else if landline {
        Some(format!("{area_code}-{first}{digits:07}"))
    } else {
        Some(format!("{prefix}{tail:08}"))
    }
}

/// A house number: mostly small, sometimes large, now and then Beijing's 甲 (e.g. 甲6号).
fn draw_number(rng: &mut Rng) -> String {
    let small = rng.chance(0.7);
    let n = if small {
        1 + rng.below(40)
    } else {
        1 + rng.below(300)
    };
    if rng.chance(0.05) {
        format!("甲{n}号")
    } else {
        format!("{n}号")
    }
}

/// Everything about a station except where it is, drawn in one fixed order.
fn make_station(
    rng: &mut Rng,
    id: &str,
    at: &Setting<'_>,
    location: (f64, f64),
    ctx: &mut Shared,
) -> Option<Station> {
    let id = StationId::parse(id).ok()?;
    let location = LatLng::new(location.0, location.1).ok()?;
    let kind = draw_kind(rng);
    let name = ctx.names.unique(rng, kind, at);
    let road = rng.pick(at.roads);
    let number = draw_number(rng);
    let hours = ctx.hours.draw(rng, kind)?;
    let mut amenities = draw_amenities(rng, kind);
    let status = draw_status(rng, ctx.now, ctx.expiry_secs, &mut amenities);
    let phone = draw_phone(rng, at.area_code);
    Some(Station {
        id,
        name,
        address: format!("{}{road}{number}", at.address),
        district: at.district.to_owned(),
        union: at.union.clone(),
        location,
        amenities,
        hours,
        status,
        phone,
        version: 1,
        replies: Vec::new(),
        confirmed_today: 0,
    })
}

/// State shared by every station of one generation run.
struct Shared {
    names: Names,
    hours: HoursBook,
    now: Timestamp,
    expiry_secs: i64,
}

impl Shared {
    fn new(now: Timestamp, expiry_secs: i64) -> Shared {
        Shared {
            names: Names::default(),
            hours: HoursBook::new(),
            now,
            expiry_secs,
        }
    }
}

fn union(id: String, name: String, parent: Option<&UnionId>) -> Option<(DemoUnion, UnionRef)> {
    let id = UnionId::parse(&id).ok()?;
    let reference = UnionRef {
        id: id.clone(),
        name: name.clone(),
    };
    Some((
        DemoUnion {
            id,
            name,
            parent: parent.cloned(),
        },
        reference,
    ))
}

// ---------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------

/// Share of stations run by a district (or, nationwide, city) union directly.
const DIRECT_SHARE: f64 = 0.2;

// Both builders return `None` only if a built-in table held an invalid id or hours text, which
// the tests rule out; the public functions then give empty data rather than panic.

fn build_beijing(n: usize, now: Timestamp, expiry_secs: i64) -> Option<DemoData> {
    let (city, _) = union("bj".into(), "北京市总工会".into(), None)?;
    let mut unions = vec![city.clone()];
    // Per district: its union, then its streets' unions.
    let mut refs: Vec<(UnionRef, Vec<UnionRef>)> = Vec::with_capacity(beijing_table().len());
    for d in beijing_table() {
        let (du, dref) = union(
            format!("bj-{}", d.id),
            format!("{}总工会", d.name),
            Some(&city.id),
        )?;
        let parent = du.id.clone();
        unions.push(du);
        let mut streets = Vec::with_capacity(d.streets.len());
        for s in &d.streets {
            let (su, sref) = union(
                format!("bj-{}-{}", d.id, s.id),
                format!("{}总工会", s.name),
                Some(&parent),
            )?;
            unions.push(su);
            streets.push(sref);
        }
        refs.push((dref, streets));
    }

    let mut turns = Turns::new(beijing_table().iter().map(|d| d.weight).collect());
    let mut shared = Shared::new(now, expiry_secs);
    let mut stations = Vec::with_capacity(n);
    for _ in 0..n {
        let (di, seq) = turns.next();
        let (d, (dref, srefs)) = (beijing_table().get(di)?, refs.get(di)?);
        let mut rng = Rng::for_station(&d.id, seq);
        let direct = rng.chance(DIRECT_SHARE);
        let (si, point) = if direct {
            // Around the district's centre, named after whichever street it lands in.
            let p = scatter(&mut rng, d.at, d.radius_km / 2.0);
            let nearest = d
                .streets
                .iter()
                .enumerate()
                .min_by(|(_, a), (_, b)| near_sq(p, a.at).total_cmp(&near_sq(p, b.at)))
                .map_or(0, |(i, _)| i);
            (nearest, p)
        } else {
            let si = rng.weighted_by(&d.streets, |s| s.weight);
            (si, scatter(&mut rng, d.streets.get(si)?.at, d.street_km))
        };
        let street = d.streets.get(si)?;
        let point = (
            point.0.clamp(BEIJING_LAT.0, BEIJING_LAT.1),
            point.1.clamp(BEIJING_LNG.0, BEIJING_LNG.1),
        );
        let address = format!("北京市{}{}", d.name, street.name);
        let setting = Setting {
            district: &d.name,
            street: (!direct).then_some(street.name.as_str()),
            union: if direct { dref } else { srefs.get(si)? },
            places: &street.places,
            communities: &street.communities,
            roads: &street.roads,
            address: &address,
            area_code: "010",
        };
        let id = format!("bj-{}-{seq:04}", d.id);
        stations.push(make_station(&mut rng, &id, &setting, point, &mut shared)?);
    }
    Some(DemoData { unions, stations })
}

fn build_nationwide(
    cities: &[City],
    n: usize,
    now: Timestamp,
    expiry_secs: i64,
) -> Option<DemoData> {
    let mut unions = Vec::new();
    let mut refs: Vec<(UnionRef, Vec<UnionRef>)> = Vec::with_capacity(cities.len());
    for c in cities {
        let (cu, cref) = union(c.code.clone(), format!("{}总工会", c.name), None)?;
        let parent = cu.id.clone();
        unions.push(cu);
        let mut districts = Vec::with_capacity(c.districts.len());
        for (id, name, _, _) in &c.districts {
            let (du, dref) = union(
                format!("{}-{id}", c.code),
                format!("{name}总工会"),
                Some(&parent),
            )?;
            unions.push(du);
            districts.push(dref);
        }
        refs.push((cref, districts));
    }

    let mut turns = Turns::new(cities.iter().map(|c| c.weight).collect());
    let mut shared = Shared::new(now, expiry_secs);
    let mut stations = Vec::with_capacity(n);
    for _ in 0..n {
        let (ci, seq) = turns.next();
        let (c, (cref, drefs)) = (cities.get(ci)?, refs.get(ci)?);
        let mut rng = Rng::for_station(&c.code, seq);
        let direct = rng.chance(DIRECT_SHARE);
        let (di, point) = if direct {
            let p = scatter(&mut rng, c.at, c.radius_km / 2.5);
            let nearest = c
                .districts
                .iter()
                .enumerate()
                .min_by(|(_, a), (_, b)| near_sq(p, (a.2, a.3)).total_cmp(&near_sq(p, (b.2, b.3))))
                .map_or(0, |(i, _)| i);
            (nearest, p)
        } else {
            let di = rng.below(c.districts.len());
            let &(_, _, lat, lng) = c.districts.get(di)?;
            (di, scatter(&mut rng, (lat, lng), c.radius_km / 5.0))
        };
        let (_, district, _, _) = c.districts.get(di)?;
        let address = format!("{}{district}", c.name);
        let setting = Setting {
            district,
            street: None,
            union: if direct { cref } else { drefs.get(di)? },
            places: &c.places,
            communities: &[],
            roads: &c.roads,
            address: &address,
            area_code: &c.area_code,
        };
        let id = format!("{}-{seq:06}", c.code);
        stations.push(make_station(&mut rng, &id, &setting, point, &mut shared)?);
    }
    Some(DemoData { unions, stations })
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use yizhan_core::BEIJING_DISTRICTS;

    use super::*;

    /// 2026-11-25T05:04:00Z, a Wednesday afternoon in Beijing.
    const NOW: Timestamp = Timestamp::from_unix(1_795_583_040);
    /// Two hours, the server's default status expiry.
    const EXPIRY: i64 = 7_200;

    fn bj(n: usize) -> DemoData {
        beijing(n, NOW, EXPIRY)
    }

    #[test]
    fn the_same_call_gives_the_same_data_twice() {
        let (a, b) = (bj(2000), bj(2000));
        assert_eq!(a.unions, b.unions);
        assert_eq!(a.stations, b.stations);
        let (a, b) = (nationwide(3000, NOW, EXPIRY), nationwide(3000, NOW, EXPIRY));
        assert_eq!(a.unions, b.unions);
        assert_eq!(a.stations, b.stations);
    }

    #[test]
    fn the_first_station_never_changes() {
        // Posters print these; if this fails, demo ids, names or places have all moved.
        let data = bj(1);
        let s = data.stations.first().expect("one station");
        assert_eq!(s.id.as_str(), "bj-chaoyang-0001");
        assert_eq!(s.name, "顺丰国贸营业部驿站");
        assert_eq!(s.district, "朝阳区");
        assert_eq!(s.union.id.as_str(), "bj-chaoyang-jianwai");
        assert_eq!(
            (s.location.lat.get(), s.location.lng.get()),
            (39.912191, 116.461942)
        );
        assert_eq!(s.hours.as_str(), "Mo-Su 08:00-20:00");
        let s = nationwide(1, NOW, EXPIRY).stations.remove(0);
        assert_eq!(s.id.as_str(), "sh-000001");
    }

    #[test]
    fn n_stations_are_generated_with_valid_unique_ids() {
        let data = bj(2000);
        assert_eq!(data.stations.len(), 2000);
        let mut ids = HashSet::new();
        for s in &data.stations {
            let id = s.id.as_str();
            assert!(ids.insert(id), "duplicate id {id}");
            assert!(StationId::parse(id).is_ok(), "{id}");
            let (prefix, number) = id.rsplit_once('-').expect("dash");
            assert!(prefix.starts_with("bj-"), "{id}");
            assert!(
                number.len() == 4 && number.bytes().all(|b| b.is_ascii_digit()),
                "{id}"
            );
        }
    }

    #[test]
    fn station_names_are_unique() {
        let data = bj(2000);
        let names: HashSet<&str> = data.stations.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), data.stations.len());
    }

    #[test]
    fn most_names_need_no_number() {
        let data = bj(2000);
        let numbered = data
            .stations
            .iter()
            .filter(|s| s.name.ends_with("号）"))
            .count();
        assert!(numbered < 60, "{numbered} numbered names");
    }

    #[test]
    fn union_tree_lists_parents_first_and_ids_once() {
        for data in [bj(10), nationwide(10, NOW, EXPIRY)] {
            let mut seen = HashSet::new();
            for u in &data.unions {
                if let Some(p) = &u.parent {
                    assert!(seen.contains(p), "{} before its parent {p}", u.id);
                }
                assert!(seen.insert(u.id.clone()), "duplicate union {}", u.id);
                assert!(u.name.ends_with("总工会"), "{}", u.name);
            }
        }
    }

    #[test]
    fn beijing_has_a_city_union_sixteen_district_unions_and_street_unions() {
        let data = bj(0);
        assert!(data.stations.is_empty());
        let root: Vec<_> = data.unions.iter().filter(|u| u.parent.is_none()).collect();
        assert_eq!(root.len(), 1);
        assert_eq!(
            (root[0].id.as_str(), root[0].name.as_str()),
            ("bj", "北京市总工会")
        );
        let districts: Vec<_> = data
            .unions
            .iter()
            .filter(|u| u.parent.as_ref().map(UnionId::as_str) == Some("bj"))
            .collect();
        assert_eq!(districts.len(), 16);
        for (d, name) in beijing_table().iter().zip(BEIJING_DISTRICTS) {
            assert_eq!(d.name, name);
            let id = format!("bj-{}", d.id);
            let streets = data
                .unions
                .iter()
                .filter(|u| u.parent.as_ref().map(UnionId::as_str) == Some(&id))
                .count();
            assert!(
                (3..=8).contains(&streets),
                "{name}: {streets} street unions"
            );
        }
        let wangjing = data
            .unions
            .iter()
            .find(|u| u.id.as_str() == "bj-chaoyang-wangjing")
            .expect("望京");
        assert_eq!(wangjing.name, "望京街道总工会");
        assert_eq!(
            wangjing.parent.as_ref().map(UnionId::as_str),
            Some("bj-chaoyang")
        );
    }

    #[test]
    fn every_station_is_in_beijing_in_a_district_and_under_its_union() {
        let data = bj(2000);
        let parent: HashMap<&str, Option<&str>> = data
            .unions
            .iter()
            .map(|u| (u.id.as_str(), u.parent.as_ref().map(UnionId::as_str)))
            .collect();
        let names: HashMap<&str, &str> = data
            .unions
            .iter()
            .map(|u| (u.id.as_str(), u.name.as_str()))
            .collect();
        for s in &data.stations {
            let (lat, lng) = (s.location.lat.get(), s.location.lng.get());
            assert!(
                (39.4..=41.1).contains(&lat) && (115.4..=117.5).contains(&lng),
                "{} at {lat},{lng}",
                s.id
            );
            let di = BEIJING_DISTRICTS
                .iter()
                .position(|d| *d == s.district)
                .expect("a Beijing district");
            let district_union = format!("bj-{}", beijing_table()[di].id);
            assert!(
                s.id.as_str().starts_with(&format!("{district_union}-")),
                "{}",
                s.id
            );
            let u = s.union.id.as_str();
            assert!(
                u == district_union
                    || parent.get(u).copied().flatten() == Some(district_union.as_str()),
                "{} run by {u}",
                s.id
            );
            assert_eq!(names.get(u).copied(), Some(s.union.name.as_str()));
            assert!(
                s.address.starts_with(&format!("北京市{}", s.district)),
                "{}",
                s.address
            );
            assert!(s.address.ends_with('号'), "{}", s.address);
            assert_eq!(s.version, 1);
        }
    }

    #[test]
    fn most_stations_belong_to_a_street_union() {
        let data = bj(2000);
        let street = data
            .stations
            .iter()
            .filter(|s| s.union.id.as_str().matches('-').count() == 2)
            .count();
        assert!((1500..1750).contains(&street), "{street}");
    }

    #[test]
    fn busy_districts_get_more_stations_than_outer_ones() {
        let data = bj(2000);
        let count = |d: &str| data.stations.iter().filter(|s| s.district == d).count();
        assert!(count("朝阳区") > count("海淀区"));
        assert!(count("海淀区") > count("丰台区"));
        assert!(count("丰台区") > count("延庆区") * 5);
        for d in BEIJING_DISTRICTS {
            assert!(count(d) > 0, "{d}");
        }
    }

    #[test]
    fn every_hours_text_parses() {
        for h in HOURS {
            assert!(OpeningHours::parse(h).is_ok(), "{h}");
        }
        for kind in KINDS.map(|(k, _)| k) {
            for &(i, _) in hours_table(kind) {
                assert!(i < HOURS.len());
            }
        }
        for s in &bj(2000).stations {
            assert_eq!(OpeningHours::parse(s.hours.as_str()).as_ref(), Ok(&s.hours));
        }
    }

    #[test]
    fn two_thousand_stations_show_every_case_the_app_handles() {
        let data = bj(2000);
        let any = |f: &dyn Fn(&Station) -> bool| data.stations.iter().any(f);
        assert!(any(&|s| s.hours.is_24_7()), "24/7");
        assert!(
            any(&|s| s.hours.as_str() == "Mo-Su 18:00-06:00"),
            "overnight"
        );
        assert!(any(&|s| s.status.state == StationState::Closed), "closed");
        assert!(any(&|s| s.status.confirmed_at.is_none()), "never confirmed");
        assert!(
            any(&|s| s.status.confirmed_at.is_some()
                && s.clone().as_seen_at(NOW).status.state == StationState::Unknown),
            "expired"
        );
        assert!(
            any(&|s| s.status.is_fresh(NOW)
                && s.clone().as_seen_at(NOW).status.state == StationState::Open),
            "fresh open"
        );
        assert!(any(&|s| s.status.notice.is_some()), "notice");
        assert!(any(&|s| s.phone.is_none()), "no phone");
        assert!(
            any(&|s| s
                .amenities
                .iter()
                .any(|a| a.state == AmenityState::OutOfOrder)),
            "broken amenity"
        );
        assert!(any(&|s| s.name.starts_with("链家")), "链家");
        assert!(any(&|s| s.name.ends_with("司机之家")), "司机之家");
    }

    #[test]
    fn shares_are_roughly_as_intended() {
        let data = bj(2000);
        let share = |f: &dyn Fn(&Station) -> bool| {
            data.stations.iter().filter(|s| f(s)).count() as f64 / data.stations.len() as f64
        };
        let within =
            |v: f64, lo: f64, hi: f64| assert!((lo..hi).contains(&v), "{v} not in {lo}..{hi}");
        within(share(&|s| s.name.starts_with("链家")), 0.28, 0.38);
        within(share(&|s| s.hours.is_24_7()), 0.10, 0.20);
        within(share(&|s| s.status.state == StationState::Open), 0.80, 0.90);
        within(
            share(&|s| s.status.state == StationState::Closed),
            0.05,
            0.11,
        );
        within(share(&|s| s.status.notice.is_some()), 0.05, 0.11);
        within(share(&|s| s.phone.is_none()), 0.07, 0.13);
        within(share(&|s| s.amenity(Amenity::Water).is_some()), 0.94, 1.0);
        within(
            share(&|s| s.amenity(Amenity::Microwave).is_some()),
            0.52,
            0.68,
        );
        within(share(&|s| s.amenity(Amenity::Shower).is_some()), 0.0, 0.07);
        let expired = share(&|s| s.status.confirmed_at.is_some() && !s.status.is_fresh(NOW));
        within(expired, 0.25, 0.38);
    }

    #[test]
    fn confirmations_expire_after_the_expiry_and_are_not_in_the_future() {
        for s in &bj(2000).stations {
            match (s.status.confirmed_at, s.status.expires_at) {
                (Some(c), Some(e)) => {
                    assert!(c <= NOW, "{}", s.id);
                    assert!(NOW.unix() - c.unix() <= EXPIRY * 3 / 2, "{}", s.id);
                    assert_eq!(e.unix() - c.unix(), EXPIRY);
                }
                (None, None) => assert_eq!(s.status.state, StationState::Unknown),
                other => panic!("{}: {other:?}", s.id),
            }
        }
    }

    #[test]
    fn a_huge_or_negative_expiry_does_not_panic() {
        assert_eq!(beijing(50, NOW, i64::MAX).stations.len(), 50);
        assert_eq!(beijing(50, NOW, -5).stations.len(), 50);
        assert_eq!(
            beijing(50, Timestamp::from_unix(i64::MIN), i64::MAX)
                .stations
                .len(),
            50
        );
    }

    #[test]
    fn phones_are_beijing_landlines_or_mobiles() {
        for s in &bj(2000).stations {
            let Some(p) = &s.phone else { continue };
            let ok_landline = p.len() == 12
                && (p.starts_with("010-6") || p.starts_with("010-8"))
                && p[4..].bytes().all(|b| b.is_ascii_digit());
            let ok_mobile = p.len() == 11
                && ["13", "15", "18"].iter().any(|x| p.starts_with(x))
                && p.bytes().all(|b| b.is_ascii_digit());
            assert!(ok_landline || ok_mobile, "{p}");
        }
    }

    #[test]
    fn amenities_follow_the_app_order_without_repeats() {
        for s in &bj(500).stations {
            let positions: Vec<usize> = s
                .amenities
                .iter()
                .map(|a| {
                    Amenity::ALL
                        .iter()
                        .position(|x| *x == a.code)
                        .expect("known")
                })
                .collect();
            assert!(positions.windows(2).all(|w| w[0] < w[1]), "{}", s.id);
            assert!(s.amenities.iter().all(|a| a.state != AmenityState::Unknown));
        }
    }

    #[test]
    fn a_broken_microwave_notice_comes_with_a_broken_microwave() {
        for s in &bj(2000).stations {
            if s.status.notice.as_deref() == Some(NOTICES[0]) {
                assert_eq!(
                    s.amenity(Amenity::Microwave),
                    Some(AmenityState::OutOfOrder),
                    "{}",
                    s.id
                );
            }
        }
    }

    #[test]
    fn a_larger_demo_starts_with_the_smaller_one() {
        let small = bj(2000);
        let large = bj(2100);
        assert_eq!(small.unions, large.unions);
        assert_eq!(small.stations[..], large.stations[..2000]);
        // So the first 100 ids of each district stay put as the demo grows.
        let first: Vec<&str> = small
            .stations
            .iter()
            .take(100)
            .map(|s| s.id.as_str())
            .collect();
        let again: Vec<&str> = large
            .stations
            .iter()
            .take(100)
            .map(|s| s.id.as_str())
            .collect();
        assert_eq!(first, again);
        let small = nationwide(5000, NOW, EXPIRY);
        let large = nationwide(5500, NOW, EXPIRY);
        assert_eq!(small.stations[..], large.stations[..5000]);
    }

    #[test]
    fn data_lists_are_usable_for_names() {
        for d in beijing_table() {
            assert!(!d.streets.is_empty());
            for s in &d.streets {
                assert!(
                    !s.places.is_empty() && !s.roads.is_empty() && !s.communities.is_empty(),
                    "{}",
                    s.name
                );
                assert!(s.weight > 0);
                // Keeps numbered names (…（2号）) apart from drawn ones.
                for p in s.places.iter().chain(&s.communities) {
                    assert!(!p.ends_with('号') && !p.contains('（'), "{p}");
                }
                // Street centres lie near their district.
                assert!(
                    near_sq(s.at, d.at).sqrt() * KM_PER_DEGREE_LAT < 25.0,
                    "{}",
                    s.name
                );
            }
        }
        for c in cities_table() {
            assert!(
                !c.districts.is_empty() && !c.places.is_empty() && !c.roads.is_empty(),
                "{}",
                c.name
            );
            for p in &c.places {
                assert!(!p.ends_with('号') && !p.contains('（'), "{p}");
            }
        }
        let codes: HashSet<&str> = cities_table().iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes.len(), cities_table().len());
    }

    #[test]
    fn nationwide_gives_n_unique_ids_and_names() {
        let data = nationwide(100_000, NOW, EXPIRY);
        assert_eq!(data.stations.len(), 100_000);
        let ids: HashSet<&str> = data.stations.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), 100_000);
        let names: HashSet<&str> = data.stations.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), 100_000);
    }

    #[test]
    fn nationwide_stations_sit_near_their_city_and_under_its_unions() {
        let data = nationwide(20_000, NOW, EXPIRY);
        let cities: HashMap<&str, &City> = cities_table()
            .iter()
            .map(|c| (c.code.as_str(), c))
            .collect();
        let mut per_city: HashMap<&str, usize> = HashMap::new();
        for s in &data.stations {
            let (code, number) = s.id.as_str().split_once('-').expect("dash");
            assert_eq!(number.len(), 6, "{}", s.id);
            let c = cities.get(code).expect("known city");
            *per_city.entry(code).or_default() += 1;
            let u = s.union.id.as_str();
            assert!(
                u == code || u.starts_with(&format!("{code}-")),
                "{} run by {u}",
                s.id
            );
            assert!(
                c.districts.iter().any(|d| d.1 == s.district),
                "{}",
                s.district
            );
            assert!(
                s.address.starts_with(&format!("{}{}", c.name, s.district)),
                "{}",
                s.address
            );
            let p = (s.location.lat.get(), s.location.lng.get());
            // Districts sit up to ~75 km out (滨海新区), plus the scatter.
            assert!(
                near_sq(p, c.at).sqrt() * KM_PER_DEGREE_LAT < 100.0,
                "{} at {p:?}",
                s.id
            );
        }
        assert_eq!(per_city.len(), cities_table().len());
        assert!(per_city["sh"] > per_city["ls"] * 10);
    }
}
