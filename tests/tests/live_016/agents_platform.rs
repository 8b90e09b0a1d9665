//! The small tags around agents: health and readiness, the model catalogue (`models`/`llms`), the
//! OpenAI-compatible chat completions of an agent (`chat`) and the retired voice route (`voice`).

use futures_util::StreamExt as _;
use letta_api::Error;
use letta_api::apis::StreamEvent;
use letta_api::models as m;
use serde_json::json;

use crate::support::{EMBEDDING, MODEL, live, object};

#[tokio::test]
async fn the_server_is_healthy_and_ready() {
    let live = live!();
    let health = live.track(
        "check_health",
        live.client.health().check_health().send().await,
    );
    assert_eq!(health.version, "0.16.8");
    assert_eq!(health.status, "ok");
    let ready = live.track(
        "check_readiness",
        live.client.health().check_readiness().send().await,
    );
    assert_eq!(ready.version, "0.16.8");
    assert_eq!(ready.status, "ok");
}

#[tokio::test]
async fn the_model_catalogue_lists_the_fake_llm() {
    let live = live!();
    let models = live.track(
        "list_models",
        live.client.models().list_models().send().await,
    );
    let fake = models
        .iter()
        .find(|model| model.handle.as_deref() == Some(MODEL))
        .unwrap_or_else(|| {
            panic!(
                "{MODEL} is listed: {:?}",
                models.iter().map(|m| &m.handle).collect::<Vec<_>>()
            )
        });
    assert_eq!(fake.name, "fake-model");
    assert!(fake.max_context_window > 0);
    // the same operation through the `llms` handle, filtered by provider name
    let by_provider = live.track(
        "list_models",
        live.client
            .llms()
            .list_models()
            .provider_name(fake.provider_name.clone().expect("a provider name"))
            .send()
            .await,
    );
    assert!(
        by_provider
            .iter()
            .any(|m| m.handle.as_deref() == Some(MODEL)),
        "{by_provider:?}"
    );
    assert!(by_provider.len() <= models.len());

    let embeddings = live.track(
        "list_embedding_models",
        live.client.models().list_embedding_models().send().await,
    );
    assert!(
        embeddings
            .iter()
            .any(|e| e.handle.as_deref() == Some(EMBEDDING)),
        "{:?}",
        embeddings.iter().map(|e| &e.handle).collect::<Vec<_>>()
    );
    let again = live.track(
        "list_embedding_models",
        live.client.llms().list_embedding_models().send().await,
    );
    assert_eq!(again.len(), embeddings.len());
}

#[tokio::test]
async fn an_agent_answers_openai_chat_completions_as_a_stream() {
    let live = live!();
    let agent = live.new_agent("chat").await;
    let user = m::ChatCompletionUserMessageParam::new(
        m::ChatCompletionUserMessageParamContent::String("Hello over chat completions.".into()),
    );
    let body = m::ChatCompletionRequest::new(
        agent.id.clone(),
        vec![m::ChatCompletionRequestMessagesItem::ChatCompletionUserMessageParam(user)],
    );

    // The server only streams (`_handle_chat_completion` in
    // letta/server/rest_api/routers/v1/chat_completions.py raises LettaInvalidArgumentError for
    // `stream: false`, a 400), though the spec documents a JSON `ChatCompletion` answer too.
    let err = live.expect_err(
        "create_chat_completion",
        live.client
            .chat()
            .create_chat_completion(body.clone())
            .send()
            .await,
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 400),
        "{err:?}"
    );

    // The stream carries OpenAI `chat.completion.chunk` objects, which have no `message_type`:
    // the SDK hands them over as `StreamEvent::Unknown` (raw JSON), and the stream ends cleanly.
    let stream = live.track(
        "create_chat_completion",
        live.client
            .chat()
            .create_chat_completion(body)
            .stream()
            .await,
    );
    let events = live.track_stream("create_chat_completion", stream).await;
    let mut text = String::new();
    for event in &events {
        match event {
            StreamEvent::Unknown(chunk) => {
                assert_eq!(chunk["object"], "chat.completion.chunk", "{chunk}");
                if let Some(delta) = chunk["choices"][0]["delta"]["content"].as_str() {
                    text.push_str(delta);
                }
            }
            other => panic!("a chat completion chunk decoded as a Letta event: {other:?}"),
        }
    }
    assert!(
        text.contains("Hello over chat completions."),
        "{} chunks: {text:?}",
        events.len()
    );

    // the turn is in the agent's history
    let mut history = live
        .client
        .agents()
        .list_messages(&agent.id)
        .limit(5)
        .into_stream();
    let mut seen = false;
    while let Some(msg) = history.next().await {
        let msg = live.track("list_messages", msg);
        seen |= format!("{msg:?}").contains("Hello over chat completions.");
    }
    assert!(seen, "the chat turn is stored");
    live.delete_agent(&agent.id).await;
}

#[tokio::test]
#[allow(deprecated)]
async fn the_voice_beta_route_is_gone() {
    let live = live!();
    let agent = live.new_agent("voice").await;
    // `create_voice_chat_completions` (letta/server/rest_api/routers/v1/voice.py) always raises 410
    // "The /voice-beta endpoint has been deprecated"; the spec documents that 410.
    let body = object(json!({
        "model": "fake-model",
        "messages": [{"role": "user", "content": "hi voice"}],
        "stream": true,
    }));
    let err = live.expect_err(
        "create_voice_chat_completions",
        live.client
            .voice()
            .create_voice_chat_completions(&agent.id, body)
            .send()
            .await
            .map(|_| ()),
    );
    assert!(
        matches!(&err, Error::Api(e) if e.status() == 410),
        "{err:?}"
    );
    assert!(
        err.detail().is_some_and(|d| d.contains("deprecated")),
        "{err}"
    );
    live.delete_agent(&agent.id).await;
}
