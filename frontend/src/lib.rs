//! Browser entry point: hydrates the server-rendered HTML so pages become interactive.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages are lazy routes (app/src/routes.rs): the current page's WASM chunk is fetched before hydration
    // starts, so hydrating is asynchronous, as `leptos::mount::hydrate_lazy` does it (which gives no way to
    // know when it is done). `hydrate_from_async` starts Leptos' executor itself.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::tachys::dom::body();
        let mounted = leptos::mount::hydrate_from_async(body, app::App).await;
        mounted.forget();
        // Browser tests wait on this flag instead of guessing how long the WASM takes to load.
        let _ = js_sys::Reflect::set(
            &js_sys::global(),
            &"__t2m_hydrated".into(),
            &wasm_bindgen::JsValue::TRUE,
        );
    });
}
