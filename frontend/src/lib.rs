//! Browser entry point: hydrates the server-rendered HTML so pages become interactive.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
    // Browser tests wait on this flag instead of guessing how long the WASM takes to load.
    let _ = js_sys::Reflect::set(
        &js_sys::global(),
        &"__t2m_hydrated".into(),
        &wasm_bindgen::JsValue::TRUE,
    );
}
