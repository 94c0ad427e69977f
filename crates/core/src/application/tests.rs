//! Tests of the application types and their rules.

use super::*;
use proptest::prelude::*;

fn form() -> NewApplication {
    NewApplication {
        station_id: Some(StationId::parse("bj-chaoyang-0001").expect("id")),
        district: None,
        name: "王丽".into(),
        phone: "13812341234".into(),
        employer: Some(Employer::Meituan),
        employer_other: None,
        occupation: Some(Occupation::FoodDelivery),
        occupation_other: None,
        work_district: "望京".into(),
        consent: Some(Consent {
            policy_version: "2026-11".into(),
            accepted: true,
        }),
    }
}

fn field(a: &NewApplication, name: &str) -> Option<FieldCode> {
    a.validate().err().and_then(|e| e.get(name).copied())
}

#[test]
fn a_complete_form_validates() {
    let v = form().validate().expect("valid");
    assert_eq!(v.name.as_str(), "王丽");
    assert_eq!(v.phone.as_str(), "13812341234");
    assert_eq!(v.policy_version, "2026-11");
    assert_eq!(v.district, None);
}

#[test]
fn phone_with_spaces_dashes_full_width_digits_or_plus_86_is_accepted() {
    for typed in [
        "138 1234 1234",
        "138-1234-1234",
        " 13812341234 ",
        "+86 138 1234 1234",
        "１３８１２３４１２３４",
    ] {
        assert_eq!(
            Phone::parse(typed).map(|p| p.as_str().to_owned()),
            Ok("13812341234".into()),
            "{typed}"
        );
    }
}

#[test]
fn phone_that_is_not_a_mainland_mobile_is_rejected() {
    for bad in [
        "12345678901",  // second digit 2: no such mobile prefix
        "23812341234",  // does not start with 1
        "1381234123",   // ten digits
        "138123412345", // twelve digits
        "12",
        "1381234123a",
        "010-65432100", // a landline
        "8613812341234",
    ] {
        assert_eq!(Phone::parse(bad), Err(FieldCode::Invalid), "{bad}");
    }
    assert_eq!(Phone::parse("  "), Err(FieldCode::Missing));
}

#[test]
fn masked_phone_keeps_three_and_four_digits() {
    let p = Phone::parse("13812341234").expect("phone");
    assert_eq!(p.masked(), "138****1234");
    assert_eq!(format!("{p:?}"), "Phone(138****1234)");
}

#[test]
fn names_of_han_latin_and_middle_dots_are_accepted_and_tidied() {
    for (typed, stored) in [
        ("王丽", "王丽"),
        (" 买买提·艾力 ", "买买提·艾力"),
        ("买买提 • 艾力", "买买提·艾力"),
        ("买买提・艾力", "买买提·艾力"),
        ("Li   Wei", "Li Wei"),
        ("Lǚ Xiǎo", "Lǚ Xiǎo"),
        ("䶮明", "䶮明"), // extension A
        ("𠇔丽", "𠇔丽"), // extension B
    ] {
        assert_eq!(
            PersonName::parse(typed).map(|n| n.as_str().to_owned()),
            Ok(stored.into()),
            "{typed}"
        );
    }
}

#[test]
fn name_with_digits_symbols_or_a_lone_dot_is_invalid() {
    for bad in [
        "王丽2",
        "王@丽",
        "·王丽",
        "王丽·",
        "王··丽",
        "<b>王</b>",
        "王😀",
    ] {
        assert_eq!(PersonName::parse(bad), Err(FieldCode::Invalid), "{bad}");
    }
}

#[test]
fn name_of_one_character_is_invalid_and_of_thirty_one_too_long() {
    assert_eq!(PersonName::parse("王"), Err(FieldCode::Invalid));
    assert!(PersonName::parse(&"王".repeat(30)).is_ok());
    assert_eq!(PersonName::parse(&"王".repeat(31)), Err(FieldCode::TooLong));
    assert_eq!(PersonName::parse(" "), Err(FieldCode::Missing));
    assert_eq!(
        format!("{:?}", PersonName::parse("王丽")),
        "Ok(PersonName(..))"
    );
}

#[test]
fn other_employer_needs_its_name_and_other_choices_drop_it() {
    let mut a = form();
    a.employer = Some(Employer::Other);
    assert_eq!(field(&a, "employer_other"), Some(FieldCode::Missing));
    a.employer_other = Some("x".repeat(31));
    assert_eq!(field(&a, "employer_other"), Some(FieldCode::TooLong));
    a.employer_other = Some(" 曹操出行 ".into());
    assert_eq!(
        a.validate().expect("valid").employer_other.as_deref(),
        Some("曹操出行")
    );
    let mut b = form();
    b.employer_other = Some("left over".into());
    assert_eq!(b.validate().expect("valid").employer_other, None);
    b.occupation = Some(Occupation::Other);
    assert_eq!(field(&b, "occupation_other"), Some(FieldCode::Missing));
}

