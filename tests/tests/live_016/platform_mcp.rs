//! MCP servers over stdio (tests/live/mcp_stdio_platform.py, spawned by the Letta server): the
//! `/v1/mcp-servers` API by id, and the older `/v1/tools/mcp/servers` API by name.

use std::collections::BTreeMap;

use futures_util::StreamExt as _;
use letta_api::apis::StreamEvent;
use letta_api::models as m;
use serde_json::json;

use crate::support::{Live, live, object};

/// The interpreter that runs the MCP server script: the Letta venv's Python (it has `mcp`).
fn python() -> String {
    let venv = std::env::var("LETTA_VENV").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../target/letta-venv-0.16.8").to_string()
    });
    format!("{venv}/bin/python")
}

/// The stdio MCP server script; its tools are `add_<suffix>` and `echo_<suffix>`.
fn script() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/live/mcp_stdio_platform.py").to_string()
}

/// A suffix for MCP tool names unique to this run and call (tool names are unique per organization).
fn suffix(live: &Live, what: &str) -> String {
    live.name(what).replace('-', "_")
}

/// The JSON objects of an MCP connect stream (`{"event": ...}`; the spec gives them no schema).
fn connect_events(events: &[StreamEvent]) -> Vec<&serde_json::Value> {
    events
        .iter()
        .map(|e| match e {
            StreamEvent::Unknown(v) => v,
            other => panic!("an MCP connect stream carries no agent events: {other:?}"),
        })
        .collect()
}

/// Reads an MCP connect stream to its end: the events, and how it ended (`Err` for the first error).
async fn drain(
    mut stream: letta_api::stream::EventStream<StreamEvent>,
) -> (Vec<StreamEvent>, Result<(), letta_api::Error>) {
    let mut events = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(event) => events.push(event),
            Err(e) => return (events, Err(e)),
        }
    }
    (events, Ok(()))
}

/// The end of an MCP connect stream: the server (`oauth_stream_generator` in
/// letta/server/rest_api/routers/v1/tools.py and mcp_servers.py) closes the body after its `success`
/// event without a `data: [DONE]`, which the profile records (`streaming.end_at_close`), so the stream
/// ends cleanly (its events, which have no `message_type`, come as `Unknown`).
fn assert_ended_cleanly(live: &Live, op: &str, end: Result<(), letta_api::Error>) {
    live.track(op, end);
}

/// Asserts a connect stream: a connection attempt, then success with the server's tools.
fn assert_connected(events: &[StreamEvent], tools: &[&str]) {
    let objects = connect_events(events);
    assert_eq!(
        objects.first().and_then(|o| o.get("event")),
        Some(&json!("connection_attempt")),
        "{objects:?}"
    );
    let success = objects
        .iter()
        .find(|o| o.get("event") == Some(&json!("success")))
        .unwrap_or_else(|| panic!("no success event: {objects:?}"));
    let names: Vec<&str> = success["tools"]
        .as_array()
        .expect("the success event lists tools")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for tool in tools {
        assert!(names.contains(tool), "{tool} not in {names:?}");
    }
}

