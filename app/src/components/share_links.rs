//! The profile's list of active share links, each with Revoke: a real form, so revoking works before the WASM
//! arrives (the server answers the plain post with a redirect back), and once hydrated the list refetches.

use crate::components::error_notice::ErrorNotice;
use crate::domain::share::ShareView;
use crate::server_fns::shares::{list_shares, RevokeShare};
use leptos::prelude::*;

/// `2026-11-25T22:03:35.000Z` → `2026-11-25 22:03 UTC`.
fn short_date(iso: &str) -> String {
    iso.get(..16).map_or_else(
        || iso.to_owned(),
        |head| format!("{} UTC", head.replacen('T', " ", 1)),
    )
}

#[component]
fn ShareRow(share: ShareView, revoke: ServerAction<RevokeShare>) -> impl IntoView {
    let id = share.id.clone();
    view! {
        <tr data-testid="share-row" data-share-id=share.id>
            <td><a href=format!("/videos/{}", share.job_id)>{share.title}</a></td>
            <td>{short_date(&share.created_at)}</td>
            <td>{share.expires_at.as_deref().map_or_else(|| "When revoked".to_owned(), short_date)}</td>
            <td>
                <ActionForm action=revoke>
                    <input type="hidden" name="id" value=id/>
                    <button class="btn btn-sm btn-danger" type="submit" data-testid="revoke-share"
                        disabled=move || revoke.pending().get()>"Revoke"</button>
                </ActionForm>
            </td>
        </tr>
    }
}

/// The caller's active links.
#[component]
pub fn ShareLinks() -> impl IntoView {
    let revoke = ServerAction::<RevokeShare>::new();
    let shares = Resource::new(move || revoke.version().get(), |_| list_shares());
    view! {
        <section class="card" data-testid="share-links">
            <h2>"Shared links"</h2>
            {move || revoke.value().get().and_then(Result::err).map(|error| view! { <ErrorNotice error/> })}
            <Transition fallback=|| view! { <p class="muted">"Loading your links…"</p> }>
                {move || Suspend::new(async move {
                    match shares.await {
                        Err(error) => view! { <ErrorNotice error/> }.into_any(),
                        Ok(list) if list.is_empty() => view! {
                            <p class="muted" data-testid="no-share-links">"No active links. Share a video from its page."</p>
                        }.into_any(),
                        Ok(list) => view! {
                            <table>
                                <thead><tr><th>"Video"</th><th>"Created"</th><th>"Expires"</th><th></th></tr></thead>
                                <tbody>
                                    {list.into_iter().map(|share| view! { <ShareRow share revoke/> }).collect_view()}
                                </tbody>
                            </table>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::short_date;

    #[test]
    fn dates_are_short_and_say_utc() {
        assert_eq!(
            short_date("2026-11-25T22:03:35.000Z"),
            "2026-11-25 22:03 UTC"
        );
        assert_eq!(short_date("soon"), "soon");
    }
}
