//! Live tests of the Letta 0.16.8 SDK (`letta-api`): the platform tags — tools, MCP servers, sandbox
//! configs, providers, administration (organizations, users, tags, auth) and internal templates.
//!
//! Run with `tests/live/run --letta 0.16.8`; without `LETTA_LIVE` every test returns at once. Each
//! successful call appends `<tag>\t<operation_id>` to `LIVE_COVERAGE_FILE` (see `live_016/support.rs`).
//! The MCP tests spawn `tests/live/mcp_stdio_platform.py` through the server (stdio MCP must be enabled:
//! `MCP_DISABLE_STDIO=false`, as `tests/live/run` sets it).

#[path = "live_016/support.rs"]
mod support;

#[path = "live_016/platform_admin.rs"]
mod platform_admin;
#[path = "live_016/platform_mcp.rs"]
mod platform_mcp;
#[path = "live_016/platform_providers.rs"]
mod platform_providers;
#[path = "live_016/platform_sandbox.rs"]
mod platform_sandbox;
#[path = "live_016/platform_templates.rs"]
mod platform_templates;
#[path = "live_016/platform_tools.rs"]
mod platform_tools;