#[test]
fn consent_not_given_or_not_ticked_is_missing() {
    let mut a = form();
    a.consent = None;
    assert_eq!(field(&a, "consent"), Some(FieldCode::Missing));
    a.consent = Some(Consent {
        policy_version: "2026-11".into(),
        accepted: false,
    });
    assert_eq!(field(&a, "consent"), Some(FieldCode::Missing));
}

#[test]
fn consent_to_an_older_notice_is_invalid() {
    let mut a = form();
    assert!(a.validate_for_policy("2026-11").is_ok());
    assert_eq!(
        a.validate_for_policy("2027-01")
            .expect_err("stale")
            .get("consent"),
        Some(&FieldCode::Invalid)
    );
    a.name = String::new();
    let e = a.validate_for_policy("2027-01").expect_err("two problems");
    assert_eq!(e.get("consent"), Some(&FieldCode::Invalid));
    assert_eq!(e.get("name"), Some(&FieldCode::Missing));
}

#[test]
fn without_a_station_the_district_is_required_and_with_one_it_is_dropped() {
    let mut a = form();
    a.station_id = None;
    assert_eq!(field(&a, "district"), Some(FieldCode::Missing));
    a.district = Some(" 朝阳区 ".into());
    assert_eq!(
        a.validate().expect("valid").district.as_deref(),
        Some("朝阳区")
    );
    let mut b = form();
    b.district = Some("海淀区".into());
    assert_eq!(b.validate().expect("valid").district, None);
}

#[test]
fn an_empty_form_names_every_required_field() {
    let e = NewApplication::default().validate().expect_err("empty");
    let names: Vec<&str> = e.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        vec![
            "consent",
            "district",
            "employer",
            "name",
            "occupation",
            "phone",
            "work_district"
        ]
    );
}

