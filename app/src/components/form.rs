use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_router::hooks::use_query_map;

use crate::AppError;

/// Why the last submission through `action` was refused, if it was: the action's own result, or,
/// for a form the browser posted without the script (it comes back to its page with the refusal
/// in the address, see `error::plain_form_post`), the refusal the address carries. Once the
/// action has run here, its result is the one that counts.
pub fn failed<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    let query = use_query_map();
    Signal::derive(move || match action.value().get() {
        Some(result) => result.err(),
        None => query.with(|q| {
            (q.get_str("__path") == Some(S::PATH))
                .then(|| q.get_str("__err").map(ServerFnUrlError::<AppError>::decode_err))
                .flatten()
        }),
    })
}

/// What was typed into `field` of a form the browser posted without the script and that came
/// back refused: the server keeps the fields (never a password) in the address, as `__f.<field>`.
pub fn typed(field: &str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(&format!("__f.{field}")))
}

/// The message for `field` when the last submission was refused because of it (among others).
fn message_for(error: Option<AppError>, field: &str) -> Option<String> {
    match error? {
        AppError::Domain(error) => {
            error.field_problems().into_iter().find(|(f, _)| *f == field).map(|(_, message)| message.to_owned())
        }
        _ => None,
    }
}

/// A labelled input with its error beneath it.
#[component]
pub fn Field(
    /// What the label says.
    label: &'static str,
    /// The form field's name (and the input's id, unless `id` is given).
    name: &'static str,
    /// The input's id, when two forms on one page share a field name.
    #[prop(optional)]
    id: &'static str,
    /// The last submission's error.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// The input type.
    #[prop(default = "text")]
    kind: &'static str,
    /// The browser's autofill hint.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// A line of help under the label.
    #[prop(optional)]
    hint: &'static str,
    /// The value to start with.
    #[prop(optional, into)]
    value: String,
) -> impl IntoView {
    let message = move || message_for(error.get(), name);
    let value = typed(name).unwrap_or(value);
    let id = if id.is_empty() { name } else { id };
    let error_id = format!("{id}-error");
    view! {
        <div class="field">
            <label class="label" for=id>{label}</label>
            {(!hint.is_empty()).then(|| view! { <p class="field-hint">{hint}</p> })}
            <input
                class="input"
                id=id
                name=name
                type=kind
                autocomplete=autocomplete
                value=value
                aria-invalid=move || message().is_some().to_string()
                aria-describedby=error_id.clone()
            />
            <p class="field-error" id=error_id role="alert">{message}</p>
        </div>
    }
}

/// The message under a control that is not a plain [`Field`] (a select, a table cell), when the
/// last submission was refused because of `field`.
#[component]
pub fn FieldError(
    /// The last submission's error.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// The field as the domain names it.
    #[prop(into)]
    field: String,
) -> impl IntoView {
    view! { <p class="field-error" role="alert">{move || message_for(error.get(), &field)}</p> }
}

/// The refusal of the last submission when it is about the whole form, not one field.
#[component]
pub fn FormAlert(#[prop(into)] error: Signal<Option<AppError>>) -> impl IntoView {
    let text = move || match error.get()? {
        AppError::Domain(commerce::Error::Invalid { .. }) => None,
        AppError::Domain(commerce::Error::InvalidFields(problems)) => {
            Some(format!("{} fields need mending; each says what is wrong beside it.", problems.len()))
        }
        other => Some(other.to_string()),
    };
    view! {
        <Show when=move || text().is_some()>
            <div class="form-alert" role="alert">{text}</div>
        </Show>
    }
}

/// A form's one-time key, sent as `submission`: a second press of the same form (a double click,
/// a browser sending again) carries the same key, and the server answers the first press's result
/// without doing the work again. The key is renewed whenever `renew` changes (give it the form's
/// `action.version()`), so what is typed next is new work.
#[component]
pub fn SubmissionKey(#[prop(into)] renew: Signal<usize>) -> impl IntoView {
    let key = Memo::new(move |_| {
        renew.track();
        uuid::Uuid::now_v7().to_string()
    });
    view! { <input type="hidden" name="submission" value=key /> }
}

/// Empties `form` each time its action succeeds, so that what was sent cannot be sent again by
/// mistake and the next entry starts clean. Its text boxes are emptied, not only reset: a form
/// opened filled in (a reorder, a refused form sent back) would otherwise be reset to that.
pub fn clear_after_success<T, E>(form: NodeRef<leptos::html::Form>, result: Signal<Option<Result<T, E>>>)
where
    T: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    use leptos::wasm_bindgen::JsCast;
    Effect::new(move || {
        if result.with(|r| matches!(r, Some(Ok(_))))
            && let Some(form) = form.get_untracked()
        {
            form.reset();
            let Ok(boxes) = form.query_selector_all("textarea, input[type=text], input:not([type])") else { return };
            for i in 0..boxes.length() {
                let Some(node) = boxes.item(i) else { continue };
                if let Some(text) = node.dyn_ref::<web_sys::HtmlTextAreaElement>() {
                    text.set_value("");
                } else if let Some(input) = node.dyn_ref::<web_sys::HtmlInputElement>() {
                    input.set_value("");
                }
            }
        }
    });
}
