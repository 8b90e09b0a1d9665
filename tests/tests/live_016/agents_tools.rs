//! Agent tools: list, attach a custom tool, require approval for it, run a core tool, detach.

use letta_api::models as m;
use serde_json::json;

use crate::support::{live, object};

fn tool_names(tools: &[m::Tool]) -> Vec<String> {
    tools.iter().filter_map(|t| t.name.clone()).collect()
}

#[tokio::test]
#[allow(deprecated)]
async fn tools_are_attached_gated_run_and_detached() {
    let live = live!();
    let agents = live.client.agents();
    let agent = live.new_agent("tools").await;

    let tools = live.track(
        "list_tools_for_agent",
        agents
            .list_tools_for_agent(&agent.id)
            .limit(50)
            .send()
            .await,
    );
    let names = tool_names(&tools);
    assert!(
        names.iter().any(|n| n == "memory_insert"),
        "default tools: {names:?}"
    );

    // a custom tool, created through the tools API
    let fn_name = format!("live_shout_{}", live.run_id());
    let source = format!(
        "def {fn_name}(text: str) -> str:\n    \"\"\"Shout a text.\n\n    Args:\n        text: the text to shout\n\n    Returns:\n        str: the text in upper case\n    \"\"\"\n    return text.upper()\n"
    );
    let tool = live.track(
        "create_tool",
        live.client
            .tools()
            .create_tool(m::ToolCreate::new(source))
            .send()
            .await,
    );
    let tool_id = tool.id.clone().expect("a tool id");
    assert_eq!(tool.name.as_deref(), Some(fn_name.as_str()));

    // the SDK is a 1.0+ client: attach/detach answer `null` (`is_1_0_sdk_version` in agents.py)
    let attached = live.track(
        "attach_tool_to_agent",
        agents
            .attach_tool_to_agent(&agent.id, &tool_id)
            .send()
            .await,
    );
    assert!(attached.is_none(), "{attached:?}");
    let tools = live.track(
        "list_tools_for_agent",
        agents
            .list_tools_for_agent(&agent.id)
            .limit(50)
            .send()
            .await,
    );
    assert!(
        tool_names(&tools).contains(&fn_name),
        "{:?}",
        tool_names(&tools)
    );

    // approval, via the body (preferred) and via the deprecated query parameter
    let gated = live.track(
        "modify_approval_for_tool",
        agents
            .modify_approval_for_tool(&agent.id, &fn_name)
            .body(m::ModifyApprovalRequest::new(true))
            .send()
            .await,
    );
    assert!(gated.is_none(), "{gated:?}");
    let state = live.track(
        "retrieve_agent",
        agents.retrieve_agent(&agent.id).send().await,
    );
    let rules = format!("{:?}", state.tool_rules);
    assert!(
        rules.contains("RequiresApproval") && rules.contains(&fn_name),
        "tool rules: {rules}"
    );
    let ungated = live.track(
        "modify_approval_for_tool",
        agents
            .modify_approval_for_tool(&agent.id, &fn_name)
            .requires_approval(false)
            .send()
            .await,
    );
    assert!(ungated.is_none());
    let state = live.track(
        "retrieve_agent",
        agents.retrieve_agent(&agent.id).send().await,
    );
    let rules = format!("{:?}", state.tool_rules);
    assert!(!rules.contains(&fn_name), "tool rules: {rules}");

    // run a core tool in-process: memory_insert edits the `human` block
    let result = live.track(
        "run_tool_for_agent",
        agents
            .run_tool_for_agent(&agent.id, "memory_insert")
            .body(
                m::LettaSchemasMcpServerToolExecuteRequest::default().with_args(object(json!({
                    "label": "human",
                    "new_string": "The human ran a tool by hand.",
                }))),
            )
            .send()
            .await,
    );
    assert_eq!(
        result.status,
        m::ToolExecutionResultStatus::Success,
        "{result:?}"
    );
    let human = live.track(
        "retrieve_core_memory_block",
        agents
            .retrieve_core_memory_block(&agent.id, "human")
            .send()
            .await,
    );
    assert!(
        human.value.contains("The human ran a tool by hand."),
        "{}",
        human.value
    );
    // a tool that is not attached is a typed 404 (run_tool_for_agent in agents.py)
    let err = live.expect_err(
        "run_tool_for_agent",
        agents
            .run_tool_for_agent(&agent.id, "no_such_tool")
            .send()
            .await,
    );
    assert!(err.is_not_found(), "{err}");

    let detached = live.track(
        "detach_tool_from_agent",
        agents
            .detach_tool_from_agent(&agent.id, &tool_id)
            .send()
            .await,
    );
    assert!(detached.is_none());
    let tools = live.track(
        "list_tools_for_agent",
        agents
            .list_tools_for_agent(&agent.id)
            .limit(50)
            .send()
            .await,
    );
    assert!(!tool_names(&tools).contains(&fn_name));

    live.track(
        "delete_tool",
        live.client.tools().delete_tool(&tool_id).send().await,
    );
    live.delete_agent(&agent.id).await;
}
