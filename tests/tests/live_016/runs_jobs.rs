//! Jobs: in 0.16.8 only message batches create jobs (of type `batch`), and no batch can run
//! offline (see `runs_messages.rs`), so the job listings are exercised and the per-job routes
//! answer 404 for an unknown job.
#![allow(deprecated)]

use letta_api::models as m;

use crate::runs_common::is_status;
use crate::support::live;

#[tokio::test]
async fn jobs_are_listed_and_unknown_jobs_are_not_found() {
    let live = live!();
    let jobs = live.client.jobs();

    let all = live.track("list_jobs", jobs.list_jobs().send().await);
    assert!(
        all.iter().all(|j| j.job_type != m::JobType::Batch),
        "list_jobs lists plain jobs only: {all:?}"
    );
    let newest = live.track(
        "list_jobs",
        jobs.list_jobs()
            .order(m::ListJobsOrder::Desc)
            .limit(5)
            .send()
            .await,
    );
    assert!(newest.len() <= 5);
    let paged = live
        .track_stream(
            "list_jobs",
            jobs.list_jobs()
                .order(m::ListJobsOrder::Asc)
                .limit(2)
                .into_stream(),
        )
        .await;
    assert_eq!(paged.len(), all.len(), "{paged:?}");
    let active = live.track("list_jobs", jobs.list_jobs().active(true).send().await);
    assert!(
        active
            .iter()
            .all(|j| matches!(j.status, m::JobStatus::Created | m::JobStatus::Running)),
        "{active:?}"
    );
    let active_deprecated = live.track("list_active_jobs", jobs.list_active_jobs().send().await);
    assert!(
        active_deprecated
            .iter()
            .all(|j| matches!(j.status, m::JobStatus::Created | m::JobStatus::Running)),
        "{active_deprecated:?}"
    );
    let paged = live
        .track_stream(
            "list_active_jobs",
            jobs.list_active_jobs().limit(2).into_stream(),
        )
        .await;
    assert_eq!(paged.len(), active_deprecated.len());

    let unknown = "job-00000000-0000-4000-8000-000000000000";
    let err = live.expect_err("retrieve_job", jobs.retrieve_job(unknown).send().await);
    assert!(is_status(&err, 404), "{err:?}");
    let err = live.expect_err("cancel_job", jobs.cancel_job(unknown).send().await);
    assert!(is_status(&err, 404), "{err:?}");
    let err = live.expect_err("delete_job", jobs.delete_job(unknown).send().await);
    assert!(is_status(&err, 404), "{err:?}");
}
