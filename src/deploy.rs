//! `ladder deploy`: publish a built site to object storage (S3 and S3-compatible stores, Google
//! Cloud Storage, Azure Blob Storage, or a local folder), as `hugo deploy` does.
//!
//! Only what changed is sent. Object stores do not agree on what an ETag means (S3's is the MD5
//! of a single-part upload; Google's and Azure's are opaque version tags), so the comparison
//! does not rely on it alone: a manifest object, `.ladder-deploy.json` beside the site's files,
//! records each file's SHA-256 and headers together with the ETag the store returned for it.
//! A file is unchanged only when its SHA-256 and headers match the manifest *and* the object
//! in the store still has the ETag recorded there (from the listing, or a HEAD request for
//! stores whose listings leave ETags out); anything else (a new file, an edit,
//! a changed header, an object replaced by hand, a manifest left behind by an interrupted
//! deploy) means an upload. Objects under the target's prefix that are not in the site are
//! deleted. The order is: uploads, then the manifest, then deletions, so an interrupted deploy
//! never leaves a page linking to a deleted file, and running it again converges.
//!
//! A deploy refuses to run unless the output folder is exactly what `ladder build` last wrote
//! for the current inputs and options (see [`crate::output::freshness`]), so a stale or hand-edited
//! folder is never published. Everything that can refuse is checked before the target is
//! touched (a local target's folder is made only by a real deploy that goes ahead), and a dry
//! run refuses exactly when the real run would, after listing what it would have done.

use crate::site::BuildOptions;
use futures::StreamExt;
use object_store::path::Path as StorePath;
use object_store::{
    Attribute, Attributes, BackoffConfig, ClientConfigKey, ObjectStore, ObjectStoreExt, ObjectStoreScheme, PutOptions,
    PutPayload, RetryConfig,
};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

/// The manifest's name under the target prefix. It starts with a dot so no site page can have it.
pub const MANIFEST: &str = ".ladder-deploy.json";

/// Uploads and deletions in flight at once: enough to hide network latency, few enough not to
/// trip a store's request-rate limits.
const CONCURRENCY: usize = 8;

/// What `ladder deploy` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct DeployOptions {
    /// The build whose output is published (site folder, output folder, base URL, drafts).
    pub build: BuildOptions,
    /// Where to: `s3://bucket/prefix`, `gs://bucket/prefix`, `az://container/prefix`, `file:///dir`.
    pub target: String,
    /// List every change and make none.
    pub dry_run: bool,
    /// `Cache-Control` for every uploaded file (none when unset: the store's or CDN's default).
    pub cache_control: Option<String>,
    /// Store settings besides the environment's (`AWS_*`, `GOOGLE_*`, `AZURE_*`), e.g.
    /// `("aws_endpoint", "http://127.0.0.1:9000")`.
    pub store_options: Vec<(String, String)>,
    /// Refuse a deploy that would delete more objects than this (a mistyped target pointing at
    /// a bucket full of other files must not empty it); `None`: no limit.
    pub max_deletes: Option<usize>,
}

/// The default for `--max-deletes`, as `hugo deploy`'s.
pub const MAX_DELETES: usize = 256;

/// Why a deploy did not run or did not finish; each names what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum DeployError {
    #[error("{} is not ready to deploy: {why}; run `{build}`, then deploy (nothing was deployed)", output.display())]
    NotFresh { output: PathBuf, why: crate::output::freshness::Why, build: String },
    #[error("cannot tell where this site's output is (site.yaml is missing or invalid: run `ladder check`)")]
    NoOutput,
    /// The target address or the store's settings, in words that name what to write instead.
    #[error("{0}")]
    Target(String),
    #[error("cannot read {}: {source}", path.display())]
    Local { path: PathBuf, source: std::io::Error },
    #[error(
        "this deploy would delete {count} objects under {target} that are not in the site, more than \
         --max-deletes allows ({max}){}: check that the target is this site's own bucket or prefix \
         (the deletions are listed {}), or raise --max-deletes; nothing was changed",
        if *dry_run { ", so the real deploy would be refused" } else { "" },
        if *dry_run { "above" } else { "by --dry-run" }
    )]
    TooManyDeletes { target: String, count: usize, max: usize, dry_run: bool },
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\nerror: "))]
    Several(Vec<DeployError>),
    /// The store refused or could not be reached: `message` in plain words, `detail` the
    /// store's own (shown with -v).
    #[error("{message}")]
    Store { message: String, detail: String },
}

impl DeployError {
    /// The underlying words of the store or library, for `-v`.
    pub fn detail(&self) -> Option<String> {
        match self {
            DeployError::Store { detail, .. } => Some(detail.clone()),
            DeployError::Several(all) => {
                let d: Vec<String> = all.iter().filter_map(DeployError::detail).collect();
                (!d.is_empty()).then(|| d.join("\n"))
            }
            _ => None,
        }
    }
}

