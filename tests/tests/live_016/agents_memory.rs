//! Agent memory: core-memory blocks (read, modify, attach, detach, the internal modify route),
//! archival passages (insert, list, search, delete), archives and identities attached to an agent,
//! and the embeddings storage estimate.

use std::collections::BTreeSet;

use letta_api::models as m;

use crate::support::{EMBEDDING, live};

#[tokio::test]
#[allow(deprecated)]
async fn core_memory_blocks_are_read_modified_attached_and_detached() {
    let live = live!();
    let agents = live.client.agents();
    let agent = live.new_agent("memory").await;

    let memory = live.track(
        "retrieve_agent_memory",
        agents.retrieve_agent_memory(&agent.id).send().await,
    );
    let labels: BTreeSet<_> = memory
        .blocks
        .iter()
        .filter_map(|b| b.label.clone())
        .collect();
    assert_eq!(
        labels,
        BTreeSet::from(["human".to_string(), "persona".to_string()])
    );

    let blocks = live.track(
        "list_core_memory_blocks",
        agents.list_core_memory_blocks(&agent.id).send().await,
    );
    assert_eq!(blocks.len(), 2, "{blocks:?}");
    let human = live.track(
        "retrieve_core_memory_block",
        agents
            .retrieve_core_memory_block(&agent.id, "human")
            .send()
            .await,
    );
    assert_eq!(human.value, "The human is a Rust developer testing an SDK.");
    assert!(blocks.iter().any(|b| b.id == human.id));

    let modified = live.track(
        "modify_core_memory_block",
        agents
            .modify_core_memory_block(
                &agent.id,
                "human",
                m::BlockUpdate::default()
                    .with_value("The human likes typed SDKs.")
                    .with_description("who the user is"),
            )
            .send()
            .await,
    );
    assert_eq!(modified.id, human.id);
    assert_eq!(modified.value, "The human likes typed SDKs.");
    assert_eq!(modified.description.as_deref(), Some("who the user is"));

    // the internal route answers the full `Block`
    let persona = live.track(
        "modify_internal_core_memory_block",
        live.client
            .internal_agents()
            .modify_internal_core_memory_block(
                &agent.id,
                "persona",
                m::BlockUpdate::default().with_value("I am a persona edited internally."),
            )
            .send()
            .await,
    );
    assert_eq!(persona.value, "I am a persona edited internally.");
    assert_eq!(persona.label.as_deref(), Some("persona"));
    let persona = live.track(
        "retrieve_core_memory_block",
        agents
            .retrieve_core_memory_block(&agent.id, "persona")
            .send()
            .await,
    );
    assert_eq!(persona.value, "I am a persona edited internally.");

    // a shared block: create, attach, list, detach, delete
    let label = format!("notes_{}", live.run_id());
    let block = live.track(
        "create_block",
        live.client
            .blocks()
            .create_block(m::CreateBlock::new(
                "Shared notes of the live suite.",
                label.clone(),
            ))
            .send()
            .await,
    );
    let block_id = block.id.clone();
    let attached = live.track(
        "attach_core_memory_block",
        agents
            .attach_core_memory_block(&agent.id, &block_id)
            .send()
            .await,
    );
    assert_eq!(attached.id, agent.id);
    assert!(
        attached
            .memory
            .blocks
            .iter()
            .any(|b| b.id.as_deref() == Some(block_id.as_str()))
            || attached
                .blocks
                .iter()
                .any(|b| b.id.as_deref() == Some(block_id.as_str())),
        "the attached block is in the agent's memory"
    );
    let blocks = live.track(
        "list_core_memory_blocks",
        agents
            .list_core_memory_blocks(&agent.id)
            .order(m::ListCoreMemoryBlocksOrder::Asc)
            .send()
            .await,
    );
    assert_eq!(blocks.len(), 3);
    assert!(blocks.iter().any(|b| b.id == block_id));
    let notes = live.track(
        "retrieve_core_memory_block",
        agents
            .retrieve_core_memory_block(&agent.id, &label)
            .send()
            .await,
    );
    assert_eq!(notes.id, block_id);

    let detached = live.track(
        "detach_core_memory_block",
        agents
            .detach_core_memory_block(&agent.id, &block_id)
            .send()
            .await,
    );
    assert_eq!(detached.id, agent.id);
    let blocks = live.track(
        "list_core_memory_blocks",
        agents.list_core_memory_blocks(&agent.id).send().await,
    );
    assert!(!blocks.iter().any(|b| b.id == block_id), "{blocks:?}");
    let err = live.expect_err(
        "retrieve_core_memory_block",
        agents
            .retrieve_core_memory_block(&agent.id, &label)
            .send()
            .await,
    );
    assert!(err.is_not_found(), "{err}");

    live.track(
        "delete_block",
        live.client.blocks().delete_block(&block_id).send().await,
    );
    live.delete_agent(&agent.id).await;
}

