use commerce::base::Permission;
use commerce::catalog::Category;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::AdminPage;
use crate::api::{AddCategory, DeleteCategory, EditCategory, load_categories};
use crate::components::{
    DataTable, EmptyState, Field, FieldError, FormAlert, Loaded, Needs, PageHeader, SubmissionKey, clear_after_success,
    failed, one_time_key, sent, successes,
};

/// `/admin/categories`: the category tree; add, rename, move and remove categories.
#[component]
pub fn CategoriesPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let add = ServerAction::<AddCategory>::new();
    let edit = ServerAction::<EditCategory>::new();
    let remove = ServerAction::<DeleteCategory>::new();
    let (added, edited, removed) = (successes(add), successes(edit), successes(remove));
    let categories = Resource::new(move || (added.get(), edited.get(), removed.get()), |_| load_categories());
    view! {
        <AdminPage title="Categories" needs=Needs::Permission(Permission::ViewCatalog) let:actor>
            {
                let manage = actor.can(Permission::ManageCatalog);
                let error = failed(add);
                let (edit_failed, remove_failed) = (failed(edit), failed(remove));
                let row_error = Signal::derive(move || edit_failed.get().or_else(|| remove_failed.get()));
                let add_form = NodeRef::<leptos::html::Form>::new();
                clear_after_success(add_form, add.value().into());
                view! {
                    <PageHeader title="Categories" subtitle="How products are grouped, in the back office and on the storefront.">
                        <a class="btn btn-secondary" href="/admin/products">"Products"</a>
                    </PageHeader>
                    <Loaded resource=categories let:tree>
                        {let for_form = tree.clone(); manage.then(move || view! {
                            <section class="card mb-6">
                                <h2 class="font-semibold text-slate-900">"Add a category"</h2>
                                <ActionForm action=add node_ref=add_form attr:class="mt-4 grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start">
                                    <SubmissionKey renew=add.version() />
                                    <Field label="Name" name="name" error />
                                    <ParentSelect id="parent" tree=for_form current=None error />
                                    <button type="submit" class="btn btn-primary sm:mt-6">"Add"</button>
                                </ActionForm>
                                <FormAlert error beside=&["name", "parent"] />
                            </section>
                        })}
                        <FormAlert error=row_error />
                        <CategoryTable tree manage edit remove />
                    </Loaded>
                }
            }
        </AdminPage>
    }
}

#[component]
fn ParentSelect(
    #[prop(into)] id: String,
    tree: Vec<Category>,
    current: Option<Category>,
    error: Signal<Option<crate::AppError>>,
) -> impl IntoView {
    // A new category's form sent back refused keeps the parent chosen.
    let chosen = match &current {
        Some(category) => category.parent.map(|p| p.0.to_string()).unwrap_or_default(),
        None => sent::<AddCategory>("parent").unwrap_or_default(),
    };
    let own = current.as_ref().map(|c| c.id);
    view! {
        <div class="field">
            <label class="label" for=id.clone()>"Under"</label>
            <select class="input" id=id name="parent">
                <option value="">"Top level"</option>
                {tree.into_iter().filter(|c| Some(c.id) != own).map(|c| {
                    let value = c.id.0.to_string();
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{c.path}</option> }
                }).collect_view()}
            </select>
            <FieldError error field="parent" />
        </div>
    }
}

#[component]
fn CategoryTable(
    tree: Vec<Category>,
    manage: bool,
    edit: ServerAction<EditCategory>,
    remove: ServerAction<DeleteCategory>,
) -> impl IntoView {
    if tree.is_empty() {
        return view! { <EmptyState title="No categories yet" message="Add categories to group your products." /> }
            .into_any();
    }
    let no_error = Signal::derive(|| None);
    let all = tree.clone();
    view! {
        <DataTable head=if manage { vec!["Category", "Products", "Rename or move"] } else { vec!["Category", "Products"] }>
            {tree.into_iter().map(|c| {
                // Indentation by class, not a style attribute: the page's security policy allows no inline styles.
                let indent = ["pl-4", "pl-9", "pl-14", "pl-20"][usize::try_from(c.depth).unwrap_or(0).min(3)];
                let id = c.id.0;
                let all = all.clone();
                let remove_key = one_time_key(remove.version().into());
                view! {
                    <tr data-testid="category">
                        <td class=indent><span class="font-medium">{c.name.clone()}</span></td>
                        <td class="num">{c.products}</td>
                        {manage.then(move || {
                            let name_id = format!("name-{id}");
                            let parent_id = format!("parent-{id}");
                            view! {
                                <td>
                                    <ActionForm action=edit attr:class="flex flex-wrap items-end gap-2">
                                        <SubmissionKey renew=edit.version() />
                                        <input type="hidden" name="id" value=id.to_string() />
                                        <label class="sr-only" for=name_id.clone()>"Name"</label>
                                        <input class="input input-sm w-40" id=name_id name="name" value=c.name.clone() />
                                        <div class="w-48"><ParentSelect id=parent_id tree=all current=Some(c.clone()) error=no_error /></div>
                                        <button type="submit" class="btn btn-secondary btn-sm">"Save"</button>
                                        // Without the script, the row's form goes to the removal instead.
                                        <button
                                            type="submit"
                                            class="btn btn-secondary btn-sm"
                                            formaction=DeleteCategory::url()
                                            on:click=move |ev| {
                                                ev.prevent_default();
                                                remove.dispatch(DeleteCategory { id, submission: remove_key.get_untracked() });
                                            }
                                        >
                                            "Remove"
                                        </button>
                                    </ActionForm>
                                </td>
                            }
                        })}
                    </tr>
                }
            }).collect_view()}
        </DataTable>
    }
    .into_any()
}
