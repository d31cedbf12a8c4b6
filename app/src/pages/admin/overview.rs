//! `/admin`: the state of the service at a glance.

use super::AdminHeader;
use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use crate::server_fns::admin::admin_overview;
use leptos::prelude::*;
use leptos_meta::Title;

fn megabytes(bytes: i64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

/// The admin overview.
#[component]
pub fn AdminOverviewPage() -> impl IntoView {
    let data = Resource::new(|| (), |()| admin_overview());
    view! {
        <Title text="Admin overview"/>
        <RequireAccess level=Access::Admin>
            <AdminHeader title="Admin overview" blurb="The state of the service at a glance."/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(o) => view! {
                            <div class="grid stats">
                                <div class="card"><div class="stat" data-testid="admin-users">{o.users}</div><div class="muted">"Users"</div></div>
                                <div class="card"><div class="stat">{o.queue_depth}</div><div class="muted">"Jobs waiting"</div></div>
                                <div class="card"><div class="stat">{o.files}</div><div class="muted">"Files stored"</div></div>
                                <div class="card"><div class="stat">{megabytes(o.stored_bytes)}</div><div class="muted">"Storage used"</div></div>
                            </div>
                            <section class="card">
                                <h2>"Jobs by status"</h2>
                                <table><tbody>
                                    {o.jobs_by_status.into_iter().map(|(s, n)| view! { <tr><td>{s}</td><td>{n}</td></tr> }).collect_view()}
                                </tbody></table>
                                {o.oldest_queued_secs.map(|s| view! { <p class="muted">{format!("Oldest waiting job: {s} s")}</p> })}
                            </section>
                        }.into_any(),
                        Err(err) => view! { <p class="notice notice-error">{err.error}</p> }.into_any(),
                    }
                })}
            </Transition>
        </RequireAccess>
    }
}
