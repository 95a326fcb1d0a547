//! `brief deploy` against a real S3-compatible server (moto's, started on loopback; `scripts/test`
//! installs it) and against a local folder: what lands there, with which headers, what a second
//! deploy sends, what it deletes, and the guards that stop it.
//!
//! brief is run as a user runs it: from inside the site folder, with the standard AWS variables.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{brief, tree, Run, Site};
use object_store::aws::{AmazonS3, AmazonS3Builder};
use object_store::path::Path as Key;
use object_store::{Attribute, ObjectStore, ObjectStoreExt};

const BUCKET: &str = "briefing";
const MANIFEST: &str = "brief-manifest.json";

/// moto's S3 server on a free port of loopback, stopped when dropped.
struct Moto {
    child: Child,
    port: u16,
    /// Its working folder, where it records requests: each server its own.
    _dir: tempfile::TempDir,
}

impl Moto {
    fn start() -> Moto {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let child = Command::new("python3")
            .args(["-m", "moto.server", "-H", "127.0.0.1", "-p", &port.to_string()])
            .current_dir(dir.path())
            .env("MOTO_RECORDER_FILEPATH", dir.path().join("recording"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 is missing: run scripts/test, which installs moto's server");
        let mut moto = Moto { child, port, _dir: dir };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Some(status) = moto.child.try_wait().unwrap() {
                panic!("moto's server exited with {status}: run scripts/test, which installs it (pip install -r tests/requirements.txt)");
            }
            assert!(Instant::now() < deadline, "moto's server did not answer within 60 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        let client = reqwest::blocking::Client::new();
        assert!(client.put(moto.url(&format!("/{BUCKET}"))).send().unwrap().status().is_success());
        moto.post("/moto-api/recorder/start-recording");
        moto
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn post(&self, path: &str) {
        let response = reqwest::blocking::Client::new().post(self.url(path)).send().unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
    }

    /// Forgets the requests recorded so far.
    fn reset(&self) {
        self.post("/moto-api/recorder/reset-recording");
        self.post("/moto-api/recorder/start-recording");
    }

    /// The keys (under the bucket) of the requests of `method` recorded since the last reset.
    fn requests(&self, method: &str) -> BTreeSet<String> {
        let text = reqwest::blocking::get(self.url("/moto-api/recorder/download-recording")).unwrap().text().unwrap();
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
            .filter(|r| r["method"] == method)
            .filter_map(|r| {
                let url = url::Url::parse(r["url"].as_str()?).ok()?;
                let key = url.path().strip_prefix(&format!("/{BUCKET}/"))?.to_string();
                Some(percent_decode(&key))
            })
            .collect()
    }

    /// A client of the bucket, to read back what a deploy left.
    fn store(&self) -> AmazonS3 {
        AmazonS3Builder::new()
            .with_bucket_name(BUCKET)
            .with_endpoint(self.url(""))
            .with_allow_http(true)
            .with_region("us-east-1")
            .with_access_key_id("test")
            .with_secret_access_key("test")
            .build()
            .unwrap()
    }

    /// `brief deploy s3://briefing/site ARGS`, from inside the site folder.
    fn deploy(&self, site: &Site, args: &[&str]) -> Run {
        self.deploy_through(&self.url(""), site, args)
    }

    /// The same, through the endpoint `endpoint` (a proxy in front of the server).
    fn deploy_through(&self, endpoint: &str, site: &Site, args: &[&str]) -> Run {
        let out = brief()
            .arg("deploy")
            .arg(format!("s3://{BUCKET}/site"))
            .args(args)
            .current_dir(site.root())
            .env("AWS_ENDPOINT_URL", endpoint)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_ACCESS_KEY_ID", "test")
            .env("AWS_SECRET_ACCESS_KEY", "not-a-secret-1234")
            .output()
            .unwrap();
        let run = Run::from(out);
        assert!(!run.stdout.contains("not-a-secret-1234") && !run.stderr.contains("not-a-secret-1234"));
        run
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A proxy in front of moto's server that fails requests with `503 Slow Down`, the answer a
/// client retries: every `nth` request (none with 0), and every request whose target contains
/// `always`. Each connection carries one request (the server closes it after its answer).
struct Faulty {
    port: u16,
    failed: std::sync::Arc<std::sync::atomic::AtomicUsize>,
    count: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl Faulty {
    fn start(upstream: u16, nth: usize, always: Option<&'static str>) -> Faulty {
        Faulty::start_slow(upstream, nth, always, Duration::ZERO)
    }

    /// The same, holding each request `delay` before it passes it on.
    fn start_slow(upstream: u16, nth: usize, always: Option<&'static str>, delay: Duration) -> Faulty {
        use std::io::{Read, Write};
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let (count, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let (seen, counted) = (Arc::clone(&failed), Arc::clone(&count));
        std::thread::spawn(move || {
            for client in listener.incoming() {
                let Ok(mut client) = client else { continue };
                let (count, failed) = (Arc::clone(&count), Arc::clone(&seen));
                std::thread::spawn(move || {
                    // The request: its head, then as many bytes of body as it announces.
                    let mut request = Vec::new();
                    let mut buf = [0u8; 65536];
                    let head_end = loop {
                        match client.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                        if let Some(i) = request.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                    };
                    let head = String::from_utf8_lossy(&request[..head_end]).to_ascii_lowercase();
                    let length: usize = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse().ok())
                        .unwrap_or(0);
                    while request.len() < head_end + length {
                        match client.read(&mut buf) {
                            Ok(0) | Err(_) => return,
                            Ok(n) => request.extend_from_slice(&buf[..n]),
                        }
                    }
                    let target = head.lines().next().unwrap_or("").to_string();
                    let n = count.fetch_add(1, Ordering::SeqCst) + 1;
                    if (nth > 0 && n % nth == 0) || always.is_some_and(|a| target.contains(a)) {
                        failed.fetch_add(1, Ordering::SeqCst);
                        let body =
                            "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>";
                        let _ = write!(
                            client,
                            "HTTP/1.1 503 Slow Down\r\nContent-Type: application/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        return;
                    }
                    std::thread::sleep(delay);
                    let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)) else { return };
                    if server.write_all(&request).is_err() {
                        return;
                    }
                    let mut response = Vec::new();
                    let _ = server.read_to_end(&mut response);
                    let _ = client.write_all(&response);
                });
            }
        });
        Faulty { port, failed, count: counted }
    }

    fn requests(&self) -> usize {
        self.count.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn failed(&self) -> usize {
        self.failed.load(std::sync::atomic::Ordering::SeqCst)
    }
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// Every object under `site/`, with its bytes and headers.
fn objects(store: &AmazonS3) -> BTreeMap<String, (Vec<u8>, BTreeMap<String, String>)> {
    objects_under(store, "site")
}

/// Every object under `prefix/`, by key relative to it, with its bytes and headers.
fn objects_under<S: ObjectStore>(store: &S, prefix: &str) -> BTreeMap<String, (Vec<u8>, BTreeMap<String, String>)> {
    use futures::TryStreamExt;
    block_on(async {
        let metas: Vec<object_store::ObjectMeta> = store.list(Some(&Key::from(prefix))).try_collect().await.unwrap();
        let mut out = BTreeMap::new();
        for m in metas {
            let got = store.get(&m.location).await.unwrap();
            let mut headers = BTreeMap::new();
            for (attribute, value) in got.attributes.iter() {
                let name = match attribute {
                    Attribute::ContentType => "content-type",
                    Attribute::CacheControl => "cache-control",
                    Attribute::ContentEncoding => "content-encoding",
                    _ => continue,
                };
                headers.insert(name.to_string(), value.to_string());
            }
            let bytes = got.bytes().await.unwrap().to_vec();
            out.insert(m.location.as_ref().strip_prefix(&format!("{prefix}/")).unwrap().to_string(), (bytes, headers));
        }
        out
    })
}

/// `brief publish` into `out`, as a fresh build of the same files gives it.
fn publish(site: &Site, out: &Path, base_url: &str) -> BTreeMap<String, Vec<u8>> {
    let _ = std::fs::remove_dir_all(out);
    site.run(&["publish", "--out", out.to_str().unwrap(), "--base-url", base_url]).ok();
    tree(out)
}

/// The files whose bytes differ between two outputs, or that only one has.
fn differ(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    a.keys().chain(b.keys()).filter(|k| a.get(*k) != b.get(*k)).cloned().collect()
}

/// What a deploy from output `a` to output `b` does: `N uploaded, N replaced, N deleted`, the
/// words of its summary. (The search index's files are named after their content: a change of
/// text uploads new ones and deletes the old.)
fn plan(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> String {
    let uploaded = b.keys().filter(|k| !a.contains_key(*k)).count();
    let replaced = b.iter().filter(|(k, v)| a.get(*k).is_some_and(|old| old != *v)).count();
    let deleted = a.keys().filter(|k| !b.contains_key(*k)).count();
    format!("{uploaded} uploaded, {replaced} replaced, {deleted} deleted")
}

/// The manifest of an output, by path.
fn manifest(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, serde_json::Value> {
    let m: serde_json::Value = serde_json::from_slice(&files[MANIFEST]).unwrap();
    m["files"].as_array().unwrap().iter().map(|e| (e["path"].as_str().unwrap().to_string(), e.clone())).collect()
}

const BASE: &str = "https://briefing.example.org/";

/// What a store is to hold of a published output: every file but the copies for other hosts
/// (`.gz` and `.br` siblings, `_headers`, dotfiles), and but the manifest, which describes what
/// the store holds.
fn for_store(published: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    published
        .iter()
        .filter(|(k, _)| {
            let name = k.rsplit('/').next().unwrap();
            !k.ends_with(".gz") && !k.ends_with(".br") && *k != "_headers" && !name.starts_with('.') && *k != MANIFEST
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The objects of the store, but its manifest, by key; and that manifest, checked against them.
fn stored(store: &AmazonS3) -> BTreeMap<String, Vec<u8>> {
    use sha2::Digest;
    let mut all = objects(store);
    let (manifest, _) = all.remove(MANIFEST).expect("no manifest in the store");
    let manifest: serde_json::Value = serde_json::from_slice(&manifest).unwrap();
    let files: BTreeMap<&str, &str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["sha256"].as_str().unwrap()))
        .collect();
    let bytes: BTreeMap<String, Vec<u8>> = all.into_iter().map(|(k, (b, _))| (k, b)).collect();
    assert_eq!(files.keys().copied().collect::<Vec<_>>(), bytes.keys().map(String::as_str).collect::<Vec<_>>());
    for (path, body) in &bytes {
        let hash: String = sha2::Sha256::digest(body).iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(files[path.as_str()], hash, "the store's manifest is wrong about {path}");
    }
    bytes
}

#[test]
fn s3_deploys_exactly_the_published_site_then_only_what_changed() {
    let moto = Moto::start();
    let site = Site::real();
    let tmp = tempfile::tempdir().unwrap();
    let first = publish(&site, &tmp.path().join("first"), BASE);

    // The first deploy: every file a store needs, with the type, cache policy and encoding of the
    // manifest, and the manifest after them.
    let run = moto.deploy(&site, &["--base-url", BASE]).ok();
    let wanted = for_store(&first);
    assert!(
        run.stdout.contains(&format!("{} uploaded, 0 replaced, 0 deleted, 0 unchanged", wanted.len())),
        "{}",
        run.stdout
    );
    let store = moto.store();
    assert!(stored(&store) == wanted, "the store differs from the published site");
    let listed = manifest(&first);
    for (path, (_, headers)) in objects(&store).iter().filter(|(k, _)| *k != MANIFEST) {
        let entry = &listed[path];
        assert_eq!(headers["content-type"], entry["content_type"].as_str().unwrap(), "{path}");
        assert_eq!(headers.get("content-encoding"), None, "{path}");
        let fingerprinted = path.split('.').any(|p| p.len() == 10 && p.bytes().all(|b| b.is_ascii_hexdigit()));
        let cache =
            if fingerprinted { "public, max-age=31536000, immutable" } else { "public, max-age=0, must-revalidate" };
        assert_eq!(headers["cache-control"], cache, "{path}");
        assert_eq!(entry["cache_control"], cache, "{path}");
    }

    // Nothing changed: nothing is sent.
    moto.reset();
    let run = moto.deploy(&site, &["--base-url", BASE]).ok();
    assert!(
        run.stdout.contains(&format!("0 uploaded, 0 replaced, 0 deleted, {} unchanged", wanted.len())),
        "{}",
        run.stdout
    );
    assert!(moto.requests("PUT").is_empty() && moto.requests("POST").is_empty());

    // One announcement edited: exactly the files whose bytes changed, and the manifest.
    site.edit("content/announcements/satellite-data-platform.md", "summary: ", "summary: Edited. ");
    let second = publish(&site, &tmp.path().join("second"), BASE);
    let changed = differ(&for_store(&first), &for_store(&second));
    assert!(changed.len() < 20, "{} files changed: {changed:?}", changed.len());
    // A dry run says so and changes nothing.
    moto.reset();
    let dry = moto.deploy(&site, &["--base-url", BASE, "--dry-run"]).ok();
    assert!(dry.stdout.contains("nothing was changed"), "{}", dry.stdout);
    assert!(dry.stdout.contains("~ replace announcements/satellite-data-platform/index.html"), "{}", dry.stdout);
    assert!(moto.requests("PUT").is_empty() && moto.requests("POST").is_empty());
    // One request at a time: moto's recorder appends each request to one file without a lock,
    // and concurrent uploads can interleave their lines.
    moto.deploy(&site, &["--base-url", BASE, "--jobs", "1"]).ok();
    let put = moto.requests("PUT");
    let mut expected: BTreeSet<String> = changed.iter().filter(|k| second.contains_key(*k)).cloned().collect();
    expected.insert(MANIFEST.to_string());
    assert_eq!(put.iter().map(|k| k.strip_prefix("site/").unwrap().to_string()).collect::<BTreeSet<_>>(), expected);
    assert!(stored(&store) == for_store(&second), "the store differs from the second output");
}

/// With `--precompressed`, each text file is stored gzip-compressed under its own name.
#[test]
fn s3_precompressed_bodies_are_stored_with_their_encoding() {
    let moto = Moto::start();
    let site = Site::starter();
    let tmp = tempfile::tempdir().unwrap();
    let published = publish(&site, tmp.path(), "https://example.org/");
    moto.deploy(&site, &["--precompressed"]).ok();
    let there = objects(&moto.store());
    assert!(!there.keys().any(|k| k.ends_with(".gz") || k.ends_with(".br")));
    let (body, headers) = &there["index.html"];
    assert_eq!(body, &published["index.html.gz"]);
    assert_eq!(headers["content-encoding"], "gzip");
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    let (body, headers) = &there["favicon.svg"];
    if published.contains_key("favicon.svg.gz") {
        assert_eq!(body, &published["favicon.svg.gz"]);
        assert_eq!(headers["content-encoding"], "gzip");
    }
    // The cache policy of site.yaml reaches the objects, and a new one replaces their headers.
    let yaml = site.read("content/site.yaml");
    site.write("content/site.yaml", format!("{yaml}cache:\n  other: public, max-age=60\n"));
    moto.deploy(&site, &["--precompressed"]).ok();
    let there = objects(&moto.store());
    assert_eq!(there["index.html"].1["cache-control"], "public, max-age=60");
    let css = there.keys().find(|k| k.ends_with(".css")).unwrap();
    assert_eq!(there[css].1["cache-control"], "public, max-age=31536000, immutable");
    site.write("content/site.yaml", yaml);
    // Without it again: the plain bodies replace them.
    let run = moto.deploy(&site, &[]).ok();
    assert!(run.stdout.contains("0 uploaded"), "{}", run.stdout);
    assert!(stored(&moto.store()) == for_store(&published));
}

#[test]
fn s3_deletes_what_is_gone_within_the_guard_and_keeps_to_its_own_site() {
    let moto = Moto::start();
    let site = Site::starter();
    moto.deploy(&site, &[]).ok();
    let store = moto.store();
    assert!(objects(&store).contains_key("about/index.html"));

    // The free page deleted: more deletions than allowed stops the deploy before any change.
    std::fs::remove_file(site.root().join("content/pages/about.md")).unwrap();
    moto.reset();
    let refused = moto.deploy(&site, &["--max-deletes", "0"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("more than --max-deletes 0: nothing was changed"), "{}", refused.stderr);
    // (S3 deletes are POSTs of a list of keys.)
    assert_eq!((moto.requests("PUT"), moto.requests("POST")), Default::default());
    // Within the guard: deleted there, after the uploads.
    let before: BTreeSet<String> = objects(&store).into_keys().collect();
    let run = moto.deploy(&site, &[]).ok();
    let there = objects(&store);
    let gone: BTreeSet<&str> = before.iter().map(String::as_str).filter(|k| !there.contains_key(*k)).collect();
    assert!(run.stdout.contains(&format!("{} deleted", gone.len())), "{}", run.stdout);
    // The page, and the files of the search index that named it.
    assert!(gone.contains("about/index.html"), "{gone:?}");
    assert!(gone.iter().all(|k| *k == "about/index.html" || k.starts_with("pagefind/")), "{gone:?}");
    let out = tempfile::tempdir().unwrap();
    let published = publish(&site, out.path(), "https://example.org/");
    assert!(stored(&store) == for_store(&published));

    // Another site (another base URL) is refused without --force.
    moto.reset();
    let other = moto.deploy(&site, &["--base-url", "https://other.example/"]);
    assert_eq!(other.code, 2, "{}", other.stderr);
    assert!(
        other.stderr.contains("holds the site https://example.org/, not https://other.example/"),
        "{}",
        other.stderr
    );
    assert!(moto.requests("PUT").is_empty());
    moto.deploy(&site, &["--base-url", "https://other.example/", "--force"]).ok();
}

/// A deploy stopped half-way (here by requests that keep failing), among its uploads or before
/// its deletions, leaves a manifest that says it is incomplete; run again, it ends exactly where a
/// clean deploy ends.
#[test]
fn s3_a_deploy_stopped_half_way_finishes_when_run_again() {
    let moto = Moto::start();
    let site = Site::starter();
    let tmp = tempfile::tempdir().unwrap();
    moto.deploy(&site, &[]).ok();
    let store = moto.store();
    let complete = |store: &AmazonS3| -> bool {
        let bytes =
            block_on(async { store.get(&Key::from(format!("site/{MANIFEST}"))).await.unwrap().bytes().await.unwrap() });
        serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["complete"] == true
    };
    assert!(complete(&store));

    // Stopped among the uploads.
    site.edit("content/announcements/opening.md", "The Example Expo opens", "The Example Expo has opened");
    std::fs::remove_file(site.root().join("content/pages/about.md")).unwrap();
    let proxy = Faulty::start(moto.port, 0, Some("/site/announcements/opening/index.html"));
    assert_eq!(moto.deploy_through(&proxy.url(), &site, &[]).code, 1);
    assert!(!complete(&store), "a deploy stopped among its uploads left a complete manifest");
    moto.deploy(&site, &[]).ok();
    let second = for_store(&publish(&site, &tmp.path().join("second"), "https://example.org/"));
    assert!(stored(&store) == second, "the store differs from a clean deploy");
    assert!(complete(&store));

    // Stopped before its deletions (S3 deletes with a POST to `?delete`).
    std::fs::remove_file(site.root().join("content/speakers/jane-doe.md")).unwrap();
    site.edit("content/announcements/opening.md", "speakers: [jane-doe]", "speakers: []");
    site.edit("content/announcements/opening.md", " and [Jane Doe's page](/speakers/jane-doe/)", "");
    site.edit("content/timeline.yaml", "  speakers: [jane-doe]\n", "");
    let proxy = Faulty::start(moto.port, 0, Some("?delete"));
    let run = moto.deploy_through(&proxy.url(), &site, &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("cannot delete"), "{}", run.stderr);
    assert!(objects(&store).contains_key("speakers/jane-doe/index.html"));
    assert!(!complete(&store), "a deploy stopped before its deletions left a complete manifest");
    let run = moto.deploy(&site, &[]).ok();
    // Only the deletions were left: the page, and the search index's old files.
    assert!(run.stdout.contains("0 uploaded, 0 replaced, ") && !run.stdout.contains(" 0 deleted"), "{}", run.stdout);
    let third = for_store(&publish(&site, &tmp.path().join("third"), "https://example.org/"));
    assert!(stored(&store) == third, "the store differs from a clean deploy");
    assert!(complete(&store));
}

#[test]
fn a_folder_target_gets_the_same_files_and_only_changes() {
    let site = Site::starter();
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("docroot");
    let url = format!("file://{}", target.display());
    let deploy = |args: &[&str]| -> Run {
        Run::from(brief().arg("deploy").arg(&url).args(args).current_dir(site.root()).output().unwrap())
    };
    deploy(&[]).ok();
    let first = publish(&site, &tmp.path().join("first"), "https://example.org/");
    let without_manifest = |mut files: BTreeMap<String, Vec<u8>>| {
        files.remove(MANIFEST);
        files
    };
    assert_eq!(tree(&target).keys().collect::<Vec<_>>(), first.keys().collect::<Vec<_>>());
    assert!(
        without_manifest(tree(&target)) == without_manifest(first.clone()),
        "the folder differs from the published output"
    );
    // Published once by hand, then deployed from that folder: the same.
    site.edit("content/announcements/opening.md", "The Example Expo opens", "The Example Expo has opened");
    std::fs::remove_file(site.root().join("content/pages/about.md")).unwrap();
    let second = publish(&site, &tmp.path().join("second"), "https://example.org/");
    let changed = differ(&first, &second);
    let dry = deploy(&["--from", tmp.path().join("second").to_str().unwrap(), "--dry-run"]).ok();
    let deletes = first.keys().filter(|k| !second.contains_key(*k)).count();
    assert!(deletes >= 3, "{deletes}");
    assert!(dry.stdout.contains(&format!("{deletes} files to delete")), "{}", dry.stdout);
    assert!(without_manifest(tree(&target)) == without_manifest(first.clone()), "a dry run changed the folder");
    let mtimes = |dir: &Path| -> BTreeMap<String, std::time::SystemTime> {
        tree(dir).keys().map(|k| (k.clone(), std::fs::metadata(dir.join(k)).unwrap().modified().unwrap())).collect()
    };
    let before = mtimes(&target);
    std::thread::sleep(Duration::from_millis(20));
    deploy(&["--from", tmp.path().join("second").to_str().unwrap()]).ok();
    assert!(
        without_manifest(tree(&target)) == without_manifest(second.clone()),
        "the folder differs from the second output"
    );
    let after = mtimes(&target);
    let mut touched: BTreeSet<String> =
        after.iter().filter(|(k, t)| before.get(*k) != Some(*t)).map(|(k, _)| k.clone()).collect();
    let expected: BTreeSet<String> = changed.into_iter().filter(|k| second.contains_key(k) && k != MANIFEST).collect();
    touched.remove(MANIFEST);
    assert_eq!(touched, expected);
}

/// Requests that fail now and then are retried, and the deploy succeeds; a request that keeps
/// failing stops the deploy with the error, before anything is deleted; run again, it finishes.
#[test]
fn s3_failed_requests_are_retried_and_a_deploy_that_fails_deletes_nothing() {
    let moto = Moto::start();
    let site = Site::starter();
    let tmp = tempfile::tempdir().unwrap();
    let flaky = Faulty::start(moto.port, 4, None);
    moto.deploy_through(&flaky.url(), &site, &[]).ok();
    assert!(flaky.failed() > 3, "the proxy failed {} requests", flaky.failed());
    let store = moto.store();
    let first = for_store(&publish(&site, &tmp.path().join("first"), "https://example.org/"));
    assert!(stored(&store) == first, "the store differs from the published site");

    // The new page's upload keeps failing: the error, and the page that is gone still there.
    site.edit("content/announcements/opening.md", "The Example Expo opens", "The Example Expo has opened");
    std::fs::remove_file(site.root().join("content/pages/about.md")).unwrap();
    let broken = Faulty::start(moto.port, 0, Some("/site/announcements/opening/index.html"));
    let run = moto.deploy_through(&broken.url(), &site, &[]);
    assert_eq!(run.code, 1, "{}\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("cannot upload announcements/opening/index.html"), "{}", run.stderr);
    assert!(broken.failed() >= 2, "not retried: {} failures", broken.failed());
    assert!(objects(&store).contains_key("about/index.html"), "a page was deleted after a failure");
    moto.deploy(&site, &[]).ok();
    let second = for_store(&publish(&site, &tmp.path().join("second"), "https://example.org/"));
    assert!(stored(&store) == second, "the store differs from the published site");
}

/// A deploy killed mid-way (SIGKILL, among its uploads), run again, ends where a clean deploy ends.
#[test]
fn s3_a_deploy_killed_mid_way_finishes_when_run_again() {
    let moto = Moto::start();
    let site = Site::real();
    let tmp = tempfile::tempdir().unwrap();
    // Each request held 20 ms, two at a time: the deploy takes seconds, and is killed early on.
    let slow = Faulty::start_slow(moto.port, 0, None, Duration::from_millis(20));
    let mut child = brief()
        .args(["deploy", &format!("s3://{BUCKET}/site"), "--jobs", "2", "--base-url", BASE])
        .current_dir(site.root())
        .env("AWS_ENDPOINT_URL", slow.url())
        .env("AWS_REGION", "us-east-1")
        .env("AWS_ACCESS_KEY_ID", "test")
        .env("AWS_SECRET_ACCESS_KEY", "test")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while slow.requests() < 40 {
        assert!(Instant::now() < deadline, "the deploy made {} requests in 120 s", slow.requests());
        assert!(child.try_wait().unwrap().is_none(), "the deploy ended before it could be killed");
        std::thread::sleep(Duration::from_millis(5));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let store = moto.store();
    let partial = objects(&store);
    let published = for_store(&publish(&site, &tmp.path().join("out"), BASE));
    assert!(partial.len() < published.len(), "the deploy was not stopped: {} files there", partial.len());
    moto.deploy(&site, &["--base-url", BASE]).ok();
    assert!(stored(&store) == published, "the store differs from a clean deploy");
}

/// Without keys in the environment, the profile of the AWS shared files gives them, and the
/// region: every request is signed with that profile's key for that region.
#[test]
fn s3_credentials_and_region_come_from_the_aws_profile() {
    let moto = Moto::start();
    let site = Site::starter();
    let home = tempfile::tempdir().unwrap();
    std::fs::create_dir(home.path().join(".aws")).unwrap();
    std::fs::write(
        home.path().join(".aws/credentials"),
        "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = default-secret\n\n[press]\naws_access_key_id = AKIAPRESS\naws_secret_access_key = press-secret-5678\n",
    )
    .unwrap();
    std::fs::write(
        home.path().join(".aws/config"),
        "[default]\nregion = us-east-1\n\n[profile press]\nregion = eu-west-1\n",
    )
    .unwrap();
    moto.reset();
    let run = Run::from(
        brief()
            .args(["deploy", &format!("s3://{BUCKET}/site")])
            .current_dir(site.root())
            .env_remove("AWS_ACCESS_KEY_ID")
            .env_remove("AWS_SECRET_ACCESS_KEY")
            .env_remove("AWS_REGION")
            .env_remove("AWS_DEFAULT_REGION")
            .env("HOME", home.path())
            .env("AWS_PROFILE", "press")
            .env("AWS_ENDPOINT_URL", moto.url(""))
            .output()
            .unwrap(),
    )
    .ok();
    assert!(!run.stdout.contains("press-secret-5678") && !run.stderr.contains("press-secret-5678"));
    let text = reqwest::blocking::get(moto.url("/moto-api/recorder/download-recording")).unwrap().text().unwrap();
    let signed: Vec<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|r| r["headers"]["Authorization"].as_str().map(String::from))
        .collect();
    assert!(signed.len() > 10, "{} signed requests", signed.len());
    for auth in &signed {
        assert!(auth.contains("Credential=AKIAPRESS/") && auth.contains("/eu-west-1/s3/aws4_request"), "{auth}");
    }
}

/// Azurite's Blob service (npm, installed by `scripts/test`) on a free port of loopback, with an
/// empty container `site`, stopped when dropped.
struct Azurite {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

/// Azurite's well-known account key, the same in every copy of it.
const AZURITE_KEY: &str = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

impl Azurite {
    fn start() -> Azurite {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let dir = tempfile::tempdir().unwrap();
        let bin = common::repo().join("node_modules/.bin/azurite-blob");
        assert!(bin.exists(), "Azurite is missing: run scripts/test, which installs it (npm ci)");
        let child = Command::new(bin)
            .args([
                "--inMemoryPersistence",
                "--blobHost",
                "127.0.0.1",
                "--skipApiVersionCheck",
                "--loose",
                "--blobPort",
            ])
            .arg(port.to_string())
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut azurite = Azurite { child, port, _dir: dir };
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(azurite.child.try_wait().unwrap().is_none(), "Azurite exited before it answered");
            assert!(Instant::now() < deadline, "Azurite did not answer within 60 s");
            std::thread::sleep(Duration::from_millis(50));
        }
        // The container, made with Azure's own SDK (requests to Azure are signed).
        let script = format!(
            "from azure.storage.blob import BlobServiceClient\n\
             BlobServiceClient.from_connection_string('DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;\
             AccountKey={AZURITE_KEY};BlobEndpoint={}/devstoreaccount1;').create_container('site')\n",
            azurite.url()
        );
        let made = Command::new("python3").args(["-c", &script]).output().unwrap();
        assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
        azurite
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `brief deploy az://site/briefing ARGS`, from inside the site folder.
    fn deploy(&self, site: &Site, args: &[&str]) -> Run {
        Run::from(
            brief()
                .args(["deploy", "az://site/briefing"])
                .args(args)
                .current_dir(site.root())
                .env("AZURE_STORAGE_USE_EMULATOR", "true")
                .env("AZURITE_BLOB_STORAGE_URL", self.url())
                .output()
                .unwrap(),
        )
    }

    fn store(&self) -> object_store::azure::MicrosoftAzure {
        object_store::azure::MicrosoftAzureBuilder::new()
            .with_account("devstoreaccount1")
            .with_access_key(AZURITE_KEY)
            .with_container_name("site")
            .with_endpoint(format!("{}/devstoreaccount1", self.url()))
            .with_allow_http(true)
            .build()
            .unwrap()
    }
}

impl Drop for Azurite {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Azure Blob Storage (Azurite): the same files with the same headers, then only what changed.
#[test]
fn azure_blob_storage_gets_the_site_then_only_what_changed() {
    let azurite = Azurite::start();
    let site = Site::starter();
    let tmp = tempfile::tempdir().unwrap();
    azurite.deploy(&site, &[]).ok();
    let first = publish(&site, &tmp.path().join("first"), "https://example.org/");
    let there = objects_under(&azurite.store(), "briefing");
    let listed = manifest(&first);
    let bytes: BTreeMap<String, Vec<u8>> =
        there.iter().filter(|(k, _)| *k != MANIFEST).map(|(k, (b, _))| (k.clone(), b.clone())).collect();
    assert!(bytes == for_store(&first), "the container differs from the published site");
    for (path, (_, headers)) in there.iter().filter(|(k, _)| *k != MANIFEST) {
        assert_eq!(headers["content-type"], listed[path]["content_type"].as_str().unwrap(), "{path}");
        assert_eq!(headers["cache-control"], listed[path]["cache_control"].as_str().unwrap(), "{path}");
    }
    site.edit("content/announcements/opening.md", "The Example Expo opens", "The Example Expo has opened");
    let second = publish(&site, &tmp.path().join("second"), "https://example.org/");
    let run = azurite.deploy(&site, &[]).ok();
    let expected = plan(&for_store(&first), &for_store(&second));
    assert!(run.stdout.contains(&expected), "expected {expected}: {}", run.stdout);
    let there = objects_under(&azurite.store(), "briefing");
    let bytes: BTreeMap<String, Vec<u8>> =
        there.into_iter().filter(|(k, _)| k != MANIFEST).map(|(k, (b, _))| (k, b)).collect();
    assert!(bytes == for_store(&second), "the container differs from the second output");
}

/// Google Cloud Storage, through the XML API that object_store's client speaks: its requests
/// (path-style URLs, `list-type=2` listings, a bearer token) are the S3-compatible subset that
/// Google documents for moving tools between the two, so moto's server answers them. No emulator
/// of Google's own could be set up here (see docs/deploy.md); this runs brief's `gs://` path end
/// to end: the URL, the credentials from the environment, the headers, the plan.
#[test]
fn google_cloud_storage_gets_the_site_then_only_what_changed() {
    const TOKEN: &str = "ya29.not-a-secret-5678";
    let moto = Moto::start();
    let site = Site::starter();
    let tmp = tempfile::tempdir().unwrap();
    let deploy = |args: &[&str]| {
        let run = Run::from(
            brief()
                .args(["deploy", &format!("gs://{BUCKET}/gsite")])
                .args(args)
                .current_dir(site.root())
                .env("GOOGLE_BASE_URL", moto.url(""))
                .env("GOOGLE_ALLOW_HTTP", "true")
                .env("GOOGLE_BEARER_TOKEN", TOKEN)
                .output()
                .unwrap(),
        )
        .ok();
        assert!(!run.stdout.contains(TOKEN) && !run.stderr.contains(TOKEN));
        run
    };
    deploy(&[]);
    let first = publish(&site, &tmp.path().join("first"), "https://example.org/");
    let there = objects_under(&moto.store(), "gsite");
    let listed = manifest(&first);
    let bytes: BTreeMap<String, Vec<u8>> =
        there.iter().filter(|(k, _)| *k != MANIFEST).map(|(k, (b, _))| (k.clone(), b.clone())).collect();
    assert!(bytes == for_store(&first), "the bucket differs from the published site");
    for (path, (_, headers)) in there.iter().filter(|(k, _)| *k != MANIFEST) {
        assert_eq!(headers["content-type"], listed[path]["content_type"].as_str().unwrap(), "{path}");
        assert_eq!(headers["cache-control"], listed[path]["cache_control"].as_str().unwrap(), "{path}");
    }
    // The requests were Google's (a bearer token), not S3's (a signature).
    let text = reqwest::blocking::get(moto.url("/moto-api/recorder/download-recording")).unwrap().text().unwrap();
    let auth: BTreeSet<String> = text
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|r| r["method"] == "PUT")
        .filter_map(|r| r["headers"]["Authorization"].as_str().map(String::from))
        .collect();
    assert_eq!(auth, BTreeSet::from([format!("Bearer {TOKEN}")]));

    // One announcement edited: exactly the files whose bytes changed, and the manifest.
    site.edit("content/announcements/opening.md", "The Example Expo opens", "The Example Expo has opened");
    let second = publish(&site, &tmp.path().join("second"), "https://example.org/");
    moto.reset();
    let run = deploy(&["--jobs", "1"]);
    let expected = plan(&for_store(&first), &for_store(&second));
    assert!(run.stdout.contains(&expected), "expected {expected}: {}", run.stdout);
    let changed = differ(&for_store(&first), &for_store(&second));
    let mut sent: BTreeSet<String> = changed.iter().filter(|k| second.contains_key(*k)).cloned().collect();
    sent.insert(MANIFEST.to_string());
    let put = moto.requests("PUT");
    assert_eq!(put.iter().map(|k| k.strip_prefix("gsite/").unwrap().to_string()).collect::<BTreeSet<_>>(), sent);
    let there = objects_under(&moto.store(), "gsite");
    let bytes: BTreeMap<String, Vec<u8>> =
        there.into_iter().filter(|(k, _)| k != MANIFEST).map(|(k, (b, _))| (k, b)).collect();
    assert!(bytes == for_store(&second), "the bucket differs from the second output");
}
