//! `/dashboard`: a welcome, quick actions and recent activity.

use crate::components::access::RequireAccess;
use crate::components::session::use_session;
use crate::domain::access::Access;
use leptos::prelude::*;
use leptos_meta::Title;

/// The signed-in home page.
#[component]
pub fn DashboardPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Dashboard"/>
        <RequireAccess level=Access::SignedIn>
            <section class="page-head">
                <Transition>
                    {move || Suspend::new(async move {
                        let name = session.await.ok().and_then(|i| i.user).map(|u| u.display_name).unwrap_or_default();
                        view! { <h1 data-testid="welcome">"Welcome back, " {name}</h1> }
                    })}
                </Transition>
                <p class="lead">"What will you make today?"</p>
                <div class="row">
                    <a class="btn btn-primary btn-lg" href="/generate">"Generate a video"</a>
                    <a class="btn btn-lg" href="/files">"Upload a file"</a>
                </div>
            </section>
            <crate::components::usage_meter::UsageMeter/>
            <crate::pages::dashboard_activity::RecentActivity/>
        </RequireAccess>
    }
}
