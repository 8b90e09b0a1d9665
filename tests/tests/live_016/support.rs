//! The machinery of the Letta 0.16.8 live suite: the client, the coverage recorder and the fixtures every
//! test shares (fake-LLM configs, unique names, agents). Each `live_016_*.rs` test target includes it.
#![allow(dead_code)]

use std::fmt::Debug;
use std::sync::OnceLock;
use std::time::Duration;

use futures_util::{Stream, TryStreamExt as _};
use letta_api::models as m;
use letta_api::{Client, Error};
use tests::live::{Coverage, LiveEnv};

/// Returns the [`Live`] context, or skips the test (returns from it) when `LETTA_LIVE` is not set.
macro_rules! live {
    () => {
        match crate::support::Live::get() {
            Some(live) => live,
            None => {
                eprintln!(
                    "skipped: set LETTA_LIVE=1 (tests/live/run --letta 0.16.8 does) with LETTA_BASE_URL and FAKE_LLM_BASE_URL to run the live tests"
                );
                return;
            }
        }
    };
}
pub(crate) use live;

/// The model handle of the fake LLM: Letta lists the OpenAI endpoint of `OPENAI_API_BASE` (the fake
/// LLM) as the provider `openai-proxy`.
pub const MODEL: &str = "openai-proxy/fake-model";
/// An embedding handle the fake LLM serves (`/v1/embeddings` answers any model).
pub const EMBEDDING: &str = "openai/text-embedding-3-small";

/// What a live test needs: the SDK client, the fake LLM's URL, and the coverage recorder.
pub struct Live {
    /// The SDK client pointed at the real server (with the default compat header).
    pub client: Client,
    /// `http://127.0.0.1:PORT/v1` of `fake_llm.py`.
    pub fake_llm: String,
    /// The server's base URL.
    pub base_url: String,
    coverage: Coverage,
}

impl Live {
    /// The shared context, or `None` when `LETTA_LIVE` is not set.
    pub fn get() -> Option<&'static Live> {
        static LIVE: OnceLock<Option<Live>> = OnceLock::new();
        LIVE.get_or_init(|| {
            let env = LiveEnv::from_env()?;
            let client = Client::builder()
                .base_url(env.base_url.clone())
                .timeout(Duration::from_secs(180))
                .build()
                .expect("client from LETTA_BASE_URL");
            Some(Live {
                client,
                fake_llm: env.fake_llm,
                base_url: env.base_url,
                coverage: Coverage::new("letta-0.16.8", env.coverage),
            })
        })
        .as_ref()
    }

    /// A name unique to this run (and to this call): `live-<what>-<run>-<n>`.
    pub fn name(&self, what: &str) -> String {
        tests::live::unique_name(what)
    }

    /// The per-run id (lowercase hex), for identifiers with a stricter alphabet.
    pub fn run_id(&self) -> &str {
        tests::live::run_id()
    }

    /// The value of a successful SDK call, recorded as covered; any error (HTTP status, decode,
    /// transport) fails the test with the error's details and records nothing.
    pub fn track<T>(&self, op: &str, result: Result<T, Error>) -> T {
        self.coverage.tags_of(op);
        match result {
            Ok(value) => {
                self.coverage.record(op);
                value
            }
            Err(e) => panic!("{op} failed: {e}\n{e:?}"),
        }
    }

    /// Collects every item of a paginated `into_stream()` (or an event stream); recorded once when every
    /// item arrived without error.
    pub async fn track_stream<T>(
        &self,
        op: &str,
        stream: impl Stream<Item = Result<T, Error>>,
    ) -> Vec<T> {
        let items = stream.try_collect::<Vec<T>>().await;
        self.track(op, items)
    }

    /// The error of a call that must fail (a typed error, a known server bug); never recorded.
    pub fn expect_err<T: Debug>(&self, op: &str, result: Result<T, Error>) -> Error {
        self.coverage.tags_of(op);
        match result {
            Ok(value) => panic!("{op} was expected to fail but returned {value:?}"),
            Err(e) => e,
        }
    }

    /// The LLM config of the fake endpoint (see tests/live/README.md).
    pub fn llm_config(&self) -> m::LlmConfig {
        m::LlmConfig::new("fake-model", m::LlmConfigModelEndpointType::Openai, 8192)
            .with_model_endpoint(self.fake_llm.clone())
    }

    /// The embedding config of the fake endpoint.
    pub fn embedding_config(&self) -> m::EmbeddingConfig {
        m::EmbeddingConfig::new(
            m::EmbeddingConfigEmbeddingEndpointType::Openai,
            "text-embedding-3-small",
            1536,
        )
        .with_embedding_endpoint(self.fake_llm.clone())
        .with_embedding_chunk_size(300)
    }

    /// A create-agent body on the fake LLM with `human` and `persona` memory blocks.
    pub fn agent_request(&self, name: &str) -> m::CreateAgentRequest {
        m::CreateAgentRequest::default()
            .with_name(name)
            .with_description("created by the 0.16.8 live suite")
            .with_model(MODEL)
            .with_embedding(EMBEDDING)
            .with_memory_blocks(vec![
                m::CreateBlock::new("The human is a Rust developer testing an SDK.", "human"),
                m::CreateBlock::new("I am a helpful live-test agent.", "persona"),
            ])
    }

    /// Creates an agent (recorded as `create_agent`).
    pub async fn create_agent(&self, body: m::CreateAgentRequest) -> m::AgentState {
        self.track(
            "create_agent",
            self.client.agents().create_agent(body).send().await,
        )
    }

    /// Creates a plain agent named after `what`.
    pub async fn new_agent(&self, what: &str) -> m::AgentState {
        self.create_agent(self.agent_request(&self.name(what)))
            .await
    }

    /// Deletes an agent (recorded as `delete_agent`).
    pub async fn delete_agent(&self, agent_id: &str) {
        self.track(
            "delete_agent",
            self.client.agents().delete_agent(agent_id).send().await,
        );
    }
}

/// A request that sends one user message as `input`.
pub fn say(text: &str) -> m::LettaStreamingRequest {
    m::LettaStreamingRequest::default()
        .with_input(m::LettaStreamingRequestInput::String(text.to_string()))
}

/// A JSON object from `serde_json::json!` (panics on anything else).
pub fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        other => panic!("expected a JSON object, got {other}"),
    }
}