/// One file of the built site, as it will be uploaded.
#[derive(Debug, Clone)]
pub struct LocalFile {
    /// Path relative to the output folder, with `/`; also the object key under the prefix.
    pub key: String,
    pub path: PathBuf,
    pub sha256: String,
    pub content_type: String,
}

/// What the manifest remembers of one uploaded file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Recorded {
    pub sha256: String,
    /// Content-Type and Cache-Control as sent, so a changed header is re-sent.
    pub headers: String,
    pub etag: Option<String>,
}

#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
struct Manifest {
    files: BTreeMap<String, Recorded>,
}

/// Why a file is uploaded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    New,
    Changed,
}

/// One operation against the store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Upload { key: String, reason: Reason },
    Delete { key: String },
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Upload { key, reason: Reason::New } => write!(f, "upload {key} (new)"),
            Change::Upload { key, reason: Reason::Changed } => write!(f, "upload {key} (changed)"),
            Change::Delete { key } => write!(f, "delete {key}"),
        }
    }
}

/// Every change a deploy would make, and how many files it leaves alone.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub uploads: Vec<(LocalFile, Reason)>,
    pub deletes: Vec<String>,
    pub unchanged: usize,
    /// The manifest as it must read once the uploads are done (ETags filled in as they arrive).
    kept: BTreeMap<String, Recorded>,
}

impl Plan {
    pub fn changes(&self) -> Vec<Change> {
        let ups = self.uploads.iter().map(|(f, r)| Change::Upload { key: f.key.clone(), reason: *r });
        ups.chain(self.deletes.iter().map(|k| Change::Delete { key: k.clone() })).collect()
    }
}

/// Counts of what a deploy did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub uploaded: usize,
    pub deleted: usize,
    pub unchanged: usize,
    /// False when the observer stopped the deploy early.
    pub complete: bool,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} uploaded, {} deleted, {} unchanged", self.uploaded, self.deleted, self.unchanged)
    }
}

/// The `ladder build` command line that writes what a deploy with these options expects.
fn build_command(build: &BuildOptions) -> String {
    let quote = |s: &str| if s.contains([' ', '"', '\'', '$']) { format!("'{s}'") } else { s.to_string() };
    let mut cmd = "ladder build".to_string();
    if build.root != Path::new(".") {
        cmd += &format!(" --site {}", quote(&build.root.to_string_lossy()));
    }
    if let Some(o) = &build.output {
        cmd += &format!(" --output {}", quote(&o.to_string_lossy()));
    }
    if let Some(u) = &build.base_url {
        cmd += &format!(" --base-url {}", quote(u));
    }
    if build.drafts {
        cmd += " --drafts";
    }
    cmd
}

/// The output folder, if it is exactly what the last build wrote for these options; otherwise
/// the one reason it is not.
pub fn fresh_output(build: &BuildOptions) -> Result<PathBuf, DeployError> {
    match crate::output::freshness::check_read_only(build) {
        Ok(report) => Ok(report.output),
        Err(stale) => match stale.output {
            None => Err(DeployError::NoOutput),
            Some(output) => Err(DeployError::NotFresh { output, why: stale.why, build: build_command(build) }),
        },
    }
}

/// An opened deploy target.
#[derive(Debug)]
pub struct Target {
    pub store: Box<dyn ObjectStore>,
    /// Where the site's files go in the store.
    pub prefix: StorePath,
    /// Whether objects carry headers (Content-Type, Cache-Control); a local folder's files do not.
    pub keeps_headers: bool,
    /// What the store is and where, for messages.
    kind: Kind,
}

/// Which store a target names, with what its messages need.
#[derive(Debug, Clone)]
enum Kind {
    S3 { bucket: String, place: String },
    Gcs { bucket: String },
    Azure { container: String },
    Local,
}

/// A target address understood, not yet opened.
struct Spec {
    text: String,
    url: url::Url,
    scheme: ObjectStoreScheme,
    prefix: StorePath,
}

const ADDRESSES: &str = "s3://BUCKET/PREFIX, gs://BUCKET/PREFIX, az://CONTAINER/PREFIX or file:///FOLDER";

