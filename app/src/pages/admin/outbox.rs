use commerce::base::Permission;
use commerce::identity::outbox::Message;
use leptos::prelude::*;

use super::AdminPage;
use crate::api::load_outbox;
use crate::components::{EmptyState, Loaded, Needs, PageHeader, business_time};

/// `/admin/outbox`: the messages the business has sent (invitations), as a record. Links that
/// let someone in are never kept here: they go to their recipient alone.
#[component]
pub fn OutboxPage() -> impl IntoView {
    // Loaded outside the gate, so that it is loaded once (see `Gate`).
    let messages = Resource::new(|| (), |()| load_outbox());
    view! {
        <AdminPage title="Sent messages" needs=Needs::Permission(Permission::ViewOutbox) let:_actor>
            <PageHeader title="Sent messages" subtitle="A record of the emails the business has sent, newest first. Links that let someone in are not kept here." />
            <OutboxList messages />
        </AdminPage>
    }
}

#[component]
fn OutboxList(messages: Resource<Result<Vec<Message>, crate::AppError>>) -> impl IntoView {
    view! {
        <Loaded resource=messages let:messages>
            {if messages.is_empty() {
                view! { <EmptyState title="No messages yet" message="Invitations you send are recorded here." /> }.into_any()
            } else {
                view! {
                    <ul class="space-y-4">
                        {messages.into_iter().map(|m| view! { <MessageCard message=m /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </Loaded>
    }
}

#[component]
fn MessageCard(message: Message) -> impl IntoView {
    let state = match message.sent_at {
        Some(at) => format!("sent {}", business_time(at)),
        None => "waiting: no mail server".to_owned(),
    };
    view! {
        <li class="card" data-testid="message">
            <div class="flex flex-wrap items-baseline justify-between gap-2">
                <h2 class="font-semibold text-slate-900">{message.subject}</h2>
                <span class="text-xs text-slate-500">{format!("to {} · {} · {state}", message.recipient, business_time(message.created_at))}</span>
            </div>
            <pre class="mt-3 whitespace-pre-wrap break-words font-sans text-sm text-slate-700">{message.body}</pre>
        </li>
    }
}
