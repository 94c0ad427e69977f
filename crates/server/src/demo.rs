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
//! approximate WGS-84 and good for a map, not for navigation.

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
    build_nationwide(n, now, status_expiry_secs).unwrap_or_else(DemoData::empty)
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
    fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items
            .get(self.below(items.len()))
            .copied()
            .unwrap_or_default()
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
struct Street {
    /// Pinyin, the last part of the union id.
    id: &'static str,
    /// e.g. 望京街道; the union is `{name}总工会`.
    name: &'static str,
    /// Approximate centre (lat, lng).
    at: (f64, f64),
    /// Share of the district's stations.
    weight: u32,
    /// Neighbourhoods, landmarks and malls, for station names.
    places: &'static [&'static str],
    /// Roads, for addresses.
    roads: &'static [&'static str],
    /// Residential communities (社区), without the 社区 suffix.
    communities: &'static [&'static str],
}

struct District {
    /// Pinyin, e.g. `chaoyang`.
    id: &'static str,
    /// e.g. 朝阳区, as in `BEIJING_DISTRICTS`.
    name: &'static str,
    /// Approximate centre of its built-up area (lat, lng).
    at: (f64, f64),
    /// Spread of stations run directly by the district union around `at`.
    radius_km: f64,
    /// Spread of stations around a street's centre.
    street_km: f64,
    /// Share of the city's stations (roughly people and couriers, urban core heavier).
    weight: f64,
    streets: &'static [Street],
}

