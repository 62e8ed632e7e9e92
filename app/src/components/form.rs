use leptos::prelude::*;

use crate::AppError;

/// The message for `field` when the last submission was refused because of it.
fn message_for(error: Option<AppError>, field: &str) -> Option<String> {
    match error? {
        AppError::Domain(commerce::Error::Invalid { field: f, message }) if f == field => Some(message),
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
        other => Some(other.to_string()),
    };
    view! {
        <Show when=move || text().is_some()>
            <div class="form-alert" role="alert">{text}</div>
        </Show>
    }
}
