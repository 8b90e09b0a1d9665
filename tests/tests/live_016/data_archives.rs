//! Archives end to end: create → retrieve → list → modify; passages added one by one and in a batch,
//! found by `search_passages` (semantic query through the fake embedder, tags, archive and agent
//! scope); attached to an agent; passages and the archive deleted.

use letta_api::models as m;
use serde_json::json;

use crate::support::{EMBEDDING, live, object};

/// A search of one archive.
fn search_in(archive_id: &str, query: Option<&str>) -> m::PassageSearchRequest {
    let search = m::PassageSearchRequest::default()
        .with_archive_id(archive_id)
        .with_limit(20);
    match query {
        Some(query) => search.with_query(query),
        None => search,
    }
}

#[tokio::test]
async fn archives_hold_passages_that_search_finds() {
    let live = live!();
    let archives = live.client.archives();
    let name = live.name("archive");
    let tag = live.name("passage-tag");

    let body = m::ArchiveCreateRequest::new(name.clone())
        .with_embedding(EMBEDDING)
        .with_description("an archive of the 0.16.8 live suite");
    let archive = live.track("create_archive", archives.create_archive(body).send().await);
    let archive_id = archive.id.clone().expect("an archive has an id");
    assert_eq!(archive.name, name);
    let embedding = archive
        .embedding_config
        .as_ref()
        .expect("an archive created with an embedding handle has its config");
    assert_eq!(
        embedding.handle.as_value().map(String::as_str),
        Some(EMBEDDING)
    );

    let got = live.track(
        "retrieve_archive",
        archives.retrieve_archive(&archive_id).send().await,
    );
    assert_eq!(got.id.as_deref(), Some(archive_id.as_str()));
    assert_eq!(got.description, archive.description);
    let by_name = live.track(
        "list_archives",
        archives.list_archives().name(&name).send().await,
    );
    assert_eq!(
        by_name.iter().map(|a| a.id.as_deref()).collect::<Vec<_>>(),
        [Some(archive_id.as_str())]
    );
    let newest = live.track(
        "list_archives",
        archives
            .list_archives()
            .order(m::ListArchivesOrder::Desc)
            .limit(100)
            .send()
            .await,
    );
    assert!(
        newest
            .iter()
            .any(|a| a.id.as_deref() == Some(archive_id.as_str())),
        "a new archive is among the 100 newest"
    );
    let streamed = live
        .track_stream(
            "list_archives",
            archives
                .list_archives()
                .name(&name)
                .order(m::ListArchivesOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(streamed.len(), 1);

    let update = m::ArchiveUpdateRequest::default().with_description("modified archive");
    let modified = live.track(
        "modify_archive",
        archives.modify_archive(&archive_id, update).send().await,
    );
    assert_eq!(modified.description.as_deref(), Some("modified archive"));
    assert_eq!(modified.name, name, "an absent name is left alone");

    // One passage, then a batch of two.
    let one = m::PassageCreateRequest::new("The lighthouse keeper feeds three cats.")
        .with_tags(vec![tag.clone(), "cats".into()])
        .with_metadata(object(json!({"source": "live-016"})));
    let passage = live.track(
        "create_passage_in_archive",
        archives
            .create_passage_in_archive(&archive_id, one)
            .send()
            .await,
    );
    let passage_id = passage.id.clone().expect("a passage has an id");
    assert_eq!(passage.text, "The lighthouse keeper feeds three cats.");
    assert_eq!(passage.archive_id.as_deref(), Some(archive_id.as_str()));
    let mut tags = passage.tags.clone().unwrap_or_default();
    tags.sort();
    let mut want = vec![tag.clone(), "cats".to_string()];
    want.sort();
    assert_eq!(tags, want);

    let first = m::PassageCreateRequest::new("Rust has zero-cost abstractions.")
        .with_tags(vec![tag.clone()]);
    let second = m::PassageCreateRequest::new("The tide comes in twice a day.");
    let batch = live.track(
        "create_passages_in_archive",
        archives
            .create_passages_in_archive(
                &archive_id,
                m::PassageBatchCreateRequest::new(vec![first, second]),
            )
            .send()
            .await,
    );
    assert_eq!(batch.len(), 2, "{batch:?}");
    let mut texts: Vec<&str> = batch.iter().map(|p| p.text.as_str()).collect();
    texts.sort();
    assert_eq!(
        texts,
        [
            "Rust has zero-cost abstractions.",
            "The tide comes in twice a day."
        ]
    );

    // Without a query: every passage of the archive; with tags: only the tagged ones.
    let all = live.track(
        "search_passages",
        live.client
            .passages()
            .search_passages(search_in(&archive_id, None))
            .send()
            .await,
    );
    assert_eq!(all.len(), 3, "{all:?}");
    assert!(
        all.iter()
            .all(|r| r.passage.archive_id.as_deref() == Some(archive_id.as_str()))
    );
    let tagged_search = search_in(&archive_id, None)
        .with_tags(vec![tag.clone(), "cats".into()])
        .with_tag_match_mode(m::PassageSearchRequestTagMatchMode::All);
    let tagged = live.track(
        "search_passages",
        live.client
            .passages()
            .search_passages(tagged_search)
            .send()
            .await,
    );
    assert_eq!(
        tagged
            .iter()
            .map(|r| r.passage.id.as_deref())
            .collect::<Vec<_>>(),
        [Some(passage_id.as_str())]
    );
    // A semantic query embeds the text with the archive's embedding (the fake embedder).
    let semantic = live.track(
        "search_passages",
        live.client
            .passages()
            .search_passages(search_in(&archive_id, Some("lighthouse cats")))
            .send()
            .await,
    );
    assert!(!semantic.is_empty() && semantic.len() <= 3, "{semantic:?}");
    assert!(semantic.iter().all(|r| r.score.is_finite()), "{semantic:?}");

    // An agent with the archive attached: the archive lists it, and an agent-scoped search finds the
    // archive's passages.
    let agent = live.new_agent("archive-agent").await;
    let none = live.track(
        "list_agents_for_archive",
        archives.list_agents_for_archive(&archive_id).send().await,
    );
    assert!(none.is_empty(), "{none:?}");
    live.track(
        "attach_archive_to_agent",
        live.client
            .agents()
            .attach_archive_to_agent(&agent.id, &archive_id)
            .send()
            .await,
    );
    let agents = live.track(
        "list_agents_for_archive",
        archives.list_agents_for_archive(&archive_id).send().await,
    );
    assert_eq!(
        agents.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [agent.id.as_str()]
    );
    let paged = live
        .track_stream(
            "list_agents_for_archive",
            archives
                .list_agents_for_archive(&archive_id)
                .order(m::ListAgentsForArchiveOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(paged.len(), 1);
    let of_agent = live.track(
        "list_archives",
        archives.list_archives().agent_id(&agent.id).send().await,
    );
    assert!(
        of_agent
            .iter()
            .any(|a| a.id.as_deref() == Some(archive_id.as_str())),
        "{of_agent:?}"
    );
    let agent_search = m::PassageSearchRequest::default()
        .with_agent_id(agent.id.clone())
        .with_limit(10);
    let found = live.track(
        "search_passages",
        live.client
            .passages()
            .search_passages(agent_search)
            .send()
            .await,
    );
    assert!(
        found
            .iter()
            .any(|r| r.passage.id.as_deref() == Some(passage_id.as_str())),
        "{found:?}"
    );
    live.delete_agent(&agent.id).await;

    // Delete one passage, then the archive.
    live.track(
        "delete_passage_from_archive",
        archives
            .delete_passage_from_archive(&archive_id, &passage_id)
            .send()
            .await,
    );
    let rest = live.track(
        "search_passages",
        live.client
            .passages()
            .search_passages(search_in(&archive_id, None))
            .send()
            .await,
    );
    assert_eq!(rest.len(), 2, "{rest:?}");
    assert!(
        rest.iter()
            .all(|r| r.passage.id.as_deref() != Some(passage_id.as_str()))
    );
    live.track(
        "delete_archive",
        archives.delete_archive(&archive_id).send().await,
    );
    let err = live.expect_err(
        "retrieve_archive",
        archives.retrieve_archive(&archive_id).send().await,
    );
    assert!(err.is_not_found(), "{err}");
}