/// Read a target address, in words that say what to write instead when it is wrong.
fn parse_target(target: &str) -> Result<Spec, DeployError> {
    let bad = |reason: String| Err(DeployError::Target(reason));
    let lead: String = target.chars().take_while(char::is_ascii_alphanumeric).collect::<String>().to_ascii_lowercase();
    let example = match lead.as_str() {
        "s3" | "s3a" => "s3://BUCKET/PREFIX",
        "gs" => "gs://BUCKET/PREFIX",
        "az" | "adl" | "azure" | "abfs" | "abfss" => "az://CONTAINER/PREFIX",
        "file" => "file:///FOLDER",
        _ => ADDRESSES,
    };
    if target.starts_with('/') {
        return bad(format!("`{target}` is not a storage address: write a local folder as file://{target}"));
    }
    let url = match url::Url::parse(target) {
        Ok(url) if target.contains("://") => url,
        _ => return bad(format!("`{target}` is not a storage address: write it as {example}")),
    };
    let nameless = url.host_str().is_none_or(str::is_empty);
    match url.scheme() {
        "s3" | "s3a" | "gs" if nameless => {
            return bad(format!("`{target}` has no bucket name: write it as {example}"));
        }
        "az" | "adl" | "azure" | "abfs" | "abfss" if nameless => {
            return bad(format!("`{target}` has no container name: write it as {example}"));
        }
        "file" if !nameless => {
            return bad(format!(
                "`{target}` is not a local folder: write it as file:///FOLDER (three slashes, then the absolute path)"
            ));
        }
        _ => {}
    }
    let (scheme, path) = match ObjectStoreScheme::parse(&url) {
        Ok((
            s @ (ObjectStoreScheme::AmazonS3
            | ObjectStoreScheme::GoogleCloudStorage
            | ObjectStoreScheme::MicrosoftAzure
            | ObjectStoreScheme::Local),
            path,
        )) => (s, path),
        Ok(_) => return bad(format!("`{target}` is not a storage address ladder can publish to: use {ADDRESSES}")),
        // The scheme is known (checked above), so the prefix after the bucket is what failed.
        Err(_) if ["s3", "s3a", "gs", "az", "adl", "azure", "abfs", "abfss"].contains(&url.scheme()) => {
            return bad(format!(
                "`{target}`: the prefix after the bucket cannot name objects (no empty parts `//`, and no `.` or `..`)"
            ));
        }
        Err(_) => return bad(format!("`{target}` is not a storage address ladder can publish to: use {ADDRESSES}")),
    };
    // A local folder's files go in at its top; the folder itself is `url`'s path.
    let prefix = if matches!(scheme, ObjectStoreScheme::Local) { StorePath::default() } else { path };
    Ok(Spec { text: target.to_string(), url, scheme, prefix })
}

/// Requests retried a few times over seconds, not object_store's ten over three minutes: a
/// deploy that stops part-way converges when run again, so waiting long for a dead store only
/// hides the problem.
fn retry() -> RetryConfig {
    RetryConfig { backoff: BackoffConfig::default(), max_retries: 3, retry_timeout: std::time::Duration::from_secs(20) }
}

fn truthy(value: Option<String>) -> bool {
    value.is_some_and(|v| ["1", "true", "on", "yes", "y"].contains(&v.trim().to_ascii_lowercase().as_str()))
}

