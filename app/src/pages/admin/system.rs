//! `/admin/system`: database, Redis, identity and workers.

use super::AdminHeader;
use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use crate::server_fns::admin::admin_system;
use leptos::prelude::*;
use leptos_meta::Title;

fn health(ok: bool) -> &'static str {
    if ok {
        "✓ up"
    } else {
        "✗ down"
    }
}

/// System health.
#[component]
pub fn AdminSystemPage() -> impl IntoView {
    let data = Resource::new(|| (), |()| admin_system());
    view! {
        <Title text="System"/>
        <RequireAccess level=Access::Admin>
            <AdminHeader title="System" blurb="Database, cache, identity and workers."/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(s) => view! {
                            <section class="card">
                                <dl class="kv" data-testid="admin-system">
                                    <dt>"Version"</dt><dd>{s.version}</dd>
                                    <dt>"Database"</dt><dd>{format!("{} — {}", s.database, health(s.database_ok))}</dd>
                                    <dt>"Redis"</dt><dd>{s.redis.map_or("not configured (in-process limits)".to_owned(), |ok| health(ok).to_owned())}</dd>
                                    <dt>"Identity"</dt><dd>{s.identity}</dd>
                                    <dt>"DEV_MODE"</dt><dd>{if s.dev_mode { "on — authentication bypassed" } else { "off" }}</dd>
                                    <dt>"Workers in this process"</dt><dd>{s.workers_here}</dd>
                                    <dt>"Renderer"</dt><dd>{if s.render_command { "external command" } else { "built-in" }}</dd>
                                </dl>
                            </section>
                        }.into_any(),
                        Err(err) => view! { <p class="notice notice-error">{err.error}</p> }.into_any(),
                    }
                })}
            </Transition>
        </RequireAccess>
    }
}
