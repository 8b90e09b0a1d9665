//! Agents: create -> get -> list (two pages) -> modify -> delete, core memory, export/import.

use std::collections::BTreeSet;

use letta_api_0_7::models as m;
use letta_api_0_7::request::FilePart;
use serde_json::json;

use crate::support::{live, object};

#[tokio::test]
async fn agents_round_trip() {
    let live = live!();
    let agents = live.client.agents();
    let tag = live.name("tag");

    // create three agents sharing a unique tag
    let mut ids = Vec::new();
    for i in 0..3 {
        let body = live
            .agent_request(&live.name("agent"))
            .with_tags(vec![tag.clone(), "live".into()])
            .with_metadata(object(json!({"index": i, "suite": "live"})));
        let agent = live.create_agent(body).await;
        assert_eq!(agent.llm_config.model, "fake-model");
        assert_eq!(agent.embedding_config.embedding_dim, 1536);
        assert!(agent.tags.contains(&tag), "tags: {:?}", agent.tags);
        let labels: BTreeSet<_> = agent
            .memory
            .blocks
            .iter()
            .filter_map(|b| b.label.clone())
            .collect();
        assert!(
            labels.contains("human") && labels.contains("persona"),
            "labels: {labels:?}"
        );
        assert!(!agent.tools.is_empty(), "base tools are attached");
        ids.push(agent.id);
        // Letta 0.7.10 on sqlite compares cursor timestamps as text with microseconds: rows created
        // in the same second as the cursor are skipped, so the paged rows get distinct seconds.
        live.distinct_second().await;
    }

    // get
    let got = live.track(
        "retrieve_agent",
        agents.retrieve_agent(&ids[0]).send().await,
    );
    assert_eq!(got.id, ids[0]);
    assert_eq!(
        got.metadata.as_ref().and_then(|m| m.get("index")),
        Some(&json!(0))
    );

    // list: by hand with the `after` cursor (pages of 2), then with into_stream
    let page1 = live.track(
        "list_agents",
        agents
            .list_agents()
            .tags(vec![tag.clone()])
            .ascending(true)
            .limit(2)
            .send()
            .await,
    );
    assert_eq!(page1.len(), 2, "first page");
    let cursor = page1[1].id.clone();
    let page2 = live.track(
        "list_agents",
        agents
            .list_agents()
            .tags(vec![tag.clone()])
            .ascending(true)
            .limit(2)
            .after(cursor)
            .send()
            .await,
    );
    assert_eq!(page2.len(), 1, "second page");
    let by_hand: BTreeSet<_> = page1.iter().chain(&page2).map(|a| a.id.clone()).collect();
    let streamed = live
        .track_stream(
            "list_agents",
            agents
                .list_agents()
                .tags(vec![tag.clone()])
                .ascending(true)
                .limit(2)
                .into_stream(),
        )
        .await;
    let streamed: BTreeSet<_> = streamed.into_iter().map(|a| a.id).collect();
    let expected: BTreeSet<_> = ids.iter().cloned().collect();
    assert_eq!(by_hand, expected);
    assert_eq!(streamed, expected);

    let count = live.track("count_agents", agents.count_agents().send().await);
    assert!(count >= 3, "count_agents = {count}");

    // the tag is listed by /v1/tags/ (tags: `tag` and `admin`)
    let tags = live.track(
        "list_tags",
        live.client
            .tag()
            .list_tags()
            .query_text(tag.clone())
            .send()
            .await,
    );
    assert!(tags.contains(&tag), "list_tags: {tags:?}");

    // modify
    let new_name = live.name("renamed");
    let modified = live.track(
        "modify_agent",
        agents
            .modify_agent(
                &ids[0],
                m::UpdateAgent::default()
                    .with_name(new_name.clone())
                    .with_description("modified by the live suite"),
            )
            .send()
            .await,
    );
    assert_eq!(modified.name, new_name);
    assert_eq!(
        modified.description.as_deref(),
        Some("modified by the live suite")
    );
    let by_name = live.track(
        "list_agents",
        agents.list_agents().name(new_name.clone()).send().await,
    );
    assert_eq!(
        by_name.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [ids[0].as_str()]
    );

    // context window and core memory
    let context = live.track(
        "retrieve_agent_context_window",
        agents.retrieve_agent_context_window(&ids[0]).send().await,
    );
    assert_eq!(context.context_window_size_max, 8192);
    assert!(context.num_tokens_system > 0);
    let memory = live.track(
        "retrieve_agent_memory",
        agents.retrieve_agent_memory(&ids[0]).send().await,
    );
    assert_eq!(memory.blocks.len(), 2);
    let blocks = live.track(
        "list_core_memory_blocks",
        agents.list_core_memory_blocks(&ids[0]).send().await,
    );
    assert_eq!(blocks.len(), 2);
    let human = live.track(
        "retrieve_core_memory_block",
        agents
            .retrieve_core_memory_block(&ids[0], "human")
            .send()
            .await,
    );
    assert_eq!(human.value, "The human is a Rust developer testing an SDK.");
    let update = m::BlockUpdate::default().with_value("The human likes typed SDKs.");
    let human = live.track(
        "modify_core_memory_block",
        agents
            .modify_core_memory_block(&ids[0], "human", update)
            .send()
            .await,
    );
    assert_eq!(human.value, "The human likes typed SDKs.");

    let groups = live.track(
        "list_agent_groups",
        agents.list_agent_groups(&ids[0]).send().await,
    );
    assert!(
        groups.is_empty(),
        "a plain agent is in no group: {groups:?}"
    );

    // export: the spec says the 200 body of GET /v1/agents/{agent_id}/export is a string, the server
    // sends the AgentSchema object; the overlay spec/letta-0.7.10/overlays/export-agent-serialized.yaml
    // makes the operation return AgentSchema, so it decodes typed. The typed value, serialized
    // again, is imported back.
    let schema = live.track(
        "export_agent_serialized",
        agents.export_agent_serialized(&ids[0]).send().await,
    );
    assert_eq!(schema.name, new_name);
    let bytes = serde_json::to_vec(&schema).expect("an AgentSchema serializes");
    let file = FilePart::new(bytes)
        .file_name("agent.json")
        .mime("application/json");
    let imported = live.track(
        "import_agent_serialized",
        agents
            .import_agent_serialized(m::BodyImportAgentSerialized::new(file))
            .append_copy_suffix(true)
            .send()
            .await,
    );
    assert_ne!(imported.id, ids[0]);
    assert!(
        imported.name.starts_with(&new_name),
        "imported name {}",
        imported.name
    );
    ids.push(imported.id);

    // delete, then the agent is gone (typed 404)
    for id in &ids {
        live.delete_agent(id).await;
    }
    let err = live.expect_err(
        "retrieve_agent",
        agents.retrieve_agent(&ids[0]).send().await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
}
