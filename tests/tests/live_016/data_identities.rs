//! Identities end to end: create (with properties) → retrieve → list (filters, pages) → count → update
//! → upsert (existing and new) → properties replaced; linked to an agent and to a block (attached and
//! detached through the block routes); deleted.
#![allow(deprecated)]

use letta_api::models as m;
use serde_json::json;

use crate::support::{live, object};

fn property(
    key: &str,
    value: m::IdentityPropertyValue,
    kind: m::IdentityPropertyType,
) -> m::IdentityProperty {
    m::IdentityProperty::new(key.to_string(), value, kind)
}

#[tokio::test]
async fn identities_are_created_upserted_linked_and_deleted() {
    let live = live!();
    let identities = live.client.identities();
    let key = live.name("identity-key");
    let name = live.name("identity");

    let body = m::IdentityCreate::new(key.clone(), name.clone(), m::IdentityType::User)
        .with_properties(vec![
            property(
                "email",
                m::IdentityPropertyValue::String("dev@example.com".into()),
                m::IdentityPropertyType::String,
            ),
            property(
                "age",
                m::IdentityPropertyValue::Integer(42),
                m::IdentityPropertyType::Number,
            ),
            property(
                "verified",
                m::IdentityPropertyValue::Boolean(true),
                m::IdentityPropertyType::Boolean,
            ),
            property(
                "prefs",
                m::IdentityPropertyValue::ValueMap(object(json!({"theme": "dark"}))),
                m::IdentityPropertyType::Json,
            ),
        ]);
    let identity = live.track(
        "create_identity",
        identities.create_identity(body).send().await,
    );
    let identity_id = identity.id.clone().expect("an identity has an id");
    assert_eq!(identity.identifier_key, key);
    assert_eq!(identity.name, name);
    assert_eq!(identity.identity_type, m::IdentityType::User);
    let props = identity.properties.clone().unwrap_or_default();
    assert_eq!(props.len(), 4, "{props:?}");
    let email = props.iter().find(|p| p.key == "email").expect("email");
    assert_eq!(
        email.value,
        m::IdentityPropertyValue::String("dev@example.com".into())
    );
    let prefs = props.iter().find(|p| p.key == "prefs").expect("prefs");
    assert_eq!(prefs.type_, m::IdentityPropertyType::Json);
    assert!(
        matches!(&prefs.value, m::IdentityPropertyValue::ValueMap(map) if map.get("theme") == Some(&json!("dark"))),
        "{prefs:?}"
    );

    let got = live.track(
        "retrieve_identity",
        identities.retrieve_identity(&identity_id).send().await,
    );
    assert_eq!(got.id, identity.id);
    assert_eq!(got.identifier_key, key);
    let by_key = live.track(
        "list_identities",
        identities
            .list_identities()
            .identifier_key(&key)
            .send()
            .await,
    );
    assert_eq!(
        by_key.iter().map(|i| i.id.as_deref()).collect::<Vec<_>>(),
        [Some(identity_id.as_str())]
    );
    let by_name = live.track(
        "list_identities",
        identities
            .list_identities()
            .name(&name)
            .identity_type(m::IdentityType::User)
            .send()
            .await,
    );
    assert_eq!(by_name.len(), 1, "{by_name:?}");
    let none = live.track(
        "list_identities",
        identities
            .list_identities()
            .identifier_key(&key)
            .identity_type(m::IdentityType::Org)
            .send()
            .await,
    );
    assert!(none.is_empty(), "{none:?}");
    let count = live.track(
        "count_identities",
        identities.count_identities().send().await,
    );
    assert!(count >= 1, "{count}");

    // Server bug: upserting a new identifier key answers 404. `upsert_identity_async` in
    // letta/services/identity_manager.py expects `IdentityModel.read_async(identifier_key=..)` to
    // return `None` for a missing identity and create it then, but `read_async` raises `NoResultFound`
    // (mapped to 404), so the create branch is unreachable.
    let other_key = live.name("identity-key");
    let err = live.expect_err(
        "upsert_identity",
        identities
            .upsert_identity(m::IdentityUpsert::new(
                other_key.clone(),
                live.name("identity"),
                m::IdentityType::Org,
            ))
            .send()
            .await,
    );
    assert!(
        matches!(&err, letta_api::Error::Api(e) if e.status() == 404
            && e.detail().is_some_and(|d| d.contains("Identity not found"))),
        "{err}"
    );
    // A second identity, to page through both.
    let other = live.track(
        "create_identity",
        identities
            .create_identity(m::IdentityCreate::new(
                other_key.clone(),
                live.name("identity"),
                m::IdentityType::Org,
            ))
            .send()
            .await,
    );
    let other_id = other.id.clone().expect("an identity has an id");
    assert_ne!(other_id, identity_id);
    assert_eq!(other.identity_type, m::IdentityType::Org);
    // Newest first (the server's default order), two per page.
    let all = live
        .track_stream(
            "list_identities",
            identities.list_identities().limit(2).into_stream(),
        )
        .await;
    for id in [&identity_id, &other_id] {
        assert!(
            all.iter().any(|i| i.id.as_deref() == Some(id.as_str())),
            "{id} among {} identities",
            all.len()
        );
    }
    assert_eq!(
        all.iter()
            .position(|i| i.id.as_deref() == Some(other_id.as_str())),
        Some(0),
        "the newest identity comes first"
    );

    let update = m::IdentityUpdate::default()
        .with_name(format!("{name}-renamed"))
        .with_identity_type(m::IdentityType::Other);
    let updated = live.track(
        "update_identity",
        identities
            .update_identity(&identity_id, update)
            .send()
            .await,
    );
    assert_eq!(updated.name, format!("{name}-renamed"));
    assert_eq!(updated.identity_type, m::IdentityType::Other);
    assert_eq!(updated.identifier_key, key);

    // Upserting the existing key replaces the identity's fields (same id).
    let upsert = m::IdentityUpsert::new(key.clone(), name.clone(), m::IdentityType::User)
        .with_properties(vec![property(
            "email",
            m::IdentityPropertyValue::String("new@example.com".into()),
            m::IdentityPropertyType::String,
        )]);
    let upserted = live.track(
        "upsert_identity",
        identities.upsert_identity(upsert).send().await,
    );
    assert_eq!(upserted.id.as_deref(), Some(identity_id.as_str()));
    assert_eq!(upserted.name, name);
    assert_eq!(upserted.identity_type, m::IdentityType::User);

    // Properties replaced wholesale.
    live.track(
        "upsert_properties_for_identity",
        identities
            .upsert_properties_for_identity(
                &identity_id,
                vec![
                    property(
                        "plan",
                        m::IdentityPropertyValue::String("pro".into()),
                        m::IdentityPropertyType::String,
                    ),
                    property(
                        "score",
                        m::IdentityPropertyValue::Number(9.5),
                        m::IdentityPropertyType::Number,
                    ),
                ],
            )
            .send()
            .await,
    );
    let after = live.track(
        "retrieve_identity",
        identities.retrieve_identity(&identity_id).send().await,
    );
    let mut keys: Vec<&str> = after
        .properties
        .iter()
        .flatten()
        .map(|p| p.key.as_str())
        .collect();
    keys.sort();
    assert_eq!(keys, ["plan", "score"], "{after:?}");
    let score = after
        .properties
        .iter()
        .flatten()
        .find(|p| p.key == "score")
        .expect("score");
    assert_eq!(score.value, m::IdentityPropertyValue::Number(9.5));

    // Linked to an agent (at creation) and to a block (through the block routes).
    let none = live.track(
        "list_agents_for_identity",
        identities
            .list_agents_for_identity(&identity_id)
            .send()
            .await,
    );
    assert!(none.is_empty(), "{none:?}");
    let request = live
        .agent_request(&live.name("identity-agent"))
        .with_identity_ids(vec![identity_id.clone()]);
    let agent = live.create_agent(request).await;
    let agents = live.track(
        "list_agents_for_identity",
        identities
            .list_agents_for_identity(&identity_id)
            .send()
            .await,
    );
    assert_eq!(
        agents.iter().map(|a| a.id.as_str()).collect::<Vec<_>>(),
        [agent.id.as_str()]
    );
    let paged = live
        .track_stream(
            "list_agents_for_identity",
            identities
                .list_agents_for_identity(&identity_id)
                .order(m::ListAgentsForIdentityOrder::Asc)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(paged.len(), 1);
    let linked = live.track(
        "retrieve_identity",
        identities.retrieve_identity(&identity_id).send().await,
    );
    // The identity itself never lists its links: `Identity.to_pydantic` in letta/orm/identity.py
    // hard-codes `agent_ids` and `block_ids` to `[]` (the list routes above are the way to read them).
    assert!(linked.agent_ids.is_empty(), "{linked:?}");
    assert!(linked.block_ids.is_empty(), "{linked:?}");

    let blocks = live.client.blocks();
    let label = live.name("identity-label");
    let block = live.track(
        "create_block",
        blocks
            .create_block(m::CreateBlock::new(
                "A block owned by an identity.",
                label.clone(),
            ))
            .send()
            .await,
    );
    let no_blocks = live.track(
        "list_blocks_for_identity",
        identities
            .list_blocks_for_identity(&identity_id)
            .send()
            .await,
    );
    assert!(no_blocks.is_empty(), "{no_blocks:?}");
    let attached = live.track(
        "attach_identity_to_block",
        blocks
            .attach_identity_to_block(&block.id, &identity_id)
            .send()
            .await,
    );
    assert_eq!(attached.id, block.id);
    let owned = live.track(
        "list_blocks_for_identity",
        identities
            .list_blocks_for_identity(&identity_id)
            .send()
            .await,
    );
    assert_eq!(
        owned.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        [block.id.as_str()]
    );
    let owned = live
        .track_stream(
            "list_blocks_for_identity",
            identities
                .list_blocks_for_identity(&identity_id)
                .limit(1)
                .into_stream(),
        )
        .await;
    assert_eq!(owned.len(), 1);
    let filtered = live.track(
        "list_blocks",
        blocks.list_blocks().identity_id(&identity_id).send().await,
    );
    assert_eq!(
        filtered.iter().map(|b| b.id.as_str()).collect::<Vec<_>>(),
        [block.id.as_str()]
    );
    let detached = live.track(
        "detach_identity_from_block",
        blocks
            .detach_identity_from_block(&block.id, &identity_id)
            .send()
            .await,
    );
    assert_eq!(detached.id, block.id);
    let owned = live.track(
        "list_blocks_for_identity",
        identities
            .list_blocks_for_identity(&identity_id)
            .send()
            .await,
    );
    assert!(owned.is_empty(), "{owned:?}");

    live.delete_agent(&agent.id).await;
    live.track("delete_block", blocks.delete_block(&block.id).send().await);
    for id in [&identity_id, &other_id] {
        live.track(
            "delete_identity",
            identities.delete_identity(id).send().await,
        );
    }
    let err = live.expect_err(
        "retrieve_identity",
        identities.retrieve_identity(&identity_id).send().await,
    );
    assert!(err.is_not_found(), "{err}");
    let left = live.track(
        "list_identities",
        identities
            .list_identities()
            .identifier_key(&key)
            .send()
            .await,
    );
    assert!(left.is_empty(), "{left:?}");
}