/// Whether a URL names this machine (127.0.0.0/8, ::1, localhost), where plain HTTP never
/// crosses a network.
fn is_loopback(endpoint: &str) -> bool {
    match url::Url::parse(endpoint).ok().and_then(|u| u.host().map(|h| h.to_owned())) {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn s3_store(spec: &Spec, options: &[(String, String)]) -> Result<(Box<dyn ObjectStore>, Kind), DeployError> {
    use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey as Key};
    let bad = |reason: String| DeployError::Target(reason);
    let mut b = AmazonS3Builder::from_env().with_url(spec.text.clone()).with_retry(retry());
    for (k, v) in options {
        let key: Key = k.parse().map_err(|_| bad(format!("unknown store setting {k}")))?;
        b = b.with_config(key, v.clone());
    }
    let endpoint = b.get_config_value(&Key::S3Endpoint).or_else(|| b.get_config_value(&Key::Endpoint));
    if let Some(ep) = endpoint.as_deref().filter(|e| e.to_ascii_lowercase().starts_with("http://"))
        && !truthy(b.get_config_value(&Key::Client(ClientConfigKey::AllowHttp)))
    {
        if !is_loopback(ep) {
            return Err(bad(format!(
                "AWS_ENDPOINT {ep} is plain HTTP to another machine, so the credentials and the site would \
                 cross the network unencrypted: use https://, or set AWS_ALLOW_HTTP=true to allow it"
            )));
        }
        b = b.with_allow_http(true);
    }
    let has = |k: Key| b.get_config_value(&k).is_some_and(|v| !v.is_empty());
    match (has(Key::AccessKeyId), has(Key::SecretAccessKey)) {
        (true, false) => return Err(bad("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both".into())),
        (false, true) => return Err(bad("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both".into())),
        (false, false)
            if endpoint.is_some()
                && !truthy(b.get_config_value(&Key::SkipSignature))
                && !has(Key::WebIdentityTokenFile)
                && !has(Key::ContainerCredentialsRelativeUri)
                && !has(Key::ContainerCredentialsFullUri) =>
        {
            // Another store than AWS has no instance roles to fall back on: asking AWS's
            // metadata address would only time out.
            return Err(bad(format!(
                "{NO_CREDENTIALS} (or AWS_SKIP_SIGNATURE=true for a store that takes unsigned requests)"
            )));
        }
        _ => {}
    }
    let bucket = spec.url.host_str().unwrap_or_default().to_string();
    let region = b.get_config_value(&Key::Region).unwrap_or_else(|| "us-east-1".into());
    let place = endpoint.unwrap_or_else(|| format!("s3://{bucket} (Amazon S3, region {region})"));
    let store = b.build().map_err(|e| bad(format!("cannot use {}: {e}", spec.text)))?;
    Ok((Box::new(store), Kind::S3 { bucket, place }))
}

const NO_CREDENTIALS: &str = "no credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY";

/// Open the store a target URL names, with settings from the environment and `options`.
/// A local folder is created if missing.
pub fn open_store(target: &str, options: &[(String, String)]) -> Result<Target, DeployError> {
    open(&parse_target(target)?, options, true)
}

/// Open a parsed target. `create`: make a missing local folder; otherwise a missing one reads
/// as empty (a dry run makes nothing).
fn open(spec: &Spec, options: &[(String, String)], create: bool) -> Result<Target, DeployError> {
    let bad = |reason: String| DeployError::Target(reason);
    macro_rules! with_options {
        ($builder:expr, $key:ty) => {{
            let mut b = $builder.with_url(spec.text.clone()).with_retry(retry());
            for (k, v) in options {
                let key: $key = k.parse().map_err(|_| bad(format!("unknown store setting {k}")))?;
                b = b.with_config(key, v.clone());
            }
            Box::new(b.build().map_err(|e| bad(format!("cannot use {}: {e}", spec.text)))?) as Box<dyn ObjectStore>
        }};
    }
    let name = spec.url.host_str().unwrap_or_default().to_string();
    let (store, kind) = match spec.scheme {
        ObjectStoreScheme::AmazonS3 => s3_store(spec, options)?,
        ObjectStoreScheme::GoogleCloudStorage => (
            with_options!(object_store::gcp::GoogleCloudStorageBuilder::from_env(), object_store::gcp::GoogleConfigKey),
            Kind::Gcs { bucket: name },
        ),
        ObjectStoreScheme::MicrosoftAzure => (
            with_options!(object_store::azure::MicrosoftAzureBuilder::from_env(), object_store::azure::AzureConfigKey),
            Kind::Azure { container: name },
        ),
        _ => {
            // A local folder: `file:///srv/www` (for tests and for servers that share a disk).
            let root = spec.url.to_file_path().map_err(|()| bad(format!("`{}` is not a local folder", spec.text)))?;
            let store: Box<dyn ObjectStore> = if create || root.is_dir() {
                std::fs::create_dir_all(&root).map_err(|e| bad(format!("cannot create {}: {e}", root.display())))?;
                let fs = object_store::local::LocalFileSystem::new_with_prefix(&root)
                    .map_err(|e| bad(format!("cannot use {}: {e}", root.display())))?;
                Box::new(fs)
            } else {
                // Not there yet: everything would be new.
                Box::new(object_store::memory::InMemory::new())
            };
            return Ok(Target { store, prefix: StorePath::default(), keeps_headers: false, kind: Kind::Local });
        }
    };
    Ok(Target { store, prefix: spec.prefix.clone(), keeps_headers: true, kind })
}

/// A store's failure in plain words, keeping its own for `-v`. Stores report problems as HTTP
/// answers whose bodies carry a code (S3's `SignatureDoesNotMatch`, `NoSuchBucket`, Azure's
/// `ContainerNotFound`); those codes are part of each store's protocol, so they are matched by
/// name, and a connection that never happened is told apart by its HTTP error kind.
fn store_error(target: &Target, doing: &str, e: object_store::Error) -> DeployError {
    let mut detail = e.to_string();
    let mut unreachable = false;
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
    while let Some(s) = source {
        if let Some(h) = s.downcast_ref::<object_store::client::HttpError>() {
            use object_store::client::HttpErrorKind as K;
            unreachable |= matches!(h.kind(), K::Connect | K::Timeout);
        }
        let words = s.to_string();
        if !detail.contains(&words) {
            detail = format!("{detail}: {words}");
        }
        source = s.source();
    }
    let has = |code: &str| detail.contains(code);
    let (id, secret) = match &target.kind {
        Kind::Azure { .. } => ("AZURE_STORAGE_ACCOUNT_NAME", "AZURE_STORAGE_ACCOUNT_KEY"),
        Kind::Gcs { .. } => ("GOOGLE_SERVICE_ACCOUNT", "GOOGLE_SERVICE_ACCOUNT_KEY"),
        _ => ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"),
    };
    let (bucket, place) = match &target.kind {
        Kind::S3 { bucket, place } => (format!("bucket {bucket}"), place.clone()),
        Kind::Gcs { bucket } => (format!("bucket {bucket}"), format!("gs://{bucket}")),
        Kind::Azure { container } => (format!("container {container}"), format!("az://{container}")),
        Kind::Local => ("the folder".to_string(), "the local folder".to_string()),
    };
    let status = detail
        .split("status code: ")
        .nth(1)
        .map(|rest| rest.split(':').next().unwrap_or(rest).trim().to_string())
        .filter(|s| !s.is_empty());
    let message = if has("SignatureDoesNotMatch") {
        format!("the storage refused the credentials (signature does not match): check {secret}")
    } else if has("InvalidAccessKeyId") {
        format!("the storage does not know the access key in {id}: check {id}")
    } else if has("NoSuchBucket") || has("ContainerNotFound") {
        format!("{bucket} does not exist at {place}: create it first, or correct the name in --target")
    } else if has("169.254.169.254") || has("169.254.170.2") || (has("sts.") && has("amazonaws.com")) {
        // No keys given, so object_store asked the machine's instance or container role.
        format!(
            "{NO_CREDENTIALS} (or run where an instance role, a container role or AWS_WEB_IDENTITY_TOKEN_FILE provides them)"
        )
    } else if unreachable || has("error sending request") || has("Connection refused") || has("dns error") {
        format!("cannot reach the storage at {place}: check the address and that the store is running")
    } else if has("AccessDenied") || status.as_deref().is_some_and(|s| s.starts_with("403")) {
        format!(
            "the storage refused access ({doing}): give these credentials permission to list, read, write and delete objects in {bucket}"
        )
    } else if has("AuthenticationFailed")
        || has("InvalidAuthenticationInfo")
        || status.as_deref().is_some_and(|s| s.starts_with("401"))
    {
        format!("the storage refused the credentials: check {id} and {secret}")
    } else {
        let answered = status.map(|s| format!(" (it answered {s})")).unwrap_or_default();
        format!("{doing}: the storage reported an error{answered}; run with -v for its own words")
    };
    DeployError::Store { message, detail: format!("{doing}: {detail}") }
}

/// The Content-Type a browser needs for a file; text types say UTF-8, as ladder writes them.
pub fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let text = mime.type_() == mime_guess::mime::TEXT
        || ["javascript", "json", "xml", "atom+xml", "manifest+json"].contains(&mime.subtype().as_str());
    if text && mime.type_() != mime_guess::mime::IMAGE { format!("{mime}; charset=utf-8") } else { mime.to_string() }
}

