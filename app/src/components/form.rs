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
/// An address may also open a one-form page filled in this way (a reorder opens a receipt).
/// Where a page has several forms, [`sent`] says which form's fields these are.
pub fn typed(field: &str) -> Option<String> {
    use_query_map().with_untracked(|q| q.get(&format!("__f.{field}")))
}

/// What was typed into `field` of the form whose server function is `S`, when that form came
/// back refused (see [`typed`]); nothing when another form of the page did.
pub fn sent<S: ServerFn>(field: &str) -> Option<String> {
    sent_back::<S>().then(|| typed(field)).flatten()
}

/// Whether the page was opened by the refusal of the form whose server function is `S`.
fn sent_back<S: ServerFn>() -> bool {
    use_query_map().with_untracked(|q| q.get_str("__path") == Some(S::PATH))
}

/// Whether a checkbox of the form whose server function is `S` is ticked: as it was sent, when
/// the form came back refused (an unticked box sends nothing, so its absence is the answer),
/// else as `saved`.
pub fn ticked<S: ServerFn>(field: &str, saved: bool) -> bool {
    if sent_back::<S>() { typed(field).is_some() } else { saved }
}

/// How many times `action` has succeeded: what a page's data reloads on. A refusal reloads
/// nothing, so the form it refused, drawn from that data, keeps what was typed in it.
pub fn successes<S>(action: ServerAction<S>) -> Memo<usize>
where
    S: ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Memo::new(move |before: Option<&usize>| {
        let version = action.version().get();
        if action.value().with(|v| matches!(v, Some(Ok(_)))) { version } else { before.copied().unwrap_or(0) }
    })
}

/// The message for `field` when the last submission was refused because of it (among others);
/// several problems with one field (the lines of a receipt) are said together.
fn message_for(error: Option<AppError>, field: &str) -> Option<String> {
    match error? {
        AppError::Domain(error) => {
            let messages: Vec<&str> =
                error.field_problems().into_iter().filter(|(f, _)| *f == field).map(|(_, m)| m).collect();
            (!messages.is_empty()).then(|| messages.join("; "))
        }
        _ => None,
    }
}

/// Whether a control of the form shows problems with `problem`: `beside` lists the fields its
/// controls show (as [`Field`] and [`FieldError`] name them), `name[]` standing for every item
/// of a list (`name[0]`, `name[1].price`) but not for `name` itself.
fn shown_beside(problem: &str, beside: &[&str]) -> bool {
    beside.iter().any(|shown| match shown.strip_suffix("[]") {
        Some(list) => problem.strip_prefix(list).is_some_and(|rest| rest.starts_with('[')),
        None => problem == *shown,
    })
}

