//! HTTP for the dev server: files from the in-memory build, never from disk, so no request can
//! reach outside the site; plus the live-reload event stream.

use super::{Notice, State};
use axum::Router;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::convert::Infallible;
use std::net::IpAddr;
use std::sync::Arc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

/// The live-reload script served pages get (kept as JavaScript, in its own file).
const LIVE_RELOAD_JS: &str = include_str!("live-reload.js");

/// The dev server's routes. `bound` is the address it listens on: with loopback names, the
/// only names a request may be addressed to (see [`host_allowed`]).
pub fn router(state: Arc<State>, bound: IpAddr) -> Router {
    Router::new()
        .route("/__ladder/events", get(events))
        .route("/__ladder/status", get(status))
        .fallback(get(file))
        .with_state(state)
        .layer(axum::middleware::from_fn(move |req: Request, next: Next| check_host(req, next, bound)))
}

/// Refuse a request addressed to any other name before it reaches a file or the event stream.
/// Every name the request carries is checked: its `Host` header, and the host of a request line
/// in absolute form (`GET http://evil.example/`), which HTTP says wins over `Host`. A request
/// with two `Host` headers is refused outright (HTTP/1.1 requires it), since a proxy or cache in
/// between may read the other one.
async fn check_host(req: Request, next: Next, bound: IpAddr) -> Response {
    let refuse = |status: StatusCode, message: &'static str| {
        (status, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], message).into_response()
    };
    let hosts = req.headers().get_all(header::HOST);
    if hosts.iter().count() > 1 {
        return refuse(StatusCode::BAD_REQUEST, "a request may carry only one Host header\n");
    }
    let mut names: Vec<&str> = hosts.iter().map(|h| h.to_str().unwrap_or("")).collect();
    names.extend(req.uri().authority().map(|a| a.as_str()));
    if !names.is_empty() && names.iter().all(|h| host_allowed(h, bound)) {
        return next.run(req).await;
    }
    refuse(
        StatusCode::MISDIRECTED_REQUEST,
        "ladder serve answers only requests for localhost, 127.0.0.1, [::1] or the address it listens on\n",
    )
}

