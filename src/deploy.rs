//! `brief deploy`: brings an object store (S3 or a service that speaks its protocol, Google Cloud
//! Storage, Azure Blob Storage, or a local folder) to exactly the output of `publish`, uploading
//! only what changed.
//!
//! The phases, in order:
//! 1. **Source**: the files to publish, with their manifest (`brief-manifest.json`: SHA-256, type
//!    and encoding of every file), rendered by `publish` or read from a folder it wrote.
//! 2. **Target**: the target's manifest, which describes what it holds; the list of its keys only
//!    where that manifest is missing or not `complete` (a deploy stopped half-way).
//! 3. **Plan** ([`plan`]): what to upload, replace and delete. A file is unchanged when the target
//!    holds it and the target's manifest gives it the same hash, type and encoding; everything
//!    else is uploaded. Keys that the source lacks are deleted.
//! 4. **Apply**: the target's manifest marked incomplete (without the files about to change),
//!    then assets (stylesheets, scripts, images, other static files), then pages and data files,
//!    then the new manifest, then the deletions, then the manifest marked complete. A reader
//!    during a deploy gets old pages or new ones, each with its assets; a link to a page that is
//!    going still leads somewhere until the last step. Nothing is deleted unless every upload
//!    succeeded, and a deploy stopped anywhere finishes when run again.
//!
//! Requests go through Apache Arrow's `object_store`, which retries failed requests to cloud
//! stores with exponential backoff and reads credentials from the standard environment.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use object_store::path::Path as Key;
use object_store::{Attribute, Attributes, ObjectStore, ObjectStoreExt, PutOptions, PutPayload};
use serde::{Deserialize, Serialize};

use crate::build::Error;
use crate::output::OutputFile;
use crate::publish::manifest::NAME as MANIFEST;

/// How long a year is, in seconds: how long a fingerprinted file may be cached.
const YEAR: u64 = 31_536_000;

/// What `brief deploy` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// Where to: `s3://bucket/prefix`, `gs://bucket/prefix`, `az://container/prefix`,
    /// `file:///srv/briefing`.
    pub target: String,
    /// An S3 endpoint other than Amazon's (`http://127.0.0.1:9000`); else `AWS_ENDPOINT_URL`.
    pub endpoint: Option<String>,
    /// The S3 region; else `AWS_REGION` or `AWS_DEFAULT_REGION`.
    pub region: Option<String>,
    /// Print the plan, change nothing.
    pub dry_run: bool,
    /// Stop before changing anything when the plan deletes more files than this.
    pub max_deletes: usize,
    /// Replace the files of another site.
    pub force: bool,
    /// How many requests run at once.
    pub concurrency: usize,
    /// For a cloud store that serves objects as stored (S3 without a CDN): store each text file
    /// gzip-compressed under its own name, with `Content-Encoding: gzip`.
    pub precompressed: bool,
}

/// One file of a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
    pub content_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
    /// The `Cache-Control` to store it with (`cache:` in site.yaml, as `publish` applied it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<String>,
}

/// A `brief-manifest.json`: the one `publish` writes, or the one a deploy leaves in the target,
/// which describes what the target holds.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
pub struct Manifest {
    /// The site it belongs to (its base URL); absent in manifests written before it was recorded.
    #[serde(default)]
    pub site: Option<String>,
    /// In a target, whether it lists every key the target holds: a deploy sets it once its
    /// uploads and deletions are done, and clears it before it starts them, so that one stopped
    /// half-way leaves a manifest that says so (and the next deploy lists the target). A manifest
    /// of `publish` has none.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub complete: bool,
    pub files: Vec<Entry>,
}

impl Manifest {
    /// Parses a manifest.
    pub fn parse(bytes: &[u8]) -> Result<Manifest, String> {
        serde_json::from_slice(bytes).map_err(|e| format!("{MANIFEST} does not read as a manifest: {e}"))
    }