/// Every file of the output folder, hashed, sorted by key.
pub fn local_files(output: &Path) -> Result<Vec<LocalFile>, DeployError> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(output).sort_by_file_name() {
        let entry = entry.map_err(|e| DeployError::Local { path: output.to_path_buf(), source: e.into() })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let path = entry.into_path();
        let rel = path.strip_prefix(output).unwrap_or(&path);
        let key = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        // Through `load`, which opens only regular files and never waits on a pipe.
        let bytes = crate::load::read_regular(&path, u64::MAX)
            .map_err(|source| DeployError::Local { path: path.clone(), source })?;
        let sha256 = format!("{:x}", Sha256::digest(&bytes));
        files.push(LocalFile { content_type: content_type(&key), key, path, sha256 });
    }
    Ok(files)
}

fn headers(file: &LocalFile, cache_control: Option<&str>) -> String {
    format!("{}\n{}", file.content_type, cache_control.unwrap_or(""))
}

fn key_under(prefix: &StorePath, key: &str) -> StorePath {
    key.split('/').fold(prefix.clone(), |p, part| p.clone().join(part))
}

fn relative_key(prefix: &StorePath, location: &StorePath) -> Option<String> {
    let parts: Vec<_> = location.prefix_match(prefix)?.map(|p| p.as_ref().to_string()).collect();
    Some(parts.join("/"))
}

/// ETags compared without their quotes, which some stores add and others do not.
fn same_etag(a: Option<&str>, b: Option<&str>) -> bool {
    let bare = |s: &str| s.trim_matches('"').to_string();
    matches!((a, b), (Some(a), Some(b)) if bare(a) == bare(b))
}

