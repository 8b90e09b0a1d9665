//! Runs and steps: an agent's message creates a run with one step; the run is listed, inspected
//! (messages, usage, metrics, steps) and its step gets feedback; deleting a run is a server bug.
// `list_active_runs` and the telemetry route are deprecated; they are still served and tested.
#![allow(deprecated)]

use letta_api::Error;
use letta_api::models as m;

use crate::runs_common::{assistant_turn, error_text, is_status, message_id, user_text};
use crate::support::{live, say};

#[tokio::test]
async fn a_message_run_is_listed_and_inspected() {
    let live = live!();
    let c = &live.client;
    let agent = live.new_agent("runs").await;

    let first = live.track(
        "send_message",
        c.agents()
            .send_message(&agent.id, say("First run, please."))
            .send()
            .await,
    );
    let first = assistant_turn(&first);
    let second = live.track(
        "send_message",
        c.agents()
            .send_message(&agent.id, say("Second run, please."))
            .send()
            .await,
    );
    let second = assistant_turn(&second);
    assert_ne!(first.run_id, second.run_id, "every message starts a run");

    // retrieve_run: the run of the reply, finished.
    let run = live.track(
        "retrieve_run",
        c.runs().retrieve_run(&second.run_id).send().await,
    );
    assert_eq!(run.id.as_deref(), Some(second.run_id.as_str()));
    assert_eq!(run.agent_id, agent.id);
    assert_eq!(run.status, m::RunStatus::Completed);
    assert_eq!(run.stop_reason, Some(m::StopReasonType::EndTurn));
    assert_eq!(run.background, Some(false));
    assert!(run.completed_at.is_some(), "{run:?}");

    // list_runs: newest first by default; the agent filter returns only this agent's runs.
    let runs = live.track(
        "list_runs",
        c.runs().list_runs().agent_id(&agent.id).send().await,
    );
    let ids: Vec<_> = runs.iter().filter_map(|r| r.id.clone()).collect();
    assert_eq!(ids, vec![second.run_id.clone(), first.run_id.clone()]);
    assert!(runs.iter().all(|r| r.agent_id == agent.id));
    let oldest_first = live.track(
        "list_runs",
        c.runs()
            .list_runs()
            .agent_id(&agent.id)
            .order(m::ListRunsOrder::Asc)
            .limit(1)
            .send()
            .await,
    );
    assert_eq!(oldest_first.len(), 1);
    assert_eq!(oldest_first[0].id.as_deref(), Some(first.run_id.as_str()));
    // Server bug: services/helpers/run_manager_helper.py `_apply_pagination_async` swaps the
    // cursors (`after` filters with `forward=not ascending`, `before` with `forward=ascending`):
    // `after=<id>` answers the runs that come *before* the cursor in the requested order, and
    // `before=<id>` the ones after it, in both orders — the opposite of the documented meaning.
    let page = |order: m::ListRunsOrder, after: Option<&str>, before: Option<&str>| {
        let mut b = c.runs().list_runs().agent_id(&agent.id).order(order);
        if let Some(id) = after {
            b = b.after(id);
        }
        if let Some(id) = before {
            b = b.before(id);
        }
        b.send()
    };
    let ids_of = |runs: Vec<m::Run>| runs.into_iter().filter_map(|r| r.id).collect::<Vec<_>>();
    let (old, new) = (first.run_id.as_str(), second.run_id.as_str());
    let got = live.track(
        "list_runs",
        page(m::ListRunsOrder::Desc, Some(new), None).await,
    );
    assert!(got.is_empty(), "desc, after the newest: {got:?}");
    let got = live.track(
        "list_runs",
        page(m::ListRunsOrder::Desc, None, Some(new)).await,
    );
    assert_eq!(ids_of(got), vec![old], "desc, before the newest");
    let got = live.track(
        "list_runs",
        page(m::ListRunsOrder::Asc, Some(old), None).await,
    );
    assert!(got.is_empty(), "asc, after the oldest: {got:?}");
    let got = live.track(
        "list_runs",
        page(m::ListRunsOrder::Asc, None, Some(old)).await,
    );
    assert_eq!(ids_of(got), vec![new], "asc, before the oldest");
    // The profile records the swap (paging.cursors_by_operation: list_runs: swapped), so the SDK pages
    // with `before=<last id>` and walks every page, in either order.
    for order in [m::ListRunsOrder::Desc, m::ListRunsOrder::Asc] {
        let expected: Vec<String> = match order {
            m::ListRunsOrder::Asc => ids.iter().rev().cloned().collect(),
            _ => ids.clone(),
        };
        let paged = live
            .track_stream(
                "list_runs",
                c.runs()
                    .list_runs()
                    .agent_id(&agent.id)
                    .order(order)
                    .limit(1)
                    .into_stream(),
            )
            .await;
        assert_eq!(ids_of(paged), expected, "every page, in order");
    }
    let completed = live.track(
        "list_runs",
        c.runs()
            .list_runs()
            .agent_id(&agent.id)
            .statuses(vec!["completed".into()])
            .stop_reason(m::StopReasonType::EndTurn)
            .background(false)
            .send()
            .await,
    );
    assert_eq!(completed.len(), 2, "{completed:?}");
    let active = live.track(
        "list_runs",
        c.runs()
            .list_runs()
            .agent_id(&agent.id)
            .active(true)
            .send()
            .await,
    );
    assert!(
        active.is_empty(),
        "no run of this agent is active: {active:?}"
    );

    // list_active_runs (deprecated): finished runs are not active.
    let active = live.track(
        "list_active_runs",
        c.runs().list_active_runs().agent_id(&agent.id).send().await,
    );
    assert!(active.is_empty(), "{active:?}");

    // list_internal_runs: the richer internal filter, by run id and by step count.
    let internal = live.track(
        "list_internal_runs",
        c.internal_runs()
            .list_internal_runs()
            .run_id(&first.run_id)
            .send()
            .await,
    );
    assert_eq!(internal.len(), 1, "{internal:?}");
    assert_eq!(internal[0].id.as_deref(), Some(first.run_id.as_str()));
    let one_step = live.track(
        "list_internal_runs",
        c.internal_runs()
            .list_internal_runs()
            .agent_id(&agent.id)
            .step_count(1)
            .step_count_operator(m::ComparisonOperator::Eq)
            .order(m::ListInternalRunsOrder::Asc)
            .send()
            .await,
    );
    let one_step: Vec<_> = one_step.into_iter().filter_map(|r| r.id).collect();
    assert_eq!(one_step, vec![first.run_id.clone(), second.run_id.clone()]);
    let many_steps = live.track(
        "list_internal_runs",
        c.internal_runs()
            .list_internal_runs()
            .agent_id(&agent.id)
            .step_count(2)
            .step_count_operator(m::ComparisonOperator::Gte)
            .send()
            .await,
    );
    assert!(many_steps.is_empty(), "{many_steps:?}");
    let all_internal = live
        .track_stream(
            "list_internal_runs",
            c.internal_runs()
                .list_internal_runs()
                .agent_id(&agent.id)
                .limit(1)
                .into_stream(),
        )
        .await;
    // The same run pagination (and cursor swap) as list_runs: every page, newest first.
    assert_eq!(ids_of(all_internal), ids, "every page");

    // list_messages_for_run: the user's input and the assistant's answer, oldest first.
    let messages = live.track(
        "list_messages_for_run",
        c.runs().list_messages_for_run(&first.run_id).send().await,
    );
    assert!(
        messages
            .iter()
            .any(|msg| user_text(msg) == Some("First run, please.")),
        "{messages:?}"
    );
    assert!(
        messages
            .iter()
            .any(|msg| message_id(msg) == Some(first.message_id.as_str())),
        "{messages:?}"
    );
    assert!(
        !messages
            .iter()
            .any(|msg| user_text(msg) == Some("Second run, please.")),
        "only this run's messages: {messages:?}"
    );
    let paged = live
        .track_stream(
            "list_messages_for_run",
            c.runs()
                .list_messages_for_run(&first.run_id)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(paged.len(), messages.len(), "{paged:?}");

    // retrieve_usage_for_run / retrieve_metrics_for_run.
    let usage = live.track(
        "retrieve_usage_for_run",
        c.runs().retrieve_usage_for_run(&first.run_id).send().await,
    );
    assert!(usage.prompt_tokens > 0, "{usage:?}");
    assert_eq!(
        usage.total_tokens,
        usage.prompt_tokens + usage.completion_tokens
    );
    let metrics = live.track(
        "retrieve_metrics_for_run",
        c.runs()
            .retrieve_metrics_for_run(&first.run_id)
            .send()
            .await,
    );
    assert_eq!(metrics.id, first.run_id);
    assert_eq!(metrics.agent_id.as_deref(), Some(agent.id.as_str()));
    assert_eq!(metrics.num_steps, Some(1));

    // list_steps_for_run: the run's single step.
    let steps = live.track(
        "list_steps_for_run",
        c.runs().list_steps_for_run(&first.run_id).send().await,
    );
    assert_eq!(
        steps.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        vec![first.step_id.as_str()]
    );
    let paged = live
        .track_stream(
            "list_steps_for_run",
            c.runs()
                .list_steps_for_run(&first.run_id)
                .order(m::ListStepsForRunOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(paged.len(), 1);

    // retrieve_trace_for_run: OTEL traces need ClickHouse (routers/v1/runs.py retrieve_trace_for_run
    // answers 501 without LETTA_CLICKHOUSE_ENDPOINT) — an external service, not offline here.
    let err = live.expect_err(
        "retrieve_trace_for_run",
        c.runs().retrieve_trace_for_run(&first.run_id).send().await,
    );
    assert!(is_status(&err, 501), "{err:?}");
    assert!(error_text(&err).contains("ClickHouse"), "{err}");

    // retrieve_stream_for_run: only background runs can be resumed (400 for this one).
    let err = live.expect_err(
        "retrieve_stream_for_run",
        c.runs().retrieve_stream_for_run(&first.run_id).send().await,
    );
    assert!(is_status(&err, 400), "{err:?}");
    assert!(error_text(&err).contains("background"), "{err}");

    // Server bug: routers/v1/runs.py `delete_run` calls `RunManager.delete_run_by_id`, which does
    // not exist (services/run_manager.py has `delete_run`): the AttributeError answers 500 and the
    // run stays.
    let err = live.expect_err(
        "delete_run",
        c.runs().delete_run(&first.run_id).send().await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 500),
        "{err:?}"
    );
    let still = live.track(
        "retrieve_run",
        c.runs().retrieve_run(&first.run_id).send().await,
    );
    assert_eq!(still.id.as_deref(), Some(first.run_id.as_str()));

    live.delete_agent(&agent.id).await;
}

#[tokio::test]
async fn a_step_is_inspected_and_given_feedback() {
    let live = live!();
    let c = &live.client;
    let agent = live.new_agent("steps").await;
    let reply = live.track(
        "send_message",
        c.agents()
            .send_message(&agent.id, say("Rate this step."))
            .send()
            .await,
    );
    let turn = assistant_turn(&reply);

    let step = live.track(
        "retrieve_step",
        c.steps().retrieve_step(&turn.step_id).send().await,
    );
    assert_eq!(step.id, turn.step_id);
    assert_eq!(step.run_id.as_deref(), Some(turn.run_id.as_str()));
    assert_eq!(step.agent_id.as_deref(), Some(agent.id.as_str()));
    assert_eq!(step.model.as_deref(), Some("fake-model"));
    assert!(step.total_tokens.unwrap_or(0) > 0, "{step:?}");
    assert_eq!(step.feedback, None);

    let metrics = live.track(
        "retrieve_metrics_for_step",
        c.steps()
            .retrieve_metrics_for_step(&turn.step_id)
            .send()
            .await,
    );
    assert_eq!(metrics.id, turn.step_id);
    assert_eq!(metrics.run_id.as_deref(), Some(turn.run_id.as_str()));
    // (The timings are written after the reply, so they may still be empty here.)
    assert_eq!(metrics.agent_id.as_deref(), Some(agent.id.as_str()));

    // Provider traces are stored only with `track_provider_trace`; either way the answer decodes.
    let trace = live.track(
        "retrieve_trace_for_step",
        c.steps()
            .retrieve_trace_for_step(&turn.step_id)
            .send()
            .await,
    );
    if let Some(trace) = &trace {
        assert_eq!(trace.step_id.as_deref(), Some(turn.step_id.as_str()));
    }
    let deprecated = live.track(
        "retrieve_provider_trace",
        c.telemetry()
            .retrieve_provider_trace(&turn.step_id)
            .send()
            .await,
    );
    assert_eq!(
        deprecated, trace,
        "the deprecated telemetry route answers the same"
    );

    let messages = live.track(
        "list_messages_for_step",
        c.steps().list_messages_for_step(&turn.step_id).send().await,
    );
    assert!(
        messages.iter().any(|msg| matches!(
            msg,
            m::ModifyMessageResponse::UserMessage(u)
                if matches!(&u.content, m::UserMessageContent::String(s) if s == "Rate this step.")
        )),
        "{messages:?}"
    );
    let paged = live
        .track_stream(
            "list_messages_for_step",
            c.steps()
                .list_messages_for_step(&turn.step_id)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(paged.len(), messages.len());

    let body = m::ModifyFeedbackRequest::default()
        .with_feedback(m::FeedbackType::Positive)
        .with_tags(vec!["helpful".into(), live.run_id().to_string()]);
    let rated = live.track(
        "modify_feedback_for_step",
        c.steps()
            .modify_feedback_for_step(&turn.step_id, body)
            .send()
            .await,
    );
    assert_eq!(rated.feedback, Some(m::StepFeedback::Positive));
    assert!(
        rated.tags.iter().any(|t| t == "helpful"),
        "{:?}",
        rated.tags
    );
    let body = m::ModifyFeedbackRequest::default().with_feedback(m::FeedbackType::Negative);
    let rated = live.track(
        "modify_feedback_for_step",
        c.steps()
            .modify_feedback_for_step(&turn.step_id, body)
            .send()
            .await,
    );
    assert_eq!(rated.feedback, Some(m::StepFeedback::Negative));
    assert!(rated.tags.iter().any(|t| t == "helpful"), "tags are kept");
    let got = live.track(
        "retrieve_step",
        c.steps().retrieve_step(&turn.step_id).send().await,
    );
    assert_eq!(got.feedback, Some(m::StepFeedback::Negative));

    // Server bug: routers/v1/steps.py `update_step_transaction_id` calls
    // `server.user_manager.get_user_or_default(...)`, which UserManager (services/user_manager.py)
    // does not have (only `get_actor_or_default_async`): the AttributeError answers 500.
    let err = live.expect_err(
        "update_step_transaction_id",
        c.steps()
            .update_step_transaction_id(&turn.step_id, "txn-live-suite")
            .send()
            .await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 500),
        "{err:?}"
    );

    // Server bug: routers/v1/steps.py `list_steps` passes `order=(order == "asc")` (a bool) to
    // `StepManager.list_steps_async` (services/step_manager.py), whose `order: Optional[str]` is
    // checked by `@enforce_types`: every call answers 400 "Argument order does not match type".
    let err = live.expect_err(
        "list_steps",
        c.steps().list_steps().agent_id(&agent.id).send().await,
    );
    assert!(is_status(&err, 400), "{err:?}");
    assert!(error_text(&err).contains("order"), "{err}");

    live.delete_agent(&agent.id).await;
}

#[tokio::test]
async fn a_background_run_cannot_be_resumed_without_redis() {
    let live = live!();
    let c = &live.client;
    let agent = live.new_agent("bg-run").await;
    let body = say("In the background, please.").with_background(true);
    // Background streaming needs Redis (services/streaming_service.py): the server answers 503, but
    // it has recorded the run as a failed background run first.
    let err = live.expect_err(
        "send_message",
        c.agents().send_message(&agent.id, body).stream().await,
    );
    assert!(is_status(&err, 503), "{err:?}");
    let runs = live.track(
        "list_runs",
        c.runs()
            .list_runs()
            .agent_id(&agent.id)
            .background(true)
            .send()
            .await,
    );
    assert_eq!(runs.len(), 1, "{runs:?}");
    let run = &runs[0];
    assert_eq!(run.background, Some(true));
    assert_eq!(run.status, m::RunStatus::Failed);
    let run_id = run.id.clone().expect("run id");
    let none = live.track(
        "list_runs",
        c.runs()
            .list_runs()
            .agent_id(&agent.id)
            .background(false)
            .send()
            .await,
    );
    assert!(none.is_empty(), "{none:?}");

    // retrieve_stream_for_run replays a background run from Redis (routers/v1/runs.py
    // retrieve_stream_for_run answers 503 with the no-op Redis client): not available offline.
    let err = live.expect_err(
        "retrieve_stream_for_run",
        c.runs()
            .retrieve_stream_for_run(&run_id)
            .body(m::RetrieveStreamRequest::default())
            .send()
            .await,
    );
    assert!(is_status(&err, 503), "{err:?}");
    assert!(error_text(&err).contains("Redis"), "{err}");

    // delete_run answers 500 (see `a_message_run_is_listed_and_inspected`).
    let err = live.expect_err("delete_run", c.runs().delete_run(&run_id).send().await);
    assert!(is_status(&err, 500), "{err:?}");
    live.delete_agent(&agent.id).await;
}
