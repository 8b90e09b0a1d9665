//! Folders end to end: create → retrieve (by id and by name) → list → count → modify; a text file
//! uploaded, processed into passages (the fake LLM embeds them), listed, retrieved and deleted; the
//! metadata route (which fails, see below); attached to an agent; deleted.

use std::future::Future;
use std::time::Duration;

use letta_api::Error;
use letta_api::models as m;
use letta_api::request::FilePart;
use serde_json::json;

use crate::support::{EMBEDDING, live, object};

/// A file id of the right shape that no file has.
pub const MISSING_FILE: &str = "file-00000000-0000-4000-8000-000000000000";

/// The text file the folder and source tests upload.
pub const NOTES: &str = "Letta live-test upload.\nThe quick brown fox jumps over the lazy dog.\n";

/// `notes.txt` as a multipart file part.
pub fn notes_part() -> FilePart {
    FilePart::new(NOTES.as_bytes().to_vec())
        .file_name("notes.txt")
        .mime("text/plain")
}

/// Polls `fetch` (a retrieve of the file's metadata) every 250 ms until the file reaches a terminal
/// status (`completed` or `error`); panics after 30 s.
pub async fn wait_until_processed<F, Fut>(mut fetch: F) -> m::FileMetadata
where
    F: FnMut() -> Fut,
    Fut: Future<Output = m::FileMetadata>,
{
    for _ in 0..120 {
        let file = fetch().await;
        if matches!(
            file.processing_status,
            m::FileProcessingStatus::Completed | m::FileProcessingStatus::Error
        ) {
            return file;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("the file was not processed within 30 s");
}

#[tokio::test]
async fn folders_are_created_found_modified_attached_and_deleted() {
    let live = live!();
    let folders = live.client.folders();
    let name = live.name("folder");

    let body = m::SourceCreate::new(name.clone())
        .with_description("a folder of the 0.16.8 live suite")
        .with_instructions("Use this folder for live-test notes.")
        .with_metadata(object(json!({"suite": "live-016"})))
        .with_embedding(EMBEDDING)
        .with_embedding_chunk_size(400);
    let folder = live.track("create_folder", folders.create_folder(body).send().await);
    let folder_id = folder.id.clone().expect("a folder has an id");
    assert_eq!(folder.name, name);
    assert_eq!(
        folder
            .embedding_config
            .handle
            .as_value()
            .map(String::as_str),
        Some(EMBEDDING)
    );
    assert_eq!(folder.embedding_config.embedding_chunk_size, Some(400));
    assert_eq!(
        folder.instructions.as_deref(),
        Some("Use this folder for live-test notes.")
    );

    let got = live.track(
        "retrieve_folder",
        folders.retrieve_folder(&folder_id).send().await,
    );
    assert_eq!(got.id.as_deref(), Some(folder_id.as_str()));
    assert_eq!(
        got.metadata.as_ref().and_then(|m| m.get("suite")),
        Some(&json!("live-016"))
    );
    #[allow(deprecated)]
    let by_name = folders.get_folder_by_name(&name).send().await;
    assert_eq!(live.track("get_folder_by_name", by_name), folder_id);
    let listed = live.track(
        "list_folders",
        folders.list_folders().name(&name).send().await,
    );
    assert_eq!(
        listed.iter().map(|f| f.id.as_deref()).collect::<Vec<_>>(),
        [Some(folder_id.as_str())]
    );
    let newest = live.track(
        "list_folders",
        folders
            .list_folders()
            .order(m::ListFoldersOrder::Desc)
            .limit(100)
            .send()
            .await,
    );
    assert!(
        newest
            .iter()
            .any(|f| f.id.as_deref() == Some(folder_id.as_str()))
    );
    let streamed = live
        .track_stream(
            "list_folders",
            folders.list_folders().name(&name).limit(1).into_stream(),
        )
        .await;
    assert_eq!(streamed.len(), 1);
    let count = live.track("count_folders", folders.count_folders().send().await);
    assert!(count >= 1, "{count}");

    // Server bug: `GET /v1/folders/metadata` is declared after `GET /v1/folders/{folder_id}` in
    // letta/server/rest_api/routers/v1/folders.py (`retrieve_folder` comes before `retrieve_metadata`),
    // so the `{folder_id}` route matches first and its `FolderId` validator rejects "metadata" with 422.
    let err = live.expect_err(
        "retrieve_metadata",
        folders
            .retrieve_metadata()
            .include_detailed_per_source_metadata(true)
            .send()
            .await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 422 && e.detail().is_some_and(|d| d.contains("'input': 'metadata'"))),
        "{err}"
    );
    // The 422 body decodes typed although its `detail` is one string, not the list the spec declares
    // (the overlay spec/letta-0.16.8/overlays/validation-error-detail.yaml).
    let Error::Api(api) = &err else {
        panic!("retrieve_metadata: expected an API error, got {err:?}")
    };
    let typed = api.validation_error().expect("a typed 422 body");
    assert!(
        matches!(&typed.detail, Some(m::HttpValidationErrorDetail::String(s)) if s.contains("'input': 'metadata'")),
        "{typed:?}"
    );
    assert!(typed.trace_id.is_some(), "{typed:?}");

    let update = m::SourceUpdate::default()
        .with_name(format!("{name}-renamed"))
        .with_description("modified folder");
    let modified = live.track(
        "modify_folder",
        folders.modify_folder(&folder_id, update).send().await,
    );
    assert_eq!(modified.name, format!("{name}-renamed"));
    assert_eq!(modified.description.as_deref(), Some("modified folder"));
    let renamed = live.track(
        "list_folders",
        folders
            .list_folders()
            .name(format!("{name}-renamed"))
            .send()
            .await,
    );
    assert_eq!(renamed.len(), 1);

    // A text file uploaded as a multipart `file` part: the server answers at once with the file's
    // metadata (status `parsing`), then chunks and embeds it in the background.
    let upload = m::BodyUploadFileToFolder::new(notes_part());
    let uploaded = live.track(
        "upload_file_to_folder",
        folders
            .upload_file_to_folder(&folder_id, upload)
            .duplicate_handling(m::DuplicateFileHandling::Suffix)
            .send()
            .await,
    );
    let file_id = uploaded.id.clone().expect("an uploaded file has an id");
    assert_eq!(uploaded.original_file_name.as_deref(), Some("notes.txt"));
    assert_eq!(uploaded.file_type.as_deref(), Some("text/plain"));
    assert_eq!(uploaded.file_size, Some(NOTES.len() as i64));
    #[allow(deprecated)]
    let source_id = &uploaded.source_id;
    assert_eq!(source_id, &folder_id);

    let processed = wait_until_processed(|| async {
        live.track(
            "retrieve_file",
            folders.retrieve_file(&folder_id, &file_id).send().await,
        )
    })
    .await;
    assert_eq!(
        processed.processing_status,
        m::FileProcessingStatus::Completed,
        "{:?}",
        processed.error_message
    );
    assert!(
        processed.total_chunks.is_some_and(|n| n >= 1),
        "{processed:?}"
    );
    assert_eq!(processed.chunks_embedded, processed.total_chunks);
    let with_content = live.track(
        "retrieve_file",
        folders
            .retrieve_file(&folder_id, &file_id)
            .include_content(true)
            .send()
            .await,
    );
    assert!(
        with_content
            .content
            .as_deref()
            .is_some_and(|c| c.contains("quick brown fox")),
        "{with_content:?}"
    );

    // The same name again: `suffix` keeps both under distinct names, `error` refuses with 400.
    let twin = live.track(
        "upload_file_to_folder",
        folders
            .upload_file_to_folder(&folder_id, m::BodyUploadFileToFolder::new(notes_part()))
            .send()
            .await,
    );
    let twin_id = twin.id.clone().expect("an uploaded file has an id");
    assert_ne!(twin_id, file_id);
    assert_eq!(twin.original_file_name.as_deref(), Some("notes.txt"));
    assert_ne!(twin.file_name, processed.file_name, "a suffixed name");
    let err = live.expect_err(
        "upload_file_to_folder",
        folders
            .upload_file_to_folder(&folder_id, m::BodyUploadFileToFolder::new(notes_part()))
            .duplicate_handling(m::DuplicateFileHandling::Error)
            .send()
            .await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 400
            && e.detail().is_some_and(|d| d.contains("already exists"))),
        "{err}"
    );
    let twin = wait_until_processed(|| async {
        live.track(
            "retrieve_file",
            folders.retrieve_file(&folder_id, &twin_id).send().await,
        )
    })
    .await;
    assert_eq!(twin.processing_status, m::FileProcessingStatus::Completed);

    // The folder lists both files (one page of one file at a time too) and the passages of their chunks.
    let files = live.track(
        "list_files_for_folder",
        folders
            .list_files_for_folder(&folder_id)
            .include_content(true)
            .send()
            .await,
    );
    let mut ids: Vec<&str> = files.iter().filter_map(|f| f.id.as_deref()).collect();
    ids.sort();
    let mut want = vec![file_id.as_str(), twin_id.as_str()];
    want.sort();
    assert_eq!(ids, want);
    assert!(
        files.iter().all(|f| f
            .content
            .as_deref()
            .is_some_and(|c| c.contains("quick brown fox"))),
        "{files:?}"
    );
    let paged = live
        .track_stream(
            "list_files_for_folder",
            folders
                .list_files_for_folder(&folder_id)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(paged.len(), 2, "{paged:?}");
    let passages = live.track(
        "list_folder_passages",
        folders.list_folder_passages(&folder_id).send().await,
    );
    assert!(
        passages
            .iter()
            .any(|p| p.file_id.as_deref() == Some(file_id.as_str())),
        "{passages:?}"
    );
    assert!(
        passages
            .iter()
            .any(|p| p.file_id.as_deref() == Some(twin_id.as_str())),
        "{passages:?}"
    );
    assert!(
        passages.iter().all(|p| {
            #[allow(deprecated)]
            let source_id = p.source_id.as_deref();
            source_id == Some(folder_id.as_str())
        }),
        "{passages:?}"
    );
    assert!(
        passages.iter().any(|p| p.text.contains("quick brown fox")),
        "{passages:?}"
    );
    // Pages of one passage, oldest first: every page is walked.
    let oldest_first = live
        .track_stream(
            "list_folder_passages",
            folders
                .list_folder_passages(&folder_id)
                .order(m::ListFolderPassagesOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(
        oldest_first
            .iter()
            .rev()
            .map(|p| p.id.as_deref())
            .collect::<Vec<_>>(),
        passages.iter().map(|p| p.id.as_deref()).collect::<Vec<_>>(),
        "the default order is newest first"
    );
    // Newest first (the default), one per page. Folder passages have chronological cursors, although the
    // route documents `after` as "in the specified sort order": `build_source_passage_query` in
    // letta/services/helpers/agent_manager_helper.py compares `after` and `before` by `created_at`
    // whatever the order. The profile says so (paging.cursors_by_operation), so the SDK pages a
    // descending list with `before=<last id>` and walks every page.
    let newest_first = live
        .track_stream(
            "list_folder_passages",
            folders
                .list_folder_passages(&folder_id)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(
        newest_first
            .iter()
            .map(|p| p.id.as_deref())
            .collect::<Vec<_>>(),
        passages.iter().map(|p| p.id.as_deref()).collect::<Vec<_>>(),
        "every page, newest first"
    );
    let older = live.track(
        "list_folder_passages",
        folders
            .list_folder_passages(&folder_id)
            .before(passages[0].id.clone().expect("a passage has an id"))
            .send()
            .await,
    );
    assert_eq!(
        older.iter().map(|p| p.id.as_deref()).collect::<Vec<_>>(),
        passages[1..]
            .iter()
            .map(|p| p.id.as_deref())
            .collect::<Vec<_>>()
    );

    // Deleting a file removes it and its passages.
    live.track(
        "delete_file_from_folder",
        folders
            .delete_file_from_folder(&folder_id, &twin_id)
            .send()
            .await,
    );
    let files = live.track(
        "list_files_for_folder",
        folders.list_files_for_folder(&folder_id).send().await,
    );
    assert_eq!(
        files.iter().map(|f| f.id.as_deref()).collect::<Vec<_>>(),
        [Some(file_id.as_str())]
    );
    let passages = live.track(
        "list_folder_passages",
        folders.list_folder_passages(&folder_id).send().await,
    );
    assert!(
        !passages.is_empty()
            && passages
                .iter()
                .all(|p| p.file_id.as_deref() == Some(file_id.as_str())),
        "{passages:?}"
    );
    // Server bug: a missing (or deleted) file answers 500, not 404. `retrieve_file` in
    // letta/server/rest_api/routers/v1/folders.py reads `file_metadata.source_id` of the result of
    // `FileManager.get_file_by_id` (letta/services/file_manager.py), which returns `None` for an unknown
    // id (it swallows `NoResultFound`), so the route raises `AttributeError`.
    for missing in [twin_id.as_str(), MISSING_FILE] {
        let err = live.expect_err(
            "retrieve_file",
            folders.retrieve_file(&folder_id, missing).send().await,
        );
        assert!(matches!(&err, Error::Api(e) if e.status() == 500), "{err}");
    }
    let err = live.expect_err(
        "delete_file_from_folder",
        folders
            .delete_file_from_folder(&folder_id, MISSING_FILE)
            .send()
            .await,
    );
    assert!(err.is_not_found(), "{err}");

    // An agent created with the folder: the folder lists the agent's id.
    let none = live.track(
        "list_agents_for_folder",
        folders.list_agents_for_folder(&folder_id).send().await,
    );
    assert!(none.is_empty(), "{none:?}");
    let request = live
        .agent_request(&live.name("folder-agent"))
        .with_folder_ids(vec![folder_id.clone()]);
    let agent = live.create_agent(request).await;
    let agents = live.track(
        "list_agents_for_folder",
        folders.list_agents_for_folder(&folder_id).send().await,
    );
    assert_eq!(agents, [agent.id.as_str()]);

    // Deleting the folder detaches it from the agent.
    live.track(
        "delete_folder",
        folders.delete_folder(&folder_id).send().await,
    );
    let err = live.expect_err(
        "retrieve_folder",
        folders.retrieve_folder(&folder_id).send().await,
    );
    assert!(err.is_not_found(), "{err}");
    let gone = live.track(
        "list_folders",
        folders
            .list_folders()
            .name(format!("{name}-renamed"))
            .send()
            .await,
    );
    assert!(gone.is_empty(), "{gone:?}");
    live.delete_agent(&agent.id).await;
}