    /// What a target that keeps headers (a cloud store) is to hold of this published output, and
    /// for each key, the file of the output its body comes from. The copies for other hosts are
    /// left out: the `.gz` and `.br` siblings (a store does not choose between them by the
    /// request's `Accept-Encoding`), `_headers` and dotfiles. With `precompressed`, a file with a
    /// `.gz` sibling is stored as that sibling's bytes under its own name, encoded `gzip`.
    pub fn for_store(&self, precompressed: bool) -> (Manifest, BTreeMap<String, String>) {
        let by_path: BTreeMap<&str, &Entry> = self.files.iter().map(|e| (e.path.as_str(), e)).collect();
        let mut files = Vec::new();
        let mut bodies = BTreeMap::new();
        for e in &self.files {
            let name = e.path.rsplit('/').next().unwrap_or(&e.path);
            let sibling = e.path.ends_with(".gz") || e.path.ends_with(".br");
            if sibling || name.starts_with('.') || e.path == "_headers" || e.path == MANIFEST {
                continue;
            }
            let gz = format!("{}.gz", e.path);
            match by_path.get(gz.as_str()).filter(|_| precompressed) {
                Some(z) => {
                    files.push(Entry { path: e.path.clone(), content_encoding: Some("gzip".into()), ..(*z).clone() });
                    bodies.insert(e.path.clone(), gz);
                }
                None => {
                    files.push(e.clone());
                    bodies.insert(e.path.clone(), e.path.clone());
                }
            }
        }
        (Manifest { site: self.site.clone(), complete: false, files }, bodies)
    }
}

/// What publishing means for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The target lacks it.
    Upload,
    /// The target has other bytes (or another type) under its key.
    Replace,
}

/// What a deploy will do, in the order it does it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// Files to upload, assets first, then pages and data files.
    pub uploads: Vec<(Entry, Action)>,
    /// Whether the manifest itself is uploaded (after the files).
    pub manifest: bool,
    /// Keys to delete, last.
    pub deletes: Vec<String>,
    /// Files the target already has.
    pub unchanged: usize,
}

impl Plan {
    /// The bytes the uploads send.
    pub fn bytes(&self) -> u64 {
        self.uploads.iter().map(|(e, _)| e.size).sum()
    }

    /// How many uploads are of `action`.
    pub fn count(&self, action: Action) -> usize {
        self.uploads.iter().filter(|(_, a)| *a == action).count()
    }

    /// Whether the deploy changes nothing.
    pub fn is_empty(&self) -> bool {
        self.uploads.is_empty() && !self.manifest && self.deletes.is_empty()
    }
}

/// Whether a file is one that pages refer to (a stylesheet, a script, an image, a font): those go
/// up before the pages that name them.
fn is_asset(path: &str) -> bool {
    let base = path.strip_suffix(".gz").or_else(|| path.strip_suffix(".br")).unwrap_or(path);
    let name = base.rsplit('/').next().unwrap_or(base);
    let ext = name.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    !name.starts_with('.') && !matches!(ext, "html" | "xml" | "json" | "ics" | "txt" | "")
}

/// Whether a file's name carries the hash of its content (`style.0123456789.css`): it can be
/// cached for a year, since new content gets a new name.
pub fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut parts = name.rsplit('.');
    let (_ext, hash) = (parts.next(), parts.next());
    hash.is_some_and(|h| h.len() == 10 && h.bytes().all(|b| b.is_ascii_hexdigit())) && parts.next().is_some()
}

/// The plan that brings a target to `local`: `remote` is the target's manifest, if it has one,
/// and `listed` its keys, when it was listed (else the manifest is taken at its word: it is
/// complete).
pub fn plan(local: &Manifest, remote: Option<&Manifest>, listed: Option<&BTreeSet<String>>) -> Plan {
    let known: BTreeMap<&str, &Entry> =
        remote.map(|m| m.files.iter().map(|e| (e.path.as_str(), e)).collect()).unwrap_or_default();
    let present = |path: &str| listed.map_or_else(|| known.contains_key(path), |l| l.contains(path));
    let mut plan = Plan::default();
    for entry in local.files.iter().filter(|e| e.path != MANIFEST) {
        let there = present(&entry.path);
        if there && known.get(entry.path.as_str()).is_some_and(|old| *old == entry) {
            plan.unchanged += 1;
        } else {
            plan.uploads.push((entry.clone(), if there { Action::Replace } else { Action::Upload }));
        }
    }
    plan.uploads.sort_by(|(a, _), (b, _)| (!is_asset(&a.path), &a.path).cmp(&(!is_asset(&b.path), &b.path)));
    let wanted: BTreeSet<&str> = local.files.iter().map(|e| e.path.as_str()).collect();
    let held: BTreeSet<&str> = match listed {
        Some(l) => l.iter().map(String::as_str).collect(),
        None => known.keys().copied().collect(),
    };
    plan.deletes = held.into_iter().filter(|k| *k != MANIFEST && !wanted.contains(k)).map(String::from).collect();
    let same_files = remote.is_some_and(|m| m.complete && m.files == local.files);
    plan.manifest = !plan.uploads.is_empty() || !plan.deletes.is_empty() || !same_files;
    plan
}

