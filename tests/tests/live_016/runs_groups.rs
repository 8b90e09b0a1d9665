//! Groups (all routes deprecated in 0.16.8, still served): a round-robin group is created, found,
//! counted, modified, given (and relieved of) a shared block and deleted; a sleeptime agent's group carries messages
//! that are listed and reset (editing them is a server bug).
#![allow(deprecated)]

use letta_api::models as m;

use crate::runs_common::{assistant_text, is_status, message_id, user_text};
use crate::support::{live, say};

/// The ids of an agent's core memory blocks (recorded as `list_core_memory_blocks`).
async fn block_ids(live: &crate::support::Live, agent_id: &str) -> Vec<String> {
    let blocks = live.track(
        "list_core_memory_blocks",
        live.client
            .agents()
            .list_core_memory_blocks(agent_id)
            .send()
            .await,
    );
    blocks.into_iter().map(|b| b.id).collect()
}

#[tokio::test]
async fn a_round_robin_group_is_created_modified_and_deleted() {
    let live = live!();
    let c = &live.client;
    let groups = c.groups();
    let a = live.new_agent("group-a").await;
    let b = live.new_agent("group-b").await;
    let description = live.name("group");

    let body = m::GroupCreate::new(vec![a.id.clone(), b.id.clone()], description.clone())
        .with_manager_config(m::RoundRobinManager::default().with_max_turns(2));
    let count_before = live.track("count_groups", groups.count_groups().send().await);
    let group = live.track("create_group", groups.create_group(body).send().await);
    assert_eq!(group.manager_type, m::ManagerType::RoundRobin);
    assert_eq!(group.description, description);
    assert_eq!(group.max_turns, Some(2));
    let mut members = group.agent_ids.clone();
    members.sort();
    let mut expected = vec![a.id.clone(), b.id.clone()];
    expected.sort();
    assert_eq!(members, expected);

    let got = live.track(
        "retrieve_group",
        groups.retrieve_group(&group.id).send().await,
    );
    assert_eq!(got.id, group.id);
    assert_eq!(got.description, description);

    let listed = live.track(
        "list_groups",
        groups
            .list_groups()
            .manager_type(m::ManagerType::RoundRobin)
            .order(m::ListGroupsOrder::Desc)
            .limit(1000)
            .send()
            .await,
    );
    assert!(listed.iter().any(|g| g.id == group.id), "{listed:?}");
    assert!(
        listed
            .iter()
            .all(|g| g.manager_type == m::ManagerType::RoundRobin)
    );
    let paged = live
        .track_stream("list_groups", groups.list_groups().limit(2).into_stream())
        .await;
    assert!(paged.iter().any(|g| g.id == group.id), "{paged:?}");
    let supervisors = live.track(
        "list_groups",
        groups
            .list_groups()
            .manager_type(m::ManagerType::Supervisor)
            .send()
            .await,
    );
    assert!(!supervisors.iter().any(|g| g.id == group.id));
    let count = live.track("count_groups", groups.count_groups().send().await);
    assert!(
        count > count_before || count >= 1,
        "{count_before} -> {count}"
    );

    let renamed = format!("{description}-renamed");
    let update = m::GroupUpdate::default()
        .with_description(renamed.clone())
        .with_manager_config(m::GroupUpdateManagerConfig::RoundRobinManagerUpdate(
            m::RoundRobinManagerUpdate::default().with_max_turns(4),
        ));
    let modified = live.track(
        "modify_group",
        groups.modify_group(&group.id, update).send().await,
    );
    assert_eq!(modified.description, renamed);
    assert_eq!(modified.max_turns, Some(4));
    let got = live.track(
        "retrieve_group",
        groups.retrieve_group(&group.id).send().await,
    );
    assert_eq!(got.description, renamed);

    // A shared block reaches every agent of the group, and leaves them all again.
    let block = live.track(
        "create_block",
        c.blocks()
            .create_block(m::CreateBlock::new(
                "Shared by the whole group.",
                live.name("shared"),
            ))
            .send()
            .await,
    );
    live.track(
        "attach_block_to_group",
        groups
            .attach_block_to_group(&group.id, &block.id)
            .send()
            .await,
    );
    // Attaching again is a no-op; an unknown block is refused.
    live.track(
        "attach_block_to_group",
        groups
            .attach_block_to_group(&group.id, &block.id)
            .send()
            .await,
    );
    let err = live.expect_err(
        "attach_block_to_group",
        groups
            .attach_block_to_group(&group.id, "block-00000000-0000-4000-8000-000000000000")
            .send()
            .await,
    );
    assert!(is_status(&err, 404), "{err:?}");
    // The route's documentation says the block is added "to the group and all agents within the
    // group", but services/group_manager.py `attach_block_async` only adds a `groups_blocks` row:
    // the agents' core memory is unchanged, and `Group.shared_block_ids` (deprecated) is not
    // derived from that relationship, so it stays empty (an undocumented server behaviour).
    for agent in [&a, &b] {
        let ids = block_ids(live, &agent.id).await;
        assert!(!ids.contains(&block.id), "{ids:?}");
    }
    live.track(
        "detach_block_from_group",
        groups
            .detach_block_from_group(&group.id, &block.id)
            .send()
            .await,
    );
    let got = live.track(
        "retrieve_group",
        groups.retrieve_group(&group.id).send().await,
    );
    assert!(got.shared_block_ids.is_empty(), "{got:?}");

    live.track("delete_group", groups.delete_group(&group.id).send().await);
    let err = live.expect_err(
        "retrieve_group",
        groups.retrieve_group(&group.id).send().await,
    );
    assert!(is_status(&err, 404), "{err:?}");
    let listed = live.track("list_groups", groups.list_groups().limit(1000).send().await);
    assert!(!listed.iter().any(|g| g.id == group.id));

    live.track(
        "delete_block",
        c.blocks().delete_block(&block.id).send().await,
    );
    live.delete_agent(&a.id).await;
    live.delete_agent(&b.id).await;
}

