//! On /admin: the numbers a union puts in its report ("服务户外劳动者 N 人次") for the days the
//! admin picks — the last 30 days at first — and the same as a CSV to download.

use leptos::prelude::*;
use yizhan_core::{FieldCode, Period, UnionNumbers};

use crate::staff::api::{self, use_client};
use crate::staff::fields::{ErrorNote, Problems};
use crate::staff::i18n::{i18n_lang, problem, tr, Lang, Msg};

/// The days asked for (blank: the server's default) and the problem with them, if any.
#[derive(Clone, Copy)]
struct Days {
    from: RwSignal<String>,
    to: RwSignal<String>,
    asked: RwSignal<(String, String)>,
    problems: RwSignal<Problems>,
}

impl Days {
    fn new() -> Days {
        Days {
            from: RwSignal::new(String::new()),
            to: RwSignal::new(String::new()),
            asked: RwSignal::new((String::new(), String::new())),
            problems: RwSignal::new(Problems::new()),
        }
    }

    /// Asks for the days typed, unless the end comes before the start.
    fn ask(self) {
        let (from, to) = (self.from.get_untracked(), self.to.get_untracked());
        let now = crate::shared::browser::now();
        let backwards = Period::parse(Some(&from), Some(&to), now).is_ok_and(Period::is_backwards);
        if backwards {
            self.problems
                .set(Problems::from([("to".to_owned(), FieldCode::OutOfRange)]));
            return;
        }
        self.problems.set(Problems::new());
        self.asked.set((from, to));
    }

    /// Shows the days an answer covers (the default period, at first).
    fn show(self, n: &UnionNumbers) {
        self.from.set(n.from.clone());
        self.to.set(n.to.clone());
    }
}

/// The CSV of the days asked, labelled in `lang`.
fn csv_href(lang: Lang, (from, to): &(String, String)) -> String {
    let code = match lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    format!("{}?from={from}&to={to}&lang={code}", api::NUMBERS_CSV_URL)
}

/// The section: two dates, the numbers as a table, and the CSV link.
#[component]
pub fn NumbersSection() -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let days = Days::new();
    let numbers = LocalResource::new(move || {
        let (from, to) = days.asked.get();
        async move { client.numbers(&from, &to).await }
    });
    let error = RwSignal::new(None::<api::Error>);
    Effect::new(move || match numbers.get() {
        Some(Ok(n)) => {
            error.set(None);
            days.show(&n);
        }
        Some(Err(e)) => error.set(Some(e)),
        None => {}
    });
    let date = move |id: &'static str, label: Msg, value: RwSignal<String>| {
        let invalid = move || {
            days.problems
                .with(|p| p.contains_key(id.trim_start_matches("numbers-")))
        };
        view! {
            <div class="field">
                <label for=id>{tr(lang, label)}</label>
                <input id=id type="date" prop:value=move || value.get()
                    aria-invalid=move || invalid().to_string()
                    aria-describedby=format!("{id}-error")
                    on:change=move |ev| {
                        value.set(event_target_value(&ev));
                        days.ask();
                    }/>
                {move || days.problems.with(|p| p.get(id.trim_start_matches("numbers-")).map(|&code| view! {
                    <p class="field-error" id=format!("{id}-error")>{problem(lang.get(), "to", code)}</p>
                }))}
            </div>
        }
    };
    view! {
        <section aria-labelledby="numbers-title" class="numbers">
            <h2 id="numbers-title">{tr(lang, Msg::NumbersTitle)}</h2>
            <div class="period">
                {date("numbers-from", Msg::NumbersFrom, days.from)}
                {date("numbers-to", Msg::NumbersTo, days.to)}
            </div>
            <ErrorNote error=error/>
            {move || numbers.get().and_then(Result::ok).map(|n| view! { <NumbersTable numbers=n/> })}
            <p><a href=move || csv_href(lang.get(), &days.asked.get()) download="">{tr(lang, Msg::NumbersCsv)}</a></p>
        </section>
    }
}

/// The numbers, one row each.
#[component]
fn NumbersTable(numbers: UnionNumbers) -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <table class="numbers-table">
            <caption>{format!("{} – {}", numbers.from, numbers.to)}</caption>
            <tbody>
                {numbers.rows().into_iter().map(|(zh, en, value)| view! {
                    <tr>
                        <th scope="row">{move || if lang.get() == Lang::Zh { zh } else { en }}</th>
                        <td>{value}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}