/// The files to publish: each by path, and the manifest.
pub struct Source {
    pub manifest: Manifest,
    files: BTreeMap<String, OutputFile>,
}

/// What a target is to hold: its manifest, and for each key, the source file of its body.
struct Wanted {
    manifest: Manifest,
    bodies: BTreeMap<String, String>,
}

impl Wanted {
    fn new(source: &Source, target: &Target, precompressed: bool) -> Wanted {
        if target.headers {
            let (manifest, bodies) = source.manifest.for_store(precompressed);
            Wanted { manifest, bodies }
        } else {
            let bodies = source.manifest.files.iter().map(|e| (e.path.clone(), e.path.clone())).collect();
            Wanted { manifest: source.manifest.clone(), bodies }
        }
    }
}

impl Source {
    /// The output of `publish`, in memory.
    pub fn from_files(files: Vec<OutputFile>) -> Result<Source, Error> {
        let files: BTreeMap<String, OutputFile> = files.into_iter().map(|f| (f.path.clone(), f)).collect();
        let manifest = match files.get(MANIFEST) {
            Some(f) => {
                let bytes = f.contents.bytes().map_err(|e| Error::io("cannot read the manifest", e))?;
                Manifest::parse(&bytes).map_err(Error::Usage)?
            }
            None => return Err(Error::Usage(format!("the output has no {MANIFEST}"))),
        };
        Ok(Source { manifest, files })
    }

    /// A folder that `brief publish` wrote.
    pub fn from_dir(dir: &Path) -> Result<Source, Error> {
        let bytes = std::fs::read(dir.join(MANIFEST)).map_err(|e| {
            Error::io(format!("{} has no {MANIFEST}: deploy a folder that `brief publish` wrote", dir.display()), e)
        })?;
        let manifest = Manifest::parse(&bytes).map_err(Error::Usage)?;
        let mut files = BTreeMap::new();
        for e in &manifest.files {
            let path = dir.join(&e.path);
            if !path.is_file() {
                return Err(Error::Usage(format!(
                    "{} lists {}, which is not in {}: publish again",
                    MANIFEST,
                    e.path,
                    dir.display()
                )));
            }
            files.insert(
                e.path.clone(),
                OutputFile { path: e.path.clone(), contents: crate::output::Contents::Copy(path) },
            );
        }
        files.insert(
            MANIFEST.to_string(),
            OutputFile { path: MANIFEST.to_string(), contents: crate::output::Contents::Bytes(bytes) },
        );
        Ok(Source { manifest, files })
    }

    fn bytes(&self, path: &str) -> std::io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(f) => Ok(f.contents.bytes()?.into_owned()),
            None => Err(std::io::Error::new(std::io::ErrorKind::NotFound, format!("{path} is not in the output"))),
        }
    }
}

/// A place to deploy to.
pub struct Target {
    store: Arc<dyn ObjectStore>,
    prefix: Key,
    /// Whether the store keeps each object's type and cache headers (a cloud store; a local
    /// folder does not: the server that serves it decides).
    headers: bool,
}

