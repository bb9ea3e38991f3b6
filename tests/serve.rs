//! `ladder serve` end to end: a real server on a free loopback port, real file edits, real HTTP.

mod common;
use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

struct Server {
    child: Child,
    addr: String,
    _site: tempfile::TempDir,
    root: std::path::PathBuf,
    /// What it printed before it said it was serving.
    said: Vec<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(extra: &[&str]) -> Server {
    start_with(extra, |_| {})
}

/// [`start`] on the example site after `prepare` has changed it.
fn start_with(extra: &[&str], prepare: impl FnOnce(&std::path::Path)) -> Server {
    let site = example_site();
    let root = site.path().to_path_buf();
    prepare(&root);
    let mut child = Command::new(env!("CARGO_BIN_EXE_ladder"))
        .args(["serve", "--port", "0"])
        .args(extra)
        .current_dir(&root)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut said = Vec::new();
    let addr = loop {
        let line = rx.recv_timeout(deadline - Instant::now()).expect("server did not start");
        if let Some(rest) = line.strip_prefix("serving http://") {
            break rest.split('/').next().unwrap().to_string();
        }
        said.push(line);
    };
    // Keep draining stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || while rx.recv().is_ok() {});
    Server { child, addr, _site: site, root, said }
}

/// A raw HTTP/1.1 GET, so the path reaches the server exactly as written.
fn get(addr: &str, path: &str) -> (u16, String) {
    let (status, _, body) = get_as(addr, addr, path);
    (status, body)
}

/// As [`get`] with a chosen `Host` header; also returns the response's headers.
fn get_as(addr: &str, host: &str, path: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    (status, head.to_string(), body.to_string())
}

fn wait_for(what: &str, limit: Duration, mut f: impl FnMut() -> bool) -> Duration {
    let started = Instant::now();
    while !f() {
        assert!(started.elapsed() < limit, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
    started.elapsed()
}

/// Outside round 4 of issue 17, item 6: started on a site with a problem, `serve` said it was
/// "still serving the last good build" when there was none, and every page was a bare 404.
/// Every address shows the problems until the first good build, which then replaces them.
#[test]
fn a_site_broken_at_start_shows_its_problems_on_every_page() {
    let server = start_with(&[], |root| {
        let employer = root.join("content/employers/brightwater-digital.yaml");
        write(&employer, &read(&employer).replace("region: London", "region: Londn"));
    });
    let said = server.said.join("\n");
    assert!(said.contains("nothing is built yet") && !said.contains("last good build"), "{said}");
    for path in ["/", "/stories/levy-that-travels/", "/static/style.css"] {
        let (status, body) = get(&server.addr, path);
        assert_eq!(status, 503, "{path}");
        assert!(body.contains("<div id=\"ladder-overlay\""), "{path}: {body}");
        assert!(body.contains("brightwater-digital.yaml:4:9: error in `region`"), "{path}: {body}");
        assert!(body.contains("nothing is built yet") && body.contains("/__ladder/events"), "{path}: {body}");
    }
    let employer = server.root.join("content/employers/brightwater-digital.yaml");
    write(&employer, &read(&employer).replace("region: Londn", "region: London"));
    wait_for("the fix", Duration::from_secs(10), || get(&server.addr, "/").0 == 200);
    let (status, body) = get(&server.addr, "/stories/levy-that-travels/");
    assert_eq!(status, 200);
    assert!(body.contains("A levy that travels") && !body.contains("<div id=\"ladder-overlay\""), "{body}");
}

#[test]
fn edits_show_up_errors_overlay_and_clear() {
    let server = start(&[]);
    let page = "/stories/levy-that-travels/";
    let (status, body) = get(&server.addr, page);
    assert_eq!(status, 200);
    assert!(body.contains("A levy that travels"));
    assert!(body.contains("/__ladder/events"), "live reload script is injected");
    assert!(!body.contains("<div id=\"ladder-overlay\""));

    // Edit: the new text is served within a second.
    let story = server.root.join("content/stories/levy-that-travels.md");
    write(
        &story,
        &read(&story)
            .replace("Large employers pay the apprenticeship levy", "Big employers pay the apprenticeship levy"),
    );
    let took = wait_for("the edit", Duration::from_secs(5), || get(&server.addr, page).1.contains("Big employers pay"));
    assert!(took < Duration::from_secs(1), "edit took {took:?} to show");

    // Break it: the old content stays, with an overlay naming file and line.
    write(&story, &read(&story).replace("date: 2025-01-29", "date: 2025-01-99"));
    wait_for("the error", Duration::from_secs(5), || get(&server.addr, "/__ladder/status").1.contains("\"ok\":false"));
    let (status, body) = get(&server.addr, page);
    assert_eq!(status, 200);
    assert!(body.contains("Big employers pay"), "the last good build is still served");
    assert!(body.contains("<div id=\"ladder-overlay\""));
    assert!(body.contains("content/stories/levy-that-travels.md:3:7: error in `date`"), "{body}");

    // Fix it: the overlay goes.
    write(&story, &read(&story).replace("date: 2025-01-99", "date: 2025-01-29"));
    wait_for("the fix", Duration::from_secs(5), || get(&server.addr, "/__ladder/status").1.contains("\"ok\":true"));
    assert!(!get(&server.addr, page).1.contains("<div id=\"ladder-overlay\""));
}

#[test]
fn reload_event_is_sent_after_a_rebuild() {
    let server = start(&[]);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(s, "GET /__ladder/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let mut reader = BufReader::new(s);
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert!(line.contains("200"), "{line}");
    std::thread::sleep(Duration::from_millis(200));
    let page = server.root.join("content/pages/about.md");
    write(&page, &read(&page).replace("This site publishes", "This website publishes"));
    let started = Instant::now();
    loop {
        line.clear();
        reader.read_line(&mut line).unwrap();
        if line.starts_with("event: reload") {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(5), "no reload event");
    }
}

#[test]
fn paths_outside_the_site_are_refused() {
    let server = start(&[]);
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/static/..%2f..%2fsite.yaml",
        "/static/%2e%2e/%2e%2e/content/employers/northgate-rail.yaml",
        "/..%5csite.yaml",
        "/content/employers/northgate-rail.yaml",
        "/site.yaml",
    ] {
        let (status, body) = get(&server.addr, path);
        assert_eq!(status, 404, "{path}");
        assert!(!body.contains("benchmark_set") && !body.contains("root:"), "{path} leaked a file");
    }
    assert_eq!(get(&server.addr, "/static/style.css").0, 200);
    let (status, _) = get(&server.addr, "/stories/levy-that-travels");
    assert_eq!(status, 301, "a page without its slash redirects");
}

#[test]
fn binds_loopback_by_default_and_writes_nothing() {
    let server = start(&[]);
    assert!(server.addr.starts_with("127.0.0.1:"), "{}", server.addr);
    let before = tree(&server.root);
    let story = server.root.join("content/stories/council-frontline.md");
    write(&story, &read(&story).replace("used to be advertised only", "were once advertised only"));
    wait_for("the edit", Duration::from_secs(5), || {
        get(&server.addr, "/stories/council-frontline/").1.contains("were once advertised only")
    });
    let after = tree(&server.root);
    let changed: Vec<&String> = after.keys().filter(|k| before.get(*k) != after.get(*k)).collect();
    assert_eq!(changed, vec!["content/stories/council-frontline.md"], "serve wrote into the site");
    assert!(!server.root.join("output").exists());
}

#[test]
fn new_site_builds_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("x");
    let out = ladder(dir.path(), &["new", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("ladder serve") && err.contains("ladder build"), "prints the next commands: {err}");
    let out = ladder(dir.path(), &["build", "--site", site.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(site.join("output/employers/example-apprenticeships/index.html").is_file());
    assert!(site.join("output/stories/our-first-apprentice/index.html").is_file());
    assert!(site.join("output/about/index.html").is_file());
    assert!(!read(&site.join("output/index.html")).contains("__ladder"), "no live reload in build output");
    // A second `new` into the same folder is refused.
    assert_eq!(ladder(dir.path(), &["new", site.to_str().unwrap()]).status.code(), Some(1));
}

/// Every schema a new site's files point to is in the new site, where they say (site.yaml's
/// "field reference" from the site folder, `$schema=` modelines from the file's own folder), and
/// it is the schema `ladder schema` writes.
#[test]
fn a_new_site_holds_the_schemas_its_files_name() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("x");
    assert!(ladder(dir.path(), &["new", site.to_str().unwrap()]).status.success());
    let mut named = 0;
    for (rel, bytes) in tree(&site) {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let folder = site.join(&rel).parent().unwrap().to_path_buf();
        for (i, _) in text.match_indices("schemas/") {
            let start = text[..i].rfind(|c: char| c.is_whitespace() || c == '=').map_or(0, |p| p + 1);
            let end = i + text[i..].find(|c: char| c.is_whitespace() || c == ')').unwrap_or(text.len() - i);
            // JSON (`.vscode/settings.json`) quotes its paths: `"./schemas/x.json": [...]`.
            let path = text[start..end].trim_matches(['"', ':', ',']);
            let from = if text[..start].ends_with('=') { &folder } else { &site };
            let schema = from.join(path);
            assert!(schema.is_file(), "{rel} names {path}, which the new site lacks");
            let name = schema.file_name().unwrap();
            assert_eq!(read(&schema), read(&repo().join("schemas").join(name)), "{rel}: {path}");
            named += 1;
        }
    }
    assert!(named >= 2, "site.yaml and the employer name their schemas");
}

#[test]
fn other_host_names_are_refused() {
    let server = start(&[]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    // A page on another site that rebinds its own name to 127.0.0.1 still sends that name.
    for host in ["rebind.evil.example", &format!("rebind.evil.example:{port}"), "localhost.evil.example", "10.1.2.3"] {
        let (status, _, body) = get_as(&server.addr, host, "/");
        assert!(status == 421 || status == 403, "{host}: {status}");
        assert!(!body.contains("/__ladder/events"), "{host} was served the site");
        let (status, _, body) = get_as(&server.addr, host, "/__ladder/status");
        assert!(status == 421 || status == 403, "{host}: {status}");
        assert!(!body.contains("problems"), "{host} read the build status");
    }
    for host in ["localhost", &format!("localhost:{port}"), "127.0.0.1", &server.addr, &format!("[::1]:{port}")] {
        assert_eq!(get_as(&server.addr, host, "/").0, 200, "{host}");
    }
}

/// Send `request` as written (CRLF line ends added) and return the status and body.
fn raw(addr: &str, request: &str) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request.replace('\n', "\r\n").as_bytes()).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

/// The `Host` check stops DNS rebinding only if no other name in the request can slip past it:
/// a request in absolute form names its host in the request line (and HTTP says that name wins
/// over `Host`), and a second `Host` header may be the one a proxy or cache reads.
#[test]
fn a_name_hidden_in_the_request_line_or_a_second_host_header_is_refused() {
    let server = start(&[]);
    let port = server.addr.rsplit(':').next().unwrap().to_string();
    for path in ["/", "/__ladder/status"] {
        for request in [
            format!("GET http://evil.example{path} HTTP/1.1\nHost: localhost\nConnection: close\n\n"),
            format!("GET http://evil.example:{port}{path} HTTP/1.1\nHost: localhost:{port}\nConnection: close\n\n"),
            format!("GET {path} HTTP/1.1\nHost: localhost\nHost: evil.example\nConnection: close\n\n"),
            format!("GET {path} HTTP/1.1\nHost: evil.example\nHost: localhost\nConnection: close\n\n"),
            format!("GET {path} HTTP/1.1\nHost: localhost\nHost: localhost\nConnection: close\n\n"),
        ] {
            let (status, body) = raw(&server.addr, &request);
            assert!(status == 400 || status == 421, "{request:?}: {status}");
            assert!(!body.contains("/__ladder/events") && !body.contains("problems"), "{request:?} was answered");
            assert!(body.len() < 200 && !body.contains('<'), "{request:?}: the refusal is short plain text: {body}");
        }
    }
    // A well-formed absolute-form request for this server is still answered.
    let ok = format!("GET http://localhost:{port}/ HTTP/1.1\nHost: localhost:{port}\nConnection: close\n\n");
    assert_eq!(raw(&server.addr, &ok).0, 200);
}

#[test]
fn a_doubled_slash_never_redirects_off_the_site() {
    let server = start(&[]);
    for path in ["//stories/levy-that-travels", "///stories/levy-that-travels", "//employers/northgate-rail"] {
        let (status, head, _) = get_as(&server.addr, &server.addr, path);
        let location = head
            .lines()
            .find_map(|l| l.strip_prefix("location: ").or_else(|| l.strip_prefix("Location: ")))
            .unwrap_or_default()
            .to_string();
        assert!(status == 301 || status == 404, "{path}: {status}");
        if status == 301 {
            assert!(location.starts_with('/') && !location.starts_with("//"), "{path} redirects to {location}");
        }
    }
    let (_, head, _) = get_as(&server.addr, &server.addr, "//employers/northgate-rail");
    assert!(head.to_lowercase().contains("location: /employers/northgate-rail/\r\n"), "{head}");
}

#[test]
fn a_client_that_never_finishes_its_headers_is_cut_off() {
    let server = start(&[]);
    let mut s = TcpStream::connect(&server.addr).unwrap();
    // Half a request, then silence (slowloris).
    write!(s, "GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: ", server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 512];
    // The server either answers 408 or just closes; either way the read ends, and soon.
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(_) => continue,
        }
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(15), "the connection was held for {took:?}");
    assert!(took >= Duration::from_secs(1), "closed at once ({took:?}): the test did not exercise the timeout");
}

/// Outside round 17e, item 6: `ladder serve > serve.log` in the site folder rebuilt for every
/// line it wrote to its own log, for ever. Only changes to the inputs rebuild: the log, notes
/// and other files in the site folder do not, and an edit to a story still does.
#[test]
fn only_changes_to_the_inputs_rebuild_so_a_log_in_the_site_folder_does_not_loop() {
    let site = example_site();
    let root = site.path().to_path_buf();
    let log_path = root.join("serve.log");
    let log = std::fs::File::create(&log_path).unwrap();
    // `LADDER_BIN`: another build (an older one, to see this fail there).
    let bin = std::env::var("LADDER_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_ladder").to_string());
    let child = Command::new(bin)
        .args(["serve", "--port", "0"])
        .current_dir(&root)
        .stderr(Stdio::from(log))
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    struct Killed(Child);
    impl Drop for Killed {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let _child = Killed(child);
    let said = || std::fs::read_to_string(&log_path).unwrap_or_default();
    let rebuilds = || said().lines().filter(|l| l.starts_with("rebuilt")).count();
    wait_for("the server", Duration::from_secs(30), || said().contains("serving http://"));
    // Time for a loop to show itself: each rebuild writes a line to the log, which is a change.
    std::thread::sleep(Duration::from_millis(1500));
    let settled = rebuilds();
    write(&root.join("notes.txt"), "to do: add the 2025 figures\n");
    std::fs::create_dir_all(root.join("drafts")).unwrap();
    write(&root.join("drafts/idea.md"), "an idea\n");
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(rebuilds(), settled, "files that are not inputs rebuilt the site:\n{}", said());
    // An input still does, once.
    let story = root.join("content/stories/levy-that-travels.md");
    write(&story, &read(&story).replace("Large employers pay", "Big employers pay"));
    let edited = Instant::now();
    while rebuilds() == settled {
        assert!(edited.elapsed() < Duration::from_secs(10), "an edit to a story did not rebuild:\n{}", said());
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(1500));
    assert_eq!(rebuilds(), settled + 1, "{}", said());
}
