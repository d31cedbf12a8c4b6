//! `/profile`: who you are, your role and plan, your sessions (each can be ended), sign out.

use crate::components::access::RequireAccess;
use crate::components::share_links::ShareLinks;
use crate::domain::access::Access;
use crate::domain::session::SessionSummary;
use crate::server_fns::session::{get_profile, revoke_other_sessions, revoke_session};
use leptos::prelude::*;
use leptos_meta::Title;

/// The profile page.
#[component]
pub fn ProfilePage() -> impl IntoView {
    let revoke = Action::new(|sid: &String| revoke_session(sid.clone()));
    let revoke_others = Action::new(|(): &()| revoke_other_sessions());
    // Every finished revocation reloads the list.
    let profile = Resource::new(
        move || (revoke.version().get(), revoke_others.version().get()),
        |_| get_profile(),
    );
    let signing_out = RwSignal::new(false);
    // A real form, so signing out works before hydration (the built-in provider answers it with a redirect);
    // once hydrated, `window.Clerk` signs out instead, which also works with Clerk's own Frontend API.
    let sign_out = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
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
                <form method="post" action="/v1/client/sessions/current/end" on:submit=sign_out>
                    <button type="submit" class="btn btn-danger" data-testid="sign-out" disabled=move || signing_out.get()>
                        {move || if signing_out.get() { "Signing out…" } else { "Sign out" }}
                    </button>
                </form>
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
                                    <div class="row">
                                        <h2>"Active sessions"</h2>
                                        <span class="spacer"></span>
                                        <button class="btn btn-sm" data-testid="revoke-other-sessions"
                                            on:click=move |_| { revoke_others.dispatch(()); }>
                                            "Sign out everywhere else"
                                        </button>
                                    </div>
                                    <table>
                                        <thead><tr><th>"Device"</th><th>"IP"</th><th>"Started"</th><th>"Last active"</th><th>"Expires"</th><th></th></tr></thead>
                                        <tbody>
                                            {p.sessions.into_iter().map(|s| view! { <SessionRow session=s revoke=revoke/> }).collect_view()}
                                        </tbody>
                                    </table>
                                    {move || revoke.value().get().and_then(Result::err).map(|e| view! { <p class="notice notice-error">{e.error}</p> })}
                                </section>
                            </div>
                        }.into_any(),
                        Err(err) => view! { <p class="notice notice-error">{err.error}</p> }.into_any(),
                    }
                })}
            </Transition>
            // Beside the profile's Transition, not inside its Suspend: a Transition nested in a resolved Suspend
            // rendered markers the hydrating WASM did not expect (an unrecoverable hydration error on /profile).
            <div class="stack">
                <crate::pages::profile_account::AccountSections/>
            </div>
            <ShareLinks/>
        </RequireAccess>
    }
}

#[component]
fn SessionRow(
    session: SessionSummary,
    revoke: Action<String, Result<(), crate::error::ApiError>>,
) -> impl IntoView {
    let sid = session.id.clone();
    view! {
        <tr data-testid="session-row">
            <td>{session.user_agent.unwrap_or_else(|| "Unknown device".into())}
                {session.current.then(|| view! { " " <span class="badge">"this device"</span> })}</td>
            <td>{session.ip.unwrap_or_default()}</td>
            <td>{session.created_at}</td>
            <td>{session.last_active_at}</td>
            <td>{session.expires_at}</td>
            <td>
                {(!session.current).then(|| view! {
                    <button class="btn btn-sm btn-danger" data-testid="revoke-session"
                        on:click=move |_| { revoke.dispatch(sid.clone()); }>"Sign out"</button>
                })}
            </td>
        </tr>
    }
}