impl Target {
    /// The target at `url`.
    pub fn open(options: &Options) -> Result<Target, Error> {
        let url = &options.target;
        let parsed = url::Url::parse(url).map_err(|e| {
            Error::Usage(format!(
                "`{url}` is not a target URL ({e}): write s3://bucket/prefix, gs://, az:// or file:///path"
            ))
        })?;
        let bad = |e: object_store::Error| Error::Usage(format!("cannot use {url}: {e}"));
        match parsed.scheme() {
            "s3" | "s3a" => {
                let mut builder =
                    object_store::aws::AmazonS3Builder::from_env().with_url(url.as_str()).with_retry(retries());
                let profile = aws_profile();
                if std::env::var_os("AWS_ACCESS_KEY_ID").is_none() {
                    if let Some((key, secret, token)) = &profile.credentials {
                        builder = builder.with_access_key_id(key).with_secret_access_key(secret);
                        if let Some(token) = token {
                            builder = builder.with_token(token);
                        }
                    }
                }
                let endpoint = options.endpoint.clone().or_else(|| std::env::var("AWS_ENDPOINT_URL").ok());
                if let Some(endpoint) = endpoint {
                    builder = builder.with_allow_http(endpoint.starts_with("http://")).with_endpoint(endpoint);
                }
                let region = options
                    .region
                    .clone()
                    .or_else(|| std::env::var("AWS_REGION").ok())
                    .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
                    .or(profile.region);
                if let Some(region) = region {
                    builder = builder.with_region(region);
                }
                Ok(Target::cloud(Arc::new(builder.build().map_err(bad)?), &parsed))
            }
            "file" => {
                let dir = parsed.to_file_path().map_err(|()| Error::Usage(format!("`{url}` is not a local path")))?;
                std::fs::create_dir_all(&dir).map_err(|e| Error::io(format!("cannot create {}", dir.display()), e))?;
                let store = object_store::local::LocalFileSystem::new_with_prefix(&dir).map_err(bad)?;
                Ok(Target { store: Arc::new(store), prefix: Key::default(), headers: false })
            }
            "gs" => {
                let builder = object_store::gcp::GoogleCloudStorageBuilder::from_env().with_url(url.as_str());
                Ok(Target::cloud(Arc::new(builder.with_retry(retries()).build().map_err(bad)?), &parsed))
            }
            "az" | "azure" => {
                let builder = object_store::azure::MicrosoftAzureBuilder::from_env().with_url(url.as_str());
                Ok(Target::cloud(Arc::new(builder.with_retry(retries()).build().map_err(bad)?), &parsed))
            }
            other => Err(Error::Usage(format!(
                "brief cannot deploy to `{other}://`: write s3://bucket/prefix, gs://, az:// or file:///path"
            ))),
        }
    }

    /// A cloud store, with the prefix of `url`'s path.
    fn cloud(store: Arc<dyn ObjectStore>, url: &url::Url) -> Target {
        Target { store, prefix: Key::from(url.path().trim_matches('/')), headers: true }
    }

    fn key(&self, path: &str) -> Key {
        let mut key = self.prefix.clone();
        for part in path.split('/') {
            key = key.clone().join(part);
        }
        key
    }

    /// The target's manifest, if it has one.
    async fn manifest(&self) -> Result<Option<Manifest>, Error> {
        match self.store.get(&self.key(MANIFEST)).await {
            Ok(got) => {
                let bytes = got.bytes().await.map_err(|e| Error::io("cannot read the target's manifest", e))?;
                Ok(Some(Manifest::parse(&bytes).map_err(|e| Error::Usage(format!("the target's {e}")))?))
            }
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(Error::io("cannot read the target's manifest", e)),
        }
    }

    /// Every key under the target's prefix, relative to it.
    async fn list(&self) -> Result<BTreeSet<String>, Error> {
        let prefix = self.prefix.as_ref().to_string();
        let under = if prefix.is_empty() { None } else { Some(&self.prefix) };
        let metas: Vec<object_store::ObjectMeta> =
            self.store.list(under).try_collect().await.map_err(|e| Error::io("cannot list the target", e))?;
        Ok(metas
            .into_iter()
            .map(|m| {
                let key = m.location.as_ref();
                key.strip_prefix(&prefix).map_or(key, |k| k.trim_start_matches('/')).to_string()
            })
            .collect())
    }

