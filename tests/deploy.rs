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
use object_store::{Attribute, ObjectStore, ObjectStoreExt, PutPayload};

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
        let out = brief()
            .arg("deploy")
            .arg(format!("s3://{BUCKET}/site"))
            .args(args)
            .current_dir(site.root())
            .env("AWS_ENDPOINT_URL", self.url(""))
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

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(f)
}

/// Every object under `site/`, with its bytes and headers.
fn objects(store: &AmazonS3) -> BTreeMap<String, (Vec<u8>, BTreeMap<String, String>)> {
    use futures::TryStreamExt;
    block_on(async {
        let metas: Vec<object_store::ObjectMeta> = store.list(Some(&Key::from("site"))).try_collect().await.unwrap();
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
            out.insert(m.location.as_ref().strip_prefix("site/").unwrap().to_string(), (bytes, headers));
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

/// The manifest of an output, by path.
fn manifest(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, serde_json::Value> {
    let m: serde_json::Value = serde_json::from_slice(&files[MANIFEST]).unwrap();
    m["files"].as_array().unwrap().iter().map(|e| (e["path"].as_str().unwrap().to_string(), e.clone())).collect()
}

const BASE: &str = "https://briefing.example.org/";

#[test]
fn s3_deploys_exactly_the_published_site_then_only_what_changed() {
    let moto = Moto::start();
    let site = Site::real();
    let tmp = tempfile::tempdir().unwrap();
    let first = publish(&site, &tmp.path().join("first"), BASE);

    // The first deploy: every file, with the type, cache policy and encoding of the manifest.
    let run = moto.deploy(&site, &["--base-url", BASE]).ok();
    // Every file, and the manifest after them.
    assert!(run.stdout.contains(&format!("{} uploaded, 0 replaced, 0 deleted, 0 unchanged", first.len() - 1)), "{}", run.stdout);
    let store = moto.store();
    let there = objects(&store);
    assert_eq!(there.keys().collect::<Vec<_>>(), first.keys().collect::<Vec<_>>());
    let listed = manifest(&first);
    for (path, (bytes, headers)) in &there {
        assert_eq!(bytes, &first[path], "{path}");
        if path == MANIFEST {
            continue;
        }
        let entry = &listed[path];
        assert_eq!(headers["content-type"], entry["content_type"].as_str().unwrap(), "{path}");
        assert_eq!(headers.get("content-encoding").map(String::as_str), entry["content_encoding"].as_str(), "{path}");
        let fingerprinted = path.split('.').any(|p| p.len() == 10 && p.bytes().all(|b| b.is_ascii_hexdigit()));
        let cache = if fingerprinted { "public, max-age=31536000, immutable" } else { "public, max-age=0, must-revalidate" };
        assert_eq!(headers["cache-control"], cache, "{path}");
    }

    // Nothing changed: nothing is sent.
    moto.reset();
    let run = moto.deploy(&site, &["--base-url", BASE]).ok();
    assert!(run.stdout.contains(&format!("0 uploaded, 0 replaced, 0 deleted, {} unchanged", first.len() - 1)), "{}", run.stdout);
    assert!(moto.requests("PUT").is_empty() && moto.requests("POST").is_empty());

    // One announcement edited: exactly the files whose bytes changed, and the manifest.
    site.edit("content/announcements/satellite-data-platform.md", "summary: ", "summary: Edited. ");
    let second = publish(&site, &tmp.path().join("second"), BASE);
    let changed = differ(&first, &second);
    assert!(changed.len() < 60, "{} files changed: {changed:?}", changed.len());
    // A dry run says so and changes nothing.
    moto.reset();
    let dry = moto.deploy(&site, &["--base-url", BASE, "--dry-run"]).ok();
    assert!(dry.stdout.contains("nothing was changed"), "{}", dry.stdout);
    assert!(dry.stdout.contains("~ replace announcements/satellite-data-platform/index.html"), "{}", dry.stdout);
    assert!(moto.requests("PUT").is_empty() && moto.requests("POST").is_empty());
    moto.deploy(&site, &["--base-url", BASE]).ok();
    let put = moto.requests("PUT");
    assert_eq!(put.iter().map(|k| k.strip_prefix("site/").unwrap().to_string()).collect::<BTreeSet<_>>(), changed);
    let there = objects(&store);
    assert_eq!(there.iter().map(|(k, (b, _))| (k.clone(), b.clone())).collect::<BTreeMap<_, _>>(), second);
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
    let refused = moto.deploy(&site, &["--max-deletes", "2"]);
    assert_eq!(refused.code, 2, "{}", refused.stderr);
    assert!(refused.stderr.contains("more than --max-deletes 2: nothing was changed"), "{}", refused.stderr);
    // (S3 deletes are POSTs of a list of keys.)
    assert_eq!((moto.requests("PUT"), moto.requests("POST")), Default::default());
    // Within the guard: deleted there, after the uploads.
    let before: BTreeSet<String> = objects(&store).into_keys().collect();
    let run = moto.deploy(&site, &[]).ok();
    assert!(run.stdout.contains("3 deleted"), "{}", run.stdout);
    let there = objects(&store);
    let gone: BTreeSet<&str> = before.iter().map(String::as_str).filter(|k| !there.contains_key(*k)).collect();
    assert_eq!(gone, ["about/index.html", "about/index.html.br", "about/index.html.gz"].into());
    assert!(!there.contains_key("about/index.html"));
    let out = tempfile::tempdir().unwrap();
    let published = publish(&site, out.path(), "https://example.org/");
    assert_eq!(there.keys().collect::<Vec<_>>(), published.keys().collect::<Vec<_>>());

    // Another site (another base URL) is refused without --force.
    moto.reset();
    let other = moto.deploy(&site, &["--base-url", "https://other.example/"]);
    assert_eq!(other.code, 2, "{}", other.stderr);
    assert!(other.stderr.contains("holds the site https://example.org/, not https://other.example/"), "{}", other.stderr);
    assert!(moto.requests("PUT").is_empty());
    moto.deploy(&site, &["--base-url", "https://other.example/", "--force"]).ok();
}

/// A deploy stopped half-way, in each of the states it can leave (new files partly uploaded with
/// the old manifest; everything uploaded but nothing deleted), ends, run again, exactly where a
/// clean deploy ends.
#[test]
fn s3_a_deploy_stopped_half_way_finishes_when_run_again() {
    let moto = Moto::start();
    let site = Site::starter();
    let tmp = tempfile::tempdir().unwrap();
    moto.deploy(&site, &[]).ok();
    let first = publish(&site, &tmp.path().join("first"), "https://example.org/");
    site.edit("content/announcements/opening.md", "The Example Expo opens", "The Example Expo has opened");
    std::fs::remove_file(site.root().join("content/pages/about.md")).unwrap();
    let second = publish(&site, &tmp.path().join("second"), "https://example.org/");
    let store = moto.store();
    let put = |path: &str, bytes: &[u8]| {
        block_on(store.put(&Key::from(format!("site/{path}")), PutPayload::from(bytes.to_vec()))).unwrap();
    };
    // Stopped among the uploads: half of the new files there, the old manifest still.
    let new: Vec<&String> = second.keys().filter(|k| *k != MANIFEST && first.get(*k) != second.get(*k)).collect();
    for path in new.iter().step_by(2) {
        put(path, &second[*path]);
    }
    moto.deploy(&site, &[]).ok();
    let bytes = |o: BTreeMap<String, (Vec<u8>, BTreeMap<String, String>)>| -> BTreeMap<String, Vec<u8>> {
        o.into_iter().map(|(k, (b, _))| (k, b)).collect()
    };
    assert_eq!(bytes(objects(&store)), second);

    // Stopped before the deletions: the old files back beside the new manifest.
    for (path, content) in first.iter().filter(|(k, _)| !second.contains_key(*k)) {
        put(path, content);
    }
    let run = moto.deploy(&site, &[]).ok();
    assert!(run.stdout.contains("0 uploaded, 0 replaced, 3 deleted"), "{}", run.stdout);
    assert_eq!(bytes(objects(&store)), second);
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
    assert_eq!(tree(&target), first);
    // Published once by hand, then deployed from that folder: the same.
    site.edit("content/announcements/opening.md", "The Example Expo opens", "The Example Expo has opened");
    std::fs::remove_file(site.root().join("content/pages/about.md")).unwrap();
    let second = publish(&site, &tmp.path().join("second"), "https://example.org/");
    let changed = differ(&first, &second);
    let dry = deploy(&["--from", tmp.path().join("second").to_str().unwrap(), "--dry-run"]).ok();
    assert!(dry.stdout.contains("3 files to delete"), "{}", dry.stdout);
    assert_eq!(tree(&target), first, "a dry run changed the folder");
    let mtimes = |dir: &Path| -> BTreeMap<String, std::time::SystemTime> {
        tree(dir).keys().map(|k| (k.clone(), std::fs::metadata(dir.join(k)).unwrap().modified().unwrap())).collect()
    };
    let before = mtimes(&target);
    std::thread::sleep(Duration::from_millis(20));
    deploy(&["--from", tmp.path().join("second").to_str().unwrap()]).ok();
    assert_eq!(tree(&target), second);
    let after = mtimes(&target);
    let touched: BTreeSet<String> = after.iter().filter(|(k, t)| before.get(*k) != Some(*t)).map(|(k, _)| k.clone()).collect();
    let expected: BTreeSet<String> = changed.into_iter().filter(|k| second.contains_key(k)).collect();
    assert_eq!(touched, expected);
}