#[test]
fn a_form_travels_as_json_with_snake_case_codes() {
    let json = r#"{"station_id":"bj-chaoyang-0001","name":"王丽","phone":"13812341234",
        "employer":"eleme","occupation":"ride_hailing","work_district":"望京",
        "consent":{"policy_version":"2026-11","accepted":true}}"#;
    let a: NewApplication = serde_json::from_str(json).expect("parse");
    assert_eq!(a.employer, Some(Employer::Eleme));
    assert_eq!(a.occupation, Some(Occupation::RideHailing));
    assert!(a.validate().is_ok());
    assert!(serde_json::from_str::<NewApplication>(r#"{"employer":"uber"}"#).is_err());
}

#[test]
fn enums_have_codes_and_labels_in_both_languages() {
    for e in Employer::ALL {
        assert_eq!(Employer::parse(e.as_str()), Some(*e));
        assert!(!e.zh().is_empty() && !e.en().is_empty());
    }
    assert_eq!(Employer::Eleme.zh(), "饿了么");
    assert_eq!(Occupation::TruckDriver.zh(), "货车司机");
    assert_eq!(
        serde_json::to_string(&ApplicationStatus::UnderReview).expect("json"),
        "\"under_review\""
    );
    assert!(ApplicationStatus::UnderReview.is_pending());
    assert!(!ApplicationStatus::Rejected.is_pending());
    assert_eq!(
        ApplicationStatus::Approved.next_step(),
        NextStep::CollectCard
    );
}

#[test]
fn reference_prefix_comes_from_the_union_id() {
    assert_eq!(Reference::prefix_for("bj-chaoyang"), "BJ");
    assert_eq!(Reference::prefix_for("sh"), "SH");
    assert_eq!(Reference::prefix_for("1-x"), "YZ");
    assert_eq!(Reference::prefix_for("b"), "YZ");
    let r = Reference::generate("bj", [0, 0, 0, 0, 0]);
    assert_eq!(r.as_str(), "BJ-0000-0000");
    let r = Reference::generate("BJ", [0xff; 5]);
    assert_eq!(r.as_str(), "BJ-ZZZZ-ZZZZ");
}

#[test]
fn reference_is_read_in_any_case_without_dashes_and_with_look_alikes() {
    let want = Reference::parse("BJ-7K3Q-9DX1").expect("canonical");
    for typed in [
        "bj-7k3q-9dx1",
        "BJ7K3Q9DX1",
        " bj 7k3q 9dxl ",
        "BJ-7K3Q-9DXI",
    ] {
        assert_eq!(Reference::parse(typed), Ok(want.clone()), "{typed}");
    }
    assert_eq!(
        Reference::parse("BJ-0000-000O").map(|r| r.to_string()),
        Ok("BJ-0000-0000".into())
    );
    for bad in [
        "BJ-7K3Q-9DXU",
        "B1-7K3Q-9DXW",
        "BJ-7K3Q-9DX",
        "BJ-7K3Q-9DXWW",
        "京J-7K3Q-9DXW",
    ] {
        assert_eq!(Reference::parse(bad), Err(FieldCode::Invalid), "{bad}");
    }
    assert_eq!(Reference::parse(""), Err(FieldCode::Missing));
    assert_eq!(format!("{want:?}"), "Reference(BJ-…)");
}

#[test]
fn lookup_names_each_bad_field() {
    let e = Lookup {
        reference: "nope".into(),
        phone: "12".into(),
    }
    .validate()
    .expect_err("bad");
    assert_eq!(e.get("reference"), Some(&FieldCode::Invalid));
    assert_eq!(e.get("phone"), Some(&FieldCode::Invalid));
}

#[test]
fn rejecting_needs_a_reason_of_at_most_two_hundred_characters() {
    let reject = |r: Option<&str>| Decision {
        decision: DecisionKind::Reject,
        reason: r.map(str::to_owned),
    };
    assert_eq!(
        reject(None)
            .validate()
            .expect_err("no reason")
            .get("reason"),
        Some(&FieldCode::Missing)
    );
    assert_eq!(
        reject(Some("  "))
            .validate()
            .expect_err("blank")
            .get("reason"),
        Some(&FieldCode::Missing)
    );
    let long = "因".repeat(201);
    assert_eq!(
        reject(Some(&long))
            .validate()
            .expect_err("long")
            .get("reason"),
        Some(&FieldCode::TooLong)
    );
    assert_eq!(
        reject(Some(" 请到现场核验 ")).validate(),
        Ok((DecisionKind::Reject, Some("请到现场核验".into())))
    );
    let approve = Decision {
        decision: DecisionKind::Approve,
        reason: Some("ignored".into()),
    };
    assert_eq!(approve.validate(), Ok((DecisionKind::Approve, None)));
}

#[test]
fn bulk_decision_defaults_to_approve_and_drops_repeats() {
    let b: BulkDecision = serde_json::from_str(r#"{"ids":["a","b","a"," "]}"#).expect("json");
    assert_eq!(
        b.validate(),
        Ok((vec!["a".into(), "b".into()], DecisionKind::Approve, None))
    );
    let empty = BulkDecision {
        ids: vec![],
        decision: DecisionKind::Approve,
        reason: None,
    };
    assert_eq!(
        empty.validate().expect_err("empty").get("ids"),
        Some(&FieldCode::Missing)
    );
    let many = BulkDecision {
        ids: (0..=MAX_BULK_IDS).map(|i| i.to_string()).collect(),
        decision: DecisionKind::Approve,
        reason: None,
    };
    assert_eq!(
        many.validate().expect_err("many").get("ids"),
        Some(&FieldCode::TooLong)
    );
}

proptest! {
    #[test]
    fn reference_round_trips_through_text(
        a in "[a-z]{2}",
        bytes in proptest::array::uniform5(any::<u8>()),
    ) {
        let r = Reference::generate(&a, bytes);
        prop_assert_eq!(r.as_str().len(), 12);
        let expected = bytes.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        prop_assert_eq!(r.random_bits(), expected);
        prop_assert_eq!(Reference::parse(r.as_str()), Ok(r.clone()));
        prop_assert_eq!(Reference::parse(&r.as_str().to_lowercase().replace('-', "")), Ok(r.clone()));
        let json = serde_json::to_string(&r).expect("json");
        prop_assert_eq!(serde_json::from_str::<Reference>(&json).expect("back"), r);
    }

    #[test]
    fn masked_phone_never_shows_the_middle_digits(
        second in 3u8..=9,
        rest in proptest::collection::vec(0u8..=9, 9),
    ) {
        let digits: String = std::iter::once(1u8)
            .chain(std::iter::once(second))
            .chain(rest)
            .map(|d| char::from(b'0' + d))
            .collect();
        let p = Phone::parse(&digits).expect("valid mobile");
        let m = p.masked();
        prop_assert_eq!(m.len(), 11);
        prop_assert_eq!(&m[..3], &digits[..3]);
        prop_assert_eq!(&m[3..7], "****");
        prop_assert_eq!(&m[7..], &digits[7..]);
        prop_assert_eq!(m.chars().filter(char::is_ascii_digit).count(), 7);
        prop_assert_eq!(format!("{p:?}"), format!("Phone({m})"));
    }

    #[test]
    fn any_eleven_digits_parse_exactly_when_they_look_like_a_mobile(s in "[0-9]{11}") {
        let b = s.as_bytes();
        let mobile = b[0] == b'1' && (b'3'..=b'9').contains(&b[1]);
        prop_assert_eq!(Phone::parse(&s).is_ok(), mobile);
    }
}