#[tokio::test]
async fn archival_passages_are_inserted_searched_and_deleted() {
    let live = live!();
    let agents = live.client.agents();
    let agent = live.new_agent("archival").await;
    let tag = live.name("passage");

    let first = m::CreateArchivalMemory::new("The launch code of the live suite is 4242.")
        .with_tags(vec![tag.clone()]);
    let created = live.track(
        "create_passage",
        agents.create_passage(&agent.id, first).send().await,
    );
    assert_eq!(created.len(), 1, "{created:?}");
    let passage_id = created[0].id.clone().expect("a passage id");
    assert_eq!(
        created[0].text,
        "The launch code of the live suite is 4242."
    );
    let second = live.track(
        "create_passage",
        agents
            .create_passage(
                &agent.id,
                m::CreateArchivalMemory::new("Ferris is the Rust mascot."),
            )
            .send()
            .await,
    );
    let second_id = second[0].id.clone().expect("a passage id");

    let passages = live.track(
        "list_passages",
        agents.list_passages(&agent.id).send().await,
    );
    let ids: Vec<_> = passages.iter().filter_map(|p| p.id.clone()).collect();
    assert_eq!(ids, [passage_id.clone(), second_id.clone()], "oldest first");
    let newest = live.track(
        "list_passages",
        agents
            .list_passages(&agent.id)
            .ascending(false)
            .limit(1)
            .send()
            .await,
    );
    assert_eq!(newest.len(), 1);
    assert_eq!(newest[0].id.as_deref(), Some(second_id.as_str()));
    let found = live.track(
        "list_passages",
        agents
            .list_passages(&agent.id)
            .search("Ferris")
            .send()
            .await,
    );
    assert!(
        found
            .iter()
            .any(|p| p.id.as_deref() == Some(second_id.as_str())),
        "{found:?}"
    );

    // semantic search (fake embeddings), filtered by the unique tag
    let results = live.track(
        "search_archival_memory",
        agents
            .search_archival_memory(&agent.id, "launch code")
            .tags(vec![tag.clone()])
            .top_k(5)
            .send()
            .await,
    );
    assert_eq!(results.count, results.results.len() as i64);
    assert_eq!(
        results
            .results
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>(),
        [passage_id.as_str()],
        "{results:?}"
    );
    assert!(results.results[0].content.contains("4242"));

    // the embeddings of the organization take some (estimated) room
    let size = live.track(
        "get_total_storage_size",
        live.client
            .embeddings()
            .get_total_storage_size()
            .send()
            .await,
    );
    assert!(size >= 0.0, "{size}");
    let in_mb = live.track(
        "get_total_storage_size",
        live.client
            .embeddings()
            .get_total_storage_size()
            .storage_unit("MB")
            .send()
            .await,
    );
    assert!(in_mb >= size, "{in_mb} MB < {size} GB");

    live.track(
        "delete_passage",
        agents.delete_passage(&agent.id, &passage_id).send().await,
    );
    let passages = live.track(
        "list_passages",
        agents.list_passages(&agent.id).send().await,
    );
    let ids: Vec<_> = passages.iter().filter_map(|p| p.id.clone()).collect();
    assert_eq!(ids, std::slice::from_ref(&second_id));

    live.delete_agent(&agent.id).await;
}

#[tokio::test]
#[allow(deprecated)]
async fn archives_and_identities_are_attached_and_detached() {
    let live = live!();
    let agents = live.client.agents();
    let agent = live.new_agent("links").await;

    // archive
    let body = m::ArchiveCreateRequest::new(live.name("archive")).with_embedding(EMBEDDING);
    let archive = live.track(
        "create_archive",
        live.client.archives().create_archive(body).send().await,
    );
    let archive_id = archive.id.clone().expect("an archive id");
    live.track(
        "attach_archive_to_agent",
        agents
            .attach_archive_to_agent(&agent.id, &archive_id)
            .send()
            .await,
    );
    let linked = live.track(
        "list_archives",
        live.client
            .archives()
            .list_archives()
            .agent_id(agent.id.clone())
            .send()
            .await,
    );
    assert!(
        linked
            .iter()
            .any(|a| a.id.as_deref() == Some(archive_id.as_str())),
        "{linked:?}"
    );
    live.track(
        "detach_archive_from_agent",
        agents
            .detach_archive_from_agent(&agent.id, &archive_id)
            .send()
            .await,
    );
    let linked = live.track(
        "list_archives",
        live.client
            .archives()
            .list_archives()
            .agent_id(agent.id.clone())
            .send()
            .await,
    );
    assert!(
        !linked
            .iter()
            .any(|a| a.id.as_deref() == Some(archive_id.as_str())),
        "{linked:?}"
    );
    live.track(
        "delete_archive",
        live.client
            .archives()
            .delete_archive(&archive_id)
            .send()
            .await,
    );

    // identity
    let key = live.name("identity");
    let identity = live.track(
        "create_identity",
        live.client
            .identities()
            .create_identity(m::IdentityCreate::new(
                key.clone(),
                "Live Tester",
                m::IdentityType::User,
            ))
            .send()
            .await,
    );
    let identity_id = identity.id.clone().expect("an identity id");
    live.track(
        "attach_identity_to_agent",
        agents
            .attach_identity_to_agent(&agent.id, &identity_id)
            .send()
            .await,
    );
    let by_identity = live.track(
        "list_agents",
        agents
            .list_agents()
            .identity_id(identity_id.clone())
            .send()
            .await,
    );
    assert_eq!(
        by_identity
            .iter()
            .map(|a| a.id.as_str())
            .collect::<Vec<_>>(),
        [agent.id.as_str()]
    );
    let by_key = live.track(
        "count_agents",
        agents
            .count_agents()
            .identifier_keys(vec![key.clone()])
            .send()
            .await,
    );
    assert_eq!(by_key, 1);
    live.track(
        "detach_identity_from_agent",
        agents
            .detach_identity_from_agent(&agent.id, &identity_id)
            .send()
            .await,
    );
    let by_identity = live.track(
        "list_agents",
        agents
            .list_agents()
            .identity_id(identity_id.clone())
            .send()
            .await,
    );
    assert!(by_identity.is_empty(), "{by_identity:?}");
    live.track(
        "delete_identity",
        live.client
            .identities()
            .delete_identity(&identity_id)
            .send()
            .await,
    );

    live.delete_agent(&agent.id).await;
}
