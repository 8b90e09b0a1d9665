//! Typed errors from the real server: 404 for a missing agent, 422 for an invalid body.

use letta_api_0_7::Error;
use letta_api_0_7::models as m;

use crate::support::live;

#[tokio::test]
async fn typed_404_for_a_missing_agent() {
    let live = live!();
    let missing = "agent-00000000-0000-4000-8000-000000000000";
    let err = live.expect_err(
        "retrieve_agent",
        live.client.agents().retrieve_agent(missing).send().await,
    );
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 404);
    assert!(err.is_not_found());
    assert_eq!(api.path(), format!("/v1/agents/{missing}"));
    let detail = api.detail().expect("FastAPI sends a detail");
    assert!(
        detail.contains(missing) && detail.contains("not found"),
        "{detail}"
    );
    assert!(
        api.validation_error().is_none(),
        "only 422 bodies are validation errors"
    );
}

#[tokio::test]
async fn typed_422_for_an_invalid_body() {
    let live = live!();
    // An enum value the server does not accept, sent through the typed body's `Unknown` variant.
    let body = m::IdentityCreate::new(
        live.name("bad-identity"),
        "Nobody",
        m::IdentityType::Unknown("robot".into()),
    );
    let err = live.expect_err(
        "create_identity",
        live.client.identities().create_identity(body).send().await,
    );
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status().as_u16(), 422);
    let validation = api
        .validation_error()
        .expect("a 422 body decodes into HttpValidationError");
    let details = validation.detail.expect("validation details");
    let hit = details
        .iter()
        .find(|d| {
            d.loc
                .contains(&m::ValidationErrorLocItem::String("identity_type".into()))
        })
        .unwrap_or_else(|| panic!("no error for identity_type: {details:?}"));
    assert_eq!(
        hit.loc.first(),
        Some(&m::ValidationErrorLocItem::String("body".into()))
    );
    assert!(!hit.msg.is_empty() && !hit.type_.is_empty());
    assert!(
        err.detail().is_some_and(|d| d.contains("identity_type")),
        "{err}"
    );
}
