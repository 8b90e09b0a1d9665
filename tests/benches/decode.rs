//! Decode benchmarks: typed decoding of large realistic payloads against parsing the same bytes into
//! `serde_json::Value`, and server-sent events per second through the stream decoder.
//!
//! `cargo bench -p tests --bench decode`
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::sync::LazyLock;
use std::time::Duration;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use futures_util::StreamExt;
use letta_api_0_7::apis::StreamEvent;
use letta_api_0_7::models::{
    AgentState, LettaMessageUnion, LettaStreamingRequest, MessageCreate, MessageCreateRole,
};
use serde::de::DeserializeOwned;
use serde_json::Value;
use tests::mock::{MockServer, Reply};

fn main() {
    // Every payload decodes, and into known variants: the timings below are of real work.
    let typed: Vec<LettaMessageUnion> = serde_json::from_slice(&MESSAGES).unwrap();
    assert!(
        typed
            .iter()
            .all(|m| !matches!(m, LettaMessageUnion::Unknown(_)))
    );
    let _: Vec<AgentState> = serde_json::from_slice(&AGENTS).unwrap();
    let typed: Vec<letta_api::models::LettaMessageUnion> =
        serde_json::from_slice(&MESSAGES_016).unwrap();
    assert!(
        typed
            .iter()
            .all(|m| !matches!(m, letta_api::models::LettaMessageUnion::Unknown(_)))
    );
    println!(
        "payloads: {} messages = {} bytes; {} agents = {} bytes; {} SSE events = {} bytes",
        MESSAGE_COUNT,
        MESSAGES.len(),
        AGENT_COUNT,
        AGENTS.len(),
        SSE_EVENTS,
        SSE_BODY.len()
    );
    divan::main();
}

const MESSAGE_COUNT: usize = 10_000;
const AGENT_COUNT: usize = 1_000;
const SSE_EVENTS: usize = 10_000;

static MESSAGES: LazyLock<Vec<u8>> = LazyLock::new(|| common::messages_json(MESSAGE_COUNT));
static MESSAGES_016: LazyLock<Vec<u8>> = LazyLock::new(|| common::messages_016_json(MESSAGE_COUNT));
static AGENTS: LazyLock<Vec<u8>> = LazyLock::new(|| common::agents_json(AGENT_COUNT));
static SSE_BODY: LazyLock<Vec<u8>> = LazyLock::new(|| common::sse_body(SSE_EVENTS));

/// Decoding with `serde_path_to_error` over a slice reader: what `letta_api_0_7`'s `decode_json` did for every
/// body before this benchmark, and still does for a body that fails (to name the path).
fn decode_with_path<T: DeserializeOwned>(bytes: &[u8]) -> T {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let v = serde_path_to_error::deserialize(&mut de).unwrap();
    de.end().unwrap();
    v
}

/// The same for Letta 0.16.8's message union (`letta_api`), from the messages captured from 0.16.8.
mod messages_016_10k {
    use super::*;

    #[divan::bench(sample_count = 30)]
    fn value(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(MESSAGES_016.len()))
            .bench(|| serde_json::from_slice::<Value>(&MESSAGES_016).unwrap());
    }

    #[divan::bench(sample_count = 30)]
    fn typed(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(MESSAGES_016.len()))
            .bench(|| {
                serde_json::from_slice::<Vec<letta_api::models::LettaMessageUnion>>(&MESSAGES_016)
                    .unwrap()
            });
    }
}

mod messages_10k {
    use super::*;

    #[divan::bench(sample_count = 30)]
    fn value(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(MESSAGES.len()))
            .bench(|| serde_json::from_slice::<Value>(&MESSAGES).unwrap());
    }

    #[divan::bench(sample_count = 30)]
    fn typed(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(MESSAGES.len()))
            .bench(|| serde_json::from_slice::<Vec<LettaMessageUnion>>(&MESSAGES).unwrap());
    }

    #[divan::bench(sample_count = 30)]
    fn typed_path_tracked(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(MESSAGES.len()))
            .bench(|| decode_with_path::<Vec<LettaMessageUnion>>(&MESSAGES));
    }
}

mod agents_1k {
    use super::*;

    #[divan::bench(sample_count = 30)]
    fn value(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(AGENTS.len()))
            .bench(|| serde_json::from_slice::<Value>(&AGENTS).unwrap());
    }

    #[divan::bench(sample_count = 30)]
    fn typed(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(AGENTS.len()))
            .bench(|| serde_json::from_slice::<Vec<AgentState>>(&AGENTS).unwrap());
    }

    #[divan::bench(sample_count = 30)]
    fn typed_path_tracked(bencher: Bencher) {
        bencher
            .counter(BytesCount::new(AGENTS.len()))
            .bench(|| decode_with_path::<Vec<AgentState>>(&AGENTS));
    }
}

/// 10,000 events (captured messages and usage events, pings between) served by a local mock server and
/// read through `client.agents().create_agent_message_stream(..)`: one HTTP request per iteration.
#[divan::bench(sample_count = 20)]
fn sse_stream_10k_events(bencher: Bencher) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let server = rt.block_on(MockServer::start());
    let client = letta_api_0_7::Client::builder()
        .base_url(server.url())
        .stream_idle_timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let reply = Reply::new(200)
        .header("content-type", "text/event-stream")
        .body(&*SSE_BODY);
    bencher
        .counter(ItemsCount::new(SSE_EVENTS))
        .with_inputs(|| {
            server.push(reply.clone());
        })
        .bench_local_values(|()| {
            rt.block_on(async {
                let request = LettaStreamingRequest::new(vec![MessageCreate::new(
                    MessageCreateRole::User,
                    String::from("hi"),
                )]);
                let mut events = client
                    .agents()
                    .create_agent_message_stream("agent-1", request)
                    .send()
                    .await
                    .unwrap();
                let mut n = 0usize;
                while let Some(ev) = events.next().await {
                    match ev.unwrap() {
                        StreamEvent::Message(_) | StreamEvent::Usage(_) => n += 1,
                        StreamEvent::Unknown(v) => panic!("unknown event {v}"),
                        other => panic!("unexpected event {other:?}"),
                    }
                }
                assert_eq!(n, SSE_EVENTS);
            })
        });
}
