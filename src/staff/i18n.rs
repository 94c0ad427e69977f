//! Every word the staff app shows, in Simplified Chinese (the source) and English. The page
//! language is the shared [`Lang`] (`?lang=en`), so every bundle agrees on it.

use leptos::prelude::*;
use yizhan_core::{Amenity, FieldCode, ReportKind, Role};

pub use crate::shared::lang::Lang;

/// A piece of staff UI text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    AppName,
    Loading,
    LoadFailed,
    Retry,
    NetworkError,
    NotFound,
    BackHome,
    SwitchLanguage,
    // Signing in and out.
    SignInTitle,
    Username,
    Password,
    SignIn,
    SessionExpired,
    SignedInAs,
    SignOut,
    SignOutEverywhere,
    ChangePassword,
    CurrentPassword,
    NewPassword,
    NewPasswordHint,
    PasswordChanged,
    Code,
    CodeHint,
    Devices,
    DevicesHint,
    ThisDevice,
    LastUsed,
    EndSession,
    TwoStep,
    TwoStepOn,
    TwoStepOff,
    TwoStepStart,
    TwoStepScan,
    TwoStepKey,
    TwoStepQr,
    TwoStepFirstCode,
    TwoStepPassword,
    TwoStepConfirm,
    RecoveryCodesTitle,
    RecoveryCodesNote,
    TwoStepRequiredNote,
    GoToSecurity,
    ResetTwoStep,
    AdminOnly,
    GoToManage,
    // Managers.
    MyStations,
    NoStations,
    StatusOpen,
    StatusClosed,
    StatusExpired,
    StatusExpiredPrompt,
    BackToList,
    OpenState,
    Amenities,
    Working,
    Broken,
    Unconfirmed,
    Notice,
    Hours,
    HoursHint,
    Save,
    Saved,
    StillAccurate,
    Confirmed,
    LastConfirmed,
    NeverConfirmed,
    ConflictTitle,
    ConflictBody,
    Yours,
    Latest,
    UseMine,
    UseLatest,
    NoNotice,
    StationNotYours,
    // Inbox.
    Inbox,
    NoReports,
    Reply,
    MarkResolved,
    Resolved,
    Unresolved,
    // Admin.
    AdminTitle,
    AdminMenu,
    NavStations,
    NavImport,
    NavPeople,
    NavPosters,
    NavAudit,
    NavServices,
    NavCoverage,
    CoverageTitle,
    CoverageIntro,
    CoverageState,
    AllStates,
    CoverageDistrict,
    CoverageAllDistricts,
    CoverageBadFilter,
    CoverageSummary,
    CoverageMap,
    CoverageCsv,
    CoverageEmpty,
    ColConfirmed,
    ColOpenReports,
    ColWeekly,
    StationChart,
    ColUnion,
    WeeklyTitle,
    DownloadChart,
    DownloadData,
    NavAlerts,
    RobotTitle,
    RobotIntro,
    RobotNow,
    RobotNone,
    RobotFormat,
    RobotWecom,
    RobotDingtalk,
    RobotJson,
    RobotUrl,
    RobotUrlHint,
    RobotSave,
    RobotTest,
    RobotRemove,
    RobotSaved,
    RobotTestQueued,
    RobotRemoved,
    RobotPosts,
    RobotColTime,
    RobotColEvent,
    RobotColTries,
    RobotEventReport,
    RobotEventStale,
    RobotEventTest,
    RobotSent,
    RobotWaiting,
    RobotFailed,
    NumbersTitle,
    NumbersFrom,
    NumbersTo,
    NumbersCsv,
    ServicesTitle,
    ServicesIntro,
    ServicesUnion,
    ServiceName,
    ServiceLine,
    ServiceContact,
    ServiceContactHint,
    ServiceAdd,
    ServiceRemove,
    ServicesSave,
    ServicesSaved,
    ServicesInherited,
    ServicesOwn,
    ServicesHotline,
    AdminIntro,
    Unions,
    Search,
    SearchHint,
    ColName,
    ColDistrict,
    ColStatus,
    ColHidden,
    ColActions,
    Edit,
    NewStation,
    EditStation,
    HiddenYes,
    NoMatches,
    BackToStations,
    // Station form.
    FieldId,
    FieldIdHint,
    FieldName,
    FieldAddress,
    FieldDistrict,
    FieldUnion,
    FieldLat,
    FieldLng,
    FieldDatum,
    FieldHours,
    FieldPhone,
    FieldAmenities,
    FieldHidden,
    ChooseUnion,
    Created,
    StaleStation,
    ReloadLatest,
    ViewPoster,
    // Import and export.
    ImportTitle,
    ChooseFile,
    File,
    Format,
    Datum,
    Preview,
    Import,
    ColLine,
    ColId,
    ColResult,
    ActionCreate,
    ActionUpdate,
    NoFile,
    FileTooLarge,
    FixRowsFirst,
    ExportTitle,
    ExportCsv,
    ExportGeojson,
    CsvColumns,
    CsvColumnsNote,
    // People.
    Accounts,
    ColUsername,
    ColDisplayName,
    ColRole,
    ColStations,
    ColState,
    RoleManager,
    RoleAdmin,
    Active,
    Disabled,
    NewAccount,
    Create,
    StationsPick,
    FilterStations,
    AssignStations,
    SaveAssignment,
    Cancel,
    ResetPassword,
    Disable,
    Enable,
    OneTimePassword,
    OneTimeHint,
    Copy,
    Done,
    ForAccount,
    AllStationsOfUnion,
    // Posters.
    PostersTitle,
    ChooseDistrict,
    PrintAll,
    Print,
    PaperSize,
    PrintTitle,
    NoStationsInDistrict,
    // Embed builder.
    NavEmbed,
    EmbedIntro,
    EmbedUnion,
    AllDistricts,
    EmbedOpenNow,
    EmbedOpen24h,
    EmbedLanguage,
    EmbedSize,
    SizePhone,
    SizeSidebar,
    SizeFullWidth,
    EmbedAutoHeight,
    EmbedAutoHeightHint,
    EmbedCode,
    CopyCode,
    Copied,
    CopyManually,
    EmbedAllowList,
    ForDevelopers,
    FeedUrl,
    CopyFeedUrl,
    ApiDocs,
    // Membership applications.
    NavApplications,
    ApplicationsTitle,
    AllStatuses,
    FilterStation,
    AllStations,
    DateFrom,
    DateTo,
    ApplyFilter,
    DatesReversed,
    ColReference,
    ColApplicant,
    ColPhone,
    ColStation,
    ColSubmitted,
    View,
    SelectAllPending,
    BulkApprove,
    NothingSelected,
    ConfirmApprove,
    ExportApproved,
    StatsLink,
    NoApplications,
    ListCapped,
    BackToApplications,
    ViewIsAudited,
    NoSuchApplication,
    WithdrawnErased,
    FieldReference,
    FieldApplicant,
    FieldMobile,
    FieldEmployer,
    FieldOccupation,
    FieldWorkDistrict,
    FieldStationOrDistrict,
    FieldReceivingUnion,
    FieldPolicyVersion,
    FieldConsentedAt,
    FieldSubmittedAt,
    History,
    DecisionTitle,
    DecidedAt,
    DecidedBy,
    Reason,
    ReasonHint,
    Approve,
    Reject,
    ConfirmReject,
    ApprovedDone,
    RejectedDone,
    StatsTitle,
    StatsNote,
    LegendApplications,
    LegendApprovals,
    NoApplicationsYet,
    EntityApplication,
    // Audit.
    AuditTitle,
    ColTime,
    ColActor,
    ColAction,
    ColObject,
    ColChanges,
    Older,
    NoEntries,
    EntityStation,
    EntityAccount,
}

