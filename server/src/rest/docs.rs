//! The `OpenAPI` 3.1 document, generated from the handlers' annotations, and the page at
//! `/api/docs` that renders it (served by the app itself; nothing loads from elsewhere).

use std::fmt::Write;

use axum::Json;
use axum::extract::State;
use axum::response::Html;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{ClientCredentials, Flow, OAuth2, Scopes, SecurityScheme};
use utoipa::openapi::{Content, Ref};
use utoipa::openapi::{OpenApi as Document, RefOr};
use utoipa::{Modify, OpenApi};

use super::problem;

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "SC-1 Commerce Suite API",
        version = "1",
        description = "REST API of SC-1 Commerce Suite. Get a token from POST /api/v1/oauth/token with an API \
                       client's id and secret (created by the business's owner in the back office), then send it as \
                       `Authorization: Bearer <token>`. A client made by a marketplace vendor's owner in the vendor \
                       portal belongs to that vendor: with `products`, `inventory` and `marketplace` scopes it reaches \
                       the vendor's own products, stock at its own places, its orders, balance, ledger and payouts, \
                       and nothing of another vendor's (another's reads as 404) or of the marketplace's. Errors are RFC 9457 problem+json with a stable `type`. A conflict \
                       (409) also names what it clashes with in `code`, which ends its `type` \
                       (`/problems/conflict/insufficient_stock`): `insufficient_stock`, `version_mismatch` (a 412 \
                       when `If-Match` names an old `ETag`), `idempotency_in_progress`, `stock_history`, `not_empty`, \
                       `wrong_state`, `own_account`, `last_owner`, `count_out_of_range`. Lists \
                       take `limit`, `cursor` and `sort` (`-` for descending) and answer `{data, next_cursor}`. \
                       Creates accept an `Idempotency-Key` header: a retry with the same key and body gets the first \
                       answer; the same key with another body is a 422. Keys are kept for 24 hours."
    ),
    components(schemas(problem::Problem, problem::FieldError)),
    tags(
        (name = "auth", description = "Access tokens"),
        (name = "settings", description = "The business and its locations"),
        (name = "staff", description = "Members of staff"),
        (name = "audit", description = "The audit trail"),
        (name = "dashboard", description = "The business at a glance"),
        (name = "products", description = "The catalog: products and their variants"),
        (name = "inventory", description = "Stock levels, movements, transfers, reservations and sync"),
        (name = "orders", description = "Orders, their payments, and the customers who place them"),
        (name = "pos", description = "Tills: enrolment, their offline data, the sync of what they made, shifts"),
        (name = "marketplace", description = "The marketplace's vendors: their details, standing and review, their orders, balances, ledgers and payouts"),
    )
)]
pub struct ApiDoc;

/// Declares the OAuth 2.0 client-credentials scheme and its scopes.
struct BearerScopes;

impl Modify for BearerScopes {
    fn modify(&self, doc: &mut Document) {
        let scopes = commerce::base::ApiModule::ALL.into_iter().flat_map(|m| {
            [
                (format!("{}:read", m.code()), format!("read {}", m.code())),
                (format!("{}:write", m.code()), format!("read and change {}", m.code())),
            ]
        });
        let flow = Flow::ClientCredentials(ClientCredentials::new("/api/v1/oauth/token", scopes.collect::<Scopes>()));
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::OAuth2(OAuth2::new([flow])));
        let register = utoipa::openapi::security::HttpBuilder::new()
            .scheme(utoipa::openapi::security::HttpAuthScheme::Bearer)
            .description(Some("A till's own credential, given once when it enrols (POST /api/v1/pos/enrol)."))
            .build();
        components.add_security_scheme("register", SecurityScheme::Http(register));
    }
}

/// Adds the answers that the API's shared parts give, to every operation they serve, unless its
/// annotation already says more about them: the token check (401, 403), reading a body (400 when
/// it is not of the type the operation reads, 413 past the size limit, 422 when a field is
/// wrong), ids in the path (404 when not a UUID or not found), query parameters (422 naming the
/// parameter), an `Idempotency-Key` whose first request is still running (409), and the
/// database being out of reach (503).
struct CommonAnswers;

impl Modify for CommonAnswers {
    fn modify(&self, doc: &mut Document) {
        for item in doc.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                common_answers(operation);
            }
        }
    }
}

fn common_answers(operation: &mut Operation) {
    let secured = operation.security.as_ref().is_some_and(|s| !s.is_empty());
    let has_body = operation.request_body.is_some();
    let params = operation.parameters.as_deref().unwrap_or_default();
    let in_path = params.iter().any(|p| matches!(p.parameter_in, ParameterIn::Path));
    let in_query = params.iter().any(|p| matches!(p.parameter_in, ParameterIn::Query));
    let idempotent = params.iter().any(|p| p.name.eq_ignore_ascii_case(super::idempotent::HEADER));
    let mut answers: Vec<(&str, &str)> = Vec::new();
    if has_body {
        answers.push(("400", "The body is not of the type this operation reads, or cannot be read"));
    }
    if secured {
        answers.push(("401", "No valid token"));
        answers.push(("403", "The token lacks the scope this operation needs"));
    }
    if in_path {
        answers.push(("404", "No such record in this business (an id that is not a UUID included)"));
    }
    if idempotent {
        answers.push(("409", "The first request with this Idempotency-Key is still running"));
    }
    if has_body {
        answers.push(("413", "The body is larger than this operation accepts"));
    }
    if has_body || in_query {
        answers.push(("422", "A field or parameter is wrong; the problem's errors name it"));
    }
    answers.push(("503", "The database cannot be reached right now; try again shortly"));
    for (status, description) in answers {
        operation.responses.responses.entry(status.to_owned()).or_insert_with(|| {
            let body = Content::new(Some(Ref::from_schema_name("Problem")));
            ResponseBuilder::new().description(description).content("application/problem+json", body).build().into()
        });
    }
}

