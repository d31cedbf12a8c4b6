//! Talks to `window.Clerk`: Clerk's own browser object in production, or the local provider's lookalike.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The JWT template API calls carry.
pub const API_TEMPLATE: &str = "t2m-api";

fn clerk() -> Option<JsValue> {
    let window = web_sys::window()?;
    let clerk = Reflect::get(&window, &"Clerk".into()).ok()?;
    (!clerk.is_undefined() && !clerk.is_null()).then_some(clerk)
}

async fn call(target: &JsValue, method: &str, args: &Array) -> Result<JsValue, JsValue> {
    let function: Function = Reflect::get(target, &method.into())?.dyn_into()?;
    let result = function.apply(target, args)?;
    match result.dyn_into::<Promise>() {
        Ok(promise) => JsFuture::from(promise).await,
        Err(value) => Ok(value),
    }
}

/// Loads Clerk once (it is idempotent on both implementations).
pub async fn load() -> Option<JsValue> {
    let clerk = clerk()?;
    let loaded = Reflect::get(&clerk, &"loaded".into())
        .ok()
        .and_then(|v| v.as_bool());
    if loaded != Some(true) {
        call(&clerk, "load", &Array::new()).await.ok()?;
    }
    Some(clerk)
}

/// A session token; `template` picks the JWT template, `skip_cache` forces a fresh one.
///
/// JS values are not `Send`; the wrapper lets resources that await this stay `Send` for server rendering,
/// where this code never runs.
pub async fn get_token(template: Option<&str>, skip_cache: bool) -> Option<String> {
    let template = template.map(str::to_owned);
    send_wrapper::SendWrapper::new(get_token_local(template, skip_cache)).await
}

async fn get_token_local(template: Option<String>, skip_cache: bool) -> Option<String> {
    let clerk = load().await?;
    let session = Reflect::get(&clerk, &"session".into()).ok()?;
    if session.is_null() || session.is_undefined() {
        return None;
    }
    let options = Object::new();
    if let Some(template) = template {
        Reflect::set(&options, &"template".into(), &template.as_str().into()).ok()?;
    }
    Reflect::set(&options, &"skipCache".into(), &skip_cache.into()).ok()?;
    call(&session, "getToken", &Array::of1(&options))
        .await
        .ok()?
        .as_string()
}

/// Fetches fresh tokens: the `__session` cookie the server reads and the API template; returns the latter.
pub async fn refresh_tokens() -> Option<String> {
    get_token(None, true).await;
    get_token(Some(API_TEMPLATE), true).await
}

/// Fetches a fresh session token (the one server functions carry) and returns it.
pub async fn refresh_session() -> Option<String> {
    get_token(None, true).await
}

/// Seconds until a token expires, read from its payload (no verification: only to schedule a refresh).
pub fn seconds_left(token: &str) -> Option<i64> {
    let payload = token.split('.').nth(1)?;
    let mut b64 = payload.replace('-', "+").replace('_', "/");
    while b64.len() % 4 != 0 {
        b64.push('=');
    }
    let json = web_sys::window()?.atob(&b64).ok()?;
    let exp = serde_json::from_str::<serde_json::Value>(&json)
        .ok()?
        .get("exp")?
        .as_f64()?;
    Some((exp - js_sys::Date::now() / 1000.0) as i64)
}

/// Signs out, then shows the sign-in page with `reason` (e.g. `inactivity`) so it can say why.
pub async fn sign_out(reason: Option<&'static str>) {
    let target = match reason {
        Some(reason) => format!("/sign-in?reason={reason}"),
        None => "/".to_owned(),
    };
    send_wrapper::SendWrapper::new(sign_out_local(reason, target)).await;
}

/// Signs out, then goes to `target` (e.g. the home page with a notice after the account was deleted).
pub async fn sign_out_to(target: &'static str) {
    send_wrapper::SendWrapper::new(sign_out_local(None, target.to_owned())).await;
}

async fn sign_out_local(reason: Option<&'static str>, target: String) {
    if let Some(clerk) = load().await {
        let options = Object::new();
        let _ = Reflect::set(&options, &"redirectUrl".into(), &target.as_str().into());
        if let Some(reason) = reason {
            let _ = Reflect::set(&options, &"reason".into(), &reason.into());
        }
        let _ = call(&clerk, "signOut", &Array::of1(&options)).await;
    }
    if let Some(window) = web_sys::window() {
        let _ = window.location().assign(&target);
    }
}