/// Beijing's districts in the order of `BEIJING_DISTRICTS`.
const BEIJING: [District; 16] = [
    District {
        id: "dongcheng",
        name: "东城区",
        at: (39.928, 116.416),
        radius_km: 2.0,
        street_km: 0.6,
        weight: 5.0,
        streets: &[
            Street {
                id: "donghuamen",
                name: "东华门街道",
                at: (39.914, 116.406),
                weight: 3,
                places: &["王府井", "东单", "灯市口", "南河沿", "东安门"],
                roads: &["王府井大街", "东单北大街", "灯市口大街", "南河沿大街"],
                communities: &["韶九", "多福巷", "北池子", "智德"],
            },
            Street {
                id: "jiaodaokou",
                name: "交道口街道",
                at: (39.938, 116.403),
                weight: 2,
                places: &["南锣鼓巷", "交道口", "鼓楼东", "北兵马司"],
                roads: &["交道口南大街", "地安门外大街", "鼓楼东大街", "平安大街"],
                communities: &["福祥", "菊儿", "交东", "府学"],
            },
            Street {
                id: "andingmen",
                name: "安定门街道",
                at: (39.946, 116.411),
                weight: 2,
                places: &["安定门", "雍和宫", "国子监", "五道营"],
                roads: &["安定门内大街", "雍和宫大街", "国子监街", "安定门东大街"],
                communities: &["国子监", "五道营", "分司厅", "钟楼湾"],
            },
            Street {
                id: "jianguomen",
                name: "建国门街道",
                at: (39.906, 116.430),
                weight: 3,
                places: &["建国门", "北京站", "崇文门", "东便门"],
                roads: &["建国门内大街", "北京站街", "崇文门内大街", "东单三条"],
                communities: &["西总布", "赵家楼", "站东", "崇内"],
            },
            Street {
                id: "hepingli",
                name: "和平里街道",
                at: (39.958, 116.418),
                weight: 3,
                places: &["和平里", "青年湖", "地坛", "樱花园"],
                roads: &["和平里东街", "和平里北街", "安定门外大街", "青年湖南街"],
                communities: &["和平里", "青年湖", "化工", "兴化"],
            },
            Street {
                id: "tiantan",
                name: "天坛街道",
                at: (39.883, 116.412),
                weight: 2,
                places: &["天坛", "金鱼池", "红桥", "先农坛"],
                roads: &["天坛路", "天坛东路", "永定门内大街", "法华寺街"],
                communities: &["金鱼池", "天坛东里", "先农坛", "东晓市"],
            },
            Street {
                id: "longtan",
                name: "龙潭街道",
                at: (39.878, 116.443),
                weight: 2,
                places: &["龙潭湖", "光明楼", "夕照寺", "左安门"],
                roads: &["龙潭路", "光明路", "夕照寺街", "左安门内大街"],
                communities: &["龙潭北里", "光明楼", "夕照寺", "左安门"],
            },
        ],
    },
    District {
        id: "xicheng",
        name: "西城区",
        at: (39.912, 116.366),
        radius_km: 2.2,
        street_km: 0.6,
        weight: 7.0,
        streets: &[
            Street {
                id: "xinjiekou",
                name: "新街口街道",
                at: (39.940, 116.369),
                weight: 3,
                places: &["新街口", "西直门", "护国寺", "积水潭", "官园"],
                roads: &["新街口南大街", "西直门内大街", "护国寺大街", "赵登禹路"],
                communities: &["玉桃园", "前公用", "官园", "西四北头条"],
            },
            Street {
                id: "jinrongjie",
                name: "金融街街道",
                at: (39.915, 116.360),
                weight: 3,
                places: &["金融街", "西单", "复兴门", "太平桥", "丰盛"],
                roads: &["金融大街", "西单北大街", "太平桥大街", "复兴门内大街"],
                communities: &["丰汇园", "大院", "受水河", "二龙路"],
            },
            Street {
                id: "yuetan",
                name: "月坛街道",
                at: (39.914, 116.345),
                weight: 2,
                places: &["月坛", "三里河", "南礼士路", "木樨地", "白云观"],
                roads: &["月坛北街", "三里河路", "南礼士路", "月坛南街"],
                communities: &["白云观", "真武庙", "三里河一区", "南礼士路"],
            },
            Street {
                id: "zhanlanlu",
                name: "展览路街道",
                at: (39.932, 116.344),
                weight: 2,
                places: &["车公庄", "百万庄", "展览馆", "阜成门"],
                roads: &["车公庄大街", "百万庄大街", "展览馆路", "阜成门外大街"],
                communities: &["百万庄东", "南营房", "团结", "文兴街"],
            },
            Street {
                id: "desheng",
                name: "德胜街道",
                at: (39.953, 116.377),
                weight: 2,
                places: &["德胜门", "马甸", "黄寺", "德外"],
                roads: &["德胜门外大街", "新街口外大街", "黄寺大街", "北三环中路"],
                communities: &["德胜里", "新康", "黄寺", "双旗杆"],
            },
            Street {
                id: "guanganmenwai",
                name: "广安门外街道",
                at: (39.889, 116.337),
                weight: 2,
                places: &["广安门", "红莲", "湾子", "马连道", "莲花池"],
                roads: &["广安门外大街", "红莲南路", "马连道路", "莲花池东路"],
                communities: &["红莲北里", "马连道", "手帕口", "湾子"],
            },
            Street {
                id: "niujie",
                name: "牛街街道",
                at: (39.884, 116.362),
                weight: 1,
                places: &["牛街", "菜市口", "法源寺", "枣林前街"],
                roads: &["牛街", "广安门内大街", "菜市口大街", "教子胡同"],
                communities: &["牛街东里", "南线阁", "法源寺", "枣林前街"],
            },
        ],
    },
    District {
        id: "chaoyang",
        name: "朝阳区",
        // The district's middle; its government sits further west (39.921, 116.443), on the
        // edge of 东城, which would push the scatter into the next district.
        at: (39.948, 116.486),
        radius_km: 5.5,
        street_km: 1.1,
        weight: 24.0,
        streets: &[
            Street {
                id: "wangjing",
                name: "望京街道",
                at: (39.996, 116.472),
                weight: 5,
                places: &["望京西园", "望京SOHO", "花家地", "南湖", "宝星园", "阜通"],
                roads: &[
                    "望京街",
                    "阜通东大街",
                    "广顺北大街",
                    "利泽中街",
                    "阜通西大街",
                ],
                communities: &["望京西园四区", "花家地西里", "南湖东园", "利泽西园", "宝星"],
            },
            Street {
                id: "sanlitun",
                name: "三里屯街道",
                at: (39.935, 116.454),
                weight: 3,
                places: &["三里屯", "工体", "幸福村", "农展馆", "东直门外"],
                roads: &["三里屯路", "工人体育场北路", "幸福村中路", "新东路"],
                communities: &["幸福二村", "中纺里", "白家庄", "北三里屯"],
            },
            Street {
                id: "tuanjiehu",
                name: "团结湖街道",
                at: (39.929, 116.467),
                weight: 2,
                places: &["团结湖", "水碓子", "朝阳公园", "长虹桥"],
                roads: &["团结湖路", "水碓子东路", "农展馆南路", "东三环北路"],
                communities: &["团结湖北二条", "水碓子", "南北里", "中路"],
            },
            Street {
                id: "aoyuncun",
                name: "奥运村街道",
                at: (40.003, 116.395),
                weight: 3,
                places: &["奥林匹克公园", "北辰", "科荟", "仰山"],
                roads: &["北辰东路", "林萃路", "科荟路", "北辰西路"],
                communities: &["北辰东路", "南沟泥河", "龙祥", "绿色家园"],
            },
            Street {
                id: "shuangjing",
                name: "双井街道",
                at: (39.894, 116.463),
                weight: 4,
                places: &["双井", "富力城", "九龙山", "百子湾", "广渠门外"],
                roads: &["广渠路", "东三环中路", "百子湾路", "西大望路"],
                communities: &["九龙", "富力", "广和里", "光环"],
            },
            Street {
                id: "jiuxianqiao",
                name: "酒仙桥街道",
                at: (39.972, 116.493),
                weight: 3,
                places: &["酒仙桥", "798艺术区", "将台", "驼房营", "大山子"],
                roads: &["酒仙桥路", "酒仙桥北路", "将台路", "驼房营路"],
                communities: &["大山子", "高家园", "万红西", "驼房营"],
            },
            Street {
                id: "jianwai",
                name: "建外街道",
                at: (39.908, 116.456),
                weight: 4,
                places: &["国贸", "永安里", "大北窑", "建外SOHO", "光华桥"],
                roads: &["建国门外大街", "光华路", "东三环中路", "建国路"],
                communities: &["建外", "永安里东", "光华里", "秀水"],
            },
            Street {
                id: "balizhuang",
                name: "八里庄街道",
                at: (39.918, 116.497),
                weight: 3,
                places: &["八里庄", "十里堡", "红领巾公园", "延静里", "红庙"],
                roads: &["朝阳路", "十里堡路", "延静里中街", "朝阳北路"],
                communities: &["延静里", "十里堡", "八里庄东里", "红庙北里"],
            },
        ],
    },
    District {
        id: "fengtai",
        name: "丰台区",
        at: (39.858, 116.287),
        radius_km: 5.0,
        street_km: 1.1,
        weight: 12.0,
        streets: &[
            Street {
                id: "fangzhuang",
                name: "方庄地区",
                at: (39.865, 116.430),
                weight: 3,
                places: &["方庄", "芳古园", "芳城园", "蒲黄榆"],
                roads: &["蒲方路", "方庄路", "南三环东路", "蒲黄榆路"],
                communities: &["芳古园一区", "芳城园一区", "芳群园一区", "芳星园一区"],
            },
            Street {
                id: "liuliqiao",
                name: "六里桥街道",
                at: (39.880, 116.310),
                weight: 2,
                places: &["六里桥", "丽泽", "莲花池", "北京西站南广场"],
                roads: &["西三环南路", "丽泽路", "莲花池西路", "马连道南街"],
                communities: &["六里桥", "莲花池", "丽泽", "东管头"],
            },
            Street {
                id: "majiapu",
                name: "马家堡街道",
                at: (39.850, 116.375),
                weight: 3,
                places: &["马家堡", "角门", "嘉园", "洋桥"],
                roads: &["马家堡东路", "马家堡西路", "角门路", "南三环西路"],
                communities: &["角门东里", "嘉园一里", "洋桥", "马家堡东里"],
            },
            Street {
                id: "lugouqiao",
                name: "卢沟桥街道",
                at: (39.865, 116.255),
                weight: 2,
                places: &["岳各庄", "大井", "小屯", "青塔"],
                roads: &["丰台北路", "西四环南路", "小屯路", "青塔西路"],
                communities: &["岳各庄", "大井", "小屯", "青塔"],
            },
            Street {
                id: "youanmen",
                name: "右安门街道",
                at: (39.865, 116.360),
                weight: 2,
                places: &["右安门", "玉林", "翠林", "开阳里"],
                roads: &["右安门外大街", "开阳路", "南三环西路", "玉林西路"],
                communities: &["玉林东里", "翠林一里", "开阳里", "东庄"],
            },
            Street {
                id: "fengtaijie",
                name: "丰台街道",
                at: (39.858, 116.290),
                weight: 2,
                places: &["丰台东大街", "东安街", "丰台火车站", "正阳北里"],
                roads: &["丰台北路", "丰台东大街", "丰台南路", "东安街"],
                communities: &["东安街头条", "丰台北路", "东大街", "正阳北里"],
            },
            Street {
                id: "dahongmen",
                name: "大红门街道",
                at: (39.845, 116.395),
                weight: 2,
                places: &["大红门", "木樨园", "海户屯", "南顶"],
                roads: &["南苑路", "大红门路", "南三环中路", "南顶路"],
                communities: &["海户西里", "木樨园", "大红门东街", "南顶村"],
            },
        ],
    },
    District {
        id: "shijingshan",
        name: "石景山区",
        at: (39.906, 116.223),
        radius_km: 3.0,
        street_km: 0.9,
        weight: 4.0,
        streets: &[
            Street {
                id: "pingguoyuan",
                name: "苹果园街道",
                at: (39.929, 116.178),
                weight: 3,
                places: &["苹果园", "西黄村", "海特花园", "西井"],
                roads: &["苹果园路", "苹果园南路", "阜石路", "西井路"],
                communities: &["苹果园二区", "海特花园", "西黄新村", "西井"],
            },
            Street {
                id: "lugu",
                name: "鲁谷街道",
                at: (39.898, 116.234),
                weight: 3,
                places: &["鲁谷", "永乐", "重聚园", "七星园"],
                roads: &["鲁谷路", "石景山路", "鲁谷东街", "玉泉路"],
                communities: &["永乐东", "重聚园", "依翠园", "七星园"],
            },
            Street {
                id: "gucheng",
                name: "古城街道",
                at: (39.910, 116.190),
                weight: 2,
                places: &["古城", "老山", "古城公园", "北辛安"],
                roads: &["古城大街", "石景山路", "古城南路", "阜石路"],
                communities: &["古城南路东", "古城北路", "老山东里", "北辛安"],
            },
            Street {
                id: "bajiao",
                name: "八角街道",
                at: (39.910, 116.207),
                weight: 3,
                places: &["八角", "八角游乐园", "杨庄", "石景山万达"],
                roads: &["八角东街", "八角西街", "八角北路", "石景山路"],
                communities: &["八角北里", "杨庄", "黄南苑", "八角南里"],
            },
        ],
    },
    District {
        id: "haidian",
        name: "海淀区",
        at: (39.959, 116.298),
        radius_km: 5.0,
        street_km: 1.1,
        weight: 18.0,
        streets: &[
            Street {
                id: "zhongguancun",
                name: "中关村街道",
                at: (39.983, 116.316),
                weight: 4,
                places: &["中关村", "海淀黄庄", "中科院", "保福寺"],
                roads: &["中关村大街", "中关村东路", "科学院南路", "知春路"],
                communities: &["科源", "黄庄", "科育", "中关村南"],
            },
            Street {
                id: "xueyuanlu",
                name: "学院路街道",
                at: (39.995, 116.350),
                weight: 4,
                places: &["五道口", "学院路", "石油大院", "二里庄", "林业大学"],
                roads: &["学院路", "成府路", "清华东路", "双清路"],
                communities: &["石油大院", "林大北路", "展春园", "二里庄"],
            },
            Street {
                id: "haidianjie",
                name: "海淀街道",
                at: (39.985, 116.305),
                weight: 3,
                places: &["苏州街", "海淀南路", "万泉河", "丹棱街"],
                roads: &["苏州街", "海淀大街", "万泉河路", "丹棱街"],
                communities: &["稻香园", "苏州街", "万泉庄", "海淀南路"],
            },
            Street {
                id: "wanshoulu",
                name: "万寿路街道",
                at: (39.905, 116.297),
                weight: 3,
                places: &["万寿路", "公主坟", "翠微", "复兴路"],
                roads: &["万寿路", "复兴路", "翠微路", "西翠路"],
                communities: &["翠微路", "万寿路西街", "复兴路", "太平路"],
            },
            Street {
                id: "qinghe",
                name: "清河街道",
                at: (40.030, 116.338),
                weight: 3,
                places: &["清河", "安宁庄", "小营", "清河五彩城"],
                roads: &["清河中街", "安宁庄路", "小营西路", "清河毛纺路"],
                communities: &["安宁里", "清上园", "毛纺北小区", "小营"],
            },
            Street {
                id: "shangdi",
                name: "上地街道",
                at: (40.035, 116.310),
                weight: 3,
                places: &["上地", "西二旗", "上地软件园", "东北旺"],
                roads: &["上地十街", "上地信息路", "上地东路", "西二旗大街"],
                communities: &["上地东里", "上地西里", "上地佳园", "东馨园"],
            },
            Street {
                id: "ganjiakou",
                name: "甘家口街道",
                at: (39.926, 116.322),
                weight: 2,
                places: &["甘家口", "增光路", "白堆子", "阜外"],
                roads: &["三里河路", "增光路", "阜成路", "车公庄西路"],
                communities: &["甘家口", "增光", "阜外西", "建设部"],
            },
        ],
    },
    District {
        id: "mentougou",
        name: "门头沟区",
        at: (39.940, 116.102),
        radius_km: 3.0,
        street_km: 1.0,
        weight: 1.5,
        streets: &[
            Street {
                id: "dayu",
                name: "大峪街道",
                at: (39.935, 116.100),
                weight: 3,
                places: &["大峪", "新桥", "滨河", "月季园"],
                roads: &["新桥大街", "滨河路", "双峪路", "黑山大街"],
                communities: &["月季园", "新桥", "滨河东", "大峪"],
            },
            Street {
                id: "chengzi",
                name: "城子街道",
                at: (39.922, 116.110),
                weight: 2,
                places: &["城子", "龙门", "蓝龙家园", "矿建"],
                roads: &["城子大街", "新桥南大街", "石龙北路"],
                communities: &["城子", "龙门", "蓝龙家园", "矿建"],
            },
            Street {
                id: "yongding",
                name: "永定镇",
                at: (39.910, 116.130),
                weight: 2,
                places: &["永定", "石门营", "冯村", "石龙"],
                roads: &["石龙北路", "石门营路", "冯村路"],
                communities: &["石门营", "冯村", "永定", "惠润嘉园"],
            },
        ],
    },
    District {
        id: "fangshan",
        name: "房山区",
        at: (39.735, 116.143),
        radius_km: 5.0,
        street_km: 1.2,
        weight: 4.0,
        streets: &[
            Street {
                id: "gongchen",
                name: "拱辰街道",
                at: (39.733, 116.142),
                weight: 3,
                places: &["良乡", "拱辰", "苏庄", "良乡大学城"],
                roads: &["拱辰大街", "苏庄大街", "良乡西路", "昊天大街"],
                communities: &["拱辰北大街", "苏庄", "瑞雪春堂", "文化路"],
            },
            Street {
                id: "xilu",
                name: "西潞街道",
                at: (39.745, 116.120),
                weight: 2,
                places: &["西潞", "长虹", "昊天", "北潞园"],
                roads: &["长虹西路", "长虹东路", "西潞大街", "昊天北大街"],
                communities: &["北潞园", "长虹", "西潞苑", "太平庄"],
            },
            Street {
                id: "changyang",
                name: "长阳镇",
                at: (39.765, 116.205),
                weight: 3,
                places: &["长阳半岛", "长阳", "稻田", "篱笆房"],
                roads: &["长政南街", "京良路", "长阳路", "阳光北大街"],
                communities: &["长阳半岛", "稻田", "篱笆房", "碧桂园"],
            },
            Street {
                id: "chengguan",
                name: "城关街道",
                at: (39.700, 115.990),
                weight: 2,
                places: &["城关", "房山城关", "饶乐府", "东沙河"],
                roads: &["政通路", "府前街", "西大街", "东大街"],
                communities: &["饶乐府", "东沙河", "西大街", "城关"],
            },
        ],
    },
    District {
        id: "tongzhou",
        name: "通州区",
        at: (39.909, 116.657),
        radius_km: 5.0,
        street_km: 1.2,
        weight: 8.0,
        streets: &[
            Street {
                id: "xinhua",
                name: "新华街道",
                at: (39.909, 116.660),
                weight: 2,
                places: &["新华大街", "西门", "新华联", "西海子"],
                roads: &["新华大街", "新华西街", "车站路", "新华南路"],
                communities: &["西门", "新华", "中山街", "西海子"],
            },
            Street {
                id: "zhongcang",
                name: "中仓街道",
                at: (39.900, 116.668),
                weight: 2,
                places: &["中仓", "通州万达", "运河公园", "北小园"],
                roads: &["玉带河大街", "车站路", "中仓路", "运河西大街"],
                communities: &["中仓", "北小园", "滨河", "新仓路"],
            },
            Street {
                id: "liyuan",
                name: "梨园地区",
                at: (39.880, 116.645),
                weight: 3,
                places: &["梨园", "云景里", "九棵树", "临河里"],
                roads: &["九棵树东路", "云景东路", "梨园北街", "京通快速路辅路"],
                communities: &["云景里", "临河里", "大稿新村", "九棵树"],
            },
            Street {
                id: "yongshun",
                name: "永顺地区",
                at: (39.925, 116.650),
                weight: 2,
                places: &["永顺", "北关", "新华联家园", "果园"],
                roads: &["新华北路", "永顺南街", "北苑路", "通燕高速辅路"],
                communities: &["永顺", "北关", "新华联家园", "果园"],
            },
            Street {
                id: "tongyun",
                name: "通运街道",
                at: (39.910, 116.690),
                weight: 2,
                places: &["通运门", "运河商务区", "北运河", "潞河"],
                roads: &["运河东大街", "新华东街", "潞苑南大街", "通胡大街"],
                communities: &["通运", "潞河", "运河东", "杨庄"],
            },
            Street {
                id: "majuqiao",
                name: "马驹桥镇",
                at: (39.758, 116.555),
                weight: 2,
                places: &["马驹桥", "马驹桥物流园", "金桥科技产业基地", "兴贸"],
                roads: &["兴贸一街", "兴贸二街", "京津公路"],
                communities: &["马驹桥", "兴贸", "驸马庄", "小周易"],
            },
        ],
    },
    District {
        id: "shunyi",
        name: "顺义区",
        at: (40.130, 116.654),
        radius_km: 5.5,
        street_km: 1.3,
        weight: 5.0,
        streets: &[
            Street {
                id: "shengli",
                name: "胜利街道",
                at: (40.128, 116.655),
                weight: 3,
                places: &["顺义城区", "胜利", "站前街", "东兴"],
                roads: &["府前中街", "站前街", "新顺南大街", "光明北街"],
                communities: &["建新北区", "站前北街", "胜利小区", "义宾北区"],
            },
            Street {
                id: "shiyuan",
                name: "石园街道",
                at: (40.120, 116.665),
                weight: 2,
                places: &["石园", "石园北区", "港馨家园", "双兴"],
                roads: &["石园北街", "石园南大街", "双兴南大街"],
                communities: &["石园北区", "石园东区", "港馨家园", "双兴东区"],
            },
            Street {
                id: "konggang",
                name: "空港街道",
                at: (40.085, 116.565),
                weight: 3,
                places: &["空港", "天竺", "国门商务区", "裕祥花园"],
                roads: &["裕翔路", "安泰大街", "天柱路", "裕民大街"],
                communities: &["裕祥花园", "天竺花园", "樱花园", "吉祥花园"],
            },
            Street {
                id: "houshayu",
                name: "后沙峪镇",
                at: (40.115, 116.535),
                weight: 2,
                places: &["后沙峪", "西白辛庄", "中粮祥云", "裕民"],
                roads: &["裕民大街", "安华大街", "火沙路"],
                communities: &["后沙峪", "西白辛庄", "祥云", "吉祥"],
            },
        ],
    },
    District {
        id: "changping",
        name: "昌平区",
        at: (40.220, 116.231),
        radius_km: 6.0,
        street_km: 1.3,
        weight: 9.0,
        streets: &[
            Street {
                id: "huilongguan",
                name: "回龙观街道",
                at: (40.075, 116.330),
                weight: 4,
                places: &["回龙观", "龙泽", "育知路", "龙锦苑"],
                roads: &["回龙观西大街", "回龙观东大街", "育知东路", "同成街"],
                communities: &["龙泽苑", "流星花园", "云趣园", "新龙城"],
            },
            Street {
                id: "tiantongyuanbei",
                name: "天通苑北街道",
                at: (40.080, 116.420),
                weight: 4,
                places: &["天通苑", "天通北苑", "太平庄", "天通苑北"],
                roads: &["立汤路", "太平庄中街", "太平庄北街"],
                communities: &[
                    "天通北苑第一",
                    "天通北苑第二",
                    "天通西苑第一",
                    "天通东苑第一",
                ],
            },
            Street {
                id: "chengbei",
                name: "城北街道",
                at: (40.225, 116.235),
                weight: 2,
                places: &["昌平鼓楼", "政府街", "东关", "西关"],
                roads: &["政府街", "鼓楼北街", "东环路", "西环路"],
                communities: &["东关", "西关", "鼓楼北", "政府街西"],
            },
            Street {
                id: "chengnan",
                name: "城南街道",
                at: (40.212, 116.240),
                weight: 2,
                places: &["南环", "府学路", "水关", "宁馨苑"],
                roads: &["南环路", "府学路", "西环南路", "昌平路"],
                communities: &["水关", "宁馨苑", "府学路", "南环里"],
            },
            Street {
                id: "shahe",
                name: "沙河镇",
                at: (40.140, 116.290),
                weight: 2,
                places: &["沙河", "沙河高教园", "于辛庄", "巩华城"],
                roads: &["昌平路", "于辛庄路", "沙阳路"],
                communities: &["沙河", "巩华城", "于辛庄", "保利罗兰"],
            },
        ],
    },
    District {
        id: "daxing",
        name: "大兴区",
        at: (39.727, 116.341),
        radius_km: 5.5,
        street_km: 1.3,
        weight: 8.0,
        streets: &[
            Street {
                id: "tiangongyuan",
                name: "天宫院街道",
                at: (39.665, 116.318),
                weight: 3,
                places: &[
                    "天宫院",
                    "京南物流基地",
                    "龙湖天街",
                    "凯德MALL",
                    "生物医药基地",
                ],
                roads: &["天华大街", "兴业大街", "京开辅路", "福苑路"],
                communities: &["天宫院", "福苑", "海子角", "兴业大街"],
            },
            Street {
                id: "xingfeng",
                name: "兴丰街道",
                at: (39.735, 116.338),
                weight: 2,
                places: &["黄村", "兴丰大街", "火神庙", "大兴站"],
                roads: &["兴丰大街", "兴华大街", "黄村西大街", "金星路"],
                communities: &["兴丰", "三合南里", "西大街", "黄村东里"],
            },
            Street {
                id: "qingyuan",
                name: "清源街道",
                at: (39.738, 116.322),
                weight: 2,
                places: &["清源路", "枣园", "康庄", "兴华中里"],
                roads: &["清源路", "枣园路", "兴华中路", "康庄路"],
                communities: &["枣园小区", "康庄", "兴华", "清源西里"],
            },
            Street {
                id: "yizhuang",
                name: "亦庄镇",
                at: (39.800, 116.500),
                weight: 3,
                places: &["亦庄", "荣京东街", "经海路", "亦庄文化园"],
                roads: &["荣京东街", "文化园西路", "经海路", "博兴路"],
                communities: &["亦庄", "三海子", "荣京", "文化园"],
            },
            Street {
                id: "xihongmen",
                name: "西红门镇",
                at: (39.785, 116.330),
                weight: 2,
                places: &["西红门", "西红门荟聚", "宏福", "欣宁"],
                roads: &["欣宁大街", "京开辅路", "宏业路"],
                communities: &["西红门", "宏福苑", "欣宁", "金华寺"],
            },
        ],
    },
    District {
        id: "huairou",
        name: "怀柔区",
        at: (40.316, 116.632),
        radius_km: 3.5,
        street_km: 1.0,
        weight: 1.2,
        streets: &[
            Street {
                id: "quanhe",
                name: "泉河街道",
                at: (40.322, 116.640),
                weight: 3,
                places: &["怀柔城区", "青春路", "富乐", "府前街"],
                roads: &["青春路", "府前街", "迎宾中路", "富乐大街"],
                communities: &["富乐", "青春路", "泉河", "开放路"],
            },
            Street {
                id: "longshan",
                name: "龙山街道",
                at: (40.310, 116.625),
                weight: 2,
                places: &["龙山", "开放路", "南华园", "怀柔站"],
                roads: &["开放路", "南华大街", "迎宾南路", "府前西街"],
                communities: &["龙山", "南华园", "开放路南", "西关"],
            },
            Street {
                id: "yanqi",
                name: "雁栖镇",
                at: (40.390, 116.670),
                weight: 1,
                places: &["雁栖湖", "雁栖开发区", "范各庄", "柏泉"],
                roads: &["雁栖大街", "乐园大街", "范崎路"],
                communities: &["范各庄", "柏泉", "雁栖", "下辛庄"],
            },
        ],
    },
    District {
        id: "pinggu",
        name: "平谷区",
        at: (40.141, 117.121),
        radius_km: 3.5,
        street_km: 1.0,
        weight: 1.5,
        streets: &[
            Street {
                id: "binhe",
                name: "滨河街道",
                at: (40.141, 117.110),
                weight: 3,
                places: &["平谷城区", "府前街", "滨河", "新平"],
                roads: &["府前街", "新平北路", "平翔路", "滨河路"],
                communities: &["滨河", "府前", "新平", "建西"],
            },
            Street {
                id: "xinggu",
                name: "兴谷街道",
                at: (40.152, 117.125),
                weight: 2,
                places: &["兴谷", "建设街", "兴谷开发区", "林荫"],
                roads: &["兴谷东路", "平谷大街", "建设街", "林荫北街"],
                communities: &["兴谷", "建设街", "林荫", "金谷园"],
            },
            Street {
                id: "mafang",
                name: "马坊镇",
                at: (40.050, 117.020),
                weight: 2,
                places: &["马坊", "马坊物流基地", "石佛寺", "马坊工业区"],
                roads: &["顺平路", "马坊大街", "金河北街"],
                communities: &["马坊", "石佛寺", "英城", "梨羊"],
            },
        ],
    },
    District {
        id: "miyun",
        name: "密云区",
        at: (40.377, 116.843),
        radius_km: 3.5,
        street_km: 1.0,
        weight: 1.2,
        streets: &[
            Street {
                id: "gulou",
                name: "鼓楼街道",
                at: (40.377, 116.843),
                weight: 3,
                places: &["鼓楼", "密云城区", "宾阳", "沿湖"],
                roads: &["鼓楼东大街", "鼓楼南大街", "新中街", "滨河路"],
                communities: &["宾阳", "沿湖", "新中街", "鼓楼西"],
            },
            Street {
                id: "guoyuan",
                name: "果园街道",
                at: (40.370, 116.858),
                weight: 2,
                places: &["果园", "新东路", "季庄", "密云站"],
                roads: &["新东路", "果园西路", "新北路", "新南路"],
                communities: &["果园", "季庄", "新东", "上河湾"],
            },
            Street {
                id: "tanying",
                name: "檀营地区",
                at: (40.392, 116.868),
                weight: 1,
                places: &["檀营", "檀营一村", "檀营二村", "檀州"],
                roads: &["檀营大街", "密关路"],
                communities: &["檀营一村", "檀营二村", "檀营三村", "檀营四村"],
            },
        ],
    },
    District {
        id: "yanqing",
        name: "延庆区",
        at: (40.456, 115.975),
        radius_km: 3.5,
        street_km: 1.0,
        weight: 1.0,
        streets: &[
            Street {
                id: "rulin",
                name: "儒林街道",
                at: (40.458, 115.968),
                weight: 2,
                places: &["延庆城区", "妫水", "儒林", "东外"],
                roads: &["妫水北街", "东外大街", "高塔街", "庆园街"],
                communities: &["儒林", "妫水", "东外", "高塔"],
            },
            Street {
                id: "baiquan",
                name: "百泉街道",
                at: (40.465, 115.988),
                weight: 2,
                places: &["百泉", "夏都", "湖南东路", "延庆站"],
                roads: &["湖南东路", "百泉街", "东顺城街", "新兴西街"],
                communities: &["百泉", "夏都", "湖南", "新兴"],
            },
            Street {
                id: "xiangshuiyuan",
                name: "香水园街道",
                at: (40.470, 115.955),
                weight: 2,
                places: &["香水园", "世园", "新城", "颍泽洲"],
                roads: &["香水园街", "延康路", "西环路"],
                communities: &["香水园", "新城", "颍泽洲", "振兴"],
            },
            Street {
                id: "badaling",
                name: "八达岭镇",
                at: (40.355, 116.010),
                weight: 1,
                places: &["八达岭", "岔道", "八达岭服务区", "帮水峪"],
                roads: &["京藏高速辅路", "八达岭路"],
                communities: &["岔道", "帮水峪", "营城子", "石峡"],
            },
        ],
    },
];

