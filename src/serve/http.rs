//! The dev server's HTTP side: one handler that checks the request (host, origin, method, path)
//! and answers from the in-memory site, plus the live-reload event stream.

use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::sse::{Event as SseEvent, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use brief::dev::{DevSite, Files};
use brief::output::Contents;
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

/// The path of the live-reload event stream; no site page can live under `/__brief/`.
pub const EVENTS_PATH: &str = "/__brief/events";

/// What the browser is told.
#[derive(Debug, Clone)]
pub enum Event {
    /// These site paths changed: pages showing them reload.
    Reload(Vec<String>),
    /// Only stylesheets changed: pages swap them without reloading.
    Css,
    /// The last rebuild failed; the text is the error report.
    Problem(String),
    /// The problem is gone.
    Fixed,
    /// The server is stopping: event streams end, so that shutdown need not wait for them.
    Shutdown,
}

/// What the handler shares.
pub struct AppState {
    /// The site, owned by the rebuilds.
    pub site: Mutex<DevSite>,
    /// The files served: a snapshot of the last good build, replaced as rebuilds finish, so that
    /// requests never wait for a rebuild.
    pub files: RwLock<Files>,
    /// The last rebuild's error report, if it failed.
    pub error: RwLock<Option<String>>,
    pub events: broadcast::Sender<Event>,
    pub addr: SocketAddr,
    /// The last error printed, so that the same one is printed once.
    pub last_error: std::sync::Mutex<Option<String>>,
    /// The search index (`--search`), made in the background: served beside the site's files.
    pub search: RwLock<Files>,
    /// Asks the search indexer to index the site again, when there is one.
    pub reindex: Option<std::sync::mpsc::Sender<()>>,
}

/// Answers every request.
pub async fn handle(State(state): State<Arc<AppState>>, request: Request) -> Response {
    if let Err(status) = check_host(request.headers(), state.addr) {
        return (status, "This dev server only answers requests addressed to it by IP address or localhost.\n")
            .into_response();
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "Only GET and HEAD are allowed.\n").into_response();
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let raw = request.uri().path().to_string();
    if raw == EVENTS_PATH {
        return events(&state).into_response();
    }
    let key = match output_key(&raw) {
        Ok(key) => key,
        Err(status) => return (status, "Bad request path.\n").into_response(),
    };
    let head = request.method() == Method::HEAD;
    serve_file(&state, &raw, &key, head)
}

fn serve_file(state: &AppState, raw: &str, key: &str, head: bool) -> Response {
    let files = state.files.read().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(file) = files.get(key) {
        return file_response(StatusCode::OK, &file.path, &file.contents, head);
    }
    if let Some(file) = state.search.read().unwrap_or_else(|e| e.into_inner()).get(key) {
        return file_response(StatusCode::OK, &file.path, &file.contents, head);
    }
    // `/speakers` for the folder `/speakers/`: send the browser to the address with the slash.
    if !key.ends_with("index.html") && files.contains_key(&format!("{key}/index.html")) {
        let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
        if let Ok(location) = HeaderValue::from_str(&format!("{raw}/")) {
            response.headers_mut().insert(header::LOCATION, location);
        }
        return response;
    }
    // The nearest 404 page up the path, as Cloudflare Pages finds it: `/zh/gone/` gets the
    // Chinese one, `zh/404.html`.
    let mut folder = key;
    loop {
        folder = folder.rsplit_once('/').map_or("", |(parent, _)| parent);
        let page = if folder.is_empty() { "404.html".to_string() } else { format!("{folder}/404.html") };
        if let Some(file) = files.get(&page) {
            return file_response(StatusCode::NOT_FOUND, &file.path, &file.contents, head);
        }
        if folder.is_empty() {
            return (StatusCode::NOT_FOUND, "Not found.\n").into_response();
        }
    }
}

fn file_response(status: StatusCode, path: &str, contents: &Contents, head: bool) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let bytes: Vec<u8> = match contents {
        Contents::Rendered(text) if mime.essence_str() == "text/html" => with_reload_script(text).into_bytes(),
        Contents::Rendered(text) => text.clone().into_bytes(),
        Contents::Bytes(bytes) => bytes.clone(),
        // `serve` keeps its pages in memory: a staged page is only a build's.
        Contents::Copy(from) | Contents::Staged(from) => match std::fs::read(from) {
            Ok(b) => b,
            Err(_) => return (StatusCode::NOT_FOUND, "Not found.\n").into_response(),
        },
    };
    let content_type = if mime.type_() == "text" || mime.essence_str() == "application/javascript" {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.essence_str().to_string()
    };
    let len = bytes.len();
    let mut response = Response::new(if head { Body::empty() } else { Body::from(bytes) });
    *response.status_mut() = status;
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    response
}

/// A page with the live-reload script added before `</body>`.
pub fn with_reload_script(html: &str) -> String {
    let script = format!("<script>{}</script>", include_str!("reload.js"));
    match html.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &html[..i], &html[i..]),
        None => format!("{html}{script}"),
    }
}

