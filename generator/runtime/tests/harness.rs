// The runtime modules mounted at a test or bench crate's root exactly as a generated crate mounts them,
// beside a stand-in for the generated `spec` module. `include!`d by generator/tests/runtime.rs and
// generator/benches/sse.rs; `#[path]`s are relative to this file.

#[path = "../client.rs"]
pub mod client;
#[path = "../error.rs"]
pub mod error;
#[path = "../paging.rs"]
pub mod paging;
#[path = "../request.rs"]
pub mod request;
#[path = "../stream.rs"]
pub mod stream;
#[path = "../tagged.rs"]
mod tagged;
#[path = "../types.rs"]
pub mod types;

/// What a generated crate's `src/spec.rs` provides (values of a test profile).
pub mod spec {
    pub const VERSION: &str = "9.8.7";
    pub const SPEC_SHA256: &str = "0000000000000000000000000000000000000000000000000000000000000000";
    pub const GENERATOR_VERSION: &str = "0.0.0-test";
    pub const DEFAULT_BASE_URL: &str = "http://localhost:9";
    pub const BASE_URL_ENV: &str = "RUNTIME_TEST_BASE_URL";
    pub const TOKEN_ENV: &str = "RUNTIME_TEST_API_KEY";
    pub const DEFAULT_USER_AGENT: &str = "runtime-test/9.8.7";
    pub const COMPAT_HEADERS: &[(&str, &str)] = &[("X-Compat", "1")];
}

pub use client::{Client, ClientBuilder, RequestOptions};
pub use error::Error;