// ---------------------------------------------------------------------------------------------
// Nationwide data
// ---------------------------------------------------------------------------------------------

struct City {
    /// Short pinyin code, the first part of every id (`sh`).
    code: &'static str,
    /// e.g. 上海市; the city union is `{name}总工会`.
    name: &'static str,
    /// Approximate centre (lat, lng).
    at: (f64, f64),
    /// How far stations scatter from the centre.
    radius_km: f64,
    /// Share of the country's stations (roughly urban population).
    weight: f64,
    /// Telephone area code.
    area_code: &'static str,
    /// (pinyin, name, lat, lng) of a few central districts, each with a union.
    districts: &'static [(&'static str, &'static str, f64, f64)],
    /// Well-known places, for station names.
    places: &'static [&'static str],
    /// Main roads, for addresses.
    roads: &'static [&'static str],
}

const CITIES: [City; 30] = [
    City {
        code: "bj",
        name: "北京市",
        at: (39.904, 116.407),
        radius_km: 25.0,
        weight: 22.0,
        area_code: "010",
        districts: &[
            ("chaoyang", "朝阳区", 39.948, 116.486),
            ("haidian", "海淀区", 39.960, 116.298),
            ("fengtai", "丰台区", 39.858, 116.287),
            ("dongcheng", "东城区", 39.928, 116.416),
            ("xicheng", "西城区", 39.912, 116.366),
        ],
        places: &[
            "望京",
            "中关村",
            "国贸",
            "双井",
            "回龙观",
            "天通苑",
            "亦庄",
            "五道口",
        ],
        roads: &["长安街", "中关村大街", "建国路", "学院路", "朝阳路"],
    },
    City {
        code: "sh",
        name: "上海市",
        at: (31.230, 121.474),
        radius_km: 28.0,
        weight: 24.0,
        area_code: "021",
        districts: &[
            ("pudong", "浦东新区", 31.221, 121.544),
            ("huangpu", "黄浦区", 31.231, 121.484),
            ("xuhui", "徐汇区", 31.188, 121.437),
            ("minhang", "闵行区", 31.112, 121.382),
            ("jingan", "静安区", 31.229, 121.459),
        ],
        places: &[
            "陆家嘴",
            "徐家汇",
            "人民广场",
            "五角场",
            "莘庄",
            "张江",
            "虹桥",
            "七宝",
        ],
        roads: &["南京西路", "世纪大道", "漕溪北路", "淮海中路", "延安西路"],
    },
    City {
        code: "gz",
        name: "广州市",
        at: (23.129, 113.264),
        radius_km: 25.0,
        weight: 18.0,
        area_code: "020",
        districts: &[
            ("tianhe", "天河区", 23.125, 113.361),
            ("yuexiu", "越秀区", 23.129, 113.267),
            ("haizhu", "海珠区", 23.084, 113.318),
            ("baiyun", "白云区", 23.158, 113.273),
            ("panyu", "番禺区", 22.938, 113.384),
        ],
        places: &[
            "天河城",
            "珠江新城",
            "北京路",
            "客村",
            "江南西",
            "体育西",
            "市桥",
            "同和",
        ],
        roads: &["天河路", "中山大道", "环市东路", "江南大道", "广州大道"],
    },
    City {
        code: "sz",
        name: "深圳市",
        at: (22.543, 114.058),
        radius_km: 25.0,
        weight: 18.0,
        area_code: "0755",
        districts: &[
            ("futian", "福田区", 22.521, 114.055),
            ("nanshan", "南山区", 22.533, 113.930),
            ("luohu", "罗湖区", 22.548, 114.131),
            ("baoan", "宝安区", 22.555, 113.884),
            ("longgang", "龙岗区", 22.721, 114.247),
        ],
        places: &[
            "华强北",
            "科技园",
            "东门",
            "西乡",
            "车公庙",
            "蛇口",
            "布吉",
            "坂田",
        ],
        roads: &["深南大道", "滨海大道", "北环大道", "宝安大道", "红荔路"],
    },
    City {
        code: "cd",
        name: "成都市",
        at: (30.573, 104.066),
        radius_km: 22.0,
        weight: 14.0,
        area_code: "028",
        districts: &[
            ("jinjiang", "锦江区", 30.657, 104.083),
            ("wuhou", "武侯区", 30.642, 104.043),
            ("chenghua", "成华区", 30.660, 104.101),
            ("qingyang", "青羊区", 30.674, 104.061),
            ("jinniu", "金牛区", 30.692, 104.052),
        ],
        places: &[
            "春熙路",
            "天府广场",
            "九眼桥",
            "骡马市",
            "建设路",
            "高升桥",
            "金融城",
            "双楠",
        ],
        roads: &["人民南路", "蜀都大道", "一环路", "天府大道", "红星路"],
    },
    City {
        code: "hz",
        name: "杭州市",
        at: (30.274, 120.155),
        radius_km: 22.0,
        weight: 12.0,
        area_code: "0571",
        districts: &[
            ("shangcheng", "上城区", 30.242, 120.170),
            ("xihu", "西湖区", 30.260, 120.130),
            ("gongshu", "拱墅区", 30.320, 120.142),
            ("binjiang", "滨江区", 30.208, 120.211),
            ("xiaoshan", "萧山区", 30.185, 120.264),
        ],
        places: &[
            "武林广场",
            "黄龙",
            "湖滨",
            "文三路",
            "钱江新城",
            "拱宸桥",
            "萧山城厢",
            "滨江",
        ],
        roads: &["延安路", "文三路", "江南大道", "凤起路", "莫干山路"],
    },
    City {
        code: "wh",
        name: "武汉市",
        at: (30.593, 114.305),
        radius_km: 22.0,
        weight: 12.0,
        area_code: "027",
        districts: &[
            ("jiangan", "江岸区", 30.600, 114.309),
            ("wuchang", "武昌区", 30.554, 114.316),
            ("hongshan", "洪山区", 30.500, 114.343),
            ("hanyang", "汉阳区", 30.549, 114.218),
            ("qiaokou", "硚口区", 30.570, 114.214),
        ],
        places: &[
            "江汉路",
            "光谷",
            "街道口",
            "楚河汉街",
            "王家湾",
            "徐东",
            "武广",
            "鲁巷",
        ],
        roads: &["解放大道", "中北路", "珞喻路", "武珞路", "建设大道"],
    },
    City {
        code: "xa",
        name: "西安市",
        at: (34.341, 108.940),
        radius_km: 20.0,
        weight: 11.0,
        area_code: "029",
        districts: &[
            ("yanta", "雁塔区", 34.222, 108.948),
            ("beilin", "碑林区", 34.257, 108.934),
            ("xincheng", "新城区", 34.267, 108.960),
            ("lianhu", "莲湖区", 34.265, 108.944),
            ("weiyang", "未央区", 34.308, 108.947),
        ],
        places: &[
            "小寨",
            "钟楼",
            "高新",
            "大雁塔",
            "北大街",
            "凤城五路",
            "土门",
            "曲江",
        ],
        roads: &["长安北路", "太白南路", "东大街", "未央路", "友谊西路"],
    },
    City {
        code: "cq",
        name: "重庆市",
        at: (29.563, 106.551),
        radius_km: 22.0,
        weight: 14.0,
        area_code: "023",
        districts: &[
            ("yuzhong", "渝中区", 29.553, 106.569),
            ("jiangbei", "江北区", 29.606, 106.574),
            ("yubei", "渝北区", 29.718, 106.631),
            ("nanan", "南岸区", 29.523, 106.644),
            ("shapingba", "沙坪坝区", 29.541, 106.458),
            ("jiulongpo", "九龙坡区", 29.502, 106.511),
        ],
        places: &[
            "解放碑",
            "观音桥",
            "南坪",
            "三峡广场",
            "杨家坪",
            "两路口",
            "大坪",
            "礼嘉",
        ],
        roads: &["民族路", "建新北路", "南坪西路", "渝州路", "中山三路"],
    },
    City {
        code: "nj",
        name: "南京市",
        at: (32.060, 118.797),
        radius_km: 20.0,
        weight: 10.0,
        area_code: "025",
        districts: &[
            ("xuanwu", "玄武区", 32.048, 118.798),
            ("qinhuai", "秦淮区", 32.034, 118.795),
            ("gulou", "鼓楼区", 32.066, 118.770),
            ("jianye", "建邺区", 32.004, 118.732),
            ("jiangning", "江宁区", 31.953, 118.840),
        ],
        places: &[
            "新街口",
            "夫子庙",
            "河西",
            "鼓楼",
            "湖南路",
            "百家湖",
            "珠江路",
            "大行宫",
        ],
        roads: &["中山路", "中山东路", "汉中路", "江东中路", "龙蟠路"],
    },
    City {
        code: "tj",
        name: "天津市",
        at: (39.084, 117.201),
        radius_km: 22.0,
        weight: 11.0,
        area_code: "022",
        districts: &[
            ("heping", "和平区", 39.117, 117.215),
            ("hexi", "河西区", 39.109, 117.223),
            ("nankai", "南开区", 39.138, 117.150),
            ("hedong", "河东区", 39.128, 117.251),
            ("binhai", "滨海新区", 39.003, 117.711),
        ],
        places: &[
            "滨江道",
            "小白楼",
            "南开大学",
            "鞍山道",
            "大悦城",
            "于家堡",
            "梅江",
            "天津站",
        ],
        roads: &["南京路", "卫津路", "友谊路", "解放北路", "黑牛城道"],
    },
    City {
        code: "su",
        name: "苏州市",
        at: (31.299, 120.585),
        radius_km: 18.0,
        weight: 9.0,
        area_code: "0512",
        districts: &[
            ("gusu", "姑苏区", 31.311, 120.617),
            ("wuzhong", "吴中区", 31.262, 120.632),
            ("huqiu", "虎丘区", 31.295, 120.566),
            ("xiangcheng", "相城区", 31.369, 120.642),
        ],
        places: &[
            "观前街",
            "石路",
            "金鸡湖",
            "湖东",
            "狮山",
            "木渎",
            "平江路",
            "元和",
        ],
        roads: &["干将路", "人民路", "现代大道", "长江路", "东环路"],
    },
    City {
        code: "zz",
        name: "郑州市",
        at: (34.747, 113.625),
        radius_km: 18.0,
        weight: 9.0,
        area_code: "0371",
        districts: &[
            ("jinshui", "金水区", 34.800, 113.660),
            ("erqi", "二七区", 34.724, 113.640),
            ("zhongyuan", "中原区", 34.748, 113.613),
            ("guancheng", "管城回族区", 34.754, 113.677),
        ],
        places: &[
            "二七广场",
            "花园路",
            "郑东新区",
            "碧沙岗",
            "紫荆山",
            "郑州站",
            "经开区",
            "曼哈顿",
        ],
        roads: &["花园路", "金水路", "中原路", "大学路", "农业路"],
    },
    City {
        code: "cs",
        name: "长沙市",
        at: (28.228, 112.939),
        radius_km: 16.0,
        weight: 8.0,
        area_code: "0731",
        districts: &[
            ("furong", "芙蓉区", 28.185, 113.032),
            ("yuelu", "岳麓区", 28.235, 112.931),
            ("tianxin", "天心区", 28.113, 112.990),
            ("kaifu", "开福区", 28.256, 112.987),
            ("yuhua", "雨花区", 28.135, 113.036),
        ],
        places: &[
            "五一广场",
            "黄兴路",
            "溁湾镇",
            "东塘",
            "侯家塘",
            "四方坪",
            "德思勤",
            "袁家岭",
        ],
        roads: &["五一大道", "芙蓉中路", "韶山路", "麓山路", "劳动路"],
    },
    City {
        code: "sy",
        name: "沈阳市",
        at: (41.806, 123.432),
        radius_km: 18.0,
        weight: 7.0,
        area_code: "024",
        districts: &[
            ("heping", "和平区", 41.789, 123.396),
            ("shenhe", "沈河区", 41.796, 123.459),
            ("huanggu", "皇姑区", 41.824, 123.441),
            ("tiexi", "铁西区", 41.803, 123.376),
            ("hunnan", "浑南区", 41.715, 123.449),
        ],
        places: &[
            "太原街",
            "中街",
            "北行",
            "铁西广场",
            "三好街",
            "五里河",
            "沈阳北站",
            "奥体中心",
        ],
        roads: &["青年大街", "北京街", "黄河南大街", "兴华街", "十一纬路"],
    },
    City {
        code: "qd",
        name: "青岛市",
        at: (36.067, 120.383),
        radius_km: 18.0,
        weight: 7.0,
        area_code: "0532",
        districts: &[
            ("shinan", "市南区", 36.071, 120.412),
            ("shibei", "市北区", 36.087, 120.375),
            ("licang", "李沧区", 36.145, 120.433),
            ("laoshan", "崂山区", 36.107, 120.468),
            ("huangdao", "黄岛区", 35.960, 120.198),
        ],
        places: &[
            "五四广场",
            "台东",
            "中山路",
            "李村",
            "石老人",
            "麦岛",
            "浮山所",
            "辽阳路",
        ],
        roads: &["香港中路", "延安三路", "台东一路", "重庆中路", "辽阳西路"],
    },
    City {
        code: "hrb",
        name: "哈尔滨市",
        at: (45.757, 126.642),
        radius_km: 18.0,
        weight: 6.0,
        area_code: "0451",
        districts: &[
            ("daoli", "道里区", 45.755, 126.617),
            ("nangang", "南岗区", 45.760, 126.669),
            ("daowai", "道外区", 45.792, 126.649),
            ("xiangfang", "香坊区", 45.713, 126.662),
            ("songbei", "松北区", 45.803, 126.509),
        ],
        places: &[
            "中央大街",
            "秋林",
            "哈西",
            "会展中心",
            "学府路",
            "松北",
            "道外",
            "红博",
        ],
        roads: &["中山路", "红军街", "学府路", "东大直街", "友谊路"],
    },
    City {
        code: "km",
        name: "昆明市",
        at: (25.038, 102.718),
        radius_km: 16.0,
        weight: 6.0,
        area_code: "0871",
        districts: &[
            ("wuhua", "五华区", 25.043, 102.707),
            ("panlong", "盘龙区", 25.070, 102.720),
            ("guandu", "官渡区", 25.015, 102.744),
            ("xishan", "西山区", 25.038, 102.664),
            ("chenggong", "呈贡区", 24.889, 102.821),
        ],
        places: &[
            "南屏街",
            "东风广场",
            "翠湖",
            "北京路",
            "世纪城",
            "滇池路",
            "小西门",
            "呈贡大学城",
        ],
        roads: &["北京路", "东风西路", "人民中路", "青年路", "滇池路"],
    },
    City {
        code: "jn",
        name: "济南市",
        at: (36.651, 117.120),
        radius_km: 16.0,
        weight: 6.0,
        area_code: "0531",
        districts: &[
            ("lixia", "历下区", 36.667, 117.077),
            ("shizhong", "市中区", 36.651, 116.998),
            ("huaiyin", "槐荫区", 36.652, 116.901),
            ("tianqiao", "天桥区", 36.693, 116.988),
            ("licheng", "历城区", 36.681, 117.065),
        ],
        places: &[
            "泉城广场",
            "大明湖",
            "经十路",
            "洪家楼",
            "济南西站",
            "趵突泉",
            "山大路",
            "奥体中心",
        ],
        roads: &["经十路", "泉城路", "历山路", "经七路", "二环东路"],
    },
    City {
        code: "hf",
        name: "合肥市",
        at: (31.821, 117.227),
        radius_km: 16.0,
        weight: 6.0,
        area_code: "0551",
        districts: &[
            ("shushan", "蜀山区", 31.851, 117.261),
            ("luyang", "庐阳区", 31.878, 117.264),
            ("baohe", "包河区", 31.795, 117.309),
            ("yaohai", "瑶海区", 31.858, 117.309),
        ],
        places: &[
            "三孝口",
            "四牌楼",
            "天鹅湖",
            "政务区",
            "滨湖新区",
            "大东门",
            "科大",
            "南七",
        ],
        roads: &["长江中路", "金寨路", "徽州大道", "望江西路", "马鞍山路"],
    },
    City {
        code: "fz",
        name: "福州市",
        at: (26.074, 119.296),
        radius_km: 14.0,
        weight: 5.0,
        area_code: "0591",
        districts: &[
            ("gulou", "鼓楼区", 26.082, 119.304),
            ("taijiang", "台江区", 26.053, 119.314),
            ("cangshan", "仓山区", 26.047, 119.273),
            ("jinan", "晋安区", 26.082, 119.328),
        ],
        places: &[
            "东街口",
            "五一广场",
            "三坊七巷",
            "台江万达",
            "仓山万达",
            "五四路",
            "福州站",
            "上下杭",
        ],
        roads: &["八一七路", "五四路", "工业路", "福马路", "湖东路"],
    },
    City {
        code: "xm",
        name: "厦门市",
        at: (24.480, 118.089),
        radius_km: 12.0,
        weight: 5.0,
        area_code: "0592",
        districts: &[
            ("siming", "思明区", 24.445, 118.082),
            ("huli", "湖里区", 24.513, 118.146),
            ("jimei", "集美区", 24.576, 118.097),
            ("haicang", "海沧区", 24.485, 118.032),
        ],
        places: &[
            "中山路",
            "莲坂",
            "筼筜",
            "湖里万达",
            "集美学村",
            "软件园二期",
            "厦门站",
            "何厝",
        ],
        roads: &["厦禾路", "湖滨南路", "嘉禾路", "仙岳路", "莲前西路"],
    },
    City {
        code: "nn",
        name: "南宁市",
        at: (22.817, 108.367),
        radius_km: 14.0,
        weight: 5.0,
        area_code: "0771",
        districts: &[
            ("qingxiu", "青秀区", 22.786, 108.495),
            ("xingning", "兴宁区", 22.854, 108.368),
            ("jiangnan", "江南区", 22.781, 108.273),
            ("xixiangtang", "西乡塘区", 22.833, 108.313),
        ],
        places: &[
            "朝阳广场",
            "琅东",
            "万象城",
            "江南万达",
            "西大",
            "埌东",
            "南湖",
            "火车站",
        ],
        roads: &["民族大道", "朝阳路", "友爱路", "星光大道", "大学路"],
    },
    City {
        code: "gy",
        name: "贵阳市",
        at: (26.578, 106.713),
        radius_km: 14.0,
        weight: 4.0,
        area_code: "0851",
        districts: &[
            ("yunyan", "云岩区", 26.605, 106.724),
            ("nanming", "南明区", 26.567, 106.715),
            ("guanshanhu", "观山湖区", 26.601, 106.623),
            ("huaxi", "花溪区", 26.410, 106.670),
        ],
        places: &[
            "喷水池",
            "大十字",
            "花果园",
            "金阳",
            "小河",
            "河滨公园",
            "未来方舟",
            "花溪",
        ],
        roads: &["中华北路", "延安中路", "遵义路", "北京路", "宝山北路"],
    },
    City {
        code: "sjz",
        name: "石家庄市",
        at: (38.042, 114.515),
        radius_km: 14.0,
        weight: 5.0,
        area_code: "0311",
        districts: &[
            ("changan", "长安区", 38.037, 114.539),
            ("qiaoxi", "桥西区", 38.004, 114.461),
            ("xinhua", "新华区", 38.051, 114.463),
            ("yuhua", "裕华区", 38.006, 114.531),
        ],
        places: &[
            "北国商城",
            "万达广场",
            "石家庄站",
            "中山路",
            "裕华路",
            "怀特",
            "勒泰",
            "火车北站",
        ],
        roads: &["中山路", "裕华路", "和平路", "建设大街", "槐安路"],
    },
    City {
        code: "ty",
        name: "太原市",
        at: (37.870, 112.549),
        radius_km: 14.0,
        weight: 4.0,
        area_code: "0351",
        districts: &[
            ("xiaodian", "小店区", 37.736, 112.565),
            ("yingze", "迎泽区", 37.863, 112.563),
            ("xinghualing", "杏花岭区", 37.894, 112.570),
            ("wanbailin", "万柏林区", 37.859, 112.516),
        ],
        places: &[
            "柳巷",
            "五一广场",
            "长风街",
            "亲贤街",
            "大南门",
            "南内环",
            "龙城大街",
            "桃园",
        ],
        roads: &["迎泽大街", "府东街", "长风街", "并州路", "解放路"],
    },
    City {
        code: "lz",
        name: "兰州市",
        at: (36.061, 103.834),
        radius_km: 12.0,
        weight: 3.0,
        area_code: "0931",
        districts: &[
            ("chengguan", "城关区", 36.049, 103.825),
            ("qilihe", "七里河区", 36.066, 103.786),
            ("anning", "安宁区", 36.104, 103.719),
            ("xigu", "西固区", 36.088, 103.628),
        ],
        places: &[
            "西关",
            "东方红广场",
            "南关",
            "兰州西站",
            "小西湖",
            "安宁",
            "张掖路",
            "雁滩",
        ],
        roads: &["庆阳路", "东岗西路", "天水路", "南滨河路", "西津西路"],
    },
    City {
        code: "urc",
        name: "乌鲁木齐市",
        at: (43.825, 87.617),
        radius_km: 14.0,
        weight: 3.0,
        area_code: "0991",
        districts: &[
            ("tianshan", "天山区", 43.795, 87.631),
            ("shayibake", "沙依巴克区", 43.801, 87.598),
            ("xinshi", "新市区", 43.869, 87.569),
            ("shuimogou", "水磨沟区", 43.832, 87.642),
        ],
        places: &[
            "大巴扎",
            "南门",
            "友好",
            "小西门",
            "铁路局",
            "北京路",
            "红山",
            "八楼",
        ],
        roads: &["友好南路", "解放北路", "北京南路", "河滩北路", "新华北路"],
    },
    City {
        code: "hhht",
        name: "呼和浩特市",
        at: (40.817, 111.670),
        radius_km: 12.0,
        weight: 2.0,
        area_code: "0471",
        districts: &[
            ("xincheng", "新城区", 40.858, 111.665),
            ("huimin", "回民区", 40.808, 111.624),
            ("saihan", "赛罕区", 40.792, 111.701),
            ("yuquan", "玉泉区", 40.753, 111.675),
        ],
        places: &[
            "中山路",
            "新华广场",
            "大学西路",
            "海亮广场",
            "如意",
            "呼和浩特东站",
            "大召",
            "满都海",
        ],
        roads: &[
            "新华大街",
            "中山西路",
            "大学东街",
            "呼伦贝尔路",
            "锡林郭勒路",
        ],
    },
    City {
        code: "ls",
        name: "拉萨市",
        at: (29.652, 91.172),
        radius_km: 8.0,
        weight: 1.0,
        area_code: "0891",
        districts: &[
            ("chengguan", "城关区", 29.654, 91.140),
            ("duilongdeqing", "堆龙德庆区", 29.647, 91.003),
            ("dazi", "达孜区", 29.670, 91.350),
        ],
        places: &[
            "八廓街",
            "布达拉宫",
            "北京中路",
            "太阳岛",
            "拉萨站",
            "柳梧",
            "仙足岛",
            "江苏路",
        ],
        roads: &["北京中路", "江苏路", "金珠西路", "林廓路", "宇拓路"],
    },
];

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
    "Mo-Fr 09:00-17:00",
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
    places: &'a [&'static str],
    communities: &'a [&'static str],
    roads: &'a [&'static str],
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
    let mut refs: Vec<(UnionRef, Vec<UnionRef>)> = Vec::with_capacity(BEIJING.len());
    for d in &BEIJING {
        let (du, dref) = union(
            format!("bj-{}", d.id),
            format!("{}总工会", d.name),
            Some(&city.id),
        )?;
        let parent = du.id.clone();
        unions.push(du);
        let mut streets = Vec::with_capacity(d.streets.len());
        for s in d.streets {
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

    let mut turns = Turns::new(BEIJING.iter().map(|d| d.weight).collect());
    let mut shared = Shared::new(now, expiry_secs);
    let mut stations = Vec::with_capacity(n);
    for _ in 0..n {
        let (di, seq) = turns.next();
        let (d, (dref, srefs)) = (BEIJING.get(di)?, refs.get(di)?);
        let mut rng = Rng::for_station(d.id, seq);
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
            let si = rng.weighted_by(d.streets, |s| s.weight);
            (si, scatter(&mut rng, d.streets.get(si)?.at, d.street_km))
        };
        let street = d.streets.get(si)?;
        let point = (
            point.0.clamp(BEIJING_LAT.0, BEIJING_LAT.1),
            point.1.clamp(BEIJING_LNG.0, BEIJING_LNG.1),
        );
        let address = format!("北京市{}{}", d.name, street.name);
        let setting = Setting {
            district: d.name,
            street: (!direct).then_some(street.name),
            union: if direct { dref } else { srefs.get(si)? },
            places: street.places,
            communities: street.communities,
            roads: street.roads,
            address: &address,
            area_code: "010",
        };
        let id = format!("bj-{}-{seq:04}", d.id);
        stations.push(make_station(&mut rng, &id, &setting, point, &mut shared)?);
    }
    Some(DemoData { unions, stations })
}

