//! Providers: create -> list (pages) -> modify -> delete.

use letta_api_0_7::models as m;

use crate::support::live;

#[tokio::test]
async fn providers_round_trip() {
    let live = live!();
    let providers = live.client.providers();

    // Stored only: while they exist, listing models would try to reach api.anthropic.com, so
    // they are deleted before this test ends.
    let mut ids = Vec::new();
    let mut names = Vec::new();
    for _ in 0..3 {
        let name = live.name("provider");
        let body = m::ProviderCreate::new(name.clone(), m::ProviderType::Anthropic, "sk-live-fake");
        let provider = live.track(
            "create_provider",
            providers.create_provider(body).send().await,
        );
        assert_eq!(provider.name, name);
        assert_eq!(provider.provider_type, m::ProviderType::Anthropic);
        ids.push(provider.id.expect("a provider has an id"));
        names.push(name);
        live.distinct_second().await;
    }

    let page = live.track(
        "list_providers",
        providers
            .list_providers()
            .after(ids[0].clone())
            .limit(2)
            .send()
            .await,
    );
    assert_eq!(
        page.iter().filter_map(|p| p.id.clone()).collect::<Vec<_>>(),
        ids[1..].to_vec()
    );
    let all = live
        .track_stream(
            "list_providers",
            providers.list_providers().limit(2).into_stream(),
        )
        .await;
    assert!(
        ids.iter()
            .all(|id| all.iter().any(|p| p.id.as_ref() == Some(id)))
    );
    let by_name = live.track(
        "list_providers",
        providers
            .list_providers()
            .name(names[1].clone())
            .send()
            .await,
    );
    assert_eq!(by_name.len(), 1);

    // KNOWN Letta 0.7.10 server bug (reported): PATCH /v1/providers/{id} calls
    // `ProviderManager.update_provider(..., request=...)` (the parameter is `provider_update`) and
    // answers 500 for every body. The SDK returns the typed error.
    let update = m::ProviderUpdate::new("sk-live-rotated");
    let err = live.expect_err(
        "modify_provider",
        providers.modify_provider(&ids[0], update).send().await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(500), "{err}");

    // KNOWN Letta 0.7.10 server bug (reported): DELETE /v1/providers/{id} deletes the provider,
    // then its handler fails with `NameError: JSONResponse` (and `NoResultFound`) and answers 500.
    // The SDK returns the typed 500 (or a transport error when the connection is dropped); the
    // provider is gone afterwards.
    for (id, name) in ids.iter().zip(&names) {
        // Depending on timing, uvicorn either sends the 500 or drops the connection while the
        // handler crashes; both are the same server bug. A dropped connection can also take the next
        // request with it before the server reads it (the client reuses the pooled connection), so a
        // transport error is tried again, at most twice: only a 500 proves the handler ran.
        let mut attempts = 0;
        let err = loop {
            attempts += 1;
            let err = live.expect_err(
                "delete_provider",
                providers.delete_provider(id).max_retries(0).send().await,
            );
            if matches!(err, letta_api_0_7::Error::Transport(_)) && attempts < 3 {
                continue;
            }
            break err;
        };
        // (A 404 on a second attempt: the first one did delete before its connection dropped.)
        let status = err.status().map(|s| s.as_u16());
        assert!(
            status == Some(500)
                || (attempts > 1 && status == Some(404))
                || matches!(err, letta_api_0_7::Error::Transport(_)),
            "{err}"
        );
        let left = live.track(
            "list_providers",
            providers.list_providers().name(name.clone()).send().await,
        );
        assert!(left.is_empty(), "provider {name} still listed: {left:?}");
    }
}
