//! Which article images the index keeps. A box that shows an image on
//! another site makes every reader's browser contact that site, and alike
//! promises no third-party requests: by default an image is kept only on
//! the article's own origin, and others only on an origin the site owner
//! names (`--image-origins`). The widget applies the same rule to the
//! page's origin (`data-image-origins`), for indexes built otherwise.

use alike::Article;
use url::Url;

/// Stands for the site's origin when article URLs are site-relative: a
/// relative image is then on the same site, an absolute one is not.
const SITE: &str = "https://site.invalid/";

/// An `--image-origins` value: `*`, or an http(s) origin such as
/// `https://cdn.example.com` (a path after it is ignored).
pub fn parse_origin(text: &str) -> Result<String, String> {
    if text == "*" {
        return Ok(text.to_string());
    }
    match Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            Ok(url.origin().ascii_serialization())
        }
        _ => Err(format!("\"{text}\" is not an origin such as https://cdn.example.com, or *")),
    }
}

/// Drops `article`'s image unless it is allowed; says whether it dropped one.
pub fn keep_allowed(article: &mut Article, allowed: &[String]) -> bool {
    match &article.image {
        Some(image) if !is_allowed(image, &article.url, allowed) => {
            article.image = None;
            true
        }
        _ => false,
    }
}

fn is_allowed(image: &str, article_url: &str, allowed: &[String]) -> bool {
    let site = Url::parse(article_url)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https"))
        .unwrap_or_else(|| Url::parse(SITE).expect("the placeholder site is a URL"));
    // Resolved as a browser resolves an <img src> on the article's page:
    // `//host/x`, `\\host\x` and `/\host` all name another host.
    let Ok(resolved) = site.join(image.trim()) else { return false };
    if !matches!(resolved.scheme(), "http" | "https") {
        return false;
    }
    let origin = resolved.origin().ascii_serialization();
    origin == site.origin().ascii_serialization() || allowed.iter().any(|a| a == "*" || *a == origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(image: &str, url: &str, allowed: &[&str]) -> bool {
        let allowed: Vec<String> = allowed.iter().map(|a| parse_origin(a).expect("an origin")).collect();
        is_allowed(image, url, &allowed)
    }

    #[test]
    fn images_on_the_articles_own_site_are_kept() {
        assert!(kept("/img/a.jpg", "/news/1.html", &[]));
        assert!(kept("img/a.jpg", "/news/1.html", &[]));
        assert!(kept("/img/a.jpg", "https://news.example.com/1.html", &[]));
        assert!(kept("https://news.example.com/img/a.jpg", "https://news.example.com/1.html", &[]));
    }

    #[test]
    fn images_on_other_sites_are_dropped_unless_allowed() {
        for image in [
            "https://tracker.example.net/pixel.gif",
            "//tracker.example.net/pixel.gif",
            "\\\\tracker.example.net\\pixel.gif",
            "/\\tracker.example.net/pixel.gif",
            "http://news.example.com/img/a.jpg", // another scheme is another origin
        ] {
            assert!(!kept(image, "https://news.example.com/1.html", &[]), "{image}");
            assert!(!kept(image, "/news/1.html", &[]), "{image}");
            assert!(kept(image, "/news/1.html", &["*"]), "{image}");
        }
        assert!(kept("https://cdn.example.com/a.jpg", "/1.html", &["https://cdn.example.com/"]));
        assert!(!kept("https://cdn2.example.com/a.jpg", "/1.html", &["https://cdn.example.com"]));
    }

    #[test]
    fn images_that_are_not_web_urls_are_dropped() {
        for image in ["javascript:alert(1)", "data:image/png;base64,AAAA", "file:///etc/passwd"] {
            assert!(!kept(image, "/1.html", &["*"]), "{image}");
        }
    }

    #[test]
    fn image_origins_must_be_origins() {
        assert_eq!(parse_origin("https://cdn.example.com/path").as_deref(), Ok("https://cdn.example.com"));
        assert!(parse_origin("cdn.example.com").is_err());
        assert!(parse_origin("ftp://cdn.example.com").is_err());
    }
}