impl Msg {
    /// The text in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        use Msg::*;
        let (zh, en) = match self {
            AppName => ("驿站工作台", "Yizhan Staff"),
            Loading => ("正在加载…", "Loading…"),
            LoadFailed => ("没有加载出来。", "Could not load this."),
            Retry => ("重试", "Try again"),
            NetworkError => (
                "网络不好，没有连上服务器。填的内容还在，请稍后再试。",
                "Could not reach the server. What you entered is kept; try again in a moment.",
            ),
            NotFound => ("页面不存在", "Page not found"),
            BackHome => ("返回首页", "Back to start"),
            SwitchLanguage => ("English", "中文"),
            SignInTitle => ("请先登录", "Please sign in"),
            Username => ("用户名", "Username"),
            Password => ("密码", "Password"),
            SignIn => ("登录", "Sign in"),
            SessionExpired => (
                "登录已过期，请重新登录",
                "Your session has ended; please sign in again",
            ),
            SignedInAs => ("已登录：", "Signed in: "),
            SignOut => ("退出登录", "Sign out"),
            SignOutEverywhere => ("在所有设备上退出", "Sign out on all devices"),
            ChangePassword => ("修改密码", "Change password"),
            CurrentPassword => ("当前密码", "Current password"),
            NewPassword => ("新密码", "New password"),
            NewPasswordHint => ("至少 12 个字符", "At least 12 characters"),
            PasswordChanged => (
                "密码已修改，其他设备上的登录已退出。",
                "Password changed; other devices were signed out.",
            ),
            Code => ("验证码", "Code"),
            CodeHint => (
                "验证器 App 里的 6 位数字；手机不在身边时，可以填一个恢复码",
                "The 6 digits in your authenticator app, or one of your recovery codes",
            ),
            Devices => ("登录设备", "Signed-in devices"),
            DevicesHint => (
                "不认识的设备，请退出它并修改密码。",
                "If you do not know a device, sign it out and change your password.",
            ),
            ThisDevice => ("本机", "This device"),
            LastUsed => ("最近使用：", "Last used: "),
            EndSession => ("退出这台设备", "Sign this device out"),
            TwoStep => ("两步验证", "Two-step sign-in"),
            TwoStepOn => (
                "已开启：登录时除了密码，还要输入验证器 App 里的验证码。",
                "On: signing in takes your password and a code from your authenticator app.",
            ),
            TwoStepOff => (
                "未开启。开启后，别人即使知道密码也登录不了。",
                "Off. Once on, a password alone is not enough to sign in.",
            ),
            TwoStepStart => ("开启两步验证", "Turn on two-step sign-in"),
            TwoStepScan => (
                "用手机上的验证器 App（如腾讯身份验证器、Google Authenticator）扫描二维码，或手动输入密钥。",
                "Scan the QR code with an authenticator app on your phone, or type in the key.",
            ),
            TwoStepKey => ("密钥", "Key"),
            TwoStepQr => ("两步验证的二维码", "QR code for two-step sign-in"),
            TwoStepFirstCode => ("App 显示的 6 位验证码", "The 6-digit code the app shows"),
            TwoStepPassword => ("你的登录密码", "Your sign-in password"),
            TwoStepConfirm => ("确认开启", "Turn on"),
            RecoveryCodesTitle => ("恢复码", "Recovery codes"),
            RecoveryCodesNote => (
                "请抄下来放好：手机丢了时，每个恢复码可以代替验证码登录一次。它们只显示这一次。",
                "Write these down and keep them safe: each signs you in once if you lose your phone. They are shown only now.",
            ),
            TwoStepRequiredNote => (
                "管理员必须开启两步验证，开启后才能管理工会。",
                "Admins must turn on two-step sign-in before managing the union.",
            ),
            GoToSecurity => ("去开启", "Turn it on"),
            ResetTwoStep => ("重置两步验证", "Reset two-step sign-in"),
            AdminOnly => (
                "只有工会管理员可以使用这里。",
                "Only union admins can use this part.",
            ),
            GoToManage => ("去我的驿站", "Go to my stations"),
            MyStations => ("我的驿站", "My stations"),
            NoStations => (
                "还没有给你分配驿站，请联系工会。",
                "No stations are assigned to you yet; ask your union.",
            ),
            StatusOpen => ("营业中", "Open"),
            StatusClosed => ("已关闭", "Closed"),
            StatusExpired => ("状态已过期", "Status expired"),
            StatusExpiredPrompt => ("状态已过期，请确认", "Status has expired — please confirm it"),
            BackToList => ("返回我的驿站", "Back to my stations"),
            OpenState => ("营业状态", "Status"),
            Amenities => ("设施", "Amenities"),
            Working => ("正常", "Working"),
            Broken => ("坏了", "Broken"),
            Unconfirmed => ("未确认", "Not confirmed"),
            Notice => ("公告", "Notice"),
            Hours => ("营业时间", "Opening hours"),
            HoursHint => ("例如 Mo-Fr 09:00-21:00; 24/7", "e.g. Mo-Fr 09:00-21:00; 24/7"),
            Save => ("保存", "Save"),
            Saved => ("已保存", "Saved"),
            StillAccurate => ("仍然准确", "Still accurate"),
            Confirmed => ("已确认", "Confirmed"),
            LastConfirmed => ("上次确认：", "Last confirmed: "),
            NeverConfirmed => ("还没有确认过", "Never confirmed"),
            ConflictTitle => ("别人刚刚改过这个驿站", "Someone else just changed this station"),
            ConflictBody => (
                "请对比两边，选择保留哪一个。",
                "Compare both and choose which to keep.",
            ),
            Yours => ("你的修改", "Your version"),
            Latest => ("最新内容", "Latest version"),
            UseMine => ("用我的", "Use mine"),
            UseLatest => ("用最新的", "Use latest"),
            NoNotice => ("（无公告）", "(no notice)"),
            StationNotYours => (
                "没有找到这个驿站，或者它不归你管理。",
                "No such station, or it is not one you manage.",
            ),
            Inbox => ("骑手报告", "Rider reports"),
            NoReports => ("没有骑手报告。", "No reports from riders."),
            Reply => ("回复", "Reply"),
            MarkResolved => ("标记已处理", "Mark as resolved"),
            Resolved => ("已处理", "Resolved"),
            Unresolved => ("待处理", "Open"),
            AdminTitle => ("工会管理", "Union admin"),
            AdminMenu => ("管理菜单", "Admin menu"),
            NavStations => ("驿站", "Stations"),
            NavImport => ("导入导出", "Import & export"),
            NavPeople => ("人员", "People"),
            NavPosters => ("海报", "Posters"),
            NavAudit => ("操作记录", "Activity log"),
            NavServices => ("帮帮卡", "Services card"),
            NavCoverage => ("覆盖", "Coverage"),
            CoverageTitle => ("驿站覆盖", "Station coverage"),
            CoverageIntro => (
                "本工会和下级工会的驿站：哪些状态正常，哪些已过期、已关闭或有故障。",
                "The stations of your union and the unions below it: which are fresh, stale, closed or have open faults.",
            ),
            CoverageState => ("状态", "State"),
            AllStates => ("全部状态", "All states"),
            CoverageDistrict => ("区", "District"),
            CoverageAllDistricts => ("全部区", "All districts"),
            CoverageBadFilter => (
                "这个筛选条件不可用，请重新选择。",
                "This filter is not available; choose again.",
            ),
            CoverageSummary => ("各状态驿站数", "Stations per state"),
            CoverageMap => ("驿站状态图", "Map of stations by state"),
            CoverageCsv => ("下载表格 (CSV)", "Download table (CSV)"),
            CoverageEmpty => ("没有符合条件的驿站。", "No station matches."),
            ColConfirmed => ("最后确认", "Last confirmed"),
            ColOpenReports => ("未处理报告", "Open reports"),
            ColWeekly => ("每周", "Weekly"),
            StationChart => ("图表 (SVG)", "Chart (SVG)"),
            ColUnion => ("工会", "Union"),
            WeeklyTitle => ("每周数字", "Week by week"),
            DownloadChart => ("下载图表 (SVG)", "Download chart (SVG)"),
            DownloadData => ("下载数据 (CSV)", "Download data (CSV)"),
            NavAlerts => ("群通知", "Chat alerts"),
            RobotTitle => ("群通知", "Chat alerts"),
            RobotIntro => (
                "把企业微信或钉钉的群机器人接进来：有骑手报告故障、驿站状态过期时，群里会收到消息（同一驿站每小时最多一条）。消息里没有骑手的个人信息。",
                "Connect a WeCom or DingTalk group robot: the group hears of riders' fault reports and stations whose status has expired (at most one message per station an hour). Messages carry nothing about the rider.",
            ),
            RobotNow => ("当前机器人", "Current robot"),
            RobotNone => ("还没有设置群机器人", "No robot set yet"),
            RobotFormat => ("群聊软件", "Chat app"),
            RobotWecom => ("企业微信", "WeCom"),
            RobotDingtalk => ("钉钉", "DingTalk"),
            RobotJson => ("其他（JSON）", "Other (JSON)"),
            RobotUrl => ("机器人地址（Webhook）", "Robot address (webhook)"),
            RobotUrlHint => (
                "在群设置 › 群机器人 › 添加机器人，复制 Webhook 地址。钉钉机器人的关键词请设为「驿站」。",
                "In the group's settings › Robots › Add robot, copy its webhook address. For DingTalk, set the keyword to 驿站.",
            ),
            RobotSave => ("保存", "Save"),
            RobotTest => ("发送测试消息", "Send a test message"),
            RobotRemove => ("停用机器人", "Remove the robot"),
            RobotSaved => ("已保存，新消息会发到群里", "Saved; new messages go to the group"),
            RobotTestQueued => ("测试消息已发出，几秒后见下表", "Test message queued; see the list in a few seconds"),
            RobotRemoved => ("已停用", "Removed"),
            RobotPosts => ("最近的消息", "Latest messages"),
            RobotColTime => ("时间", "Time"),
            RobotColEvent => ("内容", "About"),
            RobotColTries => ("发送次数", "Tries"),
            RobotEventReport => ("故障报告", "Fault report"),
            RobotEventStale => ("状态过期", "Status expired"),
            RobotEventTest => ("测试消息", "Test message"),
            RobotSent => ("已送达", "Delivered"),
            RobotWaiting => ("等待重试", "Waiting to retry"),
            RobotFailed => ("发送失败", "Failed"),
            NumbersTitle => ("报告数字", "Numbers for your report"),
            NumbersFrom => ("从", "From"),
            NumbersTo => ("到", "To"),
            NumbersCsv => ("下载 CSV", "Download CSV"),
            ServicesTitle => ("帮帮卡", "Services card"),
            ServicesIntro => (
                "骑手在驿站页面上会看到这些服务，下级工会的驿站也会看到。",
                "Riders see these services on the station pages of this union and the unions below it.",
            ),
            ServicesUnion => ("工会", "Union"),
            ServiceName => ("名称", "Title"),
            ServiceLine => ("说明", "One line"),
            ServiceContact => ("电话或网址", "Phone or link"),
            ServiceContactHint => (
                "例如 010-6512 3456 或 https:// 开头的网址",
                "e.g. 010-6512 3456, or a link starting with https://",
            ),
            ServiceAdd => ("添加一项", "Add a service"),
            ServiceRemove => ("删除这一项", "Remove this service"),
            ServicesSave => ("保存", "Save"),
            ServicesSaved => ("已保存，驿站页面已更新", "Saved; station pages show it now"),
            ServicesInherited => ("上级工会提供", "From the unions above"),
            ServicesOwn => ("本工会提供", "This union's services"),
            ServicesHotline => (
                "12351 职工服务热线总排在最前面。",
                "The 12351 workers' hotline always comes first.",
            ),
            AdminIntro => ("请从上面的菜单选择要做的事。", "Choose a task from the menu above."),
            Unions => ("工会", "Unions"),
            Search => ("搜索", "Search"),
            SearchHint => ("名称、编号或地区", "Name, id or district"),
            ColName => ("名称", "Name"),
            ColDistrict => ("地区", "District"),
            ColStatus => ("状态", "Status"),
            ColHidden => ("隐藏", "Hidden"),
            ColActions => ("操作", "Actions"),
            Edit => ("编辑", "Edit"),
            NewStation => ("新建驿站", "New station"),
            EditStation => ("修改驿站", "Edit station"),
            HiddenYes => ("已隐藏", "Hidden"),
            NoMatches => ("没有符合的驿站。", "No stations match."),
            BackToStations => ("返回驿站列表", "Back to stations"),
            FieldId => ("编号", "Id"),
            FieldIdHint => (
                "小写字母、数字和 -，创建后不能修改",
                "Lower-case letters, digits and -; fixed once created",
            ),
            FieldName => ("名称", "Name"),
            FieldAddress => ("地址", "Address"),
            FieldDistrict => ("地区", "District"),
            FieldUnion => ("所属工会", "Union"),
            FieldLat => ("纬度", "Latitude"),
            FieldLng => ("经度", "Longitude"),
            FieldDatum => ("坐标系", "Datum"),
            FieldHours => ("营业时间", "Opening hours"),
            FieldPhone => ("电话", "Phone"),
            FieldAmenities => ("设施", "Amenities"),
            FieldHidden => ("对骑手隐藏", "Hide from riders"),
            ChooseUnion => ("请选择", "Choose"),
            Created => ("已创建", "Created"),
            StaleStation => (
                "别人刚刚改过这个驿站。下面是最新内容；载入后你填的内容会被替换。",
                "Someone else just changed this station. The latest version is below; loading it replaces what you entered.",
            ),
            ReloadLatest => ("载入最新内容", "Load latest version"),
            ViewPoster => ("查看海报", "View poster"),
            ImportTitle => ("导入驿站", "Import stations"),
            ChooseFile => ("选择文件", "Choose file"),
            File => ("文件", "File"),
            Format => ("格式", "Format"),
            Datum => ("坐标系", "Datum"),
            Preview => ("预览", "Preview"),
            Import => ("导入", "Import"),
            ColLine => ("行", "Line"),
            ColId => ("编号", "Id"),
            ColResult => ("结果", "Result"),
            ActionCreate => ("新建", "New"),
            ActionUpdate => ("更新", "Update"),
            NoFile => ("请先选择文件", "Choose a file first"),
            FileTooLarge => ("文件不能超过 10 MB", "The file must be at most 10 MB"),
            FixRowsFirst => (
                "有些行有问题，改好文件后再预览一次才能导入。",
                "Some rows have problems; fix the file and preview again before importing.",
            ),
            ExportTitle => ("导出", "Export"),
            ExportCsv => ("导出 CSV", "Export CSV"),
            ExportGeojson => ("导出 GeoJSON", "Export GeoJSON"),
            CsvColumns => ("CSV 的列：", "CSV columns: "),
            CsvColumnsNote => (
                "第一行是列名；设施用英文分号 ; 分开（例如 water;microwave）；hidden 填 true 或 false。",
                "The first line names the columns; separate amenities with ; (e.g. water;microwave); hidden is true or false.",
            ),
            Accounts => ("账号", "Accounts"),
            ColUsername => ("用户名", "Username"),
            ColDisplayName => ("姓名", "Name"),
            ColRole => ("角色", "Role"),
            ColStations => ("负责驿站", "Stations"),
            ColState => ("状态", "State"),
            RoleManager => ("站长", "Station manager"),
            RoleAdmin => ("管理员", "Admin"),
            Active => ("正常", "Active"),
            Disabled => ("已停用", "Disabled"),
            NewAccount => ("新建账号", "New account"),
            Create => ("创建", "Create"),
            StationsPick => ("驿站", "Stations"),
            FilterStations => ("筛选驿站", "Filter stations"),
            AssignStations => ("分配驿站", "Assign stations"),
            SaveAssignment => ("保存分配", "Save stations"),
            Cancel => ("取消", "Cancel"),
            ResetPassword => ("重置密码", "Reset password"),
            Disable => ("停用", "Disable"),
            Enable => ("启用", "Enable"),
            OneTimePassword => ("一次性密码", "One-time password"),
            OneTimeHint => (
                "只显示一次，请抄下来交给站长",
                "Shown only once — copy it down and give it to the manager",
            ),
            Copy => ("复制", "Copy"),
            Done => ("我已抄下", "Done"),
            ForAccount => ("账号：", "Account: "),
            AllStationsOfUnion => ("本工会全部驿站", "All stations of the union"),
            PostersTitle => ("驿站海报", "Station posters"),
            ChooseDistrict => ("地区", "District"),
            PrintAll => ("打印本区全部海报", "Print all posters of this district"),
            Print => ("打印", "Print"),
            PaperSize => ("纸张：", "Paper: "),
            PrintTitle => ("打印海报", "Print posters"),
            NoStationsInDistrict => ("这个地区没有驿站。", "No stations in this district."),
            NavEmbed => ("网站嵌入", "Embed on your site"),
            EmbedIntro => (
                "选好要显示哪些驿站、用什么语言和尺寸，再把下面的嵌入代码粘贴到工会网站的网页里。",
                "Choose which stations to show, the language and the size, then paste the embed code below into a page of your union's website.",
            ),
            EmbedUnion => ("工会", "Union"),
            AllDistricts => ("全部", "All"),
            EmbedOpenNow => ("只看营业中", "Open now only"),
            EmbedOpen24h => ("只看24小时", "Open 24 hours only"),
            EmbedLanguage => ("语言", "Language"),
            EmbedSize => ("尺寸", "Size"),
            SizePhone => ("手机 360×640", "Phone 360×640"),
            SizeSidebar => ("侧栏 300×600", "Sidebar 300×600"),
            SizeFullWidth => ("整页宽 100%×700", "Full width 100%×700"),
            EmbedAutoHeight => ("自动高度", "Auto height"),
            EmbedAutoHeightHint => (
                "地图框随内容自动变高；代码里会多一行 script，要一起粘贴。",
                "The frame grows with its content; the code gets a script line to paste as well.",
            ),
            EmbedCode => ("嵌入代码", "Embed code"),
            CopyCode => ("复制代码", "Copy code"),
            Copied => ("已复制", "Copied"),
            CopyManually => (
                "无法自动复制：文字已选中，请按 Ctrl+C（Mac 按 ⌘C）复制。",
                "Could not copy automatically: the text is selected; press Ctrl+C (⌘C on a Mac).",
            ),
            EmbedAllowList => (
                "网站的地址必须在本系统的允许列表（YIZHAN_EMBED_ORIGINS）里，否则浏览器会拒绝显示地图，请找系统管理员添加。",
                "Your site's address must be on this deployment's allow-list (YIZHAN_EMBED_ORIGINS), or browsers will refuse the frame; ask your system administrator.",
            ),
            ForDevelopers => ("给开发者", "For developers"),
            FeedUrl => ("数据地址 (GeoJSON)", "Data feed (GeoJSON)"),
            CopyFeedUrl => ("复制数据地址", "Copy feed address"),
            ApiDocs => ("接口文档", "API documentation"),
            NavApplications => ("入会申请", "Applications"),
            ApplicationsTitle => ("入会申请", "Membership applications"),
            AllStatuses => ("全部", "All"),
            FilterStation => ("驿站", "Station"),
            AllStations => ("全部驿站", "All stations"),
            DateFrom => ("开始日期", "From"),
            DateTo => ("结束日期", "To"),
            ApplyFilter => ("筛选", "Filter"),
            DatesReversed => (
                "开始日期不能晚于结束日期。",
                "The start date must not be after the end date.",
            ),
            ColReference => ("编号", "Reference"),
            ColApplicant => ("姓名", "Name"),
            ColPhone => ("手机号", "Mobile"),
            ColStation => ("驿站", "Station"),
            ColSubmitted => ("提交时间", "Submitted"),
            View => ("查看", "View"),
            SelectAllPending => ("全选待审核", "Select all pending"),
            BulkApprove => ("批量通过", "Approve selected"),
            NothingSelected => (
                "请先勾选要通过的申请。",
                "Tick the applications to approve first.",
            ),
            ConfirmApprove => ("确认通过", "Yes, approve"),
            ExportApproved => ("导出已通过", "Export approved"),
            StatsLink => ("按驿站统计", "Counts by station"),
            NoApplications => ("没有符合条件的申请。", "No applications match."),
            ListCapped => (
                "只显示最新的 1000 份，请用筛选缩小范围。",
                "Only the newest 1,000 are shown; narrow the filters.",
            ),
            BackToApplications => ("返回申请列表", "Back to applications"),
            ViewIsAudited => (
                "查看完整记录会记入操作记录。",
                "Opening a full record is written to the activity log.",
            ),
            NoSuchApplication => ("没有找到这份申请。", "No such application."),
            WithdrawnErased => (
                "申请人已撤回，个人信息已删除。",
                "The applicant withdrew; their personal details were erased.",
            ),
            FieldReference => ("编号", "Reference"),
            FieldApplicant => ("姓名", "Name"),
            FieldMobile => ("手机号", "Mobile"),
            FieldEmployer => ("工作平台", "Platform / employer"),
            FieldOccupation => ("职业", "Occupation"),
            FieldWorkDistrict => ("工作区域", "Work area"),
            FieldStationOrDistrict => ("驿站/区", "Station / district"),
            FieldReceivingUnion => ("受理工会", "Union"),
            FieldPolicyVersion => ("同意的隐私政策版本", "Privacy notice agreed to"),
            FieldConsentedAt => ("同意时间", "Agreed at"),
            FieldSubmittedAt => ("提交时间", "Submitted"),
            History => ("进度", "History"),
            DecisionTitle => ("审批结果", "Decision"),
            DecidedAt => ("审批时间", "Decided at"),
            DecidedBy => ("审批人", "Decided by"),
            Reason => ("原因", "Reason"),
            ReasonHint => (
                "申请人会看到这段话，请写清楚怎样改正。",
                "The applicant sees this; say how to put it right.",
            ),
            Approve => ("通过", "Approve"),
            Reject => ("不通过", "Reject"),
            ConfirmReject => ("确认不通过", "Confirm rejection"),
            ApprovedDone => ("已通过。", "Approved."),
            RejectedDone => ("已标记为不通过。", "Marked as rejected."),
            StatsTitle => ("按驿站统计", "Applications by station"),
            StatsNote => (
                "每份申请记在提交时所在的驿站名下，已撤回的也算。",
                "Each application counts for the station it was sent from, withdrawn ones included.",
            ),
            LegendApplications => ("申请", "Applications"),
            LegendApprovals => ("通过", "Approved"),
            NoApplicationsYet => ("还没有申请。", "No applications yet."),
            EntityApplication => ("申请", "Application"),
            AuditTitle => ("操作记录", "Activity log"),
            ColTime => ("时间", "Time"),
            ColActor => ("操作人", "By"),
            ColAction => ("操作", "Action"),
            ColObject => ("对象", "Object"),
            ColChanges => ("变更", "Changes"),
            Older => ("更早", "Older"),
            NoEntries => ("还没有记录。", "Nothing recorded yet."),
            EntityStation => ("驿站", "Station"),
            EntityAccount => ("账号", "Account"),
        };
        match lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// The page language from context.
pub fn i18n_lang() -> Memo<Lang> {
    crate::shared::lang::use_lang()
}

/// A link within the bundle that keeps `?lang=en` ([`Lang::href`]).
pub fn href(lang: Lang, path: &str) -> String {
    lang.href(path)
}

/// A reactive text for views: `{tr(lang, Msg::Save)}`.
pub fn tr(lang: Memo<Lang>, m: Msg) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || m.text(lang.get())
}

fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// An amenity's name as staff call it (the contract's words: 微波炉, not the riders' 热饭).
pub fn amenity(lang: Lang, a: Amenity) -> &'static str {
    let (zh, en) = match a {
        Amenity::Microwave => ("微波炉", "Microwave"),
        Amenity::Climate => ("空调/取暖", "Heating / AC"),
        _ => a.names(),
    };
    pick(lang, zh, en)
}

/// What a rider reported.
pub fn report_kind(lang: Lang, k: ReportKind) -> &'static str {
    let (zh, en) = match k {
        ReportKind::Confirm => ("确认信息准确", "Confirmed it is right"),
        ReportKind::ClosedWhenOpen => ("应该开门却关着", "Closed when it should be open"),
        ReportKind::AmenityBroken => ("设施坏了", "Something is broken"),
        ReportKind::Other => ("其他", "Something else"),
    };
    pick(lang, zh, en)
}

/// A role's name.
pub fn role(lang: Lang, r: Role) -> &'static str {
    match r {
        Role::Manager => Msg::RoleManager.text(lang),
        Role::Admin => Msg::RoleAdmin.text(lang),
    }
}

/// "还能输入 N 字" under the notice box.
pub fn chars_left(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("还能输入 {n} 字"),
        Lang::En => format!("{n} characters left"),
    }
}