/// Compare the site with what the store holds and decide every change.
pub async fn plan(target: &Target, files: Vec<LocalFile>, cache_control: Option<&str>) -> Result<Plan, DeployError> {
    let remote_err = |doing: String| move |e| store_error(target, &doing, e);
    let (store, prefix) = (target.store.as_ref(), &target.prefix);
    let mut remote: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut listing = store.list(Some(prefix));
    while let Some(meta) = listing.next().await {
        let meta = meta.map_err(remote_err("listing the objects already there".into()))?;
        if let Some(key) = relative_key(prefix, &meta.location) {
            remote.insert(key, meta.e_tag);
        }
    }
    let manifest = if remote.contains_key(MANIFEST) {
        let got = store.get(&key_under(prefix, MANIFEST)).await.map_err(remote_err(format!("reading {MANIFEST}")))?;
        let bytes = got.bytes().await.map_err(remote_err(format!("reading {MANIFEST}")))?;
        // An unreadable manifest (another tool's, or cut short) only costs a full upload.
        serde_json::from_slice::<Manifest>(&bytes).unwrap_or_default()
    } else {
        Manifest::default()
    };
    // Some stores (s3s-fs among them) list objects without their ETags: ask for those of the
    // files the manifest says are unchanged, one HEAD each, so the check is the same everywhere.
    let unlisted: Vec<&str> = files
        .iter()
        .filter(|f| manifest.files.contains_key(&f.key) && matches!(remote.get(&f.key), Some(None)))
        .map(|f| f.key.as_str())
        .collect();
    let heads: Vec<(String, Option<String>)> = futures::stream::iter(unlisted)
        .map(|key| async move {
            let meta = store.head(&key_under(prefix, key)).await.map_err(remote_err(format!("reading {key}")))?;
            Ok::<_, DeployError>((key.to_string(), meta.e_tag))
        })
        .buffer_unordered(CONCURRENCY)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<_, _>>()?;
    remote.extend(heads);
    let mut plan = Plan::default();
    for file in files {
        let want = headers(&file, cache_control);
        let listed = remote.get(&file.key);
        let same = |r: &&Recorded| {
            r.sha256 == file.sha256
                && r.headers == want
                && same_etag(r.etag.as_deref(), listed.cloned().flatten().as_deref())
        };
        if let Some(recorded) = manifest.files.get(&file.key).filter(same) {
            plan.unchanged += 1;
            plan.kept.insert(file.key.clone(), recorded.clone());
        } else {
            let reason = if listed.is_some() { Reason::Changed } else { Reason::New };
            plan.uploads.push((file, reason));
        }
    }
    let site: std::collections::HashSet<&str> =
        plan.uploads.iter().map(|(f, _)| f.key.as_str()).chain(plan.kept.keys().map(String::as_str)).collect();
    plan.deletes = remote.keys().filter(|k| k.as_str() != MANIFEST && !site.contains(k.as_str())).cloned().collect();
    Ok(plan)
}

async fn upload(target: &Target, file: &LocalFile, cache_control: Option<&str>) -> Result<Recorded, DeployError> {
    let bytes = crate::load::read_regular(&file.path, u64::MAX)
        .map_err(|source| DeployError::Local { path: file.path.clone(), source })?;
    // The file may have changed since it was hashed: record what is actually sent.
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let mut attributes = Attributes::new();
    if target.keeps_headers {
        attributes.insert(Attribute::ContentType, file.content_type.clone().into());
        if let Some(cc) = cache_control {
            attributes.insert(Attribute::CacheControl, cc.to_string().into());
        }
    }
    let opts = PutOptions { attributes, ..PutOptions::default() };
    let put = target
        .store
        .put_opts(&key_under(&target.prefix, &file.key), PutPayload::from(bytes), opts)
        .await
        .map_err(|e| store_error(target, &format!("uploading {}", file.key), e))?;
    Ok(Recorded { sha256, headers: headers(file, cache_control), etag: put.e_tag })
}

