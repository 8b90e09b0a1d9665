//! What both live suites share: the environment switch, per-run unique names, and the coverage recorder
//! that appends `<tag>\t<operation_id>` for every successful call (the tags as the pinned spec lists them).

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// The environment of a live run (`tests/live/run` sets it), or `None` when `LETTA_LIVE` is not set.
#[derive(Debug, Clone)]
pub struct LiveEnv {
    /// `LETTA_BASE_URL`: the real server.
    pub base_url: String,
    /// `FAKE_LLM_BASE_URL`: `http://127.0.0.1:PORT/v1` of `tests/live/fake_llm.py`.
    pub fake_llm: String,
    /// `LIVE_COVERAGE_FILE`, when set.
    pub coverage: Option<PathBuf>,
}

impl LiveEnv {
    /// `None` unless `LETTA_LIVE` is set; then `LETTA_BASE_URL` and `FAKE_LLM_BASE_URL` are required.
    pub fn from_env() -> Option<LiveEnv> {
        std::env::var("LETTA_LIVE")
            .ok()
            .filter(|v| !v.is_empty() && v != "0")?;
        let base_url =
            std::env::var("LETTA_BASE_URL").expect("LETTA_LIVE is set: LETTA_BASE_URL is required");
        let fake_llm = std::env::var("FAKE_LLM_BASE_URL")
            .expect("LETTA_LIVE is set: FAKE_LLM_BASE_URL is required")
            .trim_end_matches('/')
            .to_string();
        let coverage = std::env::var_os("LIVE_COVERAGE_FILE")
            .filter(|p| !p.is_empty())
            .map(Into::into);
        Some(LiveEnv {
            base_url,
            fake_llm,
            coverage,
        })
    }
}

/// The id of this test process, lowercase hex (stable for the whole run).
pub fn run_id() -> &'static str {
    static RUN: OnceLock<String> = OnceLock::new();
    RUN.get_or_init(|| {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        format!("{:x}{:04x}", nanos % (1 << 48), std::process::id() & 0xffff)
    })
}

/// A name unique to this run and call: `live-<what>-<run>-<n>`.
pub fn unique_name(what: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "live-{what}-{}-{}",
        run_id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Operation id → its tags (each once, in spec order) of a pinned document `spec/<name>/openapi.json`.
pub fn spec_tags(pinned: &str) -> BTreeMap<String, Vec<String>> {
    let spec: serde_json::Value =
        serde_json::from_str(&crate::pinned_spec_text(pinned)).expect("the pinned spec is JSON");
    let mut out = BTreeMap::new();
    let paths = spec["paths"].as_object().expect("spec has paths");
    for item in paths.values() {
        let item = item.as_object().expect("path item is an object");
        for (method, op) in item {
            if ![
                "get", "put", "post", "delete", "patch", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                continue;
            }
            let id = op["operationId"]
                .as_str()
                .expect("operation has an operationId");
            let mut tags: Vec<String> = Vec::new();
            for tag in op["tags"].as_array().into_iter().flatten() {
                let tag = tag.as_str().expect("tag is a string").to_string();
                if !tags.contains(&tag) {
                    tags.push(tag);
                }
            }
            out.insert(id.to_string(), tags);
        }
    }
    out
}

/// Records successful operations of one pinned spec into the coverage file.
#[derive(Debug)]
pub struct Coverage {
    pinned: &'static str,
    tags: BTreeMap<String, Vec<String>>,
    file: Option<PathBuf>,
}

impl Coverage {
    /// The recorder for `spec/<pinned>/openapi.json`, appending to `file` when given.
    pub fn new(pinned: &'static str, file: Option<PathBuf>) -> Coverage {
        Coverage {
            pinned,
            tags: spec_tags(pinned),
            file,
        }
    }

    /// The tags of `op`; panics on an operation id the spec does not have (a typo would record nothing).
    pub fn tags_of(&self, op: &str) -> &[String] {
        match self.tags.get(op) {
            Some(tags) => tags,
            None => panic!(
                "`{op}` is not an operationId of spec/{}/openapi.json",
                self.pinned
            ),
        }
    }

    /// Appends `<tag>\t<op>` for every tag of `op`.
    pub fn record(&self, op: &str) {
        let tags = self.tags_of(op);
        let Some(path) = &self.file else { return };
        let mut lines = String::new();
        for tag in tags {
            lines.push_str(&format!("{tag}\t{op}\n"));
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        file.write_all(lines.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}
