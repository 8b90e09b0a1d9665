//! Agents as resources: list (filters, cursors, streams), count, modify, groups, context window,
//! system-prompt recompilation, export and import, delete.

use std::collections::BTreeSet;

use letta_api::Error;
use letta_api::models as m;
use letta_api::request::FilePart;
use serde_json::json;

use crate::support::{live, object};

#[tokio::test]
async fn agents_are_listed_counted_modified_and_deleted() {
    let live = live!();
    let agents = live.client.agents();
    let tag = live.name("tag");

    let mut ids = Vec::new();
    for i in 0..3 {
        let body = live
            .agent_request(&live.name("crud"))
            .with_tags(vec![tag.clone(), "live-016".into()])
            .with_metadata(object(json!({"index": i})));
        let agent = live.create_agent(body).await;
        assert!(agent.tags.contains(&tag), "tags: {:?}", agent.tags);
        ids.push(agent.id);
    }
    let expected: BTreeSet<_> = ids.iter().cloned().collect();

    // list by tag, oldest first, two pages by hand with the `after` cursor
    let page1 = live.track(
        "list_agents",
        agents
            .list_agents()
            .tags(vec![tag.clone()])
            .order(m::ListAgentsOrder::Asc)
            .limit(2)
            .send()
            .await,
    );
    assert_eq!(
        page1.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [ids[0].as_str(), ids[1].as_str()],
        "oldest first"
    );
    let page2 = live.track(
        "list_agents",
        agents
            .list_agents()
            .tags(vec![tag.clone()])
            .order(m::ListAgentsOrder::Asc)
            .limit(2)
            .after(page1[1].id.clone())
            .send()
            .await,
    );
    assert_eq!(
        page2.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [ids[2].as_str()]
    );
    let streamed = live
        .track_stream(
            "list_agents",
            agents
                .list_agents()
                .tags(vec![tag.clone()])
                .order(m::ListAgentsOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    let streamed: BTreeSet<_> = streamed.into_iter().map(|a| a.id).collect();
    assert_eq!(streamed, expected);

    // counts
    let count = live.track(
        "count_agents",
        agents.count_agents().tags(vec![tag.clone()]).send().await,
    );
    assert_eq!(count, 3);
    let all = live.track("count_agents", agents.count_agents().send().await);
    assert!(all >= 3, "count_agents = {all}");
    let internal = live.track(
        "count_internal_agents",
        live.client
            .internal_agents()
            .count_internal_agents()
            .send()
            .await,
    );
    assert!(internal >= 3, "count_internal_agents = {internal}");
    let with_hidden = live.track(
        "count_internal_agents",
        live.client
            .internal_agents()
            .count_internal_agents()
            .exclude_hidden(false)
            .send()
            .await,
    );
    assert!(with_hidden >= internal, "{with_hidden} < {internal}");

    // modify: name, description, tags, metadata
    let new_name = live.name("renamed");
    let modified = live.track(
        "modify_agent",
        agents
            .modify_agent(
                &ids[0],
                m::UpdateAgent::default()
                    .with_name(new_name.clone())
                    .with_description("modified by the live suite")
                    .with_tags(vec![tag.clone(), "modified".into()])
                    .with_metadata(object(json!({"index": 0, "modified": true}))),
            )
            .send()
            .await,
    );
    assert_eq!(modified.id, ids[0]);
    assert_eq!(modified.name, new_name);
    assert_eq!(
        modified.description.as_deref(),
        Some("modified by the live suite")
    );
    let got = live.track(
        "retrieve_agent",
        agents
            .retrieve_agent(&ids[0])
            .include(vec![m::RetrieveAgentIncludeItem::AgentTags])
            .send()
            .await,
    );
    assert_eq!(got.name, new_name);
    assert!(got.tags.contains(&"modified".to_string()), "{:?}", got.tags);
    assert_eq!(
        got.metadata.as_ref().and_then(|m| m.get("modified")),
        Some(&json!(true))
    );
    let by_name = live.track(
        "list_agents",
        agents.list_agents().name(new_name.clone()).send().await,
    );
    assert_eq!(
        by_name.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [ids[0].as_str()]
    );
    let both_tags = live.track(
        "list_agents",
        agents
            .list_agents()
            .tags(vec![tag.clone(), "modified".into()])
            .match_all_tags(true)
            .send()
            .await,
    );
    assert_eq!(
        both_tags.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [ids[0].as_str()]
    );

    // a plain agent is in no group
    let groups = live.track(
        "list_groups_for_agent",
        agents.list_groups_for_agent(&ids[1]).send().await,
    );
    assert!(groups.is_empty(), "{groups:?}");

    // delete, then each agent is gone (typed 404) and the tag counts nothing
    for id in &ids {
        live.delete_agent(id).await;
    }
    let err = live.expect_err(
        "retrieve_agent",
        agents.retrieve_agent(&ids[0]).send().await,
    );
    assert!(err.is_not_found(), "{err}");
    let count = live.track(
        "count_agents",
        agents.count_agents().tags(vec![tag.clone()]).send().await,
    );
    assert_eq!(count, 0);
}

#[tokio::test]
#[allow(deprecated)]
async fn the_context_window_and_the_system_prompt_follow_memory() {
    let live = live!();
    let agents = live.client.agents();
    let agent = live.new_agent("context").await;

    let context = live.track(
        "retrieve_agent_context_window",
        agents.retrieve_agent_context_window(&agent.id).send().await,
    );
    assert!(context.context_window_size_max > 0, "{context:?}");
    assert!(context.num_tokens_system > 0);
    assert!(
        context.core_memory.contains("Rust developer"),
        "core memory: {}",
        context.core_memory
    );
    assert!(context.num_messages >= 1);

    // a dry run compiles the prompt with the current blocks
    let prompt = live.track(
        "recompile_agent",
        agents.recompile_agent(&agent.id).dry_run(true).send().await,
    );
    assert!(prompt.contains("Rust developer"), "{prompt}");

    let marker = live.name("marker");
    live.track(
        "modify_core_memory_block",
        agents
            .modify_core_memory_block(
                &agent.id,
                "human",
                m::BlockUpdate::default().with_value(format!("The human's code word is {marker}.")),
            )
            .send()
            .await,
    );
    let prompt = live.track(
        "recompile_agent",
        agents.recompile_agent(&agent.id).send().await,
    );
    assert!(prompt.contains(&marker), "{prompt}");
    let prompt = live.track(
        "recompile_agent_system_prompt",
        agents
            .recompile_agent_system_prompt(&agent.id)
            .update_timestamp(true)
            .send()
            .await,
    );
    assert!(prompt.contains(&marker), "{prompt}");
    let context = live.track(
        "retrieve_agent_context_window",
        agents.retrieve_agent_context_window(&agent.id).send().await,
    );
    assert!(context.system_prompt.contains(&marker) || context.core_memory.contains(&marker));

    live.delete_agent(&agent.id).await;
}

#[tokio::test]
async fn an_agent_is_exported_and_imported_back() {
    let live = live!();
    let agents = live.client.agents();
    let agent = live.new_agent("export").await;

    // The spec declares the 200 body of GET and POST /v1/agents/{agent_id}/export a string, but the
    // server (routers/v1/agents.py, `export_agent`) answers `agent_file_schema.model_dump()`: the
    // overlay spec/letta-0.16.8/overlays/export-agent-file.yaml makes both operations return the
    // spec's own AgentFileSchema, so they decode typed.
    let file = live.track("export_agent", agents.export_agent(&agent.id).send().await);
    assert_eq!(file.agents.len(), 1, "{file:?}");
    assert_eq!(file.agents[0].name.as_deref(), Some(agent.name.as_str()));
    assert!(
        file.blocks.iter().any(|b| b.label == "human"),
        "the agent's memory blocks travel with it: {:?}",
        file.blocks
    );

    let scrubbed = live.track(
        "export_agent_with_skills",
        agents
            .export_agent_with_skills(&agent.id)
            .body(m::ExportAgentRequest::default().with_scrub_messages(true))
            .send()
            .await,
    );
    assert_eq!(
        scrubbed.agents[0].name.as_deref(),
        Some(agent.name.as_str())
    );

    // import the exported file back under a new name: a multipart upload of the file part
    let new_name = live.name("imported");
    // the typed file, serialized again, is what goes back up
    let bytes = serde_json::to_vec(&scrubbed).expect("an agent file serializes");
    let file = FilePart::new(bytes)
        .file_name("agent.af")
        .mime("application/json");
    let body = m::BodyImportAgent::new(file)
        .with_name(new_name.clone())
        .with_strip_messages(true);
    let imported = live.track("import_agent", agents.import_agent(body).send().await);
    assert_eq!(imported.agent_ids.len(), 1, "{imported:?}");
    let copy_id = imported.agent_ids[0].clone();
    assert_ne!(copy_id, agent.id);
    let copy = live.track(
        "retrieve_agent",
        agents.retrieve_agent(&copy_id).send().await,
    );
    assert_eq!(copy.name, new_name);
    let copy_memory = live.track(
        "retrieve_core_memory_block",
        agents
            .retrieve_core_memory_block(&copy_id, "human")
            .send()
            .await,
    );
    assert_eq!(
        copy_memory.value,
        "The human is a Rust developer testing an SDK."
    );

    // a file that is not an agent file is refused with a typed 400 (`import_agent` in agents.py)
    let junk = FilePart::new(b"{\"name\": \"not an agent file\"}".to_vec())
        .file_name("junk.json")
        .mime("application/json");
    let err = live.expect_err(
        "import_agent",
        agents
            .import_agent(m::BodyImportAgent::new(junk))
            .send()
            .await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 400),
        "{err:?}"
    );

    live.delete_agent(&copy_id).await;
    live.delete_agent(&agent.id).await;
}
