//! Folders (and their deprecated "sources" alias) attached to an agent, and the agent's open/closed
//! view of the folder's files.

use std::time::Duration;

use letta_api::Error;
use letta_api::models as m;
use letta_api::request::FilePart;

use crate::support::{EMBEDDING, Live, live};

/// Uploads a text file into a folder (recorded as `upload_file_to_folder`) and waits until the
/// server has processed it.
async fn upload_text_file(live: &Live, folder_id: &str, name: &str, text: &str) -> m::FileMetadata {
    let part = FilePart::new(text.as_bytes().to_vec())
        .file_name(name)
        .mime("text/plain");
    let file = live.track(
        "upload_file_to_folder",
        live.client
            .folders()
            .upload_file_to_folder(folder_id, m::BodyUploadFileToFolder::new(part))
            .send()
            .await,
    );
    let file_id = file.id.clone().expect("a file id");
    for _ in 0..60 {
        let files = live
            .client
            .folders()
            .list_files_for_folder(folder_id)
            .send()
            .await
            .expect("list_files_for_folder");
        let status = files
            .iter()
            .find(|f| f.id.as_deref() == Some(file_id.as_str()))
            .map(|f| f.processing_status.clone());
        match status {
            Some(m::FileProcessingStatus::Completed) => return file,
            Some(m::FileProcessingStatus::Error) => panic!("file processing failed: {files:?}"),
            _ => tokio::time::sleep(Duration::from_millis(500)).await,
        }
    }
    panic!("the uploaded file was not processed within 30 s")
}