/// "3 条待处理" beside a station.
pub fn unresolved_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("{n} 条待处理报告"),
        Lang::En if n == 1 => "1 open report".to_owned(),
        Lang::En => format!("{n} open reports"),
    }
}

/// "已导入 N 个驿站" after an import.
pub fn imported(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("已导入 {n} 个驿站"),
        Lang::En => format!("Imported {n} stations"),
    }
}

/// The preview's summary line.
pub fn preview_summary(lang: Lang, creates: usize, updates: usize, bad: usize) -> String {
    match lang {
        Lang::Zh => format!("新建 {creates} 个，更新 {updates} 个，有问题 {bad} 行"),
        Lang::En => format!("{creates} new, {updates} updated, {bad} rows with problems"),
    }
}

/// The embed frame's `title` for screen readers, in the embed's language: "附近的工会驿站",
/// then " · {union}" when the union is known.
pub fn embed_frame_title(lang: Lang, union: Option<&str>) -> String {
    let base = pick(lang, "附近的工会驿站", "Nearby union rest stations");
    match union.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) => format!("{base} · {u}"),
        None => base.to_owned(),
    }
}

/// "{name} 海报", the alt text of a poster image.
pub fn poster_alt(lang: Lang, name: &str) -> String {
    match lang {
        Lang::Zh => format!("{name} 海报"),
        Lang::En => format!("Poster of {name}"),
    }
}

