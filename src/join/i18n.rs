//! Every word the join pages show, in Simplified Chinese (the source) and English. The page
//! language is the shared [`Lang`] (`?lang=en`), so all bundles agree on it. Words are
//! short and plain: riders read them on a phone, between orders.

use leptos::prelude::*;
use yizhan_core::{ApplicationStatus, Employer, FieldCode, Occupation};

pub use crate::shared::lang::{use_lang, Lang};

/// A piece of join UI text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    AppTitle,
    JoinTitle,
    SwitchLanguage,
    Scan,
    CheckProgress,
    NotFoundTitle,
    NotFoundBody,
    Retry,
    NetworkError,
    // Where the application goes.
    LoadingStation,
    GoesTo,
    StationGone,
    StationOffline,
    BadStationLink,
    District,
    Choose,
    DistrictHint,
    // Step 1.
    StepDetails,
    Name,
    NameHint,
    Phone,
    PhoneHint,
    Employer,
    EmployerOther,
    Occupation,
    OccupationOther,
    WorkDistrict,
    WorkDistrictHint,
    Next,
    CheckFields,
    // Step 2.
    StepConsent,
    ConsentTitle,
    WhatTitle,
    WhatBody,
    WhyTitle,
    WhyBody,
    WhoTitle,
    AnyUnion,
    KeptTitle,
    WithdrawTitle,
    WithdrawBody,
    PolicyVersion,
    YourDetails,
    Agree,
    Submit,
    Submitting,
    BackToEdit,
    PolicyLoading,
    PolicyFailed,
    // Sending.
    Waiting,
    WaitingBody,
    SendNow,
    Duplicate,
    SendFailed,
    // Done.
    DoneTitle,
    UnionServices,
    Hotline,
    HotlineLine,
    Reference,
    Screenshot,
    LastApplied,
    // Status.
    StatusTitle,
    StatusIntro,
    ReferenceHint,
    LookUp,
    LookingUp,
    NotFound,
    Union,
    Station,
    Progress,
    Pending,
    Decision,
    WaitBody,
    Reason,
    Resubmit,
    ResubmitTitle,
    Resubmitted,
    WithdrawnBody,
    Withdraw,
    WithdrawWarning,
    ConfirmWithdraw,
    Cancel,
    Withdrawing,
    WrongStatus,
    // Scanner.
    ScanTitle,
    ScanHint,
    CameraStarting,
    CameraView,
    NoCamera,
    NoCameraBody,
    StationsNearby,
    NotOurs,
    BackToJoin,
    Opening,
}