#[tokio::test]
#[allow(deprecated)]
async fn folders_are_attached_and_their_files_opened_and_closed() {
    let live = live!();
    let agents = live.client.agents();
    let agent = live.new_agent("files").await;

    let body = m::SourceCreate::new(live.name("folder")).with_embedding(EMBEDDING);
    let folder = live.track(
        "create_folder",
        live.client.folders().create_folder(body).send().await,
    );
    let folder_id = folder.id.clone().expect("a folder id");
    let file_name = format!("notes-{}.txt", live.run_id());
    let file = upload_text_file(
        live,
        &folder_id,
        &file_name,
        "line one of the notes\nline two: the answer is 42\n",
    )
    .await;
    let file_id = file.id.clone().expect("a file id");

    // attach as a folder: the 1.0 SDK gets `null`
    let attached = live.track(
        "attach_folder_to_agent",
        agents
            .attach_folder_to_agent(&agent.id, &folder_id)
            .send()
            .await,
    );
    assert!(attached.is_none(), "{attached:?}");
    let folders = live.track(
        "list_folders_for_agent",
        agents.list_folders_for_agent(&agent.id).send().await,
    );
    assert_eq!(
        folders
            .iter()
            .filter_map(|f| f.id.as_deref())
            .collect::<Vec<_>>(),
        [folder_id.as_str()]
    );
    let sources = live.track(
        "list_agent_sources",
        agents.list_agent_sources(&agent.id).send().await,
    );
    assert_eq!(
        sources
            .iter()
            .filter_map(|f| f.id.as_deref())
            .collect::<Vec<_>>(),
        [folder_id.as_str()]
    );

    // the folder's file is in the agent's view, open after attaching
    let files = live.track(
        "list_files_for_agent",
        agents.list_files_for_agent(&agent.id).send().await,
    );
    assert!(!files.has_more);
    let attachment = files
        .files
        .iter()
        .find(|f| f.file_id == file_id)
        .unwrap_or_else(|| panic!("the uploaded file is attached: {files:?}"));
    assert_eq!(attachment.folder_id, folder_id);
    assert_eq!(attachment.folder_name, folder.name);

    let closed = live.track(
        "close_all_files_for_agent",
        agents.close_all_files_for_agent(&agent.id).send().await,
    );
    assert!(
        closed.iter().all(|name| name.ends_with(&file_name)),
        "closed: {closed:?}"
    );
    let open = live.track(
        "list_files_for_agent",
        agents
            .list_files_for_agent(&agent.id)
            .is_open(true)
            .send()
            .await,
    );
    assert!(open.files.is_empty(), "{open:?}");

    let evicted = live.track(
        "open_file_for_agent",
        agents.open_file_for_agent(&agent.id, &file_id).send().await,
    );
    assert!(evicted.is_empty(), "nothing is evicted: {evicted:?}");
    let open = live.track(
        "list_files_for_agent",
        agents
            .list_files_for_agent(&agent.id)
            .is_open(true)
            .send()
            .await,
    );
    let opened = open
        .files
        .iter()
        .find(|f| f.file_id == file_id)
        .unwrap_or_else(|| panic!("the file is open: {open:?}"));
    assert!(
        opened
            .visible_content
            .as_deref()
            .is_some_and(|c| c.contains("the answer is 42")),
        "{opened:?}"
    );

    let message = live.track(
        "close_file_for_agent",
        agents
            .close_file_for_agent(&agent.id, &file_id)
            .send()
            .await,
    );
    assert!(
        message
            .get("message")
            .and_then(|v| v.as_str())
            .is_some_and(|s| s.contains(&file_id)),
        "{message:?}"
    );
    let closed_now = live.track(
        "list_files_for_agent",
        agents
            .list_files_for_agent(&agent.id)
            .is_open(false)
            .send()
            .await,
    );
    assert!(closed_now.files.iter().any(|f| f.file_id == file_id));

    let detached = live.track(
        "detach_folder_from_agent",
        agents
            .detach_folder_from_agent(&agent.id, &folder_id)
            .send()
            .await,
    );
    assert!(detached.is_none());
    let folders = live.track(
        "list_folders_for_agent",
        agents.list_folders_for_agent(&agent.id).send().await,
    );
    assert!(folders.is_empty(), "{folders:?}");

    let files = live.track(
        "list_files_for_agent",
        agents.list_files_for_agent(&agent.id).send().await,
    );
    assert!(files.files.is_empty(), "{files:?}");

    // SERVER BUG: a folder with files cannot be attached again to the same agent after a detach.
    // The detach soft-deletes the agent's `files_agents` rows (`detach_file_bulk` in
    // letta/services/files_agents_manager.py sets `is_deleted=True`), but the unique constraint
    // `uq_agent_filename` on (agent_id, file_name) (letta/orm/files_agents.py) ignores `is_deleted`,
    // so the re-attach inserts a duplicate and the server answers 409 (UniqueViolationError).
    let err = live.expect_err(
        "attach_source_to_agent",
        agents
            .attach_source_to_agent(&agent.id, &folder_id)
            .send()
            .await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 409),
        "{err:?}"
    );
    assert!(
        err.detail()
            .is_some_and(|d| d.contains("uq_agent_filename")),
        "{err}"
    );
    let err = live.expect_err(
        "attach_folder_to_agent",
        agents
            .attach_folder_to_agent(&agent.id, &folder_id)
            .send()
            .await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 409),
        "{err:?}"
    );

    // the deprecated source routes answer the AgentState whatever the client (an empty folder)
    let body = m::SourceCreate::new(live.name("source")).with_embedding(EMBEDDING);
    let source = live.track(
        "create_folder",
        live.client.folders().create_folder(body).send().await,
    );
    let source_id = source.id.clone().expect("a folder id");
    let state = live.track(
        "attach_source_to_agent",
        agents
            .attach_source_to_agent(&agent.id, &source_id)
            .send()
            .await,
    );
    assert_eq!(state.id, agent.id);
    assert!(
        state
            .sources
            .iter()
            .any(|s| s.id.as_deref() == Some(source_id.as_str())),
        "{:?}",
        state.sources
    );
    let sources = live.track(
        "list_agent_sources",
        agents.list_agent_sources(&agent.id).send().await,
    );
    assert!(
        sources
            .iter()
            .any(|f| f.id.as_deref() == Some(source_id.as_str())),
        "{sources:?}"
    );
    let state = live.track(
        "detach_source_from_agent",
        agents
            .detach_source_from_agent(&agent.id, &source_id)
            .send()
            .await,
    );
    assert!(
        !state
            .sources
            .iter()
            .any(|s| s.id.as_deref() == Some(source_id.as_str())),
        "{:?}",
        state.sources
    );
    live.track(
        "delete_folder",
        live.client.folders().delete_folder(&source_id).send().await,
    );
    live.track(
        "delete_folder",
        live.client.folders().delete_folder(&folder_id).send().await,
    );
    live.delete_agent(&agent.id).await;
}