#[tokio::test]
async fn an_mcp_server_by_id_lists_runs_and_refreshes_its_tools() {
    let live = live!();
    let api = live.client.mcp_servers();
    let name = live.name("mcp");
    let first = suffix(live, "a");
    let (add, echo) = (format!("add_{first}"), format!("echo_{first}"));

    let config = m::CreateStdioMcpServer::new(python(), vec![script(), first.clone()])
        .with_env(BTreeMap::from([("LIVE".to_string(), "1".to_string())]));
    let request = m::CreateMcpServerRequest::new(
        name.clone(),
        m::CreateMcpServerRequestConfig::CreateStdioMcpServer(config),
    );
    let created = live.track(
        "mcp_create_mcp_server",
        api.mcp_create_mcp_server(request).send().await,
    );
    let m::Server::StdioMcpServer(server) = created else {
        panic!("a stdio server comes back as stdio: {created:?}")
    };
    let id = server.id.clone().expect("a created MCP server has an id");
    assert_eq!(server.server_name, name);
    assert_eq!(server.command, python());
    assert_eq!(server.args, vec![script(), first.clone()]);

    let got = live.track(
        "mcp_retrieve_mcp_server",
        api.mcp_retrieve_mcp_server(&id).send().await,
    );
    assert!(
        matches!(&got, m::Server::StdioMcpServer(s) if s.id.as_deref() == Some(id.as_str()) && s.server_name == name),
        "{got:?}"
    );
    let all = live.track(
        "mcp_list_mcp_servers",
        api.mcp_list_mcp_servers().send().await,
    );
    assert!(
        all.iter().any(
            |s| matches!(s, m::Server::StdioMcpServer(s) if s.id.as_deref() == Some(id.as_str()))
        ),
        "{all:?}"
    );

    // creating the server registered its tools
    let tools = live.track(
        "mcp_list_tools_for_mcp_server",
        api.mcp_list_tools_for_mcp_server(&id).send().await,
    );
    let names: Vec<_> = tools.iter().filter_map(|t| t.name.clone()).collect();
    assert!(names.contains(&add) && names.contains(&echo), "{names:?}");
    let add_tool = tools
        .iter()
        .find(|t| t.name.as_deref() == Some(add.as_str()))
        .unwrap();
    assert_eq!(add_tool.tool_type, m::ToolType::ExternalMcp);
    let add_id = add_tool.id.clone().expect("an MCP tool has an id");
    let one = live.track(
        "mcp_retrieve_mcp_tool",
        api.mcp_retrieve_mcp_tool(&id, &add_id).send().await,
    );
    assert_eq!(one.id, add_tool.id);
    assert_eq!(
        one.json_schema
            .as_ref()
            .and_then(|s| s.get("parameters"))
            .and_then(|p| p.pointer("/properties/a/type")),
        Some(&json!("integer"))
    );

    // run the tool through the server
    let run = live.track(
        "mcp_run_tool",
        api.mcp_run_tool(&id, &add_id)
            .body(
                m::LettaSchemasMcpServerToolExecuteRequest::default()
                    .with_args(object(json!({"a": 2, "b": 3}))),
            )
            .send()
            .await,
    );
    assert_eq!(run.status, m::ToolExecutionResultStatus::Success, "{run:?}");
    assert_eq!(run.func_return, Some(json!("5")));

    // connecting streams the tool list (no OAuth for stdio)
    let stream = api
        .mcp_connect_mcp_server(&id)
        .send()
        .await
        .expect("the connect stream opens");
    let (events, end) = drain(stream).await;
    assert_connected(&events, &[&add, &echo]);
    assert_ended_cleanly(live, "mcp_connect_mcp_server", end);

    // nothing changed yet: a refresh is a no-op
    let refreshed = live.track(
        "mcp_refresh_mcp_server_tools",
        api.mcp_refresh_mcp_server_tools(&id).send().await,
    );
    assert_eq!(
        refreshed,
        json!({"deleted": [], "updated": [], "added": []})
    );

    // rename the server and point it at a script serving other tools, then refresh
    let second = suffix(live, "b");
    let renamed = live.name("mcp-renamed");
    let update = m::UpdateMcpServerRequest::new(
        m::UpdateMcpServerRequestConfig::LettaSchemasMcpServerUpdateStdioMcpServer(
            m::LettaSchemasMcpServerUpdateStdioMcpServer::default()
                .with_command(python())
                .with_args(vec![script(), second.clone()])
                .with_env(BTreeMap::from([("LIVE".to_string(), "2".to_string())])),
        ),
    )
    .with_server_name(renamed.clone());
    let updated = live.track(
        "mcp_update_mcp_server",
        api.mcp_update_mcp_server(&id, update).send().await,
    );
    let m::Server::StdioMcpServer(updated) = updated else {
        panic!("still stdio: {updated:?}")
    };
    assert_eq!(updated.server_name, renamed);
    assert_eq!(updated.args, vec![script(), second.clone()]);
    let refreshed = live.track(
        "mcp_refresh_mcp_server_tools",
        api.mcp_refresh_mcp_server_tools(&id).send().await,
    );
    let mut added: Vec<_> = refreshed["added"]
        .as_array()
        .unwrap_or_else(|| panic!("{refreshed}"))
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    added.sort();
    let (add2, echo2) = (format!("add_{second}"), format!("echo_{second}"));
    assert_eq!(added, vec![add2.as_str(), echo2.as_str()], "{refreshed}");
    let tools = live.track(
        "mcp_list_tools_for_mcp_server",
        api.mcp_list_tools_for_mcp_server(&id).send().await,
    );
    let names: Vec<_> = tools.iter().filter_map(|t| t.name.clone()).collect();
    assert!(names.contains(&echo2) && !names.contains(&add), "{names:?}");

    live.track(
        "mcp_delete_mcp_server",
        api.mcp_delete_mcp_server(&id).send().await,
    );
    let err = live.expect_err(
        "mcp_retrieve_mcp_server",
        api.mcp_retrieve_mcp_server(&id).send().await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
}

#[tokio::test]
async fn an_mcp_server_by_name_through_the_tools_api() {
    let live = live!();
    let tools = live.client.tools();
    let name = live.name("mcp-legacy");
    let tag = suffix(live, "l");
    let (add, echo) = (format!("add_{tag}"), format!("echo_{tag}"));
    let config = m::StdioServerConfig::new(name.clone(), python(), vec![script(), tag.clone()]);

    // probe the configuration without saving it (JSON and event-stream variants)
    let tested = live.track(
        "test_mcp_server",
        tools
            .test_mcp_server(m::AddMcpServerBody::StdioServerConfig(config.clone()))
            .send()
            .await,
    );
    assert_eq!(tested["status"], json!("success"), "{tested}");
    assert_eq!(
        tested["tools"].as_array().map(Vec::len),
        Some(2),
        "{tested}"
    );
    let stream = tools
        .connect_mcp_server(m::AddMcpServerBody::StdioServerConfig(config.clone()))
        .send()
        .await
        .expect("the connect stream opens");
    let (events, end) = drain(stream).await;
    assert_connected(&events, &[&add, &echo]);
    assert_ended_cleanly(live, "connect_mcp_server", end);

    // save it: the answer is every server of the organization
    let saved = live.track(
        "add_mcp_server",
        tools
            .add_mcp_server(m::AddMcpServerBody::StdioServerConfig(config.clone()))
            .send()
            .await,
    );
    assert!(
        saved.iter().any(
            |s| matches!(s, m::AddMcpServerBody::StdioServerConfig(c) if c.server_name == name)
        ),
        "{saved:?}"
    );
    let listed = live.track("list_mcp_servers", tools.list_mcp_servers().send().await);
    match listed.get(&name) {
        Some(m::ServerConfig::StdioServerConfig(c)) => {
            assert_eq!(c.command, python());
            assert_eq!(c.args, vec![script(), tag.clone()]);
        }
        other => panic!("{name} is listed as a stdio server: {other:?}"),
    }

    let mcp_tools = live.track(
        "list_mcp_tools_by_server",
        tools.list_mcp_tools_by_server(&name).send().await,
    );
    let add_def = mcp_tools
        .iter()
        .find(|t| t.name == add)
        .unwrap_or_else(|| panic!("{add} in {mcp_tools:?}"));
    assert_eq!(
        add_def.input_schema.get("required"),
        Some(&json!(["a", "b"]))
    );
    assert!(mcp_tools.iter().any(|t| t.name == echo));

    let registered = live.track("add_mcp_tool", tools.add_mcp_tool(&name, &add).send().await);
    assert_eq!(registered.name.as_deref(), Some(add.as_str()));
    assert_eq!(registered.tool_type, m::ToolType::ExternalMcp);
    assert!(
        registered.tags.iter().any(|t| t == &format!("mcp:{name}")),
        "{:?}",
        registered.tags
    );

    let executed = live.track(
        "execute_mcp_tool",
        tools
            .execute_mcp_tool(
                &name,
                &echo,
                m::LettaServerRestApiRoutersV1ToolsToolExecuteRequest::default()
                    .with_args(object(json!({"text": "hello"}))),
            )
            .send()
            .await,
    );
    assert_eq!(
        executed,
        json!({"result": "echo: hello", "success": true}),
        "{executed}"
    );
    let resynced = live.track(
        "resync_mcp_server_tools",
        tools.resync_mcp_server_tools(&name).send().await,
    );
    assert!(resynced.get("added").is_some(), "{resynced}");

    let changed = config
        .clone()
        .with_env(BTreeMap::from([("LIVE".to_string(), "yes".to_string())]));
    let update = m::UpdateMcpServerBody::LettaSchemasMcpUpdateStdioMcpServer(
        m::LettaSchemasMcpUpdateStdioMcpServer::default().with_stdio_config(changed),
    );
    let updated = live.track(
        "update_mcp_server",
        tools.update_mcp_server(&name, update).send().await,
    );
    match updated {
        m::AddMcpServerBody::StdioServerConfig(c) => {
            assert_eq!(c.server_name, name);
            assert_eq!(
                c.env
                    .as_value()
                    .and_then(|e| e.get("LIVE"))
                    .map(String::as_str),
                Some("yes")
            );
        }
        other => panic!("still stdio: {other:?}"),
    }

    let remaining = live.track(
        "delete_mcp_server",
        tools.delete_mcp_server(&name).send().await,
    );
    assert!(
        remaining.iter().all(
            |s| !matches!(s, m::AddMcpServerBody::StdioServerConfig(c) if c.server_name == name)
        ),
        "{remaining:?}"
    );
    let listed = live.track("list_mcp_servers", tools.list_mcp_servers().send().await);
    assert!(!listed.contains_key(&name));
    // its tools went with it
    let left = live.track(
        "list_tools",
        tools.list_tools().name(add.clone()).send().await,
    );
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn the_mcp_oauth_callback_rejects_an_unknown_state() {
    let live = live!();
    let answer = live.track(
        "mcp_oauth_callback",
        live.client
            .tools()
            .mcp_oauth_callback()
            .state(live.name("state"))
            .code("not-a-code".to_string())
            .send()
            .await,
    );
    assert_eq!(
        answer,
        json!({"status": "error", "message": "Invalid or expired state parameter"})
    );
}
