//! Agents end to end: create, retrieve, list (newest first, across pages), message, delete.

use futures_util::StreamExt as _;
use letta_api::apis::StreamEvent;
use letta_api::models as m;

use crate::support::{live, say};

#[tokio::test]
async fn an_agent_answers_as_json_and_as_a_stream() {
    let live = live!();
    let c = &live.client;
    let agent = live.new_agent("talk").await;
    let got = live.track(
        "retrieve_agent",
        c.agents().retrieve_agent(&agent.id).send().await,
    );
    assert_eq!(got.id, agent.id);

    let stream = c
        .agents()
        .send_message(&agent.id, say("Hello, streaming."))
        .stream()
        .await;
    let events = live
        .track_stream("send_message", live.track("send_message", stream))
        .await;
    assert!(
        events.iter().any(|e| matches!(e, StreamEvent::Message(_))),
        "{events:?}"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, StreamEvent::StopReason(_))),
        "{events:?}"
    );
    assert!(
        !events.iter().any(|e| matches!(e, StreamEvent::Unknown(_))),
        "every event kind is typed: {events:?}"
    );

    let reply = live.track(
        "send_message",
        c.agents()
            .send_message(&agent.id, say("Hello!"))
            .send()
            .await,
    );
    assert!(
        reply
            .messages
            .iter()
            .any(|msg| matches!(msg, m::LettaMessageUnion::AssistantMessage(_))),
        "{:?}",
        reply.messages
    );

    let history = live
        .track_stream(
            "list_messages",
            c.agents().list_messages(&agent.id).limit(2).into_stream(),
        )
        .await;
    assert!(history.len() >= 4, "{} messages", history.len());
    let mut stream = c.agents().list_messages(&agent.id).limit(1).into_stream();
    assert!(stream.next().await.is_some());
    live.delete_agent(&agent.id).await;
}
