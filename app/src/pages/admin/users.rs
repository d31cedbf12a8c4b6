//! `/admin/users`: everyone with an account; change role and plan inline.

use super::AdminHeader;
use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use crate::domain::admin::AdminUser;
use crate::domain::user::{Role, Tier};
use crate::server_fns::admin::{admin_set_access, admin_users};
use leptos::prelude::*;
use leptos_meta::Title;

/// The user list.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let users = Resource::new(|| (), |()| admin_users(0));
    view! {
        <Title text="Users"/>
        <RequireAccess level=Access::Admin>
            <AdminHeader title="Users" blurb="Everyone with an account, their role and plan."/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(list) => view! {
                            <div class="card table-wrap"><table>
                                <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Plan"</th><th>"Joined"</th><th></th></tr></thead>
                                <tbody>{list.into_iter().map(|user| view! { <UserRow user/> }).collect_view()}</tbody>
                            </table></div>
                        }.into_any(),
                        Err(err) => view! { <p class="notice notice-error">{err.error}</p> }.into_any(),
                    }
                })}
            </Transition>
        </RequireAccess>
    }
}

#[component]
fn UserRow(user: AdminUser) -> impl IntoView {
    let role = RwSignal::new(user.role);
    let tier = RwSignal::new(user.tier);
    let save = Action::new(move |(id, role, tier): &(String, Role, Tier)| {
        admin_set_access(id.clone(), *role, *tier)
    });
    let id = user.id.clone();
    view! {
        <tr data-testid="admin-user-row">
            <td>{user.name.clone()}</td>
            <td>{user.email.clone().unwrap_or_default()}</td>
            <td>
                <select on:change=move |ev| role.set(if event_target_value(&ev) == "admin" { Role::Admin } else { Role::User })>
                    <option value="user" selected=user.role == Role::User>"user"</option>
                    <option value="admin" selected=user.role == Role::Admin>"admin"</option>
                </select>
            </td>
            <td>
                <select on:change=move |ev| tier.set(if event_target_value(&ev) == "premium" { Tier::Premium } else { Tier::Free })>
                    <option value="free" selected=user.tier == Tier::Free>"free"</option>
                    <option value="premium" selected=user.tier == Tier::Premium>"premium"</option>
                </select>
            </td>
            <td class="muted small">{user.created_at.chars().take(10).collect::<String>()}</td>
            <td>
                <button class="btn btn-sm" on:click=move |_| { save.dispatch((id.clone(), role.get_untracked(), tier.get_untracked())); }>"Save"</button>
                {move || save.value().get().map(|r| match r {
                    Ok(()) => view! { <span class="muted small">" Saved"</span> }.into_any(),
                    Err(e) => view! { <span class="notice-error small">{format!(" {}", e.error)}</span> }.into_any(),
                })}
            </td>
        </tr>
    }
}
