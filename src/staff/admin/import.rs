//! `/admin/import`: bring stations in from a CSV or GeoJSON file — preview every row first,
//! import only when all are valid — and take them out again (export links).

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use yizhan_core::datum::Datum;
use yizhan_core::{ImportReport, ImportRow};

use crate::staff::api::{self, use_client, ImportFormat, EXPORT_CSV_URL, EXPORT_GEOJSON_URL};
use crate::staff::fields::{datum_options, ErrorNote, FieldList};
use crate::staff::i18n::{field_problem, i18n_lang, imported, preview_summary, tr, Lang, Msg};

/// The server refuses bodies over this (413); the page says so before uploading.
const MAX_FILE_BYTES: f64 = 10.0 * 1024.0 * 1024.0;

/// The columns of the CSV, in order.
const CSV_COLUMNS: &str =
    "id,name,address,district,union_id,lat,lng,datum,hours,phone,amenities,hidden";

/// "新建" / "更新" / the row's problems, per column.
fn row_result(lang: Lang, row: &ImportRow) -> String {
    if !row.errors.is_empty() {
        let sep = if lang == Lang::Zh { "；" } else { "; " };
        return row
            .errors
            .iter()
            .map(|(column, &code)| field_problem(lang, column, code))
            .collect::<Vec<_>>()
            .join(sep);
    }
    match row.action.as_deref() {
        Some("create") => Msg::ActionCreate.text(lang).to_owned(),
        Some("update") => Msg::ActionUpdate.text(lang).to_owned(),
        Some(other) => other.to_owned(),
        None => String::new(),
    }
}

/// What the page holds: the file and how to read it, and the server's last report on it.
#[derive(Clone, Copy)]
struct ImportState {
    // A `File` is a browser object, so it lives in a thread-local signal.
    file: RwSignal<Option<web_sys::File>, LocalStorage>,
    format: RwSignal<ImportFormat>,
    datum: RwSignal<Datum>,
    report: RwSignal<Option<ImportReport>>,
    error: RwSignal<Option<api::Error>>,
    local_problem: RwSignal<Option<Msg>>,
    /// Sends the file: a preview (`false`) or the import itself (`true`).
    run: Action<bool, ()>,
}

impl ImportState {
    fn new() -> Self {
        let client = use_client();
        let file = RwSignal::new_local(None::<web_sys::File>);
        let format = RwSignal::new(ImportFormat::Csv);
        let datum = RwSignal::new(Datum::Wgs84);
        let report = RwSignal::new(None::<ImportReport>);
        let error = RwSignal::new(None::<api::Error>);
        let local_problem = RwSignal::new(None::<Msg>);
        let run = Action::new_local(move |commit: &bool| {
            let commit = *commit;
            let chosen = file.get_untracked();
            let f = format.get_untracked();
            let d = datum.get_untracked();
            async move {
                let Some(chosen) = chosen else {
                    local_problem.set(Some(Msg::NoFile));
                    return;
                };
                match client.import(&chosen, f, d, commit).await {
                    Ok(r) => report.set(Some(r)),
                    Err(e) => error.set(Some(e)),
                }
            }
        });
        Self {
            file,
            format,
            datum,
            report,
            error,
            local_problem,
            run,
        }
    }

    fn start(self, commit: bool) {
        self.error.set(None);
        self.local_problem.set(None);
        let size = self.file.with_untracked(|f| f.as_ref().map(|f| f.size()));
        match size {
            None => self.local_problem.set(Some(Msg::NoFile)),
            Some(s) if s > MAX_FILE_BYTES => self.local_problem.set(Some(Msg::FileTooLarge)),
            Some(_) => {
                if !commit {
                    self.report.set(None);
                }
                self.run.dispatch(commit);
            }
        }
    }

    /// Any change to what would be sent makes the preview stale.
    fn changed(self) {
        self.report.set(None);
        self.error.set(None);
        self.local_problem.set(None);
    }

    fn choose_file(self, ev: &leptos::ev::Event) {
        let chosen = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        if let Some(f) = &chosen {
            self.format.set(ImportFormat::guess(&f.name()));
        }
        self.file.set(chosen);
        self.changed();
    }

    /// A clean preview not yet imported, and nothing on its way (tracked).
    fn can_commit(self) -> bool {
        self.report.with(|r| {
            r.as_ref()
                .is_some_and(|r| !r.committed && !r.rows.is_empty() && r.is_clean())
        }) && !self.run.pending().get()
    }
}

