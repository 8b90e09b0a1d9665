//! Blocks: create -> get -> list -> modify -> delete, and core memory attach/detach on an agent.

use std::collections::BTreeSet;

use letta_api_0_7::models as m;
use serde_json::json;

use crate::support::{live, object};

#[tokio::test]
async fn blocks_round_trip_and_core_memory_attach_detach() {
    let live = live!();
    let blocks = live.client.blocks();
    let label = live.name("notes");

    // create three blocks with a unique label
    let mut ids = Vec::new();
    for i in 0..3 {
        let body = m::CreateBlock::new(format!("shared note {i}"), label.clone())
            .with_description("a block of the live suite")
            .with_metadata(object(json!({"index": i})))
            .with_limit(3000);
        let block = live.track("create_block", blocks.create_block(body).send().await);
        assert_eq!(block.label.as_deref(), Some(label.as_str()));
        assert_eq!(block.limit, 3000);
        ids.push(block.id.expect("a created block has an id"));
    }

    let got = live.track(
        "retrieve_block",
        blocks.retrieve_block(&ids[1]).send().await,
    );
    assert_eq!(got.value, "shared note 1");
    assert_eq!(
        got.metadata.as_ref().and_then(|m| m.get("index")),
        Some(&json!(1))
    );

    // list (GET /v1/blocks/ has no cursor parameters: filter by the unique label)
    let listed = live.track(
        "list_blocks",
        blocks.list_blocks().label(label.clone()).send().await,
    );
    let listed: BTreeSet<_> = listed.into_iter().filter_map(|b| b.id).collect();
    assert_eq!(listed, ids.iter().cloned().collect::<BTreeSet<_>>());
    let templates = live.track(
        "list_blocks",
        blocks
            .list_blocks()
            .templates_only(true)
            .label(label.clone())
            .send()
            .await,
    );
    assert!(templates.is_empty(), "no template blocks: {templates:?}");
    let count = live.track("count_blocks", blocks.count_blocks().send().await);
    assert!(count >= 3, "count_blocks = {count}");

    // modify
    let update = m::BlockUpdate::default()
        .with_value("rewritten note")
        .with_description("modified");
    let modified = live.track(
        "modify_block",
        blocks.modify_block(&ids[0], update).send().await,
    );
    assert_eq!(modified.value, "rewritten note");
    assert_eq!(modified.description.as_deref(), Some("modified"));

    // core memory: attach the block to an agent, see it from both sides, detach it
    let agent = live.new_agent("block-agent").await;
    let agents = live.client.agents();
    let attached = live.track(
        "attach_core_memory_block",
        agents
            .attach_core_memory_block(&agent.id, &ids[0])
            .send()
            .await,
    );
    assert!(
        attached
            .memory
            .blocks
            .iter()
            .any(|b| b.id.as_deref() == Some(ids[0].as_str())),
        "attached"
    );
    let holders = live.track(
        "list_agents_for_block",
        blocks.list_agents_for_block(&ids[0]).send().await,
    );
    assert_eq!(
        holders.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [agent.id.as_str()]
    );
    let in_core = live.track(
        "retrieve_core_memory_block",
        agents
            .retrieve_core_memory_block(&agent.id, &label)
            .send()
            .await,
    );
    assert_eq!(in_core.value, "rewritten note");
    let detached = live.track(
        "detach_core_memory_block",
        agents
            .detach_core_memory_block(&agent.id, &ids[0])
            .send()
            .await,
    );
    assert!(
        detached
            .memory
            .blocks
            .iter()
            .all(|b| b.id.as_deref() != Some(ids[0].as_str())),
        "detached"
    );
    let holders = live.track(
        "list_agents_for_block",
        blocks.list_agents_for_block(&ids[0]).send().await,
    );
    assert!(holders.is_empty(), "no agent holds the block after detach");
    live.delete_agent(&agent.id).await;

    // delete (returns the deleted block), then it is gone
    for id in &ids {
        let deleted = live.track("delete_block", blocks.delete_block(id).send().await);
        assert_eq!(deleted.id.as_deref(), Some(id.as_str()));
    }
    let err = live.expect_err(
        "retrieve_block",
        blocks.retrieve_block(&ids[0]).send().await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
}