    /// Writes the target's manifest.
    async fn put_manifest(&self, manifest: &Manifest) -> Result<(), Error> {
        let mut body = serde_json::to_vec_pretty(manifest).map_err(|e| Error::io("cannot write the manifest", e))?;
        body.push(b'\n');
        let entry = Entry {
            path: MANIFEST.to_string(),
            size: body.len() as u64,
            sha256: String::new(),
            content_type: "application/json; charset=utf-8".to_string(),
            content_encoding: None,
            cache_control: Some("no-cache".to_string()),
        };
        self.put(&entry, body).await
    }

    async fn put(&self, entry: &Entry, body: Vec<u8>) -> Result<(), Error> {
        let mut attributes = Attributes::new();
        if self.headers {
            attributes.insert(Attribute::ContentType, entry.content_type.clone().into());
            // As the manifest says; by the file's name for a manifest that does not say.
            let cache = entry.cache_control.clone().unwrap_or_else(|| {
                if is_fingerprinted(entry.path.trim_end_matches(".gz").trim_end_matches(".br")) {
                    format!("public, max-age={YEAR}, immutable")
                } else {
                    "public, max-age=0, must-revalidate".to_string()
                }
            });
            attributes.insert(Attribute::CacheControl, cache.into());
            if let Some(encoding) = &entry.content_encoding {
                attributes.insert(Attribute::ContentEncoding, encoding.clone().into());
            }
        }
        let options = PutOptions { attributes, ..PutOptions::default() };
        self.store
            .put_opts(&self.key(&entry.path), PutPayload::from(body), options)
            .await
            .map(|_| ())
            .map_err(|e| Error::io(format!("cannot upload {}", entry.path), e))
    }
}

/// What the AWS shared files say for the profile in use (`AWS_PROFILE`, else `default`): its
/// keys, from `~/.aws/credentials` (or `AWS_SHARED_CREDENTIALS_FILE`), and its region, from
/// `~/.aws/config` (or `AWS_CONFIG_FILE`). The environment's own keys come first.
#[derive(Default)]
struct AwsProfile {
    credentials: Option<(String, String, Option<String>)>,
    region: Option<String>,
}

fn aws_profile() -> AwsProfile {
    let name = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".to_string());
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let file = |var: &str, default: &str| {
        std::env::var_os(var)
            .map(std::path::PathBuf::from)
            .or_else(|| home.as_ref().map(|h| h.join(".aws").join(default)))
    };
    let read = |path: Option<std::path::PathBuf>| path.and_then(|p| ini::Ini::load_from_file(p).ok());
    let mut profile = AwsProfile::default();
    if let Some(ini) = read(file("AWS_SHARED_CREDENTIALS_FILE", "credentials")) {
        if let Some(section) = ini.section(Some(name.as_str())) {
            if let (Some(key), Some(secret)) = (section.get("aws_access_key_id"), section.get("aws_secret_access_key"))
            {
                let token = section.get("aws_session_token").map(String::from);
                profile.credentials = Some((key.to_string(), secret.to_string(), token));
            }
        }
    }
    if let Some(ini) = read(file("AWS_CONFIG_FILE", "config")) {
        // The config file names its sections `[profile NAME]`, but for `[default]`.
        let section = if name == "default" { name.clone() } else { format!("profile {name}") };
        profile.region = ini.section(Some(section.as_str())).and_then(|s| s.get("region")).map(String::from);
    }
    profile
}

/// The compressed copies a deploy to `target` keeps, so that `publish` makes no others: a folder
/// keeps them all (its server chooses by `Accept-Encoding`), a store none, or the `.gz` ones with
/// `precompressed`.
pub fn compression(target: &str, precompressed: bool) -> crate::publish::assets::Compression {
    use crate::publish::assets::Compression;
    match url::Url::parse(target).map(|u| u.scheme().to_string()) {
        Ok(scheme) if scheme == "file" => Compression::All,
        _ if precompressed => Compression::Gzip,
        _ => Compression::None,
    }
}

