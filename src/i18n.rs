//! Every word the rider's map and station pages show, in Simplified Chinese (the source) and
//! English: methods on the shared page language ([`Lang`], from `crate::shared::lang`) through
//! the [`Words`] trait.

use yizhan_core::{Amenity, AmenityState, FieldCode, StationState};

pub use crate::shared::lang::{use_lang, Lang};

/// A piece of UI text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    AppTitle,
    NearbyStations,
    Loading,
    StationsShown,
    LoadFailed,
    Retry,
    Details,
    BackToMap,
    FullMap,
    Join,
    NotFoundTitle,
    NotFoundBody,
    StationNotFound,
    Address,
    Union,
    Hours,
    Amenities,
    Phone,
    Notice,
    StaffReplies,
    UnionServices,
    ImHere,
    VisitCounted,
    VisitAlready,
    VisitSaved,
    VisitLater,
    Hotline,
    HotlineLine,
    Scan,
    LastConfirmed,
    PublicHolidays,
    MakeUpWorkday,
    NeverConfirmed,
    OpenNow,
    ClosedNow,
    Closed,
    NextDay,
    SwitchLanguage,
    MapLabel,
    BadParams,
    StationList,
    SkipToList,
    OfflineData,
    ShowMore,
    LocateMe,
    UsingLastPosition,
    UsingCityCentre,
    Filters,
    OpenNowFilter,
    Open24hFilter,
    Search,
    SearchPlaceholder,
    NoMatches,
    ClearFilters,
    Confirmed,
    Navigate,
    NavAmap,
    NavBaidu,
    NavApple,
    NavGeo,
    OpenNowBadge,
    ClosedNowBadge,
    ReportQuestion,
    ReportYes,
    ReportNo,
    ReportThanks,
    ReportWhatsWrong,
    ReportClosedWhenOpen,
    ReportAmenityBroken,
    ReportWhichAmenity,
    ReportChoose,
    ReportOther,
    ReportDetails,
    ReportSubmit,
    ReportCancel,
    ReportSending,
    ReportReceived,
    ReportAlready,
    ReportSendFailed,
    ReportRejected,
}

/// The rider's words, as methods on the page language. A trait because [`Lang`] is core's,
/// shared with the server, which has no use for these texts.
pub trait Words {
    /// UI text.
    fn t(self, m: Msg) -> &'static str;

    /// An amenity's name.
    fn amenity(self, a: Amenity) -> &'static str;

    /// An amenity state, as a short label.
    fn amenity_state(self, s: AmenityState) -> &'static str;

    /// A station's live status.
    fn station_state(self, s: StationState) -> &'static str;

    /// What is wrong with a report field, from its problem code (the same codes come from
    /// `NewReport::validate` in the browser and from the server's `error.fields`).
    fn report_problem(self, field: &str, code: FieldCode) -> &'static str;

    /// Weekday names, Monday first.
    fn weekday(self, index: usize) -> &'static str;

    /// "12 分钟前" / "12 min ago", coarsening to hours and days.
    fn ago(self, minutes: i64) -> String;

    /// "今天 3 位骑手确认": riders who said a station is right today.
    fn riders_confirmed(self, n: u32) -> String;

    /// "350 米" / "1.2 公里" (and English). Printed from whole numbers (tens of metres, tenths
    /// of a kilometre): Rust's float printer would weigh about 5 KB in the map's first view.
    fn distance(self, metres: f64) -> String;
}

