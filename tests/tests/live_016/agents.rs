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
    // One page holding everything comes oldest first (the server turns each page of the newest
    // messages back to oldest first); the walk over pages of two is exactly that, newest first, each
    // message once (see `paging.cursors_by_operation` in spec/letta-0.16.8/profile.yaml).
    let one_page = live.track(
        "list_messages",
        c.agents().list_messages(&agent.id).limit(1000).send().await,
    );
    let key = |m: &m::LettaMessageUnion| serde_json::to_value(m).expect("serializes");
    let walked: Vec<_> = history.iter().map(key).collect();
    let expected: Vec<_> = one_page.iter().rev().map(key).collect();
    assert_eq!(walked, expected);
    let mut stream = c.agents().list_messages(&agent.id).limit(1).into_stream();
    assert!(stream.next().await.is_some());
    live.delete_agent(&agent.id).await;
}
