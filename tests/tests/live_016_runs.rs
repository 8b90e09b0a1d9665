//! Live tests of the Letta 0.16.8 SDK (`letta-api`): runs and steps, conversations, messages across
//! agents and batches, groups, jobs, and the internal runs/search/telemetry routes.
//!
//! Run with `tests/live/run --letta 0.16.8`; without `LETTA_LIVE` every test returns at once. Each
//! successful call appends `<tag>\t<operation_id>` to `LIVE_COVERAGE_FILE` (see `live_016/support.rs`).

#[path = "live_016/support.rs"]
mod support;

#[path = "live_016/runs_common.rs"]
mod runs_common;

#[path = "live_016/runs_runs.rs"]
mod runs_runs;

#[path = "live_016/runs_conversations.rs"]
mod runs_conversations;

#[path = "live_016/runs_messages.rs"]
mod runs_messages;

#[path = "live_016/runs_groups.rs"]
mod runs_groups;

#[path = "live_016/runs_jobs.rs"]
mod runs_jobs;