#[tokio::test]
async fn a_sleeptime_group_lists_edits_and_resets_its_messages() {
    let live = live!();
    let c = &live.client;
    let groups = c.groups();
    let body = live
        .agent_request(&live.name("sleeptime"))
        .with_enable_sleeptime(true);
    let agent = live.create_agent(body).await;
    let group = agent
        .multi_agent_group
        .clone()
        .expect("a sleeptime agent has its group");
    assert_eq!(group.manager_type, m::ManagerType::Sleeptime);
    assert_eq!(group.manager_agent_id.as_deref(), Some(agent.id.as_str()));

    let reply = live.track(
        "send_message",
        c.agents()
            .send_message(&agent.id, say("Hello sleeptime group."))
            .send()
            .await,
    );
    assert!(!reply.messages.is_empty());

    let messages = live.track(
        "list_group_messages",
        groups.list_group_messages(&group.id).send().await,
    );
    let user = messages
        .iter()
        .find(|msg| user_text(msg) == Some("Hello sleeptime group."))
        .unwrap_or_else(|| panic!("the user's message is a group message: {messages:?}"));
    let user_id = message_id(user).expect("id").to_string();
    let paged = live
        .track_stream(
            "list_group_messages",
            groups.list_group_messages(&group.id).limit(1).into_stream(),
        )
        .await;
    assert!(
        paged
            .iter()
            .any(|msg| message_id(msg) == Some(user_id.as_str())),
        "{paged:?}"
    );
    let typed = live.track(
        "list_group_messages",
        groups
            .list_group_messages(&group.id)
            .include_return_message_types(vec![m::MessageType::UserMessage])
            .send()
            .await,
    );
    assert!(
        typed
            .iter()
            .all(|msg| matches!(msg, m::LettaMessageUnion::UserMessage(_))),
        "{typed:?}"
    );
    assert!(assistant_text(user).is_none());

    let edit = m::ModifyMessageBody::UpdateUserMessage(m::UpdateUserMessage::new(
        "Edited through the group.".to_string(),
    ));
    // Server bug: routers/v1/groups.py `modify_group_message` awaits
    // `server.message_manager.update_message_by_letta_message(...)`, which MessageManager
    // (services/message_manager.py) does not have (only `update_message_by_letta_message_async`):
    // the AttributeError answers 500 and the message is unchanged.
    let err = live.expect_err(
        "modify_group_message",
        groups
            .modify_group_message(&group.id, &user_id, edit)
            .send()
            .await,
    );
    assert!(is_status(&err, 500), "{err:?}");
    let messages = live.track(
        "list_group_messages",
        groups.list_group_messages(&group.id).send().await,
    );
    assert!(
        messages
            .iter()
            .any(|msg| user_text(msg) == Some("Hello sleeptime group.")),
        "{messages:?}"
    );

    live.track(
        "reset_group_messages",
        groups.reset_group_messages(&group.id).send().await,
    );
    let messages = live.track(
        "list_group_messages",
        groups.list_group_messages(&group.id).send().await,
    );
    assert!(
        !messages
            .iter()
            .any(|msg| user_text(msg) == Some("Hello sleeptime group.")),
        "reset removes the group's messages: {messages:?}"
    );

    live.delete_agent(&agent.id).await;
    for sleeper in &group.agent_ids {
        // The sleeptime agent goes with its main agent on this server; tolerate either outcome.
        let _ = c.agents().delete_agent(sleeper).send().await;
    }
}
