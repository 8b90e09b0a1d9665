//! Live tests of the Letta 0.16.8 SDK (`letta-api`): data — blocks (public and `_internal`), tags,
//! archives and their passages, passage search, folders, sources (the deprecated folder API) and
//! identities.
//!
//! Run with `tests/live/run --letta 0.16.8`; without `LETTA_LIVE` every test returns at once. Each
//! successful call appends `<tag>\t<operation_id>` to `LIVE_COVERAGE_FILE` (see `live_016/support.rs`).

#[path = "live_016/support.rs"]
mod support;

#[path = "live_016/data_archives.rs"]
mod data_archives;
#[path = "live_016/data_blocks.rs"]
mod data_blocks;
#[path = "live_016/data_folders.rs"]
mod data_folders;
#[path = "live_016/data_identities.rs"]
mod data_identities;
#[path = "live_016/data_sources.rs"]
mod data_sources;