/// How requests to a cloud store are retried: with exponential backoff from 100 ms, up to 5 times
/// within a minute (the default of `object_store`, 10 times within 3 minutes, is long for a
/// person waiting at a terminal).
fn retries() -> object_store::RetryConfig {
    object_store::RetryConfig {
        backoff: object_store::BackoffConfig::default(),
        max_retries: 5,
        retry_timeout: Duration::from_secs(60),
    }
}

/// What a deploy did.
#[derive(Debug, Clone)]
pub struct Report {
    pub plan: Plan,
    /// Whether it only planned.
    pub dry_run: bool,
    pub elapsed: Duration,
}

/// A file uploaded, and how much the deploy sends in all.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    pub path: &'a str,
    pub size: u64,
    pub total_files: usize,
    pub total_bytes: u64,
}

/// Deploys `source` to the target of `options`: reads the target, plans, and (unless it is a dry
/// run, or the plan is refused) applies the plan. `progress` hears of each file uploaded.
pub fn deploy(source: &Source, options: &Options, progress: &(dyn Fn(Progress) + Sync)) -> Result<Report, Error> {
    let started = Instant::now();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("cannot start the deploy's runtime", e))?;
    runtime.block_on(async {
        let target = Target::open(options)?;
        let remote = target.manifest().await?;
        // A target whose manifest is complete is taken at its word; any other is listed.
        let listed = match &remote {
            Some(m) if m.complete => None,
            _ => Some(target.list().await?),
        };
        if let (Some(theirs), Some(ours)) = (remote.as_ref().and_then(|m| m.site.as_ref()), source.manifest.site.as_ref())
        {
            if theirs != ours && !options.force {
                return Err(Error::Usage(format!(
                    "{} holds the site {theirs}, not {ours}: check the target, or add --force to replace it",
                    options.target
                )));
            }
        }
        let wanted = Wanted::new(source, &target, options.precompressed);
        let plan = plan(&wanted.manifest, remote.as_ref(), listed.as_ref());
        if plan.deletes.len() > options.max_deletes {
            return Err(Error::Usage(format!(
                "the deploy would delete {} files from {}, more than --max-deletes {}: nothing was changed. Check the target, or raise --max-deletes",
                plan.deletes.len(),
                options.target,
                options.max_deletes
            )));
        }
        if options.dry_run || plan.is_empty() {
            return Ok(Report { plan, dry_run: options.dry_run, elapsed: started.elapsed() });
        }
        // First, the target's manifest without the files about to change, and marked incomplete:
        // should the deploy stop, the next one lists the target and uploads them again.
        let touched: BTreeSet<&str> =
            plan.uploads.iter().map(|(e, _)| e.path.as_str()).chain(plan.deletes.iter().map(String::as_str)).collect();
        let before = remote.as_ref().map_or_else(Vec::new, |m| m.files.clone());
        let kept = before.into_iter().filter(|e| !touched.contains(e.path.as_str())).collect();
        target.put_manifest(&Manifest { site: wanted.manifest.site.clone(), complete: false, files: kept }).await?;
        let concurrency = options.concurrency.max(1);
        let (total_files, total_bytes) = (plan.uploads.len(), plan.bytes());
        // Assets, then pages and data files: each group whole before the next starts.
        let split = plan.uploads.iter().position(|(e, _)| !is_asset(&e.path)).unwrap_or(plan.uploads.len());
        for group in [&plan.uploads[..split], &plan.uploads[split..]] {
            futures::stream::iter(group.iter().map(|(entry, _)| {
                let (target, bodies) = (&target, &wanted.bodies);
                async move {
                    let from = bodies.get(&entry.path).unwrap_or(&entry.path);
                    let body = source.bytes(from).map_err(|e| Error::io(format!("cannot read {from}"), e))?;
                    let size = body.len() as u64;
                    target.put(entry, body).await?;
                    progress(Progress { path: &entry.path, size, total_files, total_bytes });
                    Ok::<(), Error>(())
                }
            }))
            .buffer_unordered(concurrency)
            .try_collect::<Vec<()>>()
            .await?;
        }
        // The new manifest: complete now if nothing is to be deleted, else once it is.
        let mut after = wanted.manifest.clone();
        after.complete = plan.deletes.is_empty();
        target.put_manifest(&after).await?;
        if !plan.deletes.is_empty() {
            // In batches, where the store has them (S3 deletes up to 1,000 keys a request).
            let keys: Vec<object_store::Result<Key>> = plan.deletes.iter().map(|p| Ok(target.key(p))).collect();
            let results: Vec<object_store::Result<Key>> =
                target.store.delete_stream(futures::stream::iter(keys).boxed()).collect().await;
            for result in results {
                match result {
                    Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                    Err(e) => return Err(Error::io("cannot delete a file that is gone from the site", e)),
                }
            }
            after.complete = true;
            target.put_manifest(&after).await?;
        }
        Ok(Report { plan, dry_run: false, elapsed: started.elapsed() })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, hash: &str) -> Entry {
        Entry {
            path: path.to_string(),
            size: 10,
            sha256: hash.to_string(),
            content_type: "text/html; charset=utf-8".to_string(),
            content_encoding: None,
            cache_control: None,
        }
    }

    fn manifest(files: &[(&str, &str)]) -> Manifest {
        Manifest {
            site: Some("https://example.org/".into()),
            complete: false,
            files: files.iter().map(|(p, h)| entry(p, h)).collect(),
        }
    }

    fn keys(list: &[&str]) -> BTreeSet<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn only_what_changed_is_uploaded_assets_first_and_what_is_gone_deleted() {
        let old = manifest(&[("index.html", "a"), ("style.0123456789.css", "s"), ("gone/index.html", "g")]);
        let new = manifest(&[
            ("index.html", "a2"),
            ("style.abcdef0123.css", "s2"),
            ("about/index.html", "b"),
            ("feed.xml", "f"),
        ]);
        let listed = keys(&["index.html", "style.0123456789.css", "gone/index.html", MANIFEST]);
        let p = plan(&new, Some(&old), Some(&listed));
        let order: Vec<(&str, Action)> = p.uploads.iter().map(|(e, a)| (e.path.as_str(), *a)).collect();
        assert_eq!(
            order,
            [
                ("style.abcdef0123.css", Action::Upload),
                ("about/index.html", Action::Upload),
                ("feed.xml", Action::Upload),
                ("index.html", Action::Replace),
            ]
        );
        assert_eq!(p.deletes, ["gone/index.html", "style.0123456789.css"]);
        assert!(p.manifest);
        // Run again once it is done: nothing to do.
        let listed = keys(&["index.html", "style.abcdef0123.css", "about/index.html", "feed.xml", MANIFEST]);
        let done = Manifest { complete: true, ..new.clone() };
        let again = plan(&new, Some(&done), Some(&listed));
        assert!(again.is_empty(), "{again:?}");
        // A complete manifest is taken at its word, without a listing.
        assert_eq!(plan(&new, Some(&done), None), again);
        assert_eq!(again.unchanged, 4);
    }

    #[test]
    fn a_file_the_manifest_names_but_the_target_lacks_is_uploaded_and_without_a_manifest_everything() {
        let m = manifest(&[("index.html", "a"), ("about/index.html", "b")]);
        let p = plan(&m, Some(&m), Some(&keys(&["index.html", MANIFEST])));
        assert_eq!(p.uploads.len(), 1);
        assert_eq!(p.uploads[0].0.path, "about/index.html");
        let p = plan(&m, None, Some(&keys(&["index.html", "stray.txt"])));
        assert_eq!(p.count(Action::Replace), 1);
        assert_eq!(p.count(Action::Upload), 1);
        assert_eq!(p.deletes, ["stray.txt"]);
    }

    #[test]
    fn fingerprints_and_assets_are_told_by_name() {
        assert!(is_fingerprinted("style.0123456789.css"));
        assert!(is_fingerprinted("js/search.abcdef0123.js"));
        assert!(!is_fingerprinted("style.css"));
        assert!(!is_fingerprinted("0123456789.css"));
        assert!(!is_fingerprinted("style.0123456789x.css"));
        assert!(is_asset("style.0123456789.css.gz") && is_asset("favicon.svg"));
        assert!(!is_asset("index.html.br") && !is_asset("feed.xml") && !is_asset("_headers") && !is_asset(".nojekyll"));
    }
}
