//! `/admin/analytics`: generations, completions and failures per day.

use super::AdminHeader;
use crate::components::access::RequireAccess;
use crate::domain::access::Access;
use crate::server_fns::admin::admin_activity;
use leptos::prelude::*;
use leptos_meta::Title;

/// Daily activity over two weeks.
#[component]
pub fn AdminAnalyticsPage() -> impl IntoView {
    let data = Resource::new(|| (), |()| admin_activity());
    view! {
        <Title text="Analytics"/>
        <RequireAccess level=Access::Admin>
            <AdminHeader title="Analytics" blurb="Generations, completions and failures per day (UTC)."/>
            <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(days) => {
                            let peak = days.iter().map(|d| d.requested).max().unwrap_or(0).max(1);
                            view! {
                                <section class="card table-wrap">
                                    <table>
                                        <thead><tr><th>"Day"</th><th>"Requested"</th><th>"Completed"</th><th>"Failed"</th><th></th></tr></thead>
                                        <tbody>
                                            {days.into_iter().rev().map(|d| view! {
                                                <tr>
                                                    <td>{d.day}</td><td>{d.requested}</td><td>{d.completed}</td><td>{d.failed}</td>
                                                    <td style="width:40%"><div class="progress"><div class="bar" style:width=format!("{}%", d.requested * 100 / peak)></div></div></td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </section>
                            }.into_any()
                        }
                        Err(err) => view! { <p class="notice notice-error">{err.error}</p> }.into_any(),
                    }
                })}
            </Transition>
        </RequireAccess>
    }
}
