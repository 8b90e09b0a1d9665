//! Identities: create -> get -> list (pages) -> update -> upsert -> properties -> delete.

use std::collections::BTreeSet;

use letta_api_0_7::models as m;

use crate::support::live;

#[tokio::test]
async fn identities_round_trip() {
    let live = live!();
    let identities = live.client.identities();

    let mut ids = Vec::new();
    let mut keys = Vec::new();
    for i in 0..3 {
        let key = live.name("identity");
        let body = m::IdentityCreate::new(
            key.clone(),
            format!("Live Person {i}"),
            m::IdentityType::User,
        )
        .with_properties(vec![m::IdentityProperty::new(
            "team",
            m::IdentityPropertyValue::String("sdk".into()),
            m::IdentityPropertyType::String,
        )]);
        let identity = live.track(
            "create_identity",
            identities.create_identity(body).send().await,
        );
        assert_eq!(identity.identifier_key, key);
        assert_eq!(identity.identity_type, m::IdentityType::User);
        ids.push(identity.id.expect("a created identity has an id"));
        keys.push(key);
        live.distinct_second().await;
    }

    let got = live.track(
        "retrieve_identity",
        identities.retrieve_identity(&ids[0]).send().await,
    );
    assert_eq!(got.name, "Live Person 0");
    assert_eq!(got.properties.as_ref().map(Vec::len), Some(1));

    // list: the page after the first identity holds the other two; into_stream walks every page
    let page = live.track(
        "list_identities",
        identities
            .list_identities()
            .after(ids[0].clone())
            .limit(2)
            .send()
            .await,
    );
    assert_eq!(
        page.iter().filter_map(|i| i.id.clone()).collect::<Vec<_>>(),
        ids[1..].to_vec()
    );
    let all = live
        .track_stream(
            "list_identities",
            identities.list_identities().limit(2).into_stream(),
        )
        .await;
    let all: BTreeSet<_> = all.into_iter().filter_map(|i| i.id).collect();
    assert!(
        ids.iter().all(|id| all.contains(id)),
        "every identity is listed"
    );
    let by_key = live.track(
        "list_identities",
        identities
            .list_identities()
            .identifier_key(keys[1].clone())
            .send()
            .await,
    );
    assert_eq!(by_key.len(), 1);
    let count = live.track(
        "count_identities",
        identities.count_identities().send().await,
    );
    assert!(count >= 3, "count_identities = {count}");

    // update, upsert (same identifier key: updates in place), properties
    let update = m::IdentityUpdate::default().with_name("Renamed Person");
    let updated = live.track(
        "update_identity",
        identities.update_identity(&ids[0], update).send().await,
    );
    assert_eq!(updated.name, "Renamed Person");
    let upsert = m::IdentityUpsert::new(keys[0].clone(), "Upserted Person", m::IdentityType::Other);
    let upserted = live.track(
        "upsert_identity",
        identities.upsert_identity(upsert).send().await,
    );
    assert_eq!(upserted.id.as_deref(), Some(ids[0].as_str()));
    assert_eq!(upserted.identity_type, m::IdentityType::Other);
    let properties = vec![
        m::IdentityProperty::new(
            "age",
            m::IdentityPropertyValue::Integer(42),
            m::IdentityPropertyType::Number,
        ),
        m::IdentityProperty::new(
            "admin",
            m::IdentityPropertyValue::Boolean(true),
            m::IdentityPropertyType::Boolean,
        ),
    ];
    live.track(
        "upsert_identity_properties",
        identities
            .upsert_identity_properties(&ids[0], properties)
            .send()
            .await,
    );
    let got = live.track(
        "retrieve_identity",
        identities.retrieve_identity(&ids[0]).send().await,
    );
    let props = got.properties.unwrap_or_default();
    assert!(
        props
            .iter()
            .any(|p| p.key == "age" && p.value == m::IdentityPropertyValue::Integer(42)),
        "properties: {props:?}"
    );

    for id in &ids {
        live.track(
            "delete_identity",
            identities.delete_identity(id).send().await,
        );
    }
    let err = live.expect_err(
        "retrieve_identity",
        identities.retrieve_identity(&ids[0]).send().await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
}
