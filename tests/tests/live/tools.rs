//! Tools from Python source: create -> get -> list (pages) -> modify -> upsert -> run -> delete,
//! attached to an agent.

use letta_api_0_7::models as m;
use serde_json::json;

use crate::support::{live, object};

/// A tool whose function name is unique to this run (tool names are unique per organization).
fn tool_source(name: &str) -> String {
    format!(
        r#"def {name}(sides: int) -> str:
    """
    Roll a die with the given number of sides.

    Args:
        sides (int): How many sides the die has.

    Returns:
        str: The number that came up.
    """
    import random

    return str(random.randint(1, sides))
"#
    )
}

#[tokio::test]
async fn tools_round_trip_from_python_source() {
    let live = live!();
    let tools = live.client.tools();
    let name = format!("roll_dice_{}", live.run_id());

    let body = m::ToolCreate::new(tool_source(&name))
        .with_description("Roll a die.")
        .with_tags(vec!["live".into(), "dice".into()]);
    let tool = live.track("create_tool", tools.create_tool(body.clone()).send().await);
    let tool_id = tool.id.clone().expect("a created tool has an id");
    assert_eq!(tool.name.as_deref(), Some(name.as_str()));
    assert_eq!(tool.tool_type, m::ToolType::Custom);
    let schema = tool
        .json_schema
        .clone()
        .expect("the server derives a JSON schema from the source");
    assert_eq!(schema.get("name"), Some(&json!(name)));

    let got = live.track("retrieve_tool", tools.retrieve_tool(&tool_id).send().await);
    assert_eq!(got.source_code, tool.source_code);

    // the base tools exist, so the unfiltered list spans several pages of 3
    live.track("add_base_tools", tools.add_base_tools().send().await);
    let page1 = live.track("list_tools", tools.list_tools().limit(3).send().await);
    assert_eq!(page1.len(), 3);
    let cursor = page1[2].id.clone().expect("listed tools have ids");
    let page2 = live.track(
        "list_tools",
        tools.list_tools().limit(3).after(cursor).send().await,
    );
    assert!(!page2.is_empty());
    assert!(
        page2.iter().all(|t| page1.iter().all(|p| p.id != t.id)),
        "pages do not overlap"
    );
    let all = live
        .track_stream("list_tools", tools.list_tools().limit(3).into_stream())
        .await;
    assert!(
        all.len() > 3
            && all
                .iter()
                .any(|t| t.id.as_deref() == Some(tool_id.as_str())),
        "{} tools",
        all.len()
    );
    let by_name = live.track(
        "list_tools",
        tools.list_tools().name(name.clone()).send().await,
    );
    assert_eq!(by_name.len(), 1);
    let count = live.track("count_tools", tools.count_tools().send().await);
    assert!(count as usize >= all.len(), "count_tools = {count}");

    // modify, then upsert the same source (an update of the same tool)
    let update = m::ToolUpdate::default().with_description("Roll one die.");
    let modified = live.track(
        "modify_tool",
        tools.modify_tool(&tool_id, update).send().await,
    );
    assert_eq!(modified.description.as_deref(), Some("Roll one die."));
    let body = body.with_description("Roll a die (upserted).");
    let upserted = live.track("upsert_tool", tools.upsert_tool(body).send().await);
    assert_eq!(upserted.id.as_deref(), Some(tool_id.as_str()));
    assert_eq!(
        upserted.description.as_deref(),
        Some("Roll a die (upserted).")
    );

    // run the source in the server's local sandbox
    let run = m::ToolRunFromSource::new(tool_source(&name), object(json!({"sides": 6})));
    let result = live.track(
        "run_tool_from_source",
        tools.run_tool_from_source(run).send().await,
    );
    assert_eq!(
        result.status,
        m::ToolReturnMessageStatus::Success,
        "{result:?}"
    );
    let rolled: i64 = result
        .tool_return
        .trim_matches('"')
        .parse()
        .expect("the tool returns a number");
    assert!((1..=6).contains(&rolled), "rolled {rolled}");

    // attach to an agent, list, detach
    let agent = live.new_agent("tool-agent").await;
    let agents = live.client.agents();
    let attached = live.track(
        "attach_tool",
        agents.attach_tool(&agent.id, &tool_id).send().await,
    );
    assert!(
        attached
            .tools
            .iter()
            .any(|t| t.id.as_deref() == Some(tool_id.as_str()))
    );
    let agent_tools = live.track(
        "list_agent_tools",
        agents.list_agent_tools(&agent.id).send().await,
    );
    assert!(
        agent_tools
            .iter()
            .any(|t| t.id.as_deref() == Some(tool_id.as_str()))
    );
    let detached = live.track(
        "detach_tool",
        agents.detach_tool(&agent.id, &tool_id).send().await,
    );
    assert!(
        detached
            .tools
            .iter()
            .all(|t| t.id.as_deref() != Some(tool_id.as_str()))
    );
    live.delete_agent(&agent.id).await;

    // MCP: no server is configured in the rig; the listing is a typed empty map
    let servers = live.track("list_mcp_servers", tools.list_mcp_servers().send().await);
    assert!(servers.is_empty(), "{servers:?}");

    live.track("delete_tool", tools.delete_tool(&tool_id).send().await);
    let err = live.expect_err("retrieve_tool", tools.retrieve_tool(&tool_id).send().await);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
}
