//! `/admin/services`: a union's services card (帮帮卡). Its admins list what the union offers
//! workers (legal aid, health checks, mutual-aid insurance, ...), each with a phone number or a
//! link. Riders see the card on every station page of the union and of the unions below it,
//! after the 12351 hotline and the items of the unions above (shown here, read-only).

use leptos::prelude::*;
use yizhan_core::{InheritedServices, ServiceItem, ServicesDraft};

use crate::shared::text_field::TextField;
use crate::staff::api::{self, use_client};
use crate::staff::fields::{clear, ErrorNote, Problems};
use crate::staff::i18n::{i18n_lang, problem, tr, Lang, Msg};

use super::union_picker::{own_union, UnionPicker};

/// One service being edited.
#[derive(Clone, Copy)]
struct Row {
    /// Stays with the row while rows above it come and go.
    key: u32,
    title: RwSignal<String>,
    line: RwSignal<String>,
    contact: RwSignal<String>,
}

/// The union's own items as edited: rows that can be added and removed, and the draft they make.
#[derive(Clone, Copy)]
struct CardForm {
    rows: RwSignal<Vec<Row>>,
    next: StoredValue<u32>,
}

impl CardForm {
    fn new(items: &[ServiceItem]) -> CardForm {
        let form = CardForm {
            rows: RwSignal::new(Vec::new()),
            next: StoredValue::new(0),
        };
        form.fill(items);
        form
    }

    fn row(self, item: &ServiceItem) -> Row {
        let key = self.next.get_value();
        self.next.set_value(key + 1);
        Row {
            key,
            title: RwSignal::new(item.title.clone()),
            line: RwSignal::new(item.line.clone()),
            contact: RwSignal::new(item.contact.clone()),
        }
    }

    /// Shows `items` (as saved).
    fn fill(self, items: &[ServiceItem]) {
        let rows = items.iter().map(|i| self.row(i)).collect();
        self.rows.set(rows);
    }

    fn add(self) {
        let empty = ServiceItem {
            title: String::new(),
            line: String::new(),
            contact: String::new(),
        };
        let row = self.row(&empty);
        self.rows.update(|r| r.push(row));
    }

    fn remove(self, key: u32) {
        self.rows.update(|r| r.retain(|row| row.key != key));
    }

    fn draft(self) -> ServicesDraft {
        ServicesDraft {
            services: self.rows.with_untracked(|rows| {
                rows.iter()
                    .map(|r| ServiceItem {
                        title: r.title.get_untracked(),
                        line: r.line.get_untracked(),
                        contact: r.contact.get_untracked(),
                    })
                    .collect()
            }),
        }
    }
}

/// The page: which union, what it inherits, and its own items.
#[component]
pub fn ServicesPage() -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let union = own_union();
    let card = LocalResource::new(move || {
        let u = union.get();
        async move { client.union_services(&u).await }
    });
    view! {
        <h1>{tr(lang, Msg::ServicesTitle)}</h1>
        <p class="muted">{tr(lang, Msg::ServicesIntro)}</p>
        <UnionPicker id="services-union" union=union/>
        <p class="hint">{tr(lang, Msg::ServicesHotline)}</p>
        {move || match card.get() {
            None => view! { <p role="status">{tr(lang, Msg::Loading)}</p> }.into_any(),
            Some(Err(e)) => {
                let error = RwSignal::new(Some(e));
                view! { <ErrorNote error=error/> }.into_any()
            }
            Some(Ok(c)) => view! {
                <Inherited from=c.inherited/>
                <CardEditor union=union.get_untracked() items=c.services/>
            }.into_any(),
        }}
    }
}

