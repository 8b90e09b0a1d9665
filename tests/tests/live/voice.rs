//! Voice: an OpenAI-style streamed chat completion through a voice agent.

use futures_util::StreamExt as _;
use letta_api_0_7::apis::StreamEvent;
use letta_api_0_7::models as m;

use crate::support::live;

#[tokio::test]
async fn voice_chat_completion_streams_to_done() {
    let live = live!();
    let body = live
        .agent_request(&live.name("voice"))
        .with_agent_type(m::AgentType::VoiceConvoAgent)
        .with_enable_sleeptime(true);
    let agent = live.create_agent(body).await;
    let group = agent
        .multi_agent_group
        .clone()
        .expect("a voice agent gets a voice_sleeptime group");
    assert_eq!(group.manager_type, m::ManagerType::VoiceSleeptime);

    let user = m::ChatCompletionUserMessageParam::new(
        m::ChatCompletionUserMessageParamContent::String("hi voice".into()),
    );
    let params = m::CompletionCreateParamsStreaming::new(
        vec![m::MessageParam::ChatCompletionUserMessageParam(user)],
        m::CompletionCreateParamsStreamingModel::from("fake-model"),
    );
    let body = m::CreateVoiceChatCompletionsBody::CompletionCreateParamsStreaming(params);
    let mut events = live.track(
        "create_voice_chat_completions",
        live.client
            .voice()
            .create_voice_chat_completions(&agent.id, body)
            .send()
            .await,
    );
    // The spec gives this stream no schema: OpenAI `chat.completion.chunk` objects arrive as
    // `StreamEvent::Unknown` (raw JSON), and the stream must end at `[DONE]` without error.
    let mut text = String::new();
    let mut chunks = 0;
    while let Some(event) = events.next().await {
        match event {
            Ok(StreamEvent::Unknown(chunk)) => {
                assert_eq!(chunk["object"], "chat.completion.chunk", "{chunk}");
                if let Some(delta) = chunk["choices"][0]["delta"]["content"].as_str() {
                    text.push_str(delta);
                }
                chunks += 1;
            }
            Ok(other) => panic!("a chat completion chunk decoded as a Letta event: {other:?}"),
            Err(e) => panic!("the voice stream failed after {chunks} chunks: {e}"),
        }
    }
    assert!(
        chunks > 0 && text.contains("hi voice"),
        "{chunks} chunks: {text:?}"
    );

    // deleting the voice agent deletes its group's sleeptime agent too
    live.delete_agent(&agent.id).await;
    for id in &group.agent_ids {
        let err = live.expect_err(
            "retrieve_agent",
            live.client.agents().retrieve_agent(id).send().await,
        );
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    }
}