/// The text of `m` in `lang`.
pub fn t(lang: Lang, m: Msg) -> &'static str {
    use Msg::*;
    let (zh, en) = match m {
        AppTitle => ("驿站 · 申请加入工会", "Yizhan · Join the union"),
        JoinTitle => ("申请加入工会", "Join the union"),
        SwitchLanguage => ("English", "中文"),
        Scan => ("扫码", "Scan"),
        CheckProgress => ("查询进度", "Check progress"),
        NotFoundTitle => ("页面不存在", "Page not found"),
        NotFoundBody => ("这个页面不存在。", "There is no page here."),
        Retry => ("重试", "Try again"),
        NetworkError => ("网络不好，请稍后再试。", "No connection. Try again later."),
        LoadingStation => ("正在加载驿站…", "Loading the station…"),
        GoesTo => ("申请将交给：", "Your application goes to: "),
        StationGone => (
            "没有找到这个驿站，请选择所在区。",
            "This station was not found. Choose your district instead.",
        ),
        StationOffline => (
            "网络不好，暂时看不到驿站信息。申请仍会交给这个驿站的工会。",
            "No connection, so the station cannot be shown. The application still goes to its union.",
        ),
        BadStationLink => (
            "链接里的驿站编号不对，请选择所在区。",
            "The station in this link is not valid. Choose your district instead.",
        ),
        District => ("所在区", "District"),
        Choose => ("请选择", "Choose"),
        DistrictHint => (
            "申请将交给这个区的总工会",
            "Your application goes to this district's union",
        ),
        StepDetails => ("第 1 步（共 2 步）：填写信息", "Step 1 of 2: your details"),
        Name => ("姓名", "Name"),
        NameHint => ("和身份证上的一致", "As on your ID card"),
        Phone => ("手机号", "Mobile number"),
        PhoneHint => ("工会用这个号码联系你", "The union will call you on this number"),
        Employer => ("工作平台", "Platform or company"),
        EmployerOther => ("请填写平台", "Name the platform"),
        Occupation => ("职业", "Occupation"),
        OccupationOther => ("请填写职业", "Name your occupation"),
        WorkDistrict => ("工作区域", "Where you work"),
        WorkDistrictHint => (
            "平时跑单的片区，如：望京、中关村",
            "The area you mostly work in, e.g. Wangjing",
        ),
        Next => ("下一步", "Next"),
        CheckFields => (
            "有几项需要修改，请看标出的地方。",
            "Some answers need fixing: see the marked fields.",
        ),
        StepConsent => ("第 2 步（共 2 步）：同意说明", "Step 2 of 2: consent"),
        ConsentTitle => ("个人信息使用说明", "How we use your information"),
        WhatTitle => ("收集什么", "What we collect"),
        WhatBody => (
            "姓名、手机号、工作平台、职业、工作区域，以及你通过的驿站或所在区。不收集身份证号，不收集照片。",
            "Your name, mobile number, platform, occupation and work area, and the station or district you apply through. No ID card number, no photo.",
        ),
        WhyTitle => ("用来做什么", "Why"),
        WhyBody => (
            "只用于办理你的工会入会申请。",
            "Only to process your union membership application.",
        ),
        WhoTitle => ("谁能看到", "Who sees it"),
        AnyUnion => ("接收申请的工会", "the union receiving it"),
        KeptTitle => ("保存多久", "How long it is kept"),
        WithdrawTitle => ("怎样撤回", "How to withdraw"),
        WithdrawBody => (
            "随时可以在“查询进度”页面撤回申请，撤回后你的个人信息会被删除。",
            "Any time, on the “Check progress” page. Withdrawing erases your personal information.",
        ),
        PolicyVersion => ("说明版本：", "Notice version: "),
        YourDetails => ("你填写的信息", "Your details"),
        Agree => ("我已阅读并同意", "I have read and agree"),
        Submit => ("提交申请", "Submit application"),
        Submitting => ("正在提交…", "Submitting…"),
        BackToEdit => ("返回修改", "Back to edit"),
        PolicyLoading => ("正在读取说明…", "Loading the notice…"),
        PolicyFailed => (
            "需要联网才能读取个人信息使用说明。",
            "The privacy notice needs a connection to load.",
        ),
        Waiting => (
            "等待发送：有网络后会自动提交",
            "Waiting to send: it will be submitted when you are back online",
        ),
        WaitingBody => (
            "申请已保存在这台手机上，不用重新填写，也不会重复提交。",
            "The application is saved on this phone. No need to fill it in again, and it will not be sent twice.",
        ),
        SendNow => ("现在重试", "Try now"),
        Duplicate => (
            "你在这个工会已经有一份申请在处理中，可以用申请编号查询进度",
            "You already have an application in progress at this union. Use its reference number to check progress.",
        ),
        SendFailed => ("没有提交成功，请稍后再试。", "The application was not accepted. Try again later."),
        DoneTitle => ("申请已提交", "Application submitted"),
        UnionServices => ("工会服务", "Union services"),
        Hotline => ("职工服务热线", "Workers' hotline"),
        HotlineLine => ("维权、法律、帮扶咨询", "Rights, legal and hardship advice"),
        Reference => ("申请编号", "Reference number"),
        Screenshot => ("请截图保存申请编号", "Take a screenshot to keep your reference number"),
        LastApplied => ("你提交过申请，编号：", "You have applied. Reference: "),
        StatusTitle => ("查询申请进度", "Check your application"),
        StatusIntro => (
            "输入申请编号和申请时填的手机号。",
            "Enter the reference number and the mobile number you applied with.",
        ),
        ReferenceHint => ("例如 BJ-7K3Q-9DXW", "e.g. BJ-7K3Q-9DXW"),
        LookUp => ("查询", "Look up"),
        LookingUp => ("正在查询…", "Looking up…"),
        NotFound => (
            "没有找到这份申请，请检查编号和手机号",
            "No application found. Check the reference and the mobile number",
        ),
        Union => ("受理工会", "Union"),
        Station => ("驿站", "Station"),
        Progress => ("进度", "Progress"),
        Pending => ("等待中", "pending"),
        Decision => ("审核结果", "Decision"),
        WaitBody => (
            "工会正在处理你的申请，请耐心等待。",
            "The union is processing your application.",
        ),
        Reason => ("未通过原因：", "Reason: "),
        Resubmit => ("修改后重新提交", "Correct and resubmit"),
        ResubmitTitle => ("修改申请", "Correct your application"),
        Resubmitted => ("已重新提交", "Sent again"),
        WithdrawnBody => (
            "这份申请已撤回，个人信息已删除。",
            "This application was withdrawn and your personal information erased.",
        ),
        Withdraw => ("撤回申请", "Withdraw application"),
        WithdrawWarning => (
            "撤回后你的个人信息会被删除，编号保留为已撤回",
            "Withdrawing erases your personal information. The reference remains, marked withdrawn",
        ),
        ConfirmWithdraw => ("确认撤回", "Yes, withdraw"),
        Cancel => ("取消", "Cancel"),
        Withdrawing => ("正在撤回…", "Withdrawing…"),
        WrongStatus => ("这份申请现在不能修改。", "This application cannot be changed now."),
        ScanTitle => ("扫码", "Scan"),
        ScanHint => (
            "把驿站海报上的二维码放进框里",
            "Point the camera at the QR code on the station poster",
        ),
        CameraStarting => ("正在打开相机…", "Starting the camera…"),
        CameraView => ("相机画面", "Camera view"),
        NoCamera => ("无法使用相机", "Cannot use the camera"),
        NoCameraBody => (
            "没有相机权限，或者这台设备没有相机。",
            "Camera access was refused, or this device has no camera.",
        ),
        StationsNearby => ("去看附近驿站", "See stations nearby"),
        NotOurs => ("这不是驿站的二维码：", "This is not a Yizhan code: "),
        BackToJoin => ("返回申请", "Back to the application"),
        Opening => ("正在打开…", "Opening…"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A reactive text for views.
pub fn tr(lang: Memo<Lang>, m: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || t(lang.get(), m)
}

/// Who sees the application: "只有{union}的工作人员。"
pub fn who_sees(lang: Lang, union: &str) -> String {
    match lang {
        Lang::Zh => format!("只有{union}的工作人员。"),
        Lang::En => format!("Only the staff of {union}."),
    }
}

/// How long it is kept: whole years when the retention is a year or more, else days.
pub fn kept_for(lang: Lang, retention_days: u64) -> String {
    let years = (retention_days + 182) / 365;
    match (lang, years) {
        (Lang::Zh, 0) => format!("决定后保存 {retention_days} 天，到期自动删除。"),
        (Lang::Zh, y) => format!("决定后保存 {y} 年，到期自动删除。"),
        (Lang::En, 0) => format!(
            "Kept for {retention_days} days after the decision, then deleted automatically."
        ),
        (Lang::En, 1) => "Kept for 1 year after the decision, then deleted automatically.".into(),
        (Lang::En, y) => {
            format!("Kept for {y} years after the decision, then deleted automatically.")
        }
    }
}

/// How an approved applicant gets the member card.
pub fn collect_card(lang: Lang, union: &str) -> String {
    match lang {
        Lang::Zh => format!("工会工作人员会联系你领取会员卡；也可以带身份证到{union}办理。"),
        Lang::En => format!(
            "Union staff will contact you to collect your member card. You can also take your ID card to {union}."
        ),
    }
}

/// Who reviews it, on the receipt.
pub fn will_review(lang: Lang, union: &str) -> String {
    match lang {
        Lang::Zh => format!("{union}将审核你的申请。"),
        Lang::En => format!("{union} will review your application."),
    }
}

/// The union a district routes to: the server names each district's union this way, and it
/// is a proper name, so English shows it as is.
pub fn district_union(district: &str) -> String {
    format!("{district}总工会")
}

/// An employer's label.
pub fn employer(lang: Lang, e: Employer) -> &'static str {
    match lang {
        Lang::Zh => e.zh(),
        Lang::En => e.en(),
    }
}

/// An occupation's label.
pub fn occupation(lang: Lang, o: Occupation) -> &'static str {
    match lang {
        Lang::Zh => o.zh(),
        Lang::En => o.en(),
    }
}