/// An application status as staff see it (the contract's words).
pub fn application_status(lang: Lang, s: yizhan_core::ApplicationStatus) -> &'static str {
    pick(lang, s.zh(), s.en())
}

/// An employer's name.
pub fn employer(lang: Lang, e: yizhan_core::Employer) -> &'static str {
    pick(lang, e.zh(), e.en())
}

/// An occupation's name.
pub fn occupation(lang: Lang, o: yizhan_core::Occupation) -> &'static str {
    pick(lang, o.zh(), o.en())
}

/// "选择 BJ-7K3Q-9DXW", a queue row's checkbox label.
pub fn select_application(lang: Lang, reference: &str) -> String {
    match lang {
        Lang::Zh => format!("选择 {reference}"),
        Lang::En => format!("Select {reference}"),
    }
}

/// "查看 BJ-7K3Q-9DXW", a queue row's link name.
pub fn view_application(lang: Lang, reference: &str) -> String {
    match lang {
        Lang::Zh => format!("查看 {reference}"),
        Lang::En => format!("View {reference}"),
    }
}

/// "申请 BJ-7K3Q-9DXW", the record page's heading.
pub fn application_heading(lang: Lang, reference: &str) -> String {
    match lang {
        Lang::Zh => format!("申请 {reference}"),
        Lang::En => format!("Application {reference}"),
    }
}

