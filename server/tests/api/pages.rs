use crate::helpers::spawn_app;

#[tokio::test]
async fn public_pages_render_on_the_server() {
    let app = spawn_app().await;
    for (path, heading) in [
        ("/", "Describe it. Watch it render."),
        ("/pricing", "Pricing"),
        ("/about", "About T2M"),
        ("/contact", "Contact"),
        ("/legal/privacy", "Privacy policy"),
        ("/legal/terms", "Terms of service"),
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status(), 200, "{path}");
        let html = res.text().await.unwrap();
        assert!(html.contains(heading), "{path} lacks {heading:?}");
        assert!(html.contains("/pkg/t2m.css"), "{path} lacks the stylesheet");
    }
}

#[tokio::test]
async fn unknown_paths_render_the_404_page_with_status_404() {
    let app = spawn_app().await;
    let res = app.get("/no-such-page").await;
    assert_eq!(res.status(), 404);
    assert!(res.text().await.unwrap().contains("find that page"));
}

#[tokio::test]
async fn pages_are_compressed_when_the_client_accepts_it() {
    let app = spawn_app().await;
    let res = reqwest::Client::new()
        .get(app.url("/pricing"))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "gzip");
}

/// Building an app walks Leptos' route list, which parks resources first polled during the walk anywhere in the
/// process (leptos-rs/leptos#4773). Pages being rendered while other apps are built must still finish.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_finish_while_other_apps_are_being_built() {
    let app = spawn_app().await;
    let builder = tokio::spawn(async {
        for _ in 0..40 {
            drop(spawn_app().await);
        }
    });
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(30))
        .build()
        .unwrap();
    let mut rendered = 0;
    while !builder.is_finished() {
        // The sign-in page awaits the session resource inside a Transition, so it streams.
        let loads = (0..4).map(|_| async {
            let res = client.get(app.url("/sign-in")).send().await?;
            res.text().await
        });
        for body in futures_util::future::join_all(loads).await {
            let body = body.expect("a page stalled while another app was being built");
            assert!(body.contains("</html>"), "the page was cut short");
            rendered += 1;
        }
    }
    builder.await.unwrap();
    assert!(rendered > 0);
}
