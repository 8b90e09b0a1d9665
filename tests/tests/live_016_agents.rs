//! Live tests of the Letta 0.16.8 SDK (`letta-api`): agents, messages (JSON and streaming), memory.
//!
//! Run with `tests/live/run --letta 0.16.8`; without `LETTA_LIVE` every test returns at once. Each
//! successful call appends `<tag>\t<operation_id>` to `LIVE_COVERAGE_FILE` (see `live_016/support.rs`).

#[path = "live_016/support.rs"]
mod support;

#[path = "live_016/agents.rs"]
mod agents;

#[path = "live_016/agents_crud.rs"]
mod agents_crud;

#[path = "live_016/agents_memory.rs"]
mod agents_memory;

#[path = "live_016/agents_tools.rs"]
mod agents_tools;

#[path = "live_016/agents_files.rs"]
mod agents_files;

#[path = "live_016/agents_messages.rs"]
mod agents_messages;

#[path = "live_016/agents_platform.rs"]
mod agents_platform;
