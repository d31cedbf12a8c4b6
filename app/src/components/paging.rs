//! Lists that search and page: a GET search form (it works before the WASM arrives, and client-side after),
//! rows that accumulate as "Load more" follows the server's cursors, and the button that does it (a plain link
//! to the next page until hydrated).

use crate::error::ApiError;
use leptos::prelude::*;
use std::future::Future;

/// The rows shown so far and the cursor to the rest.
pub struct Paged<T: Send + Sync + 'static> {
    pub items: RwSignal<Vec<T>>,
    pub next: RwSignal<Option<String>>,
    pub loading: RwSignal<bool>,
    pub error: RwSignal<Option<ApiError>>,
}

impl<T: Send + Sync + 'static> Clone for Paged<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Paged<T> {}

impl<T: Send + Sync + 'static> Paged<T> {
    /// Starts from the first page the server rendered.
    pub fn new(items: Vec<T>, next: Option<String>) -> Self {
        Self {
            items: RwSignal::new(items),
            next: RwSignal::new(next),
            loading: RwSignal::new(false),
            error: RwSignal::new(None),
        }
    }

    /// Fetches the page after the current cursor with `fetch` and appends it; one request at a time.
    pub fn load_more<F, Fut>(self, fetch: F)
    where
        F: FnOnce(String) -> Fut + 'static,
        Fut: Future<Output = Result<(Vec<T>, Option<String>), ApiError>> + 'static,
    {
        let Some(cursor) = self.next.get_untracked() else {
            return;
        };
        if self.loading.get_untracked() {
            return;
        }
        self.loading.set(true);
        leptos::task::spawn_local(async move {
            match fetch(cursor).await {
                Ok((more, next)) => {
                    self.items.update(|items| items.extend(more));
                    self.next.set(next);
                    self.error.set(None);
                }
                Err(err) => self.error.set(Some(err)),
            }
            self.loading.set(false);
        });
    }

    /// Drops the rows `gone` says are gone (deleted in place).
    pub fn remove(self, gone: impl Fn(&T) -> bool) {
        self.items.update(|items| items.retain(|item| !gone(item)));
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters (the browser build has no `url` crate).
fn encode_component(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `path?name=value&…` with empty values left out.
pub fn href_with(path: &str, params: &[(&str, &str)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| format!("{name}={}", encode_component(value)))
        .collect();
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", query.join("&"))
    }
}

/// A search box submitting `?q=` (plus `keep`, e.g. a status filter) to `action` with GET.
#[component]
pub fn SearchBox(
    action: &'static str,
    /// The current search text.
    #[prop(into)]
    value: Signal<String>,
    label: &'static str,
    /// Other query parameters the search keeps (`name`, `value`).
    #[prop(optional)]
    keep: Vec<(&'static str, String)>,
) -> impl IntoView {
    view! {
        // A plain form, not the router's `<Form>`: that one sends its unnamed submit button as an empty `&=`
        // pair, and a full GET navigation is what the search wants anyway (a new first page).
        <form method="get" action=action class="row search" role="search">
            {keep.into_iter().filter(|(_, v)| !v.is_empty()).map(|(name, value)| view! {
                <input type="hidden" name=name value=value/>
            }).collect_view()}
            <input type="search" name="q" prop:value=move || value.get() value=value.get_untracked()
                placeholder=label aria-label=label maxlength="200" data-testid="search-input"/>
            <button class="btn btn-sm" type="submit" data-testid="search-submit">"Search"</button>
            {move || (!value.get().is_empty()).then(|| view! {
                <a class="btn btn-sm" href=action data-testid="search-clear">"Clear"</a>
            })}
        </form>
    }
}

/// "Load more" while `paged` has a cursor: appends in place once hydrated; before that, a link to the next
/// page (`href` for a cursor).
#[component]
pub fn LoadMore<T, F>(paged: Paged<T>, href: F, on_more: Callback<()>) -> impl IntoView
where
    T: Send + Sync + 'static,
    F: Fn(&str) -> String + Send + Sync + 'static,
{
    view! {
        {move || paged.error.get().map(|error| view! { <crate::components::error_notice::ErrorNotice error/> })}
        {move || paged.next.get().map(|cursor| view! {
            <div class="row load-more">
                <a class="btn" href=href(&cursor) data-testid="load-more" aria-busy=move || paged.loading.get().to_string()
                    on:click=move |ev| {
                        ev.prevent_default();
                        on_more.run(());
                    }>
                    {move || if paged.loading.get() { "Loading…" } else { "Load more" }}
                </a>
            </div>
        })}
    }
}

#[cfg(test)]
mod tests {
    use super::href_with;

    #[test]
    fn links_keep_only_what_is_set_and_encode_it() {
        assert_eq!(
            href_with("/videos", &[("q", ""), ("cursor", "")]),
            "/videos"
        );
        assert_eq!(
            href_with("/jobs", &[("status", "failed"), ("q", "red fox&co")]),
            "/jobs?status=failed&q=red%20fox%26co"
        );
    }
}
