//! Groups: create -> get -> list (pages) -> modify -> message (sync and streamed) -> delete.

use futures_util::StreamExt as _;
use letta_api_0_7::apis::StreamEvent;
use letta_api_0_7::models as m;

use crate::support::{kind, live, user_text};

#[tokio::test]
async fn groups_round_trip_with_messages() {
    let live = live!();
    let groups = live.client.groups();
    let a = live.new_agent("group-a").await;
    let b = live.new_agent("group-b").await;

    let mut ids = Vec::new();
    for i in 0..3 {
        let body = m::GroupCreate::new(vec![a.id.clone(), b.id.clone()], format!("live group {i}"))
            .with_manager_config(m::RoundRobinManager::new().with_max_turns(2));
        let group = live.track("create_group", groups.create_group(body).send().await);
        assert_eq!(group.manager_type, m::ManagerType::RoundRobin);
        assert_eq!(group.agent_ids.len(), 2);
        ids.push(group.id);
        live.distinct_second().await;
    }

    let got = live.track(
        "retrieve_group",
        groups.retrieve_group(&ids[0]).send().await,
    );
    assert_eq!(got.description, "live group 0");
    assert_eq!(got.max_turns, Some(2));

    let page = live.track(
        "list_groups",
        groups
            .list_groups()
            .after(ids[0].clone())
            .limit(2)
            .send()
            .await,
    );
    assert_eq!(
        page.iter().map(|g| g.id.clone()).collect::<Vec<_>>(),
        ids[1..].to_vec()
    );
    let all = live
        .track_stream(
            "list_groups",
            groups
                .list_groups()
                .manager_type(m::ManagerType::RoundRobin)
                .limit(2)
                .into_stream(),
        )
        .await;
    assert!(
        ids.iter().all(|id| all.iter().any(|g| &g.id == id)),
        "every group is listed"
    );
    let count = live.track("count_groups", groups.count_groups().send().await);
    assert!(count >= 3, "count_groups = {count}");
    let of_agent = live.track(
        "list_agent_groups",
        live.client.agents().list_agent_groups(&a.id).send().await,
    );
    assert!(
        ids.iter().all(|id| of_agent.iter().any(|g| &g.id == id)),
        "the agent is in every group"
    );

    let update = m::GroupUpdate::default().with_description("renamed group");
    let modified = live.track(
        "modify_group",
        groups.modify_group(&ids[0], update).send().await,
    );
    assert_eq!(modified.description, "renamed group");

    // a round-robin turn through the fake LLM
    let request = m::LettaRequest::new(vec![user_text("hello group")]);
    let response = live.track(
        "send_group_message",
        groups.send_group_message(&ids[0], request).send().await,
    );
    assert!(
        response
            .messages
            .iter()
            .any(|msg| matches!(msg, m::LettaMessageUnion::AssistantMessage(_))),
        "kinds: {:?}",
        response.messages.iter().map(kind).collect::<Vec<_>>()
    );
    let listed = live.track(
        "list_group_messages",
        groups.list_group_messages(&ids[0]).limit(50).send().await,
    );
    assert!(!listed.is_empty());
    assert!(
        listed
            .iter()
            .all(|msg| !matches!(msg, m::LettaMessageUnion::Unknown(_))),
        "{listed:?}"
    );

    // edit a user message of the group
    let user_id = listed
        .iter()
        .find_map(|msg| match msg {
            m::LettaMessageUnion::UserMessage(u) => Some(u.id.clone()),
            _ => None,
        })
        .expect("the group history holds the user message");
    let body = m::ModifyMessageBody::UpdateUserMessage(m::UpdateUserMessage::new(
        m::UpdateUserMessageContent::String("hello group (edited)".into()),
    ));
    let edited = live.track(
        "modify_group_message",
        groups
            .modify_group_message(&ids[0], &user_id, body)
            .send()
            .await,
    );
    assert!(
        matches!(edited, m::ModifyMessageResponse::UserMessage(ref u) if u.id == user_id),
        "{edited:?}"
    );

    let request = m::LettaStreamingRequest::new(vec![user_text("hello streamed group")]);
    let mut events = live.track(
        "send_group_message_streaming",
        groups
            .send_group_message_streaming(&ids[0], request)
            .send()
            .await,
    );
    let mut seen = Vec::new();
    while let Some(event) = events.next().await {
        match event {
            Ok(StreamEvent::Message(msg)) => seen.push(kind(&msg)),
            Ok(StreamEvent::Usage(_)) => seen.push("usage_statistics"),
            Ok(StreamEvent::Unknown(raw)) => panic!("unknown group stream event: {raw}"),
            Ok(other) => panic!("unexpected group stream event: {other:?}"),
            Err(e) => panic!("group stream failed after {seen:?}: {e}"),
        }
    }
    assert!(seen.contains(&"assistant_message"), "events: {seen:?}");

    live.track(
        "reset_group_messages",
        groups.reset_group_messages(&ids[0]).send().await,
    );

    for id in &ids {
        live.track("delete_group", groups.delete_group(id).send().await);
    }
    let err = live.expect_err(
        "retrieve_group",
        groups.retrieve_group(&ids[0]).send().await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    live.delete_agent(&a.id).await;
    live.delete_agent(&b.id).await;
}
