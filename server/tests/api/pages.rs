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
