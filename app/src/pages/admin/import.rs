use commerce::base::Permission;
use commerce::files::{ImportJob, PRODUCT_COLUMNS, STOCK_COLUMNS};
use leptos::prelude::*;
use uuid::Uuid;

use super::AdminPage;
use crate::AppError;
#[cfg(feature = "hydrate")]
use crate::api::load_import;
use crate::api::{CancelImport, StartImport};
use crate::components::{DataTable, FieldError, FormAlert, Needs, PageHeader};

/// `/admin/products/import`: CSV files of products or stock levels, previewed or imported in the
/// background with a progress bar; a file with any bad row is refused whole, with each problem
/// named by line and column. Exports of both are a link away.
#[component]
pub fn ImportPage() -> impl IntoView {
    view! {
        <AdminPage title="Import and export" needs=Needs::Permission(Permission::ViewCatalog) let:actor>
            {
                let (stock, manage) = (actor.can(Permission::ViewInventory), actor.can(Permission::ManageCatalog));
                view! {
            <PageHeader title="Import and export" subtitle="Bring products and stock in from a spreadsheet, or take them out.">
                <a class="btn btn-secondary" href="/admin/export/products.csv" download>"Export products"</a>
                {stock.then(|| view! {
                    <a class="btn btn-secondary" href="/admin/export/stock.csv" download>"Export stock"</a>
                })}
            </PageHeader>
            {manage.then(|| view! { <ImportPanel /> })}
                }
            }
        </AdminPage>
    }
}

#[component]
fn ImportPanel() -> impl IntoView {
    let kind = RwSignal::new("products".to_owned());
    let file_text = RwSignal::new(None::<String>);
    let file_error = RwSignal::new(None::<AppError>);
    let start = ServerAction::<StartImport>::new();
    let cancel = ServerAction::<CancelImport>::new();
    let job_id = Signal::derive(move || start.value().get().and_then(Result::ok));
    let error = Signal::derive(move || file_error.get().or_else(|| start.value().get().and_then(Result::err)));
    let job = RwSignal::new(None::<ImportJob>);
    poll_job(job_id, job);
    let submit = move |dry_run: bool| {
        file_error.set(None);
        job.set(None);
        match file_text.get_untracked() {
            Some(text) => {
                start.dispatch(StartImport { kind: kind.get_untracked(), text, dry_run });
            }
            None => file_error.set(Some(AppError::Domain(commerce::Error::invalid("file", "choose a CSV file first")))),
        }
    };
    let running = move || job.get().is_some_and(|j| j.status == "running" || j.status == "cancelling");
    view! {
        <section class="card">
            <div class="grid gap-4 md:grid-cols-[12rem_1fr]">
                <div class="field">
                    <label class="label" for="kind">"The file holds"</label>
                    <select class="input" id="kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="products">"Products"</option>
                        <option value="stock">"Stock levels"</option>
                    </select>
                </div>
                <div class="field">
                    <label class="label" for="file">"CSV file"</label>
                    <input class="input" id="file" type="file" accept=".csv,text/csv" on:change=move |ev| read_file(ev, file_text, file_error) />
                    <FieldError error field="file" />
                </div>
            </div>
            <p class="mt-3 text-xs text-slate-500">
                <a class="mr-1 font-semibold text-brand-700" href=move || format!("/admin/export/{}-template.csv", kind.get()) download>
                    "Download a template"
                </a>
                {move || if kind.get() == "products" {
                    format!("Columns: {}. One row a variant; rows with the same name make one product. A SKU already in use updates its product; a column the file leaves out leaves that field as it is.", PRODUCT_COLUMNS.join(", "))
                } else {
                    format!("Columns: {}. Each row sets what is on hand at a location.", STOCK_COLUMNS.join(", "))
                }}
            </p>
            <FormAlert error beside=&["file"] />
            <div class="mt-4 flex flex-wrap gap-2">
                <button type="button" class="btn btn-secondary" disabled=running on:click=move |_| submit(true)>"Preview"</button>
                <button type="button" class="btn btn-primary" disabled=running on:click=move |_| submit(false)>"Import"</button>
                <Show when=running>
                    <button type="button" class="btn btn-secondary" on:click=move |_| {
                        if let Some(id) = job_id.get_untracked() { cancel.dispatch(CancelImport { id }); }
                    }>"Cancel"</button>
                </Show>
            </div>
        </section>
        {move || job.get().map(|job| view! { <JobReport job /> })}
    }
}

