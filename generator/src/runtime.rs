//! The SDK runtime, as the generator emits it: the files of `generator/runtime/`, verbatim.

/// The runtime modules of the emitted crate: ordinary Rust in `generator/runtime/NAME.rs`, compiled and
/// unit-tested there (`generator/tests/runtime.rs`), emitted verbatim as `src/NAME.rs` (comments kept).
/// What they need from the spec they read from the generated `crate::spec` module.
pub const RUNTIME_FILES: [(&str, &str); 7] = [
    ("client", include_str!("../runtime/client.rs")),
    ("error", include_str!("../runtime/error.rs")),
    ("paging", include_str!("../runtime/paging.rs")),
    ("request", include_str!("../runtime/request.rs")),
    ("stream", include_str!("../runtime/stream.rs")),
    ("tagged", include_str!("../runtime/tagged.rs")),
    ("types", include_str!("../runtime/types.rs")),
];