/// Whether a `Host` header names this server. A web page on another site can point its own
/// domain name at 127.0.0.1 (DNS rebinding) and then read the dev server as same-origin; its
/// requests still carry that domain as `Host`, so only loopback names and this server's own
/// address are answered. Bound to every interface (`--bind 0.0.0.0`), any IP address is
/// answered, since an address typed as digits cannot be rebound; names still are not.
pub fn host_allowed(host: &str, bound: IpAddr) -> bool {
    let name = match host.strip_prefix('[') {
        // `[::1]:8080`: the address sits between the brackets.
        Some(rest) => match rest.split_once(']') {
            Some((inside, port)) if port.is_empty() || port.strip_prefix(':').is_some_and(is_port) => inside,
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if is_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    if name.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip.is_loopback() || ip == bound || bound.is_unspecified(),
        Err(_) => false,
    }
}

fn is_port(s: &str) -> bool {
    s.parse::<u16>().is_ok()
}

/// The key of a request path in the build, or `None` for anything that tries to climb out.
pub fn resolve(path: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8().ok()?;
    if decoded.contains('\\') || decoded.contains('\0') {
        return None;
    }
    let mut parts = Vec::new();
    for seg in decoded.split('/') {
        match seg {
            "" => {}
            "." | ".." => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.ends_with('/') || key.is_empty() {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn content_type(key: &str) -> &'static str {
    match key.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "xml" => "application/xml",
        "json" => "application/json",
        "csv" => "text/csv; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The live-reload script, and the error overlay when the last rebuild failed. Only the dev
/// server adds this; `ladder build` output never contains it.
fn inject(html: &[u8], errors: &[crate::error::Diagnostic]) -> Vec<u8> {
    inject_with(html, errors, "the last change has problems; showing the last good build.")
}

/// [`inject`], the overlay headed `heading`.
fn inject_with(html: &[u8], errors: &[crate::error::Diagnostic], heading: &str) -> Vec<u8> {
    let mut snippet = String::new();
    if !errors.is_empty() {
        snippet.push_str(r#"<div id="ladder-overlay" role="alert" style="position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;background:#fff0f0;color:#600;border-bottom:3px solid #c00;padding:1rem;font:14px/1.4 monospace;z-index:9999"><strong>ladder: "#);
        snippet.push_str(&escape(heading));
        snippet.push_str("</strong><ul>");
        for d in errors {
            snippet.push_str(&format!("<li>{}</li>", escape(&d.to_string())));
        }
        snippet.push_str("</ul></div>");
    }
    snippet.push_str("<script>");
    snippet.push_str(LIVE_RELOAD_JS);
    snippet.push_str("</script>");
    let text = String::from_utf8_lossy(html);
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{snippet}{}", &text[..i], &text[i..]),
        None => format!("{text}{snippet}"),
    };
    out.into_bytes()
}

async fn file(axum::extract::State(state): axum::extract::State<Arc<State>>, uri: Uri) -> Response {
    let files = state.files.read().expect("state lock").clone();
    let errors = state.errors.read().expect("state lock").clone();
    if files.is_empty() && !errors.is_empty() {
        return unbuilt(&errors);
    }
    let Some(key) = resolve(uri.path()) else { return not_found(&files, &errors) };
    let Some(bytes) = files.get(&key) else {
        // `/stories/x` → `/stories/x/` when that is a page. The location always starts with
        // exactly one `/`: `//employers/x/` would send the browser to the host `employers`.
        if files.contains_key(&format!("{key}/index.html")) {
            let location = format!("/{}/", uri.path().trim_start_matches('/'));
            return (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, location)]).into_response();
        }
        return not_found(&files, &errors);
    };
    let body = if key.ends_with(".html") { inject(bytes, &errors) } else { bytes.clone() };
    let mut r = Response::new(Body::from(body));
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type(&key)));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// What every address answers before the first good build: the problems that stop it, and the
/// live-reload script, which loads the page asked for once they are fixed.
fn unbuilt(errors: &[crate::error::Diagnostic]) -> Response {
    const PAGE: &[u8] = b"<!doctype html><html lang=\"en\" data-ladder-unbuilt><head><meta charset=\"utf-8\">\
        <title>ladder: the site has problems</title></head><body></body></html>";
    let heading = "the site has problems, so nothing is built yet; this page shows the site once they are fixed.";
    let mut r = Response::new(Body::from(inject_with(PAGE, errors, heading)));
    *r.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

fn not_found(files: &std::collections::HashMap<String, Vec<u8>>, errors: &[crate::error::Diagnostic]) -> Response {
    let body = files.get("404.html").map(|b| inject(b, errors)).unwrap_or_else(|| b"not found".to_vec());
    let mut r = Response::new(Body::from(body));
    *r.status_mut() = StatusCode::NOT_FOUND;
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
    r
}

async fn status(axum::extract::State(state): axum::extract::State<Arc<State>>) -> Response {
    let errors = state.errors.read().expect("state lock").clone();
    axum::Json(serde_json::json!({ "ok": errors.is_empty(), "problems": errors })).into_response()
}

async fn events(
    axum::extract::State(state): axum::extract::State<Arc<State>>,
) -> Sse<impl tokio_stream::Stream<Item = Result<Event, Infallible>>> {
    let stream = BroadcastStream::new(state.notices.subscribe()).filter_map(|n| match n {
        Ok(Notice::Reload) => Some(Ok(Event::default().event("reload").data("1"))),
        Ok(Notice::Errors(json)) => Some(Ok(Event::default().event("errors").data(json))),
        Err(_) => None,
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_pages_and_refuses_traversal() {
        assert_eq!(resolve("/").as_deref(), Some("index.html"));
        assert_eq!(resolve("/stories/a/").as_deref(), Some("stories/a/index.html"));
        assert_eq!(resolve("/static/style.css").as_deref(), Some("static/style.css"));
        for bad in
            ["/../site.yaml", "/%2e%2e/site.yaml", "/static/..%2f..%2fsite.yaml", "/a/%2E%2E/b", "/a\\..\\b", "/%00"]
        {
            assert_eq!(resolve(bad), None, "{bad}");
        }
    }

    #[test]
    fn only_loopback_names_and_the_bound_address_are_answered() {
        let loopback: IpAddr = "127.0.0.1".parse().unwrap();
        for ok in ["localhost", "LOCALHOST:4000", "127.0.0.1", "127.0.0.1:8080", "127.1.2.3", "[::1]", "[::1]:8080"] {
            assert!(host_allowed(ok, loopback), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:8080",
            "localhost.evil.example",
            "192.168.1.5:8080",
            "",
            "127.0.0.1:x",
            "[::1",
            "[::1]8080",
        ] {
            assert!(!host_allowed(bad, loopback), "{bad}");
        }
        let lan: IpAddr = "192.168.1.5".parse().unwrap();
        assert!(host_allowed("192.168.1.5:8080", lan));
        assert!(!host_allowed("192.168.1.6:8080", lan));
        let any: IpAddr = "0.0.0.0".parse().unwrap();
        assert!(host_allowed("10.0.0.7:8080", any), "every address when bound to every interface");
        assert!(!host_allowed("rebind.evil.example:8080", any), "but never a name");
    }

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></body></html>", &[])).unwrap();
        assert!(out.contains("new EventSource(\"/__ladder/events\")"));
        assert!(out.ends_with("</script></body></html>"));
        let with_err =
            String::from_utf8(inject(b"<body></body>", &[crate::error::Diagnostic::new("a.md", "<bad>")])).unwrap();
        assert!(with_err.contains("ladder-overlay") && with_err.contains("a.md: error: &lt;bad&gt;"));
    }
}
