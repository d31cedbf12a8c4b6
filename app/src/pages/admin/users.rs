//! `/admin/users`: everyone with an account, searchable by email or name (`?q=`), paged with "Load more";
//! change role and plan inline.

use super::AdminHeader;
use crate::components::access::RequireAccess;
use crate::components::error_notice::ErrorNotice;
use crate::components::paging::{href_with, LoadMore, Paged, SearchBox};
use crate::domain::access::Access;
use crate::domain::admin::{AdminUser, AdminUserPage};
use crate::domain::user::{Role, Tier};
use crate::server_fns::admin::{admin_users, AdminSetAccess};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The user list.
#[component]
pub fn AdminUsersPage() -> impl IntoView {
    let query = use_query_map();
    let q = Memo::new(move |_| query.with(|m| m.get("q")).unwrap_or_default());
    let cursor = Memo::new(move |_| query.with(|m| m.get("cursor")));
    let users = Resource::new(
        move || (q.get(), cursor.get()),
        |(q, cursor)| admin_users(Some(q), cursor),
    );
    view! {
        <Title text="Users"/>
        <RequireAccess level=Access::Admin>
            <AdminHeader title="Users" blurb="Everyone with an account, their role and plan."/>
            <SearchBox action="/admin/users" value=q label="Search by email or name"/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match users.await {
                        Ok(page) => view! { <UserTable page q=q.get_untracked()/> }.into_any(),
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                    }
                })}
            </Transition>
        </RequireAccess>
    }
}

/// The first page of users and those "Load more" adds.
#[component]
fn UserTable(page: AdminUserPage, q: String) -> impl IntoView {
    let paged = Paged::new(page.items, page.next_cursor);
    let search = q.clone();
    let on_more = Callback::new(move |()| {
        let q = search.clone();
        paged.load_more(move |cursor| async move {
            admin_users(Some(q), Some(cursor))
                .await
                .map(|p| (p.items, p.next_cursor))
        });
    });
    view! {
        <div class="card table-wrap"><table>
            <thead><tr><th>"Name"</th><th>"Email"</th><th>"Role"</th><th>"Plan"</th><th>"Joined"</th><th></th></tr></thead>
            <tbody>
                <For each=move || paged.items.get() key=|user| user.id.clone() let:user>
                    <UserRow user/>
                </For>
            </tbody>
        </table></div>
        {move || paged.items.with(Vec::is_empty).then(|| view! { <p class="muted" data-testid="no-results">"No users match."</p> })}
        <LoadMore paged href=move |c: &str| href_with("/admin/users", &[("q", &q), ("cursor", c)]) on_more/>
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