/// What [`FormAlert`] says of `error`, given the fields shown `beside` the form's controls.
fn alert_text(error: &AppError, beside: &[&str]) -> Option<String> {
    let AppError::Domain(error @ (commerce::Error::Invalid { .. } | commerce::Error::InvalidFields(_))) = error else {
        return Some(error.to_string());
    };
    let problems = error.field_problems();
    let unseen: Vec<&str> =
        problems.iter().filter(|(field, _)| !shown_beside(field, beside)).map(|(_, message)| *message).collect();
    match (unseen.is_empty(), problems.len() - unseen.len()) {
        (true, 0 | 1) => None,
        (true, marked) => Some(format!("{marked} fields need mending; each says what is wrong beside it.")),
        (false, 0) => Some(unseen.join("; ")),
        (false, 1) => Some(format!("{}. One more field says what is wrong beside it.", unseen.join("; "))),
        (false, marked) => Some(format!("{}. {marked} more fields say what is wrong beside them.", unseen.join("; "))),
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
    /// The field its problems are named by, when not `name` (`address.line`).
    #[prop(optional)]
    reports: &'static str,
) -> impl IntoView {
    let reported = if reports.is_empty() { name } else { reports };
    let message = move || message_for(error.get(), reported);
    // Filled in again only when this field's own form came back refused: another form of the
    // page may have a field of the same name.
    let value = if error.with_untracked(Option::is_some) { typed(name).unwrap_or(value) } else { value };
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

/// The refusal of the last submission when it is about the whole form, or about a field that
/// no control of the form shows. `beside` lists the fields its controls show (see
/// [`shown_beside`]); any other field's problem is said here, so that no refusal goes unseen.
#[component]
pub fn FormAlert(
    #[prop(into)] error: Signal<Option<AppError>>,
    /// The fields whose problems are shown beside the form's controls.
    #[prop(optional)]
    beside: &'static [&'static str],
) -> impl IntoView {
    let text = move || error.with(|error| error.as_ref().and_then(|error| alert_text(error, beside)));
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
    view! { <input type="hidden" name="submission" value=one_time_key(renew) /> }
}

/// A one-time key for what a button sends without a form (`dispatch`), renewed each time
/// `renew` (the action's version) moves: a double press sends one key twice, and the server
/// answers the second with the first's result.
pub fn one_time_key(renew: Signal<usize>) -> Memo<String> {
    Memo::new(move |_| {
        renew.track();
        uuid::Uuid::now_v7().to_string()
    })
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

#[cfg(test)]
mod tests {
    use super::{alert_text, shown_beside};
    use crate::AppError;

    fn refused(problems: &[(&str, &str)]) -> AppError {
        let problems = problems.iter().map(|(f, m)| ((*f).to_owned(), (*m).to_owned())).collect();
        AppError::Domain(commerce::Error::invalid_all(problems).unwrap_err())
    }

    #[test]
    fn a_refusal_no_control_shows_is_said_above_the_form() {
        assert!(shown_beside("counts[3]", &["counts[]"]) && !shown_beside("counts", &["counts[]"]));
        assert!(shown_beside("name", &["name"]) && !shown_beside("name.first", &["name"]));
        let slug = refused(&[("slug", "this address was taken meanwhile")]);
        assert_eq!(alert_text(&slug, &[]).as_deref(), Some("this address was taken meanwhile"));
        assert_eq!(alert_text(&slug, &["slug"]), None, "said beside its field, not twice");
        let two = refused(&[("name", "give it a name"), ("vat_rate", "enter a percentage")]);
        assert_eq!(
            alert_text(&two, &["name", "vat_rate"]).as_deref(),
            Some("2 fields need mending; each says what is wrong beside it.")
        );
        assert_eq!(
            alert_text(&two, &["name"]).as_deref(),
            Some("enter a percentage. One more field says what is wrong beside it.")
        );
        let conflict = AppError::Domain(commerce::Error::conflict(commerce::Clash::WrongState, "voided already"));
        assert_eq!(alert_text(&conflict, &["name"]).as_deref(), Some("voided already"));
    }
}

/// An address in Nigeria: the street line, the town, the state and its local government area
/// (a list grouped by state; the storefront's script narrows it to the state chosen), each with
/// its problem beside it (`address.line`, …). Starts from `start`, or from what was sent when
/// the form came back refused (`state` and `lga` are the caller's to work out).
#[component]
pub fn AddressFields(
    /// The last submission's error.
    #[prop(into)]
    error: Signal<Option<AppError>>,
    /// The address to start with.
    start: commerce::orders::Address,
    /// The label of the street line.
    #[prop(default = "Address (house number, street, landmark)")]
    line_label: &'static str,
) -> impl IntoView {
    use commerce::orders::{STATES, address::lgas};
    let state = if error.with_untracked(Option::is_some) { typed("state").unwrap_or(start.state) } else { start.state };
    let state = if state.is_empty() { "Lagos".to_owned() } else { state };
    let lga = if error.with_untracked(Option::is_some) { typed("lga").unwrap_or(start.lga) } else { start.lga };
    view! {
        <Field label=line_label name="line" reports="address.line" autocomplete="street-address" value=start.line error />
        <Field label="Town or area" name="city" reports="address.city" autocomplete="address-level2" value=start.city error />
        <div class="field">
            <label class="label" for="state">"State"</label>
            <select class="input" id="state" name="state" autocomplete="address-level1" data-narrows="lga">
                {STATES.iter().map(|s| view! { <option value=*s selected=state == *s>{*s}</option> }).collect_view()}
            </select>
            <FieldError error field="address.state" />
        </div>
        <div class="field">
            <label class="label" for="lga">"Local government area (optional)"</label>
            <select class="input" id="lga" name="lga">
                <option value="" selected=lga.is_empty()>"Not sure"</option>
                {STATES.iter().map(|s| {
                    let here = state == *s;
                    view! {
                        <optgroup label=*s>
                            {lgas(s).iter().map(|area| view! { <option value=*area selected=here && lga == *area>{*area}</option> }).collect_view()}
                        </optgroup>
                    }
                }).collect_view()}
            </select>
            <FieldError error field="address.lga" />
        </div>
    }
}