/// A status's label.
pub fn status(lang: Lang, s: ApplicationStatus) -> &'static str {
    match lang {
        Lang::Zh => s.zh(),
        Lang::En => s.en(),
    }
}

/// What is wrong with a field, from its problem code (the same codes come from core's
/// validation in the browser and from the server's `error.fields`).
pub fn problem(lang: Lang, field: &str, code: FieldCode) -> &'static str {
    let (zh, en) = match (field, code) {
        ("name", FieldCode::Missing) => ("请填写姓名", "Enter your name"),
        ("name", FieldCode::TooLong) => ("姓名最多 30 个字", "At most 30 characters"),
        ("name", _) => (
            "请填写 2–30 个汉字或字母，可以有“·”",
            "2–30 Chinese characters or letters; “·” is allowed",
        ),
        ("phone", FieldCode::Missing) => ("请填写手机号", "Enter your mobile number"),
        ("phone", _) => (
            "请填写 11 位手机号，如 13812345678",
            "Enter an 11-digit mainland mobile number, e.g. 13812345678",
        ),
        ("employer", _) => ("请选择工作平台", "Choose your platform"),
        ("occupation", _) => ("请选择职业", "Choose your occupation"),
        ("employer_other" | "occupation_other" | "work_district", FieldCode::TooLong) => {
            ("最多 30 个字", "At most 30 characters")
        }
        ("employer_other", _) => ("请填写平台名称", "Name the platform"),
        ("occupation_other", _) => ("请填写职业", "Name your occupation"),
        ("work_district", _) => ("请填写工作区域", "Enter where you work"),
        ("district", FieldCode::Unknown) => (
            "这个区暂时不能在线申请，请选择其他区",
            "Applications are not taken online for this district yet",
        ),
        ("district", _) => ("请选择所在区", "Choose your district"),
        ("station_id", _) => (
            "这个驿站已不能接收申请，请选择所在区",
            "This station no longer takes applications. Choose your district",
        ),
        ("consent", FieldCode::Invalid) => (
            "个人信息使用说明已更新，请重新阅读后勾选同意",
            "The notice has changed. Read it again and tick to agree",
        ),
        ("consent", _) => ("请勾选“我已阅读并同意”", "Tick “I have read and agree”"),
        ("reference", FieldCode::Missing) => ("请填写申请编号", "Enter the reference number"),
        ("reference", _) => (
            "编号格式不对，例如 BJ-7K3Q-9DXW",
            "Not a reference number, e.g. BJ-7K3Q-9DXW",
        ),
        _ => ("请检查这一项", "Please check this"),
    };
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// A link within the bundle that keeps `?lang=en` ([`Lang::href`]).
pub fn href(lang: Lang, path: &str) -> String {
    lang.href(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_reads_in_whole_years_or_else_days() {
        assert_eq!(kept_for(Lang::Zh, 365), "决定后保存 1 年，到期自动删除。");
        assert_eq!(kept_for(Lang::Zh, 730), "决定后保存 2 年，到期自动删除。");
        assert_eq!(kept_for(Lang::Zh, 90), "决定后保存 90 天，到期自动删除。");
        assert!(kept_for(Lang::En, 365).starts_with("Kept for 1 year "));
    }

    #[test]
    fn every_field_problem_has_words_in_both_languages() {
        for field in [
            "name",
            "phone",
            "employer",
            "employer_other",
            "occupation",
            "occupation_other",
            "work_district",
            "district",
            "station_id",
            "consent",
            "reference",
        ] {
            for code in [
                FieldCode::Missing,
                FieldCode::Invalid,
                FieldCode::TooLong,
                FieldCode::Unknown,
                FieldCode::Other,
            ] {
                assert!(
                    !problem(Lang::Zh, field, code).is_empty(),
                    "{field} {code:?}"
                );
                assert!(
                    !problem(Lang::En, field, code).is_empty(),
                    "{field} {code:?}"
                );
            }
        }
        assert_eq!(
            problem(Lang::Zh, "consent", FieldCode::Invalid),
            "个人信息使用说明已更新，请重新阅读后勾选同意"
        );
    }
}
