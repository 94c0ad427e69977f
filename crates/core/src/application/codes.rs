//! The coded choices of the form (employer, occupation) and an application's status: wire
//! codes with their Chinese and English labels.

use super::*;

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
        }

        impl $name {
            /// Every value, in the order the form offers them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The wire code.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Parses a wire code.
            pub fn parse(s: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// The label in Chinese.
            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh,)+ }
            }

            /// The label in English.
            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en,)+ }
            }
        }
    };
}

code_enum!(
    /// The platform or company the rider works for.
    Employer {
        /// 美团.
        Meituan = "meituan", "美团", "Meituan";
        /// 饿了么.
        Eleme = "eleme", "饿了么", "Ele.me";
        /// 顺丰.
        Sf = "sf", "顺丰", "SF Express";
        /// 京东.
        Jd = "jd", "京东", "JD Logistics";
        /// 闪送.
        Shansong = "shansong", "闪送", "Shansong";
        /// 达达.
        Dada = "dada", "达达", "Dada";
        /// 货拉拉.
        Huolala = "huolala", "货拉拉", "Lalamove";
        /// 滴滴.
        Didi = "didi", "滴滴", "DiDi";
        /// Another one, named in `employer_other`.
        Other = "other", "其他", "Other";
    }
);

code_enum!(
    /// What the rider does for a living.
    Occupation {
        /// 外卖骑手.
        FoodDelivery = "food_delivery", "外卖骑手", "Food delivery rider";
        /// 快递员.
        Courier = "courier", "快递员", "Courier";
        /// 网约车司机.
        RideHailing = "ride_hailing", "网约车司机", "Ride-hailing driver";
        /// 货车司机.
        TruckDriver = "truck_driver", "货车司机", "Truck driver";
        /// 家政.
        Housekeeping = "housekeeping", "家政", "Domestic worker";
        /// Something else, named in `occupation_other`.
        Other = "other", "其他", "Other";
    }
);

code_enum!(
    /// Where an application stands.
    ApplicationStatus {
        /// Received; nobody has opened it yet.
        Submitted = "submitted", "已提交", "Submitted";
        /// An admin of the union has opened it.
        UnderReview = "under_review", "审核中", "Under review";
        /// Accepted: the rider collects the member card in person.
        Approved = "approved", "已通过", "Approved";
        /// Refused, with the union's reason; the rider may correct it and resubmit.
        Rejected = "rejected", "未通过", "Rejected";
        /// The rider withdrew it: personal fields are erased, the reference remains.
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
);

impl ApplicationStatus {
    /// Waiting for a decision (`submitted` or `under_review`).
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            ApplicationStatus::Submitted | ApplicationStatus::UnderReview
        )
    }

    /// What the applicant can do next.
    pub fn next_step(self) -> NextStep {
        match self {
            ApplicationStatus::Submitted | ApplicationStatus::UnderReview => NextStep::Wait,
            ApplicationStatus::Approved => NextStep::CollectCard,
            ApplicationStatus::Rejected => NextStep::Resubmit,
            ApplicationStatus::Withdrawn => NextStep::None,
        }
    }
}

code_enum!(
    /// What the applicant's status page invites them to do; the browser holds the words
    /// (e.g. how to get the member card).
    NextStep {
        /// Nothing to do but wait for the union.
        Wait = "wait", "请等待审核", "Wait for the union";
        /// Approved: bring an identity document to the union to collect the member card.
        CollectCard = "collect_card", "领取会员卡", "Collect the member card";
        /// Rejected: correct the application and send it again.
        Resubmit = "resubmit", "修改后重新提交", "Correct and resubmit";
        /// Withdrawn: nothing more.
        None = "none", "无", "Nothing";
    }
);

code_enum!(
    /// An admin's verdict on an application.
    DecisionKind {
        /// Accept the application.
        Approve = "approve", "通过", "Approve";
        /// Refuse it (a reason is required).
        Reject = "reject", "不通过", "Reject";
    }
);