/// "已选 3 份" beside the bulk button.
pub fn selected_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("已选 {n} 份"),
        Lang::En => format!("{n} selected"),
    }
}

/// The bulk approval's question.
pub fn confirm_bulk(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Zh => format!("确定通过选中的 {n} 份申请吗？申请人会看到“已通过”。"),
        Lang::En if n == 1 => {
            "Approve the selected application? The applicant will see “Approved”.".to_owned()
        }
        Lang::En => {
            format!("Approve the {n} selected applications? The applicants will see “Approved”.")
        }
    }
}

/// What a bulk approval did.
pub fn bulk_done(lang: Lang, decided: usize, skipped: usize) -> String {
    match (lang, skipped) {
        (Lang::Zh, 0) => format!("已通过 {decided} 份申请。"),
        (Lang::Zh, _) => {
            format!("已通过 {decided} 份申请；{skipped} 份没有处理（已经审批过或已撤回）。")
        }
        (Lang::En, 0) => format!("Approved {decided}."),
        (Lang::En, _) => {
            format!("Approved {decided}; {skipped} left alone (already decided or withdrawn).")
        }
    }
}

/// "朝阳区（未经驿站）": where an application without a station was sent.
pub fn district_only(lang: Lang, district: &str) -> String {
    match lang {
        Lang::Zh => format!("{district}（未经驿站）"),
        Lang::En => format!("{district} (no station)"),
    }
}

