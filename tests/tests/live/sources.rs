//! Sources: create -> get -> list -> modify, file uploads (multipart) whose jobs are polled to
//! completion, passages and files listed, attached to an agent, deleted.

use std::time::{Duration, Instant};

use letta_api_0_7::models as m;
use letta_api_0_7::request::FilePart;
use serde_json::json;

use crate::support::{Live, live, object};

const UPLOAD_TEXT: &str = "Letta live-test upload.\n\
The quick brown fox jumps over the lazy dog.\n\
This small file is uploaded to a source, split into passages and embedded.\n";

/// Polls the job until it leaves the created/pending/running states (60 s at most).
async fn wait_for_job(live: &Live, job_id: &str) -> m::Job {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let job = live.track(
            "retrieve_job",
            live.client.jobs().retrieve_job(job_id).send().await,
        );
        match job.status {
            m::JobStatus::Created
            | m::JobStatus::Pending
            | m::JobStatus::Running
            | m::JobStatus::NotStarted => {}
            _ => return job,
        }
        assert!(
            Instant::now() < deadline,
            "job {job_id} still {:?} after 60 s",
            job.status
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test]
async fn sources_with_file_upload_jobs_and_passages() {
    let live = live!();
    let sources = live.client.sources();
    let name = live.name("source");

    let body = m::SourceCreate::new(name.clone())
        .with_description("a source of the live suite")
        .with_embedding_config(live.embedding_config())
        .with_metadata(object(json!({"suite": "live"})));
    let source = live.track("create_source", sources.create_source(body).send().await);
    let source_id = source.id.clone().expect("a source has an id");
    assert_eq!(source.embedding_config.embedding_model, "fake-embed");

    let got = live.track(
        "retrieve_source",
        sources.retrieve_source(&source_id).send().await,
    );
    assert_eq!(got.name, name);
    let by_name = live.track(
        "get_source_id_by_name",
        sources.get_source_id_by_name(&name).send().await,
    );
    assert_eq!(by_name, source_id);
    let listed = live.track("list_sources", sources.list_sources().send().await);
    assert!(
        listed
            .iter()
            .any(|s| s.id.as_deref() == Some(source_id.as_str()))
    );
    let count = live.track("count_sources", sources.count_sources().send().await);
    assert!(count >= 1);
    let update = m::SourceUpdate::default().with_description("modified source");
    let modified = live.track(
        "modify_source",
        sources.modify_source(&source_id, update).send().await,
    );
    assert_eq!(modified.description.as_deref(), Some("modified source"));

    // two uploads (multipart), each a job polled to completion
    let mut job_ids = Vec::new();
    for i in 0..2 {
        let file = FilePart::new(format!("{UPLOAD_TEXT}Upload number {i}.\n").into_bytes())
            .file_name(format!("live-{i}.txt"))
            .mime("text/plain");
        let job = live.track(
            "upload_file_to_source",
            sources
                .upload_file_to_source(&source_id, m::BodyUploadFileToSource::new(file))
                .send()
                .await,
        );
        let job_id = job.id.clone().expect("an upload job has an id");
        let done = wait_for_job(&live, &job_id).await;
        assert_eq!(done.status, m::JobStatus::Completed, "{done:?}");
        job_ids.push(job_id);
        live.distinct_second().await;
    }
    let jobs = live.track(
        "list_jobs",
        live.client
            .jobs()
            .list_jobs()
            .source_id(source_id.clone())
            .send()
            .await,
    );
    assert!(
        job_ids
            .iter()
            .all(|id| jobs.iter().any(|j| j.id.as_ref() == Some(id))),
        "{jobs:?}"
    );
    let active = live.track(
        "list_active_jobs",
        live.client.jobs().list_active_jobs().send().await,
    );
    assert!(
        active
            .iter()
            .all(|j| !job_ids.contains(j.id.as_ref().expect("jobs have ids"))),
        "uploads are done"
    );

    // files: pages of one
    let files = live
        .track_stream(
            "list_source_files",
            sources.list_source_files(&source_id).limit(1).into_stream(),
        )
        .await;
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().all(|f| f.source_id == source_id));
    let mut names: Vec<_> = files.iter().filter_map(|f| f.file_name.clone()).collect();
    names.sort();
    // the server makes stored names unique: `live-0_<hex>.txt`
    assert!(
        names[0].starts_with("live-0") && names[1].starts_with("live-1"),
        "{names:?}"
    );

    let passages = live.track(
        "list_source_passages",
        sources.list_source_passages(&source_id).send().await,
    );
    assert!(!passages.is_empty(), "the uploads produced passages");
    assert!(
        passages.iter().any(|p| p.text.contains("quick brown fox")),
        "{passages:?}"
    );
    assert!(
        passages
            .iter()
            .all(|p| p.source_id.as_deref() == Some(source_id.as_str()))
    );

    // attach to an agent: the agent sees the source and its passages
    let agent = live.new_agent("source-agent").await;
    let agents = live.client.agents();
    let attached = live.track(
        "attach_source_to_agent",
        agents
            .attach_source_to_agent(&agent.id, &source_id)
            .send()
            .await,
    );
    assert!(
        attached
            .sources
            .iter()
            .any(|s| s.id.as_deref() == Some(source_id.as_str()))
    );
    let agent_sources = live.track(
        "list_agent_sources",
        agents.list_agent_sources(&agent.id).send().await,
    );
    assert_eq!(
        agent_sources
            .iter()
            .filter_map(|s| s.id.clone())
            .collect::<Vec<_>>(),
        std::slice::from_ref(&source_id)
    );
    let detached = live.track(
        "detach_source_from_agent",
        agents
            .detach_source_from_agent(&agent.id, &source_id)
            .send()
            .await,
    );
    assert!(detached.sources.is_empty());
    live.delete_agent(&agent.id).await;

    // delete one file, the jobs and the source
    let file_id = files[0].id.clone().expect("files have ids");
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
    assert_eq!(files.len(), 1);
    for id in &job_ids {
        let deleted = live.track("delete_job", live.client.jobs().delete_job(id).send().await);
        assert_eq!(deleted.id.as_ref(), Some(id));
    }
    live.track(
        "delete_source",
        sources.delete_source(&source_id).send().await,
    );
    let err = live.expect_err(
        "retrieve_source",
        sources.retrieve_source(&source_id).send().await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
}
