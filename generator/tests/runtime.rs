//! The SDK runtime (`generator/runtime/*.rs`) compiled and unit-tested where it is written, without
//! generating anything: the runtime modules are mounted at this test crate's root exactly as a generated
//! crate mounts them, beside a stand-in for the generated `spec` module. The unit tests themselves are in
//! `generator/runtime/tests/` (they are not emitted into SDKs).
// The runtime is written for the generated crates' edition 2021, which has no `if let` chains.
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::collapsible_if)]

include!("../runtime/tests/harness.rs");

#[path = "../runtime/tests/client.rs"]
mod client_tests;
#[path = "../runtime/tests/request.rs"]
mod request_tests;
#[path = "../runtime/tests/stream.rs"]
mod stream_tests;
#[path = "../runtime/tests/types.rs"]
mod types_tests;
#[path = "../runtime/tests/untagged.rs"]
mod untagged_tests;
