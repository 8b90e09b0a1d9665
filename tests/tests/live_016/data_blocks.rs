//! Blocks end to end: create → retrieve → list (filters, pages) → count → modify → attached to an
//! agent → delete; the `_internal_blocks` twin routes; tags of blocks in `list_tags`.

use letta_api::models as m;
use serde_json::json;

use crate::support::{live, object};

/// A block body with a label of `[a-zA-Z0-9_/-]` (the list filter's pattern), tags and metadata.
fn block_body(label: &str, value: &str, tag: &str) -> m::CreateBlock {
    m::CreateBlock::new(value, label)
        .with_description("a block of the 0.16.8 live suite")
        .with_limit(5000)
        .with_metadata(object(json!({"suite": "live-016", "kind": "block"})))
        .with_tags(vec![tag.to_string()])
}

#[tokio::test]
async fn blocks_are_created_listed_counted_modified_attached_and_deleted() {
    let live = live!();
    let blocks = live.client.blocks();
    let label = live.name("label");
    let tag = live.name("block-tag");

    let first = live.track(
        "create_block",
        blocks
            .create_block(block_body(&label, "First block value.", &tag))
            .send()
            .await,
    );
    assert_eq!(first.label.as_deref(), Some(label.as_str()));
    assert_eq!(first.value, "First block value.");
    assert_eq!(first.limit, 5000);
    assert_eq!(first.tags.as_deref(), Some(&[tag.clone()][..]));
    assert_eq!(
        first.metadata.as_ref().and_then(|m| m.get("suite")),
        Some(&json!("live-016"))
    );
    let second = live.track(
        "create_block",
        blocks
            .create_block(block_body(&label, "Second block value.", &tag))
            .send()
            .await,
    );
    assert_ne!(first.id, second.id);

    let got = live.track(
        "retrieve_block",
        blocks.retrieve_block(&first.id).send().await,
    );
    assert_eq!(got.id, first.id);
    assert_eq!(got.description.as_deref(), first.description.as_deref());

    // The label filter finds exactly the two blocks (labels are unique to this run).
    let by_label = live.track(
        "list_blocks",
        blocks.list_blocks().label(&label).send().await,
    );
    let ids: Vec<&str> = by_label.iter().map(|b| b.id.as_str()).collect();
    assert_eq!(ids, [first.id.as_str(), second.id.as_str()], "oldest first");
    let newest_first = live.track(
        "list_blocks",
        blocks
            .list_blocks()
            .label(&label)
            .order(m::ListBlocksOrder::Desc)
            .send()
            .await,
    );
    assert_eq!(newest_first[0].id, second.id);
    // Pages of one block each, across both orders.
    let paged = live
        .track_stream(
            "list_blocks",
            blocks.list_blocks().label(&label).limit(1).into_stream(),
        )
        .await;
    assert_eq!(
        paged.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        [first.id.as_str(), second.id.as_str()]
    );
    // Descending pages continue with `after=<last id>`: Letta's cursors follow the requested order
    // (`_cursor_filter(.., forward=ascending)` in letta/services/block_manager.py, `get_blocks_async`),
    // so every page is walked, newest first.
    let paged_desc = live
        .track_stream(
            "list_blocks",
            blocks
                .list_blocks()
                .label(&label)
                .order(m::ListBlocksOrder::Desc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(
        paged_desc.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        [second.id.as_str(), first.id.as_str()],
        "every page, newest first"
    );
    // The same cursor by hand: `after` continues a descending list.
    let next_desc = live.track(
        "list_blocks",
        blocks
            .list_blocks()
            .label(&label)
            .order(m::ListBlocksOrder::Desc)
            .after(&second.id)
            .send()
            .await,
    );
    assert_eq!(
        next_desc.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        [first.id.as_str()]
    );
    let by_tag = live.track(
        "list_blocks",
        blocks
            .list_blocks()
            .tags(vec![tag.clone()])
            .match_all_tags(true)
            .send()
            .await,
    );
    assert_eq!(by_tag.len(), 2, "{by_tag:?}");
    let by_value = live.track(
        "list_blocks",
        blocks
            .list_blocks()
            .label(&label)
            .value_search("Second")
            .send()
            .await,
    );
    assert_eq!(
        by_value.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        [second.id.as_str()]
    );

    let total = live.track("count_blocks", blocks.count_blocks().send().await);
    assert!(total >= 2, "{total}");
    let labelled = live.track(
        "count_blocks",
        blocks.count_blocks().label(&label).send().await,
    );
    assert_eq!(labelled, 2);
    let tagged = live.track(
        "count_blocks",
        blocks.count_blocks().tags(vec![tag.clone()]).send().await,
    );
    assert_eq!(tagged, 2);

    // The block's tag is among the organization's tags.
    let tags = live.track(
        "list_tags",
        live.client.tag().list_tags().name(&tag).send().await,
    );
    assert!(tags.contains(&tag), "{tags:?}");
    let all_tags = live.track(
        "list_tags",
        live.client
            .tag()
            .list_tags()
            .order(m::ListTagsOrder::Desc)
            .limit(1000)
            .send()
            .await,
    );
    assert!(all_tags.contains(&tag), "{all_tags:?}");
    assert!(
        all_tags.windows(2).all(|w| w[0] >= w[1]),
        "reverse alphabetical: {all_tags:?}"
    );

    let update = m::BlockUpdate::default()
        .with_value("First block, modified.")
        .with_description("modified description")
        .with_limit(6000);
    let modified = live.track(
        "modify_block",
        blocks.modify_block(&first.id, update).send().await,
    );
    assert_eq!(modified.id, first.id);
    assert_eq!(modified.value, "First block, modified.");
    assert_eq!(
        modified.description.as_deref(),
        Some("modified description")
    );
    assert_eq!(modified.limit, 6000);
    let again = live.track(
        "retrieve_block",
        blocks.retrieve_block(&first.id).send().await,
    );
    assert_eq!(again.value, "First block, modified.");

    // An agent created with the block lists it; the block lists the agent.
    let none = live.track(
        "list_agents_for_block",
        blocks.list_agents_for_block(&first.id).send().await,
    );
    assert!(none.is_empty(), "{none:?}");
    let request = live
        .agent_request(&live.name("block-agent"))
        .with_block_ids(vec![first.id.clone()]);
    let agent = live.create_agent(request).await;
    let agents = live.track(
        "list_agents_for_block",
        blocks.list_agents_for_block(&first.id).send().await,
    );
    assert_eq!(
        agents.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [agent.id.as_str()]
    );
    let streamed = live
        .track_stream(
            "list_agents_for_block",
            blocks
                .list_agents_for_block(&first.id)
                .order(m::ListAgentsForBlockOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(streamed.len(), 1);
    let connected = live.track(
        "list_blocks",
        blocks
            .list_blocks()
            .label(&label)
            .connected_to_agents_count_gt(0)
            .send()
            .await,
    );
    assert_eq!(
        connected.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        [first.id.as_str()]
    );
    live.delete_agent(&agent.id).await;

    for block in [&first, &second] {
        live.track("delete_block", blocks.delete_block(&block.id).send().await);
    }
    let err = live.expect_err(
        "retrieve_block",
        blocks.retrieve_block(&first.id).send().await,
    );
    assert!(err.is_not_found(), "{err}");
    let left = live.track(
        "list_blocks",
        blocks.list_blocks().label(&label).send().await,
    );
    assert!(left.is_empty(), "{left:?}");
}

#[tokio::test]
async fn internal_blocks_are_created_listed_attached_and_deleted() {
    let live = live!();
    let internal = live.client.internal_blocks();
    let label = live.name("internal-label");
    let tag = live.name("internal-tag");

    let block = live.track(
        "create_internal_block",
        internal
            .create_internal_block(block_body(&label, "An internal block.", &tag))
            .send()
            .await,
    );
    let block_id = block.id.clone().expect("a created block has an id");
    assert_eq!(block.label.as_deref(), Some(label.as_str()));
    assert_eq!(block.value, "An internal block.");

    let listed = live.track(
        "list_internal_blocks",
        internal.list_internal_blocks().label(&label).send().await,
    );
    assert_eq!(
        listed.iter().map(|b| b.id.as_deref()).collect::<Vec<_>>(),
        [Some(block_id.as_str())]
    );
    let streamed = live
        .track_stream(
            "list_internal_blocks",
            internal
                .list_internal_blocks()
                .label(&label)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(streamed.len(), 1);
    // The public route sees the same block.
    let public = live.track(
        "retrieve_block",
        live.client.blocks().retrieve_block(&block_id).send().await,
    );
    assert_eq!(public.value, block.value);

    let request = live
        .agent_request(&live.name("internal-block-agent"))
        .with_block_ids(vec![block_id.clone()]);
    let agent = live.create_agent(request).await;
    let agents = live.track(
        "list_agents_for_internal_block",
        internal
            .list_agents_for_internal_block(&block_id)
            .send()
            .await,
    );
    assert_eq!(
        agents.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [agent.id.as_str()]
    );
    let paged = live
        .track_stream(
            "list_agents_for_internal_block",
            internal
                .list_agents_for_internal_block(&block_id)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(paged.len(), 1);
    live.delete_agent(&agent.id).await;

    live.track(
        "delete_internal_block",
        internal.delete_internal_block(&block_id).send().await,
    );
    let left = live.track(
        "list_internal_blocks",
        internal.list_internal_blocks().label(&label).send().await,
    );
    assert!(left.is_empty(), "{left:?}");
}
