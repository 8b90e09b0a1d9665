//! Custom tools from Python source: create → retrieve → list (filters, pages) → count → modify →
//! upsert → run in the local sandbox → schema generation → delete; the LLM-backed tool generator;
//! semantic tool search (needs Turbopuffer).

use letta_api::models as m;
use serde_json::json;

use crate::support::{MODEL, live, object};

/// A tool whose function name is unique to this run (tool names are unique per organization).
fn dice_source(name: &str) -> String {
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
#[allow(deprecated)] // run_tool_from_source answers with the deprecated single-return fields
async fn a_custom_tool_round_trips_and_runs_from_source() {
    let live = live!();
    let tools = live.client.tools();
    let name = format!("roll_dice_{}", live.run_id());

    let body = m::ToolCreate::new(dice_source(&name))
        .with_description("Roll a die.")
        .with_tags(vec!["live-platform".into(), "dice".into()]);
    let tool = live.track("create_tool", tools.create_tool(body.clone()).send().await);
    let tool_id = tool.id.clone().expect("a created tool has an id");
    assert_eq!(tool.name.as_deref(), Some(name.as_str()));
    assert_eq!(tool.tool_type, m::ToolType::Custom);
    assert_eq!(tool.description.as_deref(), Some("Roll a die."));
    let schema = tool
        .json_schema
        .clone()
        .expect("the server derives a JSON schema from the source");
    assert_eq!(schema.get("name"), Some(&json!(name)));

    let got = live.track("retrieve_tool", tools.retrieve_tool(&tool_id).send().await);
    assert_eq!(got.id, tool.id);
    assert_eq!(got.source_code, tool.source_code);

    // the base tools exist after add_base_tools, so the unfiltered list spans pages of 3
    let base = live.track("add_base_tools", tools.add_base_tools().send().await);
    assert!(
        base.iter()
            .any(|t| t.name.as_deref() == Some("memory_replace")
                || t.name.as_deref() == Some("send_message")),
        "{:?}",
        base.iter().map(|t| t.name.clone()).collect::<Vec<_>>()
    );
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
    let by_name = live.track(
        "list_tools",
        tools.list_tools().name(name.clone()).send().await,
    );
    assert_eq!(by_name.len(), 1);
    assert_eq!(by_name[0].id, tool.id);
    let by_search = live
        .track_stream(
            "list_tools",
            tools
                .list_tools()
                .search(format!("dice_{}", live.run_id()))
                .limit(2)
                .into_stream(),
        )
        .await;
    assert!(by_search.iter().any(|t| t.id == tool.id), "{by_search:?}");
    let count = live.track("count_tools", tools.count_tools().send().await);
    assert!(count as usize > base.len(), "count_tools = {count}");
    let one = live.track(
        "count_tools",
        tools.count_tools().name(name.clone()).send().await,
    );
    assert_eq!(one, 1);

    // modify, then upsert the same source (an update of the same tool)
    let update = m::ToolUpdate::default()
        .with_description("Roll one die.")
        .with_tags(vec!["live-platform".into(), "modified".into()]);
    let modified = live.track(
        "modify_tool",
        tools.modify_tool(&tool_id, update).send().await,
    );
    assert_eq!(modified.description.as_deref(), Some("Roll one die."));
    assert!(
        modified.tags.iter().any(|t| t == "modified"),
        "{:?}",
        modified.tags
    );
    let body = body.with_description("Roll a die (upserted).");
    let upserted = live.track("upsert_tool", tools.upsert_tool(body).send().await);
    assert_eq!(upserted.id.as_deref(), Some(tool_id.as_str()));
    assert_eq!(
        upserted.description.as_deref(),
        Some("Roll a die (upserted).")
    );

    // run the source in the server's local sandbox
    let run = m::ToolRunFromSource::new(dice_source(&name), object(json!({"sides": 6})));
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

    // the JSON schema the server derives from source, without creating a tool
    let schema = live.track(
        "generate_json_schema",
        tools
            .generate_json_schema(m::CodeInput::new(dice_source("schema_only")))
            .send()
            .await,
    );
    assert_eq!(schema.get("name"), Some(&json!("schema_only")));
    assert_eq!(
        schema
            .get("parameters")
            .and_then(|p| p.pointer("/properties/sides/type")),
        Some(&json!("integer")),
        "{schema:?}"
    );

    live.track("delete_tool", tools.delete_tool(&tool_id).send().await);
    let err = live.expect_err("retrieve_tool", tools.retrieve_tool(&tool_id).send().await);
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
}

#[tokio::test]
async fn the_tool_generator_asks_the_llm_for_source() {
    let live = live!();
    let tools = live.client.tools();
    let name = format!("shout_{}", live.run_id());
    // the fake LLM calls the forced `generate_tool` function with exactly these arguments
    let args = json!({
        "raw_source_code": format!(
            "def {name}(text: str) -> str:\n    \"\"\"\n    Shout the text.\n\n    Args:\n        text (str): What to shout.\n\n    Returns:\n        str: The text in capitals.\n    \"\"\"\n    return text.upper()\n"
        ),
        "sample_args_json": "{\"text\": \"hi\"}",
        "pip_requirements_json": "{}",
    });
    let body = m::GenerateToolInput::new(
        name.clone(),
        format!("Write a tool that shouts. FAKE_LLM_TOOL:generate_tool {args}"),
        vec![],
    )
    .with_handle(MODEL);
    let result = tools.generate_tool(body).send().await;
    // Server bug: `generate_tool_from_prompt` (letta/server/rest_api/routers/v1/tools.py) builds
    // `GenerateToolOutput(response=response.choices[0].message.content)`, but `response: str` is
    // required and an OpenAI tool-call completion has `content: null` — a pydantic ValidationError,
    // answered as 400. (It only works with models that send text alongside the tool call.)
    let err = live.expect_err("generate_tool", result);
    assert!(
        matches!(&err, letta_api::Error::Api(e) if e.status() == 400
            && String::from_utf8_lossy(e.body()).contains("GenerateToolOutput")),
        "{err:?}"
    );
}

#[tokio::test]
async fn semantic_tool_search_needs_turbopuffer() {
    let live = live!();
    let request = m::ToolSearchRequest::default().with_query("roll a die");
    let result = live.client.tools().search_tools(request).send().await;
    // Needs a cloud service: `ToolManager.search_tools_async` (letta/services/tool_manager.py)
    // raises ValueError unless Turbopuffer tool embedding is configured, mapped to 400 by the router.
    let err = live.expect_err("search_tools", result);
    assert!(
        matches!(&err, letta_api::Error::Api(e) if e.status() == 400),
        "{err:?}"
    );
}
