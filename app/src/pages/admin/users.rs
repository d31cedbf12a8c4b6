//! `/admin/users`: everyone with an account; change role and plan inline.

use super::AdminHeader;
use crate::components::access::RequireAccess;
use crate::components::error_notice::ErrorNotice;
use crate::domain::access::Access;
use crate::domain::admin::AdminUser;
use crate::domain::user::{Role, Tier};
use crate::server_fns::admin::{admin_users, AdminSetAccess};
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
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireAccess>
    }
}

/// One user; the selects belong to the row's form (`form=`), which a table row cannot wrap.
#[component]
fn UserRow(user: AdminUser) -> impl IntoView {
    let save = ServerAction::<AdminSetAccess>::new();
    let form_id = format!("access-{}", user.id);
    view! {
        <tr data-testid="admin-user-row">
            <td>{user.name.clone()}</td>
            <td>{user.email.clone().unwrap_or_default()}</td>
            <td>
                <select name="role" form=form_id.clone() aria-label="Role">
                    <option value="user" selected=user.role == Role::User>"user"</option>
                    <option value="admin" selected=user.role == Role::Admin>"admin"</option>
                </select>
            </td>
            <td>
                <select name="tier" form=form_id.clone() aria-label="Plan">
                    <option value="free" selected=user.tier == Tier::Free>"free"</option>
                    <option value="premium" selected=user.tier == Tier::Premium>"premium"</option>
                </select>
            </td>
            <td class="muted small">{user.created_at.chars().take(10).collect::<String>()}</td>
            <td>
                <ActionForm action=save attr:id=form_id>
                    <input type="hidden" name="user_id" value=user.id.clone()/>
                    <button class="btn btn-sm" type="submit" data-testid="save-access">"Save"</button>
                </ActionForm>
                {move || save.value().get().map(|r| match r {
                    Ok(()) => view! { <span class="muted small">" Saved"</span> }.into_any(),
                    Err(error) => view! { <ErrorNotice error/> }.into_any(),
                })}
            </td>
        </tr>
    }
}