fn events(state: &AppState) -> impl IntoResponse {
    let first = state.error.read().unwrap_or_else(|e| e.into_inner()).clone().map(Event::Problem);
    let live = BroadcastStream::new(state.events.subscribe())
        .filter_map(|e| e.ok())
        .take_while(|e| !matches!(e, Event::Shutdown));
    let stream = tokio_stream::iter(first).chain(live).map(|e| Ok::<_, Infallible>(to_sse(&e)));
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

fn to_sse(event: &Event) -> SseEvent {
    let json = |v: &serde_json::Value| v.to_string();
    match event {
        Event::Reload(paths) => SseEvent::default().event("reload").data(json(&serde_json::json!(paths))),
        Event::Css => SseEvent::default().event("css").data("[]"),
        Event::Problem(text) => SseEvent::default().event("problem").data(json(&serde_json::json!(text))),
        Event::Fixed | Event::Shutdown => SseEvent::default().event("fixed").data("{}"),
    }
}

/// Whether a `host[:port]` names this server: by IP address or `localhost`, on its port. Names
/// that resolve elsewhere (DNS rebinding) are refused.
fn host_ok(host: &str, addr: SocketAddr) -> bool {
    let (name, port) = match host.rsplit_once(':') {
        Some((n, p)) if !n.is_empty() && !p.contains(']') => (n, p.parse::<u16>().ok()),
        _ => (host, None),
    };
    if port != Some(addr.port()) {
        return false;
    }
    let name = name.trim_start_matches('[').trim_end_matches(']');
    if name.eq_ignore_ascii_case("localhost") {
        return addr.ip().is_loopback() || addr.ip().is_unspecified();
    }
    match name.parse::<IpAddr>() {
        Ok(ip) => ip == addr.ip() || (addr.ip().is_unspecified()) || (addr.ip().is_loopback() && ip.is_loopback()),
        Err(_) => false,
    }
}

/// Refuses requests for another host, and requests sent from pages of another origin.
fn check_host(headers: &HeaderMap, addr: SocketAddr) -> Result<(), StatusCode> {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).ok_or(StatusCode::FORBIDDEN)?;
    if !host_ok(host, addr) {
        return Err(StatusCode::FORBIDDEN);
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().map_err(|_| StatusCode::FORBIDDEN)?;
        let ok = origin.strip_prefix("http://").is_some_and(|o| host_ok(o, addr));
        if !ok {
            return Err(StatusCode::FORBIDDEN);
        }
    }
    Ok(())
}

/// The in-memory output path a request path names, or why it is refused. The path is decoded
/// once; anything that could climb out of the site (`..`, backslashes, NUL, invalid UTF-8 such
/// as overlong encodings) is refused with 400 before any lookup.
pub fn output_key(raw: &str) -> Result<String, StatusCode> {
    if !raw.starts_with('/') || raw.contains('\\') {
        return Err(StatusCode::BAD_REQUEST);
    }
    let bytes = raw.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = |b: u8| (b as char).to_digit(16);
            match (bytes.get(i + 1).and_then(|&b| hex(b)), bytes.get(i + 2).and_then(|&b| hex(b))) {
                (Some(h), Some(l)) => {
                    decoded.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => return Err(StatusCode::BAD_REQUEST),
            }
        }
        decoded.push(bytes[i]);
        i += 1;
    }
    let path = String::from_utf8(decoded).map_err(|_| StatusCode::BAD_REQUEST)?;
    if path.contains(['\0', '\\']) || path.chars().any(char::is_control) {
        return Err(StatusCode::BAD_REQUEST);
    }
    let rel = &path[1..];
    if rel.starts_with('/') || rel.split('/').any(|seg| seg == ".." || seg == ".") {
        return Err(StatusCode::BAD_REQUEST);
    }
    Ok(if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_map_to_output_files() {
        assert_eq!(output_key("/").unwrap(), "index.html");
        assert_eq!(output_key("/speakers/su-bo/").unwrap(), "speakers/su-bo/index.html");
        assert_eq!(output_key("/style.css").unwrap(), "style.css");
        assert_eq!(output_key("/a%20b/").unwrap(), "a b/index.html");
    }

    #[test]
    fn paths_that_climb_out_are_refused() {
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E%2Fetc%2Fpasswd",
            "/..%2f..%2fetc/passwd",
            "/..%5c..%5cetc",
            "/..\\etc",
            "/a/%00",
            "/%c0%ae%c0%ae/etc/passwd",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/./index.html",
            "/%",
        ] {
            assert_eq!(output_key(bad), Err(StatusCode::BAD_REQUEST), "{bad}");
        }
        // Double encoding decodes once: `%252e` is the literal name `%2e`, which is no file.
        assert_eq!(output_key("/%252e%252e/etc/passwd").unwrap(), "%2e%2e/etc/passwd");
    }

    #[test]
    fn only_this_servers_address_is_a_valid_host() {
        let addr: SocketAddr = "127.0.0.1:4000".parse().unwrap();
        assert!(host_ok("127.0.0.1:4000", addr));
        assert!(host_ok("localhost:4000", addr));
        assert!(!host_ok("localhost:4001", addr));
        assert!(!host_ok("evil.example:4000", addr));
        assert!(!host_ok("127.0.0.1", addr));
        let v6: SocketAddr = "[::1]:4000".parse().unwrap();
        assert!(host_ok("[::1]:4000", v6));
    }

    #[test]
    fn reload_script_goes_before_body_end() {
        let html = with_reload_script("<html><body><p>x</p></body></html>");
        assert!(html.contains("<p>x</p><script>"));
        assert!(html.ends_with("</script></body></html>"));
    }
}