/// Carry out a plan. `observe` sees each change once it is done and may stop the deploy
/// (`ControlFlow::Break`), leaving the store part-way, as an interruption would.
pub async fn execute(
    target: &Target,
    plan: Plan,
    cache_control: Option<&str>,
    observe: &mut dyn FnMut(&Change) -> ControlFlow<()>,
) -> Result<Summary, DeployError> {
    let (store, prefix) = (target.store.as_ref(), &target.prefix);
    let mut summary = Summary { unchanged: plan.unchanged, ..Summary::default() };
    let mut manifest = Manifest { files: plan.kept };
    let mut uploads = futures::stream::iter(plan.uploads.iter())
        .map(|(file, reason)| async move { upload(target, file, cache_control).await.map(|r| (file, *reason, r)) })
        .buffer_unordered(CONCURRENCY);
    while let Some(done) = uploads.next().await {
        let (file, reason, recorded) = done?;
        manifest.files.insert(file.key.clone(), recorded);
        summary.uploaded += 1;
        if observe(&Change::Upload { key: file.key.clone(), reason }).is_break() {
            return Ok(summary);
        }
    }
    drop(uploads);
    let json = serde_json::to_vec_pretty(&manifest).unwrap_or_default();
    store
        .put(&key_under(prefix, MANIFEST), PutPayload::from(json))
        .await
        .map_err(|e| store_error(target, &format!("uploading {MANIFEST}"), e))?;
    let mut deletes = futures::stream::iter(plan.deletes.iter())
        .map(|key| async move {
            match store.delete(&key_under(prefix, key)).await {
                // Already gone (deleted by an earlier, interrupted run) is what was wanted.
                Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(key),
                Err(e) => Err(store_error(target, &format!("deleting {key}"), e)),
            }
        })
        .buffer_unordered(CONCURRENCY);
    while let Some(done) = deletes.next().await {
        let key = done?;
        summary.deleted += 1;
        if observe(&Change::Delete { key: key.clone() }).is_break() {
            return Ok(summary);
        }
    }
    summary.complete = true;
    Ok(summary)
}

/// Refuse a plan that deletes more than `--max-deletes` objects; a dry run is refused too,
/// after listing its changes, so it fails exactly when the real run would.
fn guard_deletes(opts: &DeployOptions, plan: &Plan) -> Result<(), DeployError> {
    match opts.max_deletes {
        Some(max) if plan.deletes.len() > max => Err(DeployError::TooManyDeletes {
            target: opts.target.clone(),
            count: plan.deletes.len(),
            max,
            dry_run: opts.dry_run,
        }),
        _ => Ok(()),
    }
}

/// The whole deploy: check the build is fresh, compare, then change the store (or, with
/// `dry_run`, report every change through `observe` and make none).
/// A local target is made to match the built site, deleting whatever else it holds: one that
/// is the site folder, holds it, or is, lies inside or contains an input folder (`content/`)
/// would lose the sources, so it is refused before anything is opened.
fn refuse_local_overlap(spec: &Spec, root: &Path) -> Result<(), DeployError> {
    let Ok(folder) = spec.url.to_file_path() else { return Ok(()) };
    if !matches!(spec.scheme, ObjectStoreScheme::Local) {
        return Ok(());
    }
    // A link inside the target would be followed when what lies under it is deleted (a
    // `site -> /path/to/site` link there lost the whole site), so a target holding any is refused.
    // The target itself may be a link (to a folder holding one): look inside where it leads.
    let walk = walkdir::WalkDir::new(&folder).follow_links(false).follow_root_links(true).min_depth(1);
    if let Some(link) = walk.into_iter().flatten().find(|e| e.path_is_symlink()) {
        return Err(DeployError::Target(format!(
            "refusing to deploy into {}: it holds a symbolic link ({}), and the deploy would delete what lies \
             behind it; remove the link or choose another folder (nothing was touched)",
            folder.display(),
            link.path().display()
        )));
    }
    let why = match crate::output::guard::overlap(root, &folder) {
        Ok(None) => return Ok(()),
        Ok(Some(crate::output::guard::Overlap::SiteFolder)) => "it would replace the site folder itself".to_string(),
        Ok(Some(crate::output::guard::Overlap::Input { how, input })) => {
            format!("it {how} the site's input folder `{input}`, whose files the deploy would delete")
        }
        Err(e) => e.to_string(),
    };
    Err(DeployError::Target(format!("refusing to deploy into {}: {why} (nothing was touched)", folder.display())))
}