/// What the routes' annotations cannot say themselves: the token scheme and its scopes, and
/// the answers every operation shares.
pub fn complete(document: &mut Document) {
    BearerScopes.modify(document);
    CommonAnswers.modify(document);
}

/// `GET /api/v1/openapi.json`.
pub async fn openapi_json() -> Json<&'static Document> {
    Json(super::document())
}

/// `GET /api/docs`: every endpoint with its parameters, body, answers and scopes.
pub async fn page(State(state): State<crate::AppState>) -> Html<String> {
    let doc = super::document();
    let mut html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>API · SC-1</title><link rel=\"stylesheet\" href=\"{}\"></head>\
         <body class=\"bg-slate-50 text-slate-900\"><main class=\"mx-auto max-w-4xl px-4 py-10\">",
        escape(&state.site.assets.stylesheet())
    );
    let _ = write!(
        html,
        "<p class=\"eyebrow\">REST API</p><h1 class=\"page-title mt-2\">{}</h1><p class=\"mt-3 text-slate-600\">{}</p>\
         <p class=\"mt-3 text-sm\"><a class=\"font-semibold text-brand-700\" href=\"/api/v1/openapi.json\">OpenAPI 3.1 document</a></p>",
        escape(&doc.info.title),
        escape(doc.info.description.as_deref().unwrap_or_default())
    );
    for (path, item) in &doc.paths.paths {
        let operations = [
            ("GET", &item.get),
            ("POST", &item.post),
            ("PUT", &item.put),
            ("DELETE", &item.delete),
            ("PATCH", &item.patch),
        ];
        for (method, operation) in operations {
            if let Some(operation) = operation {
                endpoint(&mut html, method, path, operation);
            }
        }
    }
    html.push_str("</main></body></html>");
    Html(html)
}

fn endpoint(html: &mut String, method: &str, path: &str, op: &Operation) {
    let _ = write!(
        html,
        "<section class=\"card mt-6\" id=\"{}\"><h2 class=\"font-mono text-sm font-semibold\">\
         <span class=\"badge badge-neutral\">{method}</span> {}</h2>",
        escape(&format!("{method}-{path}")),
        escape(path)
    );
    if let Some(text) = op.description.as_deref().or(op.summary.as_deref()) {
        let _ = write!(html, "<p class=\"mt-2 text-sm text-slate-700\">{}</p>", escape(text));
    }
    let scopes: Vec<String> = op
        .security
        .iter()
        .flatten()
        .flat_map(|req| {
            serde_json::to_value(req).ok().and_then(|v| v.as_object().cloned()).into_iter().flat_map(|o| {
                o.into_iter()
                    .flat_map(|(_, v)| v.as_array().cloned().unwrap_or_default())
                    .filter_map(|s| s.as_str().map(str::to_owned))
            })
        })
        .collect();
    if !scopes.is_empty() {
        let _ = write!(html, "<p class=\"mt-2 text-xs text-slate-500\">Scope: {}</p>", escape(&scopes.join(", ")));
    }
    if let Some(params) = &op.parameters {
        html.push_str("<h3 class=\"mt-3 text-sm font-semibold\">Parameters</h3><ul class=\"mt-1 text-sm\">");
        for p in params {
            let _ = write!(
                html,
                "<li><code>{}</code> (in {}) — {}</li>",
                escape(&p.name),
                match p.parameter_in {
                    ParameterIn::Query => "query",
                    ParameterIn::Path => "path",
                    ParameterIn::Header => "header",
                    ParameterIn::Cookie => "cookie",
                },
                escape(p.description.as_deref().unwrap_or_default())
            );
        }
        html.push_str("</ul>");
    }
    if let Some(body) = &op.request_body {
        let kinds: Vec<String> = body
            .content
            .iter()
            .map(|(kind, content)| format!("{kind}: {}", schema_name(content.schema.as_ref())))
            .collect();
        let _ = write!(
            html,
            "<h3 class=\"mt-3 text-sm font-semibold\">Body</h3><p class=\"text-sm\">{}</p>",
            escape(&kinds.join("; "))
        );
    }
    html.push_str("<h3 class=\"mt-3 text-sm font-semibold\">Answers</h3><ul class=\"mt-1 text-sm\">");
    for (status, response) in &op.responses.responses {
        let text = match response {
            RefOr::T(r) => {
                let schema = r.content.values().next().map(|c| schema_name(c.schema.as_ref())).unwrap_or_default();
                format!("{} {}", r.description, if schema.is_empty() { String::new() } else { format!("({schema})") })
            }
            RefOr::Ref(r) => r.ref_location.clone(),
        };
        let _ = write!(html, "<li><code>{}</code> {}</li>", escape(status), escape(&text));
    }
    html.push_str("</ul></section>");
}

fn schema_name(schema: Option<&RefOr<utoipa::openapi::schema::Schema>>) -> String {
    match schema {
        Some(RefOr::Ref(r)) => r.ref_location.rsplit('/').next().unwrap_or_default().to_owned(),
        Some(RefOr::T(_)) => "object".to_owned(),
        None => String::new(),
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
