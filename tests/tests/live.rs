//! Live tests of the generated SDK against a real Letta 0.7.10 server.
//!
//! Run them with `tests/live/run` (it starts a fake OpenAI-compatible LLM and `letta server`, then
//! runs this suite with `LETTA_LIVE=1`). Without `LETTA_LIVE` every test returns at once, so the
//! normal `cargo test` needs no server.
//!
//! Every Letta call goes through the SDK and every response must decode into its typed model. After
//! each successful call the suite appends `<tag>\t<operation_id>` (once per tag of the operation, as
//! `spec/openapi.json` lists them) to `LIVE_COVERAGE_FILE`; failed calls are never recorded.

#[path = "live/support.rs"]
mod support;

#[path = "live/admin.rs"]
mod admin;
#[path = "live/agents.rs"]
mod agents;
#[path = "live/blocks.rs"]
mod blocks;
#[path = "live/errors.rs"]
mod errors;
#[path = "live/groups.rs"]
mod groups;
#[path = "live/identities.rs"]
mod identities;
#[path = "live/memory.rs"]
mod memory;
#[path = "live/messages.rs"]
mod messages;
#[path = "live/misc.rs"]
mod misc;
#[path = "live/providers.rs"]
mod providers;
#[path = "live/sandbox.rs"]
mod sandbox;
#[path = "live/sources.rs"]
mod sources;
#[path = "live/tools.rs"]
mod tools;
#[path = "live/voice.rs"]
mod voice;