/// "申请 5，通过 3": one station's counts on the chart.
pub fn counts_text(lang: Lang, applications: u64, approvals: u64) -> String {
    match lang {
        Lang::Zh => format!("申请 {applications}，通过 {approvals}"),
        Lang::En => format!("{applications} applications, {approvals} approved"),
    }
}

/// "朝阳门驿站: 申请 5，通过 3", a bar's accessible text.
pub fn station_counts(lang: Lang, station: &str, applications: u64, approvals: u64) -> String {
    format!("{station}: {}", counts_text(lang, applications, approvals))
}

/// The line for applications sent by district, without a station.
pub fn without_station(lang: Lang, applications: u64, approvals: u64) -> String {
    match lang {
        Lang::Zh => format!(
            "未经驿站（按地区提交）：{}",
            counts_text(lang, applications, approvals)
        ),
        Lang::En => format!(
            "Without a station (sent by district): {}",
            counts_text(lang, applications, approvals)
        ),
    }
}

/// The name of a field or import column, for error lists.
pub fn field_name(lang: Lang, field: &str) -> Option<&'static str> {
    let m = match field {
        "id" => Msg::FieldId,
        "name" => Msg::FieldName,
        "address" => Msg::FieldAddress,
        "district" => Msg::FieldDistrict,
        "union_id" | "union" => Msg::FieldUnion,
        "lat" => Msg::FieldLat,
        "lng" => Msg::FieldLng,
        "datum" => Msg::FieldDatum,
        "hours" => Msg::FieldHours,
        "phone" => Msg::FieldPhone,
        "amenities" => Msg::FieldAmenities,
        "hidden" => Msg::ColHidden,
        "notice" => Msg::Notice,
        "state" => Msg::OpenState,
        "username" => Msg::Username,
        "password" => Msg::Password,
        "display_name" => Msg::ColDisplayName,
        "role" => Msg::ColRole,
        "stations" => Msg::ColStations,
        "reply" => Msg::Reply,
        "current" => Msg::CurrentPassword,
        "new" => Msg::NewPassword,
        "file" => Msg::File,
        "disabled" => Msg::Disable,
        "reason" => Msg::Reason,
        _ => return None,
    };
    Some(m.text(lang))
}