/// The page.
#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = i18n_lang();
    let s = ImportState::new();
    let (format, datum, error) = (s.format, s.datum, s.error);
    view! {
        <h1>{tr(lang, Msg::ImportTitle)}</h1>
        <section class="import-form">
            <div class="field">
                <label for="import-file">{tr(lang, Msg::ChooseFile)}</label>
                <input id="import-file" type="file"
                    accept=".csv,.geojson,.json,text/csv,application/geo+json,application/json"
                    on:change=move |ev| s.choose_file(&ev)/>
            </div>
            <div class="field inline">
                <label for="import-format">{tr(lang, Msg::Format)}</label>
                <select id="import-format" prop:value=move || format.get().as_str() on:change=move |ev| {
                    format.set(if event_target_value(&ev) == "geojson" { ImportFormat::GeoJson } else { ImportFormat::Csv });
                    s.changed();
                }>
                    <option value="csv" selected=move || format.get() == ImportFormat::Csv>"CSV"</option>
                    <option value="geojson" selected=move || format.get() == ImportFormat::GeoJson>"GeoJSON"</option>
                </select>
            </div>
            <div class="field inline">
                <label for="import-datum">{tr(lang, Msg::Datum)}</label>
                <select id="import-datum" prop:value=move || datum.get().as_str() on:change=move |ev| {
                    if let Some(d) = Datum::parse(&event_target_value(&ev)) {
                        datum.set(d);
                    }
                    s.changed();
                }>
                    {datum_options(datum)}
                </select>
            </div>
            <div class="actions">
                <button type="button" class="secondary" disabled=move || s.run.pending().get()
                    on:click=move |_| s.start(false)>
                    {tr(lang, Msg::Preview)}
                </button>
                <button type="button" class="primary" disabled=move || !s.can_commit()
                    on:click=move |_| s.start(true)>
                    {tr(lang, Msg::Import)}
                </button>
            </div>
            {move || s.local_problem.get().map(|m| view! { <p class="error" role="alert">{tr(lang, m)}</p> })}
            <ErrorNote error=error/>
            <FieldList error=error/>
        </section>
        {move || s.report.get().map(|r| report_view(lang.get(), &r))}
        {export_links()}
    }
}

/// The preview or import report: a summary line and a row a station.
fn report_view(l: Lang, r: &ImportReport) -> impl IntoView {
    let bad = r.rows.iter().filter(|row| !row.errors.is_empty()).count();
    let summary = if r.committed {
        imported(l, r.creates + r.updates)
    } else {
        preview_summary(l, r.creates, r.updates, bad)
    };
    view! {
        <p class=if r.committed { "ok" } else { "summary" } role="status">{summary}</p>
        {(bad > 0).then(|| view! { <p class="error">{Msg::FixRowsFirst.text(l)}</p> })}
        <table class="data">
            <thead>
                <tr>
                    <th scope="col">{Msg::ColLine.text(l)}</th>
                    <th scope="col">{Msg::ColId.text(l)}</th>
                    <th scope="col">{Msg::ColName.text(l)}</th>
                    <th scope="col">{Msg::ColResult.text(l)}</th>
                </tr>
            </thead>
            <tbody>
                {r.rows.iter().map(|row| view! {
                    <tr class:bad=!row.errors.is_empty()>
                        <td>{row.line}</td>
                        <td>{row.id.clone()}</td>
                        <td>{row.name.clone()}</td>
                        <td>{row_result(l, row)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// The export links and the CSV's columns.
fn export_links() -> impl IntoView {
    let lang = i18n_lang();
    view! {
        <section class="export" aria-labelledby="export-title">
            <h2 id="export-title">{tr(lang, Msg::ExportTitle)}</h2>
            <p class="actions">
                <a class="button secondary" href=EXPORT_CSV_URL download="stations.csv">
                    {tr(lang, Msg::ExportCsv)}
                </a>
                <a class="button secondary" href=EXPORT_GEOJSON_URL download="stations.geojson">
                    {tr(lang, Msg::ExportGeojson)}
                </a>
            </p>
            <p>{tr(lang, Msg::CsvColumns)}<code>{CSV_COLUMNS}</code></p>
            <p class="muted">{tr(lang, Msg::CsvColumnsNote)}</p>
        </section>
    }
}
