//! Sources (the deprecated twin of folders) end to end: create → retrieve (by id and by name) → list →
//! count → modify; a text file uploaded, processed into passages, listed and deleted; the metadata route
//! (which fails, see below); attached to an agent; deleted.
#![allow(deprecated)]

use letta_api::Error;
use letta_api::models as m;
use serde_json::json;

use crate::data_folders::{MISSING_FILE, NOTES, notes_part, wait_until_processed};
use crate::support::{live, object};

#[tokio::test]
async fn sources_are_created_found_modified_attached_and_deleted() {
    let live = live!();
    let sources = live.client.sources();
    let name = live.name("source");

    let body = m::SourceCreate::new(name.clone())
        .with_description("a source of the 0.16.8 live suite")
        .with_metadata(object(json!({"suite": "live-016"})))
        // A full embedding config instead of a handle.
        .with_embedding_config(live.embedding_config());
    let source = live.track("create_source", sources.create_source(body).send().await);
    let source_id = source.id.clone().expect("a source has an id");
    assert_eq!(source.name, name);
    assert_eq!(
        source.embedding_config.embedding_model,
        "text-embedding-3-small"
    );
    assert_eq!(
        source.embedding_config.embedding_endpoint.as_value(),
        Some(&live.fake_llm)
    );

    let got = live.track(
        "retrieve_source",
        sources.retrieve_source(&source_id).send().await,
    );
    assert_eq!(got.id.as_deref(), Some(source_id.as_str()));
    assert_eq!(got.description, source.description);
    let by_name = live.track(
        "get_source_id_by_name",
        sources.get_source_id_by_name(&name).send().await,
    );
    assert_eq!(by_name, source_id);
    let listed = live.track("list_sources", sources.list_sources().send().await);
    assert!(
        listed
            .iter()
            .any(|s| s.id.as_deref() == Some(source_id.as_str())),
        "{} sources listed",
        listed.len()
    );
    // A source is a folder: the folder routes see it.
    let folder = live.track(
        "retrieve_folder",
        live.client
            .folders()
            .retrieve_folder(&source_id)
            .send()
            .await,
    );
    assert_eq!(folder.name, name);
    let count = live.track("count_sources", sources.count_sources().send().await);
    assert!(count >= 1, "{count}");

    // Server bug: `GET /v1/sources/metadata` is declared after `GET /v1/sources/{source_id}` in
    // letta/server/rest_api/routers/v1/sources.py (`retrieve_source` comes before
    // `get_sources_metadata`), so the `{source_id}` route matches first and its `SourceId` validator
    // rejects "metadata" with 422.
    let err = live.expect_err(
        "get_sources_metadata",
        sources.get_sources_metadata().send().await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 422 && e.detail().is_some_and(|d| d.contains("'input': 'metadata'"))),
        "{err}"
    );

    let update = m::SourceUpdate::default()
        .with_description("modified source")
        .with_instructions("Read me first.")
        .with_metadata(object(json!({"suite": "live-016", "modified": true})));
    let modified = live.track(
        "modify_source",
        sources.modify_source(&source_id, update).send().await,
    );
    assert_eq!(modified.description.as_deref(), Some("modified source"));
    assert_eq!(modified.instructions.as_deref(), Some("Read me first."));
    assert_eq!(
        modified.metadata.as_ref().and_then(|m| m.get("modified")),
        Some(&json!(true))
    );
    assert_eq!(modified.name, name, "an absent name is left alone");

    // A text file uploaded as a multipart `file` part (named by the `name` query parameter), processed
    // in the background into passages embedded by the fake LLM.
    let upload = m::BodyUploadFileToSource::new(notes_part());
    let uploaded = live.track(
        "upload_file_to_source",
        sources
            .upload_file_to_source(&source_id, upload)
            .name("source-notes.txt")
            .duplicate_handling(m::DuplicateFileHandling::Error)
            .send()
            .await,
    );
    let file_id = uploaded.id.clone().expect("an uploaded file has an id");
    assert_eq!(
        uploaded.original_file_name.as_deref(),
        Some("source-notes.txt")
    );
    assert_eq!(uploaded.source_id, source_id);
    let processed = wait_until_processed(|| async {
        live.track(
            "get_file_metadata",
            sources.get_file_metadata(&source_id, &file_id).send().await,
        )
    })
    .await;
    assert_eq!(
        processed.processing_status,
        m::FileProcessingStatus::Completed,
        "{:?}",
        processed.error_message
    );
    assert!(processed.content.is_none(), "content only on demand");
    let with_content = live.track(
        "get_file_metadata",
        sources
            .get_file_metadata(&source_id, &file_id)
            .include_content(true)
            .send()
            .await,
    );
    assert_eq!(
        with_content.content.as_deref().map(str::trim),
        Some(NOTES.trim())
    );

    let files = live.track(
        "list_source_files",
        sources
            .list_source_files(&source_id)
            .include_content(true)
            .check_status_updates(true)
            .send()
            .await,
    );
    assert_eq!(
        files.iter().map(|f| f.id.as_deref()).collect::<Vec<_>>(),
        [Some(file_id.as_str())]
    );
    assert_eq!(
        files[0].processing_status,
        m::FileProcessingStatus::Completed
    );
    let files = live
        .track_stream(
            "list_source_files",
            sources.list_source_files(&source_id).limit(5).into_stream(),
        )
        .await;
    assert_eq!(files.len(), 1, "{files:?}");
    let passages = live.track(
        "list_source_passages",
        sources.list_source_passages(&source_id).send().await,
    );
    assert!(!passages.is_empty(), "the file's chunks are passages");
    assert!(
        passages
            .iter()
            .all(|p| p.file_id.as_deref() == Some(file_id.as_str())
                && p.source_id.as_deref() == Some(source_id.as_str())),
        "{passages:?}"
    );
    assert!(
        passages.iter().any(|p| p.text.contains("quick brown fox")),
        "{passages:?}"
    );
    let streamed = live
        .track_stream(
            "list_source_passages",
            sources
                .list_source_passages(&source_id)
                .limit(1)
                .into_stream(),
        )
        .await;
    // The deprecated route lists oldest first (`ascending` defaults to true), so `after` continues it.
    assert_eq!(
        streamed.iter().map(|p| p.id.as_deref()).collect::<Vec<_>>(),
        passages.iter().map(|p| p.id.as_deref()).collect::<Vec<_>>()
    );

    live.track(
        "delete_file_from_source",
        sources
            .delete_file_from_source(&source_id, &file_id)
            .send()
            .await,
    );
    let files = live.track(
        "list_source_files",
        sources.list_source_files(&source_id).send().await,
    );
    assert!(files.is_empty(), "{files:?}");
    let passages = live.track(
        "list_source_passages",
        sources.list_source_passages(&source_id).send().await,
    );
    assert!(passages.is_empty(), "{passages:?}");
    // Server bug: a missing (or deleted) file answers 500, not 404. `get_file_metadata` in
    // letta/server/rest_api/routers/v1/sources.py passes the `None` that `FileManager.get_file_by_id`
    // (letta/services/file_manager.py) returns for an unknown id to `check_and_update_file_status`,
    // which dereferences it.
    for missing in [file_id.as_str(), MISSING_FILE] {
        let err = live.expect_err(
            "get_file_metadata",
            sources
                .get_file_metadata(&source_id, missing)
                .include_content(true)
                .send()
                .await,
        );
        assert!(matches!(&err, Error::Api(e) if e.status() == 500), "{err}");
    }
    let err = live.expect_err(
        "delete_file_from_source",
        sources
            .delete_file_from_source(&source_id, MISSING_FILE)
            .send()
            .await,
    );
    assert!(err.is_not_found(), "{err}");

    // Attached to an agent through the deprecated agent route; the source lists the agent's id.
    let none = live.track(
        "get_agents_for_source",
        sources.get_agents_for_source(&source_id).send().await,
    );
    assert!(none.is_empty(), "{none:?}");
    let agent = live.new_agent("source-agent").await;
    live.track(
        "attach_source_to_agent",
        live.client
            .agents()
            .attach_source_to_agent(&agent.id, &source_id)
            .send()
            .await,
    );
    let agents = live.track(
        "get_agents_for_source",
        sources.get_agents_for_source(&source_id).send().await,
    );
    assert_eq!(agents, [agent.id.as_str()]);

    live.track(
        "delete_source",
        sources.delete_source(&source_id).send().await,
    );
    let err = live.expect_err(
        "retrieve_source",
        sources.retrieve_source(&source_id).send().await,
    );
    assert!(err.is_not_found(), "{err}");
    let err = live.expect_err(
        "get_source_id_by_name",
        sources.get_source_id_by_name(&name).send().await,
    );
    assert!(err.is_not_found(), "{err}");
    live.delete_agent(&agent.id).await;
}