/// What is wrong with a field, from its problem code: the same codes come from core's
/// `validate()` in the browser and from the server's `error.fields`.
pub fn problem(lang: Lang, field: &str, code: FieldCode) -> &'static str {
    let (zh, en) = match (field, code) {
        ("hours", FieldCode::Invalid) => (
            "营业时间看不懂，例如 Mo-Fr 09:00-21:00; 24/7",
            "Hours not understood; e.g. Mo-Fr 09:00-21:00; 24/7",
        ),
        ("username", FieldCode::Invalid) => (
            "3–40 个小写字母、数字或 . _ -",
            "3–40 lower-case letters, digits or . _ -",
        ),
        ("username", FieldCode::Duplicate) => ("这个用户名已经有人用了", "This username is taken"),
        ("id", FieldCode::Invalid) => (
            "只能用小写字母、数字和 -",
            "Only lower-case letters, digits and -",
        ),
        ("id", FieldCode::Duplicate) => ("这个编号已经有了", "This id exists already"),
        ("new", FieldCode::Invalid) => ("至少 12 个字符", "At least 12 characters"),
        ("password", FieldCode::Invalid) => ("密码不对", "Wrong password"),
        ("code", FieldCode::Invalid) => (
            "验证码不对，请输入 App 里现在显示的 6 位数字",
            "Wrong code; type the 6 digits the app shows now",
        ),
        ("phone", FieldCode::Invalid) => ("电话号码格式不对", "Not a phone number"),
        ("contact", FieldCode::Invalid) => (
            "请填电话号码，或 https:// 开头的网址",
            "A phone number, or a link starting with https://",
        ),
        ("services", FieldCode::OutOfRange) => ("最多 8 项", "At most 8 services"),
        ("url", FieldCode::Invalid) => (
            "请粘贴群机器人的 https:// 地址",
            "Paste the robot's https:// address",
        ),
        ("to", FieldCode::OutOfRange) => (
            "结束日期不能早于开始日期",
            "The end cannot be before the start",
        ),
        ("state", _) => ("请选择营业中或已关闭", "Choose open or closed"),
        ("reason", FieldCode::Missing) => ("请写明不通过的原因", "Say why it is rejected"),
        ("reason", FieldCode::TooLong) => ("最多 200 字", "At most 200 characters"),
        (_, FieldCode::Missing) => ("请填写这一项", "Required"),
        (_, FieldCode::TooLong) => ("太长了", "Too long"),
        (_, FieldCode::OutOfRange) => ("超出范围", "Out of range"),
        (_, FieldCode::Duplicate) => ("重复了", "Duplicate"),
        (_, FieldCode::Unknown) => ("不认识的值", "Unknown value"),
        (_, FieldCode::Invalid) => ("格式不对", "Not valid"),
        _ => ("请检查这一项", "Please check this"),
    };
    pick(lang, zh, en)
}

/// The coverage table's caption: its order, and how many of how many it shows.
pub fn coverage_caption(lang: Lang, shown: usize, matching: u64) -> String {
    match lang {
        Lang::Zh => format!("按确认时间排序，最久未确认的在前 · 显示 {shown} / {matching} 个驿站"),
        Lang::En => format!(
            "Sorted by confirmation, the longest unconfirmed first · showing {shown} of {matching} stations"
        ),
    }
}

/// One entry of a field list, e.g. "纬度：超出范围" or "缺少列：name".
pub fn field_problem(lang: Lang, field: &str, code: FieldCode) -> String {
    if let Some(column) = field.strip_prefix("columns.") {
        return match (lang, code) {
            (Lang::Zh, FieldCode::Missing) => format!("缺少列：{column}"),
            (Lang::En, FieldCode::Missing) => format!("Missing column: {column}"),
            (Lang::Zh, _) => format!("列 {column}：{}", problem(lang, column, code)),
            (Lang::En, _) => format!("Column {column}: {}", problem(lang, column, code)),
        };
    }
    // An import commit names bad cells as `rows[{line}].{column}`.
    if let Some((line, column)) = field
        .strip_prefix("rows[")
        .and_then(|rest| rest.split_once("]."))
    {
        let inner = field_problem(lang, column, code);
        return match lang {
            Lang::Zh => format!("第 {line} 行 {inner}"),
            Lang::En => format!("Line {line}, {inner}"),
        };
    }
    let name = field_name(lang, field).map_or_else(|| field.to_owned(), str::to_owned);
    match lang {
        Lang::Zh => format!("{name}：{}", problem(lang, field, code)),
        Lang::En => format!("{name}: {}", problem(lang, field, code)),
    }
}

/// An audit action code in words; unknown codes are shown as they are.
pub fn audit_action(lang: Lang, code: &str) -> String {
    let (zh, en) = match code {
        "station.status" => ("更新状态", "Updated status"),
        "station.create" => ("新建驿站", "Created station"),
        "station.update" => ("修改驿站", "Changed station"),
        "station.import" => ("导入驿站", "Imported stations"),
        "report.resolve" => ("处理报告", "Resolved report"),
        "account.create" => ("新建账号", "Created account"),
        "account.update" => ("修改账号", "Changed account"),
        "account.password" => ("重置密码", "Reset password"),
        "account.password_change" => ("修改自己的密码", "Changed own password"),
        "account.delete" => ("删除账号", "Deleted account"),
        "account.unassign" => ("取消驿站分配", "Unassigned station"),
        "account.two_step_on" => ("开启两步验证", "Turned on two-step sign-in"),
        "account.two_step_reset" => ("重置两步验证", "Reset two-step sign-in"),
        "account.recovery_code" => ("用恢复码登录", "Signed in with a recovery code"),
        "station.move" => ("驿站换工会", "Moved station to another union"),
        "application.view" => ("查看申请", "Viewed application"),
        "application.decide" => ("审批申请", "Decided application"),
        "application.export" => ("导出申请", "Exported applications"),
        other => return other.to_owned(),
    };
    pick(lang, zh, en).to_owned()
}

/// An audit entity in words.
pub fn audit_entity(lang: Lang, entity: &str) -> String {
    match entity {
        "station" => Msg::EntityStation.text(lang).to_owned(),
        "account" => Msg::EntityAccount.text(lang).to_owned(),
        "application" => Msg::EntityApplication.text(lang).to_owned(),
        other => other.to_owned(),
    }
}

/// A datum as people know it.
pub fn datum_name(lang: Lang, d: yizhan_core::datum::Datum) -> &'static str {
    use yizhan_core::datum::Datum;
    let (zh, en) = match d {
        Datum::Wgs84 => ("WGS-84", "WGS-84 (GPS)"),
        Datum::Gcj02 => ("GCJ-02(高德)", "GCJ-02 (Amap)"),
        Datum::Bd09 => ("BD-09(百度)", "BD-09 (Baidu)"),
    };
    pick(lang, zh, en)
}