pub async fn deploy(
    opts: &DeployOptions,
    observe: &mut dyn FnMut(&Change) -> ControlFlow<()>,
) -> Result<Summary, DeployError> {
    // Both are checked before either is reported, so one run names every problem, and before
    // the store is opened, so a refused deploy touches nothing.
    let (spec, output) = match (parse_target(&opts.target), fresh_output(&opts.build)) {
        (Ok(t), Ok(o)) => (t, o),
        (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
        (Err(a), Err(b)) => return Err(DeployError::Several(vec![a, b])),
    };
    refuse_local_overlap(&spec, &opts.build.root)?;
    let target = open(&spec, &opts.store_options, false)?;
    let files = local_files(&output)?;
    let cache_control = opts.cache_control.as_deref();
    let plan = plan(&target, files, cache_control).await?;
    if opts.dry_run {
        for change in plan.changes() {
            let _ = observe(&change);
        }
        guard_deletes(opts, &plan)?;
        let summary = Summary {
            uploaded: plan.uploads.len(),
            deleted: plan.deletes.len(),
            unchanged: plan.unchanged,
            complete: true,
        };
        return Ok(summary);
    }
    guard_deletes(opts, &plan)?;
    // Opened again, now allowed to make a missing local folder: the deploy goes ahead.
    let target = if matches!(target.kind, Kind::Local) { open(&spec, &opts.store_options, true)? } else { target };
    execute(&target, plan, cache_control, observe).await
}

/// Run a deploy on its own runtime, printing each change; returns the exit code.
/// With `verbose`, a failure's underlying words (the store's answer) follow on their own line.
pub fn run_cli(opts: DeployOptions, quiet: bool, verbose: bool) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the deploy: {e}");
            return 1;
        }
    };
    let mut print = |c: &Change| {
        if !quiet || opts.dry_run {
            println!("{c}");
        }
        ControlFlow::Continue(())
    };
    match runtime.block_on(deploy(&opts, &mut print)) {
        Ok(summary) => {
            if !quiet {
                let what = if opts.dry_run { "dry run, nothing changed: would be" } else { "deployed:" };
                eprintln!("{what} {summary} (to {})", opts.target);
            }
            0
        }
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(detail) = e.detail().filter(|_| verbose) {
                eprintln!("  the store said: {detail}");
            }
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_name_utf8_for_text() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("data/employers.json"), "application/json; charset=utf-8");
        assert_eq!(content_type("badge.svg"), "image/svg+xml");
        assert_eq!(content_type("x.png"), "image/png");
        assert_eq!(content_type("LICENSE"), "application/octet-stream");
    }

    #[test]
    fn etags_compare_without_quotes_and_never_when_missing() {
        assert!(same_etag(Some("\"abc\""), Some("abc")));
        assert!(!same_etag(Some("abc"), Some("abd")));
        assert!(!same_etag(None, None));
    }

    #[tokio::test]
    async fn a_local_folder_target_converges() {
        let out = tempfile::tempdir().unwrap();
        let dest = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(out.path().join("a")).unwrap();
        std::fs::write(out.path().join("index.html"), "<p>1").unwrap();
        std::fs::write(out.path().join("a/b.css"), "p{}").unwrap();
        let target = url::Url::from_directory_path(dest.path()).unwrap().to_string();
        let dest_store = open_store(&target, &[]).unwrap();
        let mut go = |_: &Change| ControlFlow::Continue(());
        let files = || local_files(out.path()).unwrap();
        let first = plan(&dest_store, files(), None).await.unwrap();
        let s = execute(&dest_store, first, None, &mut go).await.unwrap();
        assert_eq!((s.uploaded, s.deleted, s.unchanged), (2, 0, 0));
        assert_eq!(std::fs::read(dest.path().join("a/b.css")).unwrap(), b"p{}");
        let again = plan(&dest_store, files(), None).await.unwrap();
        assert_eq!((again.uploads.len(), again.deletes.len(), again.unchanged), (0, 0, 2));
        std::fs::remove_file(out.path().join("a/b.css")).unwrap();
        let gone = plan(&dest_store, files(), None).await.unwrap();
        assert_eq!(gone.deletes, vec!["a/b.css".to_string()]);
    }

    #[tokio::test]
    async fn a_target_full_of_other_files_is_not_emptied() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("site.yaml"), "title: t\nbase_url: https://example.org/\n").unwrap();
        let out = site.path().join("output");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("index.html"), "<p>").unwrap();
        let dest = tempfile::tempdir().unwrap();
        for name in ["a.txt", "b.txt", "c.txt"] {
            std::fs::write(dest.path().join(name), "someone else's").unwrap();
        }
        let target = url::Url::from_directory_path(dest.path()).unwrap().to_string();
        let files = local_files(&out).unwrap();
        let t = open_store(&target, &[]).unwrap();
        let p = plan(&t, files, None).await.unwrap();
        assert_eq!(p.deletes.len(), 3);
        let opts = DeployOptions { target, max_deletes: Some(2), ..DeployOptions::default() };
        let err = guard_deletes(&opts, &p).unwrap_err();
        assert!(err.to_string().contains("would delete 3 objects"), "{err}");
        assert!(guard_deletes(&DeployOptions { max_deletes: Some(3), ..opts.clone() }, &p).is_ok());
        let dry = guard_deletes(&DeployOptions { dry_run: true, ..opts }, &p).unwrap_err();
        assert!(
            dry.to_string().contains("the real deploy would be refused"),
            "a dry run is refused as the real one: {dry}"
        );
        assert_eq!(std::fs::read_dir(dest.path()).unwrap().count(), 3);
    }
}
