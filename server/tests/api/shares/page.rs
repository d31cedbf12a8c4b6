//! The public page of a link: rendered on the server for a visitor with no cookies, with a `<video>` whose source
//! serves the real bytes, its poster, and the Open Graph tags previews read.

use super::{created, path_of, rendered_job, shares_app, token, visit};

/// The value of `attr` in the first tag of `html` that starts with `tag_start`, unescaped.
fn attr_of(html: &str, tag_start: &str, attr: &str) -> Option<String> {
    let tag = &html[html.find(tag_start)?..];
    let tag = &tag[..tag.find('>')?];
    let key = format!(" {attr}=\"");
    let value = &tag[tag.find(&key)? + key.len()..];
    let value = &value[..value.find('"')?];
    Some(value.replace("&amp;", "&").replace("&quot;", "\""))
}

fn og(html: &str, property: &str) -> Option<String> {
    attr_of(html, &format!("<meta property=\"{property}\""), "content")
}

#[tokio::test]
async fn a_link_opens_a_cookieless_page_whose_video_serves_the_bytes() {
    let app = shares_app(&[]).await;
    let bearer = token("user_a", "free");
    let (job_id, video_id) = rendered_job(&app, &bearer).await;
    let link = created(&app, &bearer, &job_id, None).await;
    let url = link["url"].as_str().unwrap();

    let res = visit(&app, &path_of(url)).await;
    assert_eq!(res.status(), 200);
    assert!(
        res.headers().get("set-cookie").is_none(),
        "the page sets no cookie"
    );
    let html = res.text().await.unwrap();
    assert!(
        html.contains("a red circle on a blue field"),
        "the title shows"
    );
    assert_eq!(og(&html, "og:type").as_deref(), Some("video.other"));
    assert_eq!(og(&html, "og:url").as_deref(), Some(url));
    assert!(og(&html, "og:title")
        .unwrap()
        .starts_with("a red circle on a blue field"));

    let src = attr_of(&html, "<video", "src").expect("a <video> with a src");
    assert_eq!(og(&html, "og:video").as_deref(), Some(src.as_str()));
    let video = visit(&app, &path_of(&src)).await;
    assert_eq!(video.status(), 200);
    assert_eq!(video.headers()["content-type"], "video/mp4");
    let bytes = video.bytes().await.unwrap();
    let stored = std::fs::read(crate::jobs::stored_path(&app, &video_id).await).unwrap();
    assert_eq!(bytes.len(), stored.len());
    assert!(bytes == stored, "the page's video is the job's video");
    let ranged = reqwest::Client::new()
        .get(app.url(&path_of(&src)))
        .header("range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(ranged.status(), 206, "seeking works");

    let poster = attr_of(&html, "<video", "poster").expect("the thumbnail is the poster");
    assert_eq!(og(&html, "og:image").as_deref(), Some(poster.as_str()));
    let image = visit(&app, &path_of(&poster)).await;
    assert_eq!(image.status(), 200);
    assert!(image.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("image/"));
}

#[tokio::test]
async fn unknown_tokens_answer_the_404_page() {
    let app = shares_app(&[("T2M_WORKERS", "0")]).await;
    for path in [
        "/s/nope",
        "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "/s/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ] {
        let res = visit(&app, path).await;
        assert_eq!(res.status(), 404, "{path}");
        assert!(res.headers().get("set-cookie").is_none());
        let html = res.text().await.unwrap();
        assert!(!html.contains("<video"), "{path}");
    }
}