/// What the unions above offer, read-only.
#[component]
fn Inherited(from: Vec<InheritedServices>) -> impl IntoView {
    let lang = i18n_lang();
    (!from.is_empty()).then(|| {
        view! {
            <section aria-labelledby="services-inherited">
                <h2 id="services-inherited">{tr(lang, Msg::ServicesInherited)}</h2>
                <ul class="services-inherited">
                    {from.into_iter().flat_map(|u| {
                        let name = u.name;
                        u.services.into_iter().map(move |s| view! {
                            <li><strong>{s.title}</strong>" "{s.line}" "{s.contact}
                                " "<span class="muted">"("{name.clone()}")"</span></li>
                        })
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}

/// The union's own items: rows to edit, add and remove, saved together.
#[component]
fn CardEditor(union: String, items: Vec<ServiceItem>) -> impl IntoView {
    let lang = i18n_lang();
    let client = use_client();
    let form = CardForm::new(&items);
    let problems = RwSignal::new(Problems::new());
    let error = RwSignal::new(None::<api::Error>);
    let saved = RwSignal::new(false);
    let union = StoredValue::new(union);
    let save = Action::new_local(move |draft: &ServicesDraft| {
        let draft = draft.clone();
        async move {
            let id = union.get_value();
            match client.set_union_services(&id, &draft).await {
                Ok(card) => {
                    form.fill(&card.services);
                    saved.set(true);
                }
                Err(e) => {
                    problems.set(e.fields());
                    error.set(Some(e));
                }
            }
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        saved.set(false);
        let draft = form.draft();
        match draft.validate() {
            Ok(_) => {
                problems.set(Problems::new());
                save.dispatch(draft);
            }
            Err(found) => problems.set(found),
        }
    };
    let rows = move || form.rows.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        <section aria-labelledby="services-own">
            <h2 id="services-own">{tr(lang, Msg::ServicesOwn)}</h2>
            <form on:submit=submit novalidate>
                <For each=rows key=|(i, row)| (*i, row.key) let:((index, row))>
                    <ServiceFields index=index row=row problems=problems
                        remove=Callback::new(move |()| {
                            problems.set(Problems::new());
                            form.remove(row.key);
                        })/>
                </For>
                {move || problems.with(|p| p.get("services").map(|&code| view! {
                    <p class="field-error" role="alert">{problem(lang.get(), "services", code)}</p>
                }))}
                <div class="actions">
                    <button type="button" on:click=move |_| form.add()>{tr(lang, Msg::ServiceAdd)}</button>
                    <button type="submit" class="primary" disabled=move || save.pending().get()>
                        {tr(lang, Msg::ServicesSave)}
                    </button>
                </div>
                <Show when=move || saved.get()>
                    <p class="ok" role="status">{tr(lang, Msg::ServicesSaved)}</p>
                </Show>
                <ErrorNote error=error/>
            </form>
        </section>
    }
}

/// "第 2 项" / "Service 2".
fn ordinal(lang: Lang, index: usize) -> String {
    match lang {
        Lang::Zh => format!("第 {} 项", index + 1),
        Lang::En => format!("Service {}", index + 1),
    }
}

/// One service's fields, grouped under its number, with a button that removes it.
#[component]
fn ServiceFields(
    index: usize,
    row: Row,
    problems: RwSignal<Problems>,
    remove: Callback<()>,
) -> impl IntoView {
    let lang = i18n_lang();
    let field = move |name: &str| format!("services.{index}.{name}");
    // One closure type for every label and hint (the field takes one type for both).
    let words = move |m: Msg| move || m.text(lang.get());
    let one = move |name: &'static str, label: Msg, value: RwSignal<String>, max: usize| {
        let key = field(name);
        let id = format!("service-{index}-{name}");
        let error_id = format!("{id}-error");
        let problem_key = key.clone();
        let invalid_key = key.clone();
        view! {
            <TextField id=id label=words(label)
                hint=(name == "contact").then(|| words(Msg::ServiceContactHint))
                value=move || value.get()
                on_input=move |v: String| {
                    value.set(v);
                    clear(problems, &key);
                }
                invalid=move || problems.with(|p| p.contains_key(&invalid_key))
                maxlength=Some(max)>
                {move || problems.with(|p| p.get(&problem_key).map(|&code| view! {
                    <p class="field-error" id=error_id.clone()>{problem(lang.get(), name, code)}</p>
                }))}
            </TextField>
        }
    };
    view! {
        <fieldset class="service">
            <legend>{move || ordinal(lang.get(), index)}</legend>
            {one("title", Msg::ServiceName, row.title, yizhan_core::services::TITLE_MAX_CHARS)}
            {one("line", Msg::ServiceLine, row.line, yizhan_core::services::LINE_MAX_CHARS)}
            {one("contact", Msg::ServiceContact, row.contact, yizhan_core::services::CONTACT_MAX_CHARS)}
            <button type="button" on:click=move |_| remove.run(())>
                {tr(lang, Msg::ServiceRemove)}
            </button>
        </fieldset>
    }
}
