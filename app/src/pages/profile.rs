//! `/profile`: who you are, your role and plan, your sessions, sign out.

use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use crate::server_fns::session::get_profile;
use leptos::prelude::*;
use leptos_meta::Title;

/// The profile page.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let profile = Resource::new(|| (), |()| get_profile());
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        signing_out.set(true);
        #[cfg(feature = "hydrate")]
        leptos::task::spawn_local(crate::hooks::clerk::sign_out(None));
    };
    view! {
        <Title text="Your profile"/>
        <RequireAccess level=Access::SignedIn>
            <section class="page-head row">
                <h1>"Your profile"</h1>
                <span class="spacer"></span>
                <button class="btn btn-danger" data-testid="sign-out" disabled=move || signing_out.get() on:click=sign_out>
                    {move || if signing_out.get() { "Signing out…" } else { "Sign out" }}
                </button>
            </section>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match profile.await {
                        Ok(p) => view! {
                            <div class="stack">
                                <section class="card">
                                    <dl class="kv">
                                        <dt>"Name"</dt><dd>{p.user.display_name.clone()}</dd>
                                        <dt>"Email"</dt><dd data-testid="profile-email">{p.user.email.clone().unwrap_or_default()}</dd>
                                        <dt>"Role"</dt><dd>{p.user.role.as_str()}</dd>
                                        <dt>"Plan"</dt><dd>{p.user.tier.as_str()}</dd>
                                        <dt>"Member since"</dt><dd>{p.member_since.clone().unwrap_or_default()}</dd>
                                    </dl>
                                </section>
                                <section class="card">
                                    <h2>"Active sessions"</h2>
                                    <table>
                                        <thead><tr><th>"Device"</th><th>"Started"</th><th>"Last active"</th><th>"Expires"</th></tr></thead>
                                        <tbody>
                                            {p.sessions.into_iter().map(|s| view! {
                                                <tr>
                                                    <td>{s.user_agent.unwrap_or_else(|| "Unknown device".into())}
                                                        {s.current.then(|| view! { " " <span class="badge">"this device"</span> })}</td>
                                                    <td>{s.created_at}</td>
                                                    <td>{s.last_active_at}</td>
                                                    <td>{s.expires_at}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </section>
                            </div>
                        }.into_any(),
                        Err(err) => view! { <p class="notice notice-error">{err.error}</p> }.into_any(),
                    }
                })}
            </Transition>
        </RequireAccess>
    }
}
