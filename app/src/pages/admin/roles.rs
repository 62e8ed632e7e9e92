use commerce::base::{Permission, Role};
use leptos::prelude::*;

use super::AdminPage;
use crate::components::{Needs, PageHeader};

/// `/admin/roles`: what each role may do, straight from the rules the server enforces.
#[component]
pub fn RolesPage() -> impl IntoView {
    view! {
        <AdminPage title="Roles" needs=Needs::Permission(Permission::ViewStaff) let:_actor>
            <PageHeader title="Roles" subtitle="What each role may do. Invite staff with the role that fits their work." />
            <section class="card p-0">
                <div class="table-wrap">
                    <table class="table">
                        <thead>
                            <tr>
                                <th>"May…"</th>
                                {Role::ALL.into_iter().map(|r| view! { <th class="text-center">{r.label()}</th> }).collect_view()}
                            </tr>
                        </thead>
                        <tbody>
                            {Permission::ALL.into_iter().map(|p| view! {
                                <tr>
                                    <td>{p.label()}</td>
                                    {Role::ALL.into_iter().map(|r| {
                                        let yes = r.allows(p);
                                        view! {
                                            <td class="text-center" aria-label=if yes { "yes" } else { "no" }>
                                                {if yes { "✓" } else { "—" }}
                                            </td>
                                        }
                                    }).collect_view()}
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        </AdminPage>
    }
}