/// Reads the chosen file's text into `into` (in the browser; nothing is sent yet).
fn read_file(ev: leptos::ev::Event, into: RwSignal<Option<String>>, error: RwSignal<Option<AppError>>) {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let file = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.get(0));
        let Some(file) = file else {
            into.set(None);
            return;
        };
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()) {
                Some(text) => into.set(Some(text)),
                None => error.set(Some(AppError::Domain(commerce::Error::invalid(
                    "file",
                    "this file could not be read as text",
                )))),
            }
        });
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (ev, into, error);
    }
}

/// Follows the job while it runs: its state every half second, until it finishes.
fn poll_job(job_id: Signal<Option<Uuid>>, job: RwSignal<Option<ImportJob>>) {
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(id) = job_id.get() {
            poll(id, job);
        }
    });
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (job_id, job);
    }
}

#[cfg(feature = "hydrate")]
fn poll(id: Uuid, job: RwSignal<Option<ImportJob>>) {
    leptos::task::spawn_local(async move {
        if let Ok(state) = load_import(id).await {
            let running = state.status == "running" || state.status == "cancelling";
            job.set(Some(state));
            if !running {
                return;
            }
        }
        set_timeout(move || poll(id, job), std::time::Duration::from_millis(500));
    });
}

#[component]
fn JobReport(job: ImportJob) -> impl IntoView {
    let total = job.total_rows.max(1);
    let failed = matches!(job.status.as_str(), "failed" | "cancelled" | "cancelling")
        || job.report.as_ref().is_some_and(|r| !r.errors.is_empty());
    // A product file's rows are variants, and what it creates are products.
    let ((row, rows), (thing, things)) = if job.kind == "products" {
        (("row (variant)", "rows (variants)"), ("product", "products"))
    } else {
        (("row", "rows"), ("stock level", "stock levels"))
    };
    let title = match (job.status.as_str(), job.dry_run) {
        ("running", _) => format!("Working through {} rows…", job.total_rows),
        ("cancelling", _) => "Stopping…".to_owned(),
        ("cancelled", _) => "Cancelled: nothing was imported.".to_owned(),
        ("failed", _) => "The import failed: nothing was imported.".to_owned(),
        (_, _) if job.report.as_ref().is_some_and(|r| !r.errors.is_empty()) => {
            "The file has problems: nothing was imported. Correct them and try again.".to_owned()
        }
        (_, true) => "Preview: the file is good. Nothing has been imported yet.".to_owned(),
        (_, false) => "Imported.".to_owned(),
    };
    view! {
        <section class="card mt-6" data-testid="import-report">
            <h2 class="font-semibold text-slate-900" role="status">{title}</h2>
            <progress class=if failed { "progress-failed mt-3 w-full" } else { "mt-3 w-full" } max=total value=job.done_rows aria-label="Rows worked through"></progress>
            {job.report.map(|report| {
                let (create, update) = if job.dry_run { ("to create", "to update") } else { ("created", "updated") };
                let read = count(report.rows, row, rows);
                let counts = if failed {
                    format!("{read} read; nothing was imported.")
                } else {
                    format!("{read} read: {} {create}, {} {update}.", count(report.created, thing, things), report.updated)
                };
                view! {
                <p class="mt-3 text-sm text-slate-600" data-testid="import-counts">{counts}</p>
                {(!report.errors.is_empty()).then(|| view! {
                    <div class="mt-4">
                        <DataTable head=vec!["Line", "Column", "Problem"]>
                            {report.errors.into_iter().map(|e| view! {
                                <tr data-testid="import-error">
                                    <td class="num">{if e.line == 0 { String::new() } else { e.line.to_string() }}</td>
                                    <td class="font-mono text-xs">{e.column}</td>
                                    <td>{e.message}</td>
                                </tr>
                            }).collect_view()}
                        </DataTable>
                    </div>
                })}
            }})}
        </section>
    }
}

/// `n` and a noun, plural unless `n` is one: "1 product", "2 products".
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