impl Words for Lang {
    fn t(self, m: Msg) -> &'static str {
        use Msg::*;
        let (zh, en) = match m {
            AppTitle => ("驿站 · 附近驿站", "Yizhan · Rest stations nearby"),
            NearbyStations => ("附近驿站", "Rest stations"),
            Loading => ("正在加载驿站…", "Loading stations…"),
            StationsShown => ("个驿站", "stations"),
            LoadFailed => (
                "网络不好，驿站没有加载出来。",
                "Could not load the stations. Check your connection.",
            ),
            Retry => ("重试", "Try again"),
            Details => ("查看详情", "Details"),
            BackToMap => ("返回地图", "Back to map"),
            FullMap => ("查看完整地图", "Open full map"),
            Join => ("申请入会", "Join the union"),
            NotFoundTitle => ("页面不存在", "Page not found"),
            NotFoundBody => ("这个页面不存在。", "There is no page here."),
            StationNotFound => (
                "没有找到这个驿站，可能已经撤销。",
                "No such station. It may have been removed.",
            ),
            Address => ("地址", "Address"),
            Union => ("主办工会", "Run by"),
            Hours => ("开放时间", "Opening hours"),
            Amenities => ("服务设施", "Amenities"),
            Phone => ("电话", "Phone"),
            Notice => ("通知", "Notice"),
            StaffReplies => ("站长回复", "Replies from the staff"),
            UnionServices => ("工会服务", "Union services"),
            ImHere => ("我到了", "I'm here"),
            VisitCounted => ("已记录到站，谢谢", "Visit counted, thank you"),
            VisitAlready => ("这一小时已经记过了", "Already counted this hour"),
            VisitSaved => ("已保存，联网后会自动发送", "Saved; it will be sent when you are online"),
            VisitLater => ("现在记不上，请过一会儿再试", "Not counted now; try again later"),
            Hotline => ("职工服务热线", "Workers' hotline"),
            HotlineLine => ("维权、法律、帮扶咨询", "Rights, legal and hardship advice"),
            Scan => ("扫码", "Scan"),
            LastConfirmed => ("站长确认于", "Confirmed by staff"),
            PublicHolidays => ("节假日", "Public holidays"),
            MakeUpWorkday => ("今天调休上班，按周一的时间开放", "Today is a make-up working day: Monday's hours apply"),
            NeverConfirmed => ("暂无站长确认", "Not confirmed by staff yet"),
            OpenNow => ("按时间营业中", "Open by its hours"),
            ClosedNow => ("按时间已打烊", "Closed by its hours"),
            Closed => ("休息", "Closed"),
            NextDay => ("次日", "next day"),
            SwitchLanguage => ("English", "中文"),
            MapLabel => ("驿站地图", "Map of rest stations"),
            BadParams => (
                "链接里有看不懂的参数，已忽略：",
                "Ignored parameters this page does not understand: ",
            ),
            StationList => ("驿站列表", "Station list"),
            SkipToList => ("跳到驿站列表", "Skip to the station list"),
            ShowMore => ("显示更多", "Show more"),
            OfflineData => (
                "没有网络，显示的是之前加载的驿站：",
                "Offline — showing stations loaded ",
            ),
            LocateMe => ("定位到我", "Locate me"),
            UsingLastPosition => (
                "没有拿到当前位置，按上次的位置显示。",
                "Could not get your position; showing your last known one.",
            ),
            UsingCityCentre => (
                "没有拿到位置，按市中心显示。",
                "Could not get your position; showing the city centre.",
            ),
            Filters => ("筛选", "Filters"),
            OpenNowFilter => ("营业中", "Open now"),
            Open24hFilter => ("24小时", "24 h"),
            Search => ("搜索", "Search"),
            SearchPlaceholder => ("名称、地址或区", "Name, address or district"),
            NoMatches => ("没有符合条件的驿站。", "No stations match."),
            ClearFilters => ("清除筛选", "Clear filters"),
            Confirmed => ("确认", "confirmed"),
            Navigate => ("导航", "Navigate"),
            NavAmap => ("高德地图", "Amap"),
            NavBaidu => ("百度地图", "Baidu Maps"),
            NavApple => ("苹果地图", "Apple Maps"),
            NavGeo => ("其他地图应用", "Other map app"),
            OpenNowBadge => ("营业时间内", "Within hours"),
            ClosedNowBadge => ("非营业时间", "Outside hours"),
            ReportQuestion => ("信息准确吗？", "Is this right?"),
            ReportYes => ("准确", "Yes"),
            ReportNo => ("不对", "No"),
            ReportThanks => ("谢谢确认", "Thanks for confirming"),
            ReportWhatsWrong => ("哪里不对？", "What is wrong?"),
            ReportClosedWhenOpen => ("应该开门却关着", "Closed when it should be open"),
            ReportAmenityBroken => ("设施坏了", "Something is broken"),
            ReportWhichAmenity => ("哪个设施", "Which one"),
            ReportChoose => ("请选择", "Choose"),
            ReportOther => ("其他", "Something else"),
            ReportDetails => ("说明", "Details"),
            ReportSubmit => ("提交", "Send"),
            ReportCancel => ("取消", "Cancel"),
            ReportSending => ("正在提交…", "Sending…"),
            ReportReceived => (
                "已收到，站长会尽快处理",
                "Received — the station staff will look into it",
            ),
            ReportAlready => (
                "一小时内已经报告过了",
                "You already reported this station in the last hour",
            ),
            ReportSendFailed => (
                "网络不好，还没发出去。报告已保存，联网后会自动发送；填的内容也还在。",
                "Could not send: no connection. The report is saved and will go out when you are back online; what you entered is kept.",
            ),
            ReportRejected => (
                "没有提交成功，请稍后再试。",
                "The report was not accepted; try again later.",
            ),
        };
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    fn amenity(self, a: Amenity) -> &'static str {
        let (zh, en) = a.names();
        if self == Lang::Zh {
            zh
        } else {
            en
        }
    }

    fn amenity_state(self, s: AmenityState) -> &'static str {
        let (zh, en) = match s {
            AmenityState::Ok => ("可用", "working"),
            AmenityState::OutOfOrder => ("暂停使用", "out of order"),
            AmenityState::Unknown => ("状态未知", "not confirmed"),
        };
        if self == Lang::Zh {
            zh
        } else {
            en
        }
    }

    fn station_state(self, s: StationState) -> &'static str {
        let (zh, en) = match s {
            StationState::Open => ("营业中", "Open"),
            StationState::Closed => ("已关闭", "Closed"),
            StationState::Unknown => ("状态未知", "Status unknown"),
        };
        if self == Lang::Zh {
            zh
        } else {
            en
        }
    }

    fn report_problem(self, field: &str, code: FieldCode) -> &'static str {
        let (zh, en) = match (field, code) {
            ("kind", _) => ("请选一项", "Choose one"),
            ("amenity", FieldCode::Missing) => ("请选择哪个设施", "Choose which one"),
            ("amenity", _) => ("这个驿站没有这项设施", "This station does not have that"),
            ("text", FieldCode::Missing) => ("请写几句说明", "Say what is wrong"),
            ("text", FieldCode::TooLong) => ("最多 500 字", "At most 500 characters"),
            _ => ("请检查这一项", "Please check this"),
        };
        if self == Lang::Zh {
            zh
        } else {
            en
        }
    }

    fn weekday(self, index: usize) -> &'static str {
        const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        let i = index % 7;
        if self == Lang::Zh {
            ZH[i]
        } else {
            EN[i]
        }
    }

    fn ago(self, minutes: i64) -> String {
        let m = minutes.max(0);
        match (self, m) {
            (Lang::Zh, 0) => "刚刚".into(),
            (Lang::Zh, 1..=59) => format!("{m} 分钟前"),
            (Lang::Zh, 60..=1439) => format!("{} 小时前", m / 60),
            (Lang::Zh, _) => format!("{} 天前", m / 1440),
            (Lang::En, 0) => "just now".into(),
            (Lang::En, 1..=59) => format!("{m} min ago"),
            (Lang::En, 60..=1439) => format!("{} h ago", m / 60),
            (Lang::En, _) => format!("{} days ago", m / 1440),
        }
    }

    fn riders_confirmed(self, n: u32) -> String {
        match (self, n) {
            (Lang::Zh, n) => format!("今天 {n} 位骑手确认"),
            (Lang::En, 1) => "1 rider confirmed it today".to_owned(),
            (Lang::En, n) => format!("{n} riders confirmed it today"),
        }
    }

    fn distance(self, metres: f64) -> String {
        // `as` saturates and makes NaN 0: a distance is never negative or unbounded here.
        let tens = (metres / 10.0).round() as i64 * 10;
        let tenths = (metres / 100.0).round() as i64;
        let km = format!("{}.{}", tenths / 10, tenths % 10);
        match (self, tens < 1000) {
            (Lang::Zh, true) => format!("{tens} 米"),
            (Lang::Zh, false) => format!("{km} 公里"),
            (Lang::En, true) => format!("{tens} m"),
            (Lang::En, false) => format!("{km} km"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Lang, Words};

    #[test]
    fn distances_read_in_tens_of_metres_then_tenths_of_a_kilometre() {
        assert_eq!(Lang::Zh.distance(0.0), "0 米");
        assert_eq!(Lang::Zh.distance(346.0), "350 米");
        assert_eq!(Lang::En.distance(994.0), "990 m");
        assert_eq!(Lang::Zh.distance(996.0), "1.0 公里");
        assert_eq!(Lang::Zh.distance(1_249.0), "1.2 公里");
        assert_eq!(Lang::En.distance(23_456.0), "23.5 km");
    }

    #[test]
    fn riders_confirmations_read_as_a_count_of_riders_today() {
        assert_eq!(Lang::Zh.riders_confirmed(3), "今天 3 位骑手确认");
        assert_eq!(Lang::En.riders_confirmed(1), "1 rider confirmed it today");
        assert_eq!(Lang::En.riders_confirmed(2), "2 riders confirmed it today");
    }
}