fn build_nationwide(n: usize, now: Timestamp, expiry_secs: i64) -> Option<DemoData> {
    let mut unions = Vec::new();
    let mut refs: Vec<(UnionRef, Vec<UnionRef>)> = Vec::with_capacity(CITIES.len());
    for c in &CITIES {
        let (cu, cref) = union(c.code.into(), format!("{}总工会", c.name), None)?;
        let parent = cu.id.clone();
        unions.push(cu);
        let mut districts = Vec::with_capacity(c.districts.len());
        for &(id, name, _, _) in c.districts {
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

    let mut turns = Turns::new(CITIES.iter().map(|c| c.weight).collect());
    let mut shared = Shared::new(now, expiry_secs);
    let mut stations = Vec::with_capacity(n);
    for _ in 0..n {
        let (ci, seq) = turns.next();
        let (c, (cref, drefs)) = (CITIES.get(ci)?, refs.get(ci)?);
        let mut rng = Rng::for_station(c.code, seq);
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
        let &(_, district, _, _) = c.districts.get(di)?;
        let address = format!("{}{district}", c.name);
        let setting = Setting {
            district,
            street: None,
            union: if direct { cref } else { drefs.get(di)? },
            places: c.places,
            communities: &[],
            roads: c.roads,
            address: &address,
            area_code: c.area_code,
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
        for (d, name) in BEIJING.iter().zip(BEIJING_DISTRICTS) {
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
            let district_union = format!("bj-{}", BEIJING[di].id);
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
        for d in &BEIJING {
            assert!(!d.streets.is_empty());
            for s in d.streets {
                assert!(
                    !s.places.is_empty() && !s.roads.is_empty() && !s.communities.is_empty(),
                    "{}",
                    s.name
                );
                assert!(s.weight > 0);
                // Keeps numbered names (…（2号）) apart from drawn ones.
                for p in s.places.iter().chain(s.communities) {
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
        for c in &CITIES {
            assert!(
                !c.districts.is_empty() && !c.places.is_empty() && !c.roads.is_empty(),
                "{}",
                c.name
            );
            for p in c.places {
                assert!(!p.ends_with('号') && !p.contains('（'), "{p}");
            }
        }
        let codes: HashSet<&str> = CITIES.iter().map(|c| c.code).collect();
        assert_eq!(codes.len(), CITIES.len());
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
        let cities: HashMap<&str, &City> = CITIES.iter().map(|c| (c.code, c)).collect();
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
        assert_eq!(per_city.len(), CITIES.len());
        assert!(per_city["sh"] > per_city["ls"] * 10);
    }
}
