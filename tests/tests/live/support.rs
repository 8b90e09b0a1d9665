//! The machinery of the live suite: the environment switch, the client, the coverage recorder and
//! the fixtures every test shares (fake-LLM configs, unique names, agents).

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::io::Write as _;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use futures_util::{Stream, TryStreamExt as _};
use letta_api_0_7::models as m;
use letta_api_0_7::{Client, Error};

/// Returns the [`Live`] context, or skips the test (returns from it) when `LETTA_LIVE` is not set.
macro_rules! live {
    () => {
        match crate::support::Live::from_env() {
            Some(live) => live,
            None => {
                eprintln!(
                    "skipped: set LETTA_LIVE=1 (tests/live/run does) with LETTA_BASE_URL and FAKE_LLM_BASE_URL to run the live tests"
                );
                return;
            }
        }
    };
}
pub(crate) use live;

/// What a live test needs: the SDK client, the fake LLM's URL and a per-run unique prefix.
pub struct Live {
    /// The SDK client pointed at the real server.
    pub client: Client,
    /// `http://127.0.0.1:PORT/v1` of `fake_llm.py`.
    pub fake_llm: String,
    run_id: String,
    coverage: Option<std::path::PathBuf>,
}

/// Operation id -> its tags (each tag once, in spec order), read from `spec/openapi.json`.
fn spec_tags() -> &'static BTreeMap<String, Vec<String>> {
    static TAGS: OnceLock<BTreeMap<String, Vec<String>>> = OnceLock::new();
    TAGS.get_or_init(|| {
        let spec: serde_json::Value =
            serde_json::from_str(&tests::spec_text()).expect("spec/openapi.json is JSON");
        let mut out = BTreeMap::new();
        let paths = spec["paths"].as_object().expect("spec has paths");
        for item in paths.values() {
            let item = item.as_object().expect("path item is an object");
            for (method, op) in item {
                if ![
                    "get", "put", "post", "delete", "patch", "head", "options", "trace",
                ]
                .contains(&method.as_str())
                {
                    continue;
                }
                let id = op["operationId"]
                    .as_str()
                    .expect("operation has an operationId");
                let mut tags: Vec<String> = Vec::new();
                for tag in op["tags"].as_array().into_iter().flatten() {
                    let tag = tag.as_str().expect("tag is a string").to_string();
                    if !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
                out.insert(id.to_string(), tags);
            }
        }
        out
    })
}

/// The tags of `op`; panics on an operation id the spec does not have (a typo would record nothing).
fn tags_of(op: &str) -> &'static [String] {
    match spec_tags().get(op) {
        Some(tags) => tags,
        None => panic!("`{op}` is not an operationId of spec/openapi.json"),
    }
}

impl Live {
    /// `None` unless `LETTA_LIVE` is set; then `LETTA_BASE_URL` and `FAKE_LLM_BASE_URL` are required.
    pub fn from_env() -> Option<Live> {
        let on = std::env::var("LETTA_LIVE")
            .ok()
            .filter(|v| !v.is_empty() && v != "0")?;
        drop(on);
        let base =
            std::env::var("LETTA_BASE_URL").expect("LETTA_LIVE is set: LETTA_BASE_URL is required");
        let fake_llm = std::env::var("FAKE_LLM_BASE_URL")
            .expect("LETTA_LIVE is set: FAKE_LLM_BASE_URL is required")
            .trim_end_matches('/')
            .to_string();
        let client = Client::builder()
            .base_url(base)
            .timeout(Duration::from_secs(180))
            .build()
            .expect("client from LETTA_BASE_URL");
        static RUN: OnceLock<String> = OnceLock::new();
        let run_id = RUN
            .get_or_init(|| {
                let nanos = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_nanos())
                    .unwrap_or(0);
                format!("{:x}{:04x}", nanos % (1 << 48), std::process::id() & 0xffff)
            })
            .clone();
        let coverage = std::env::var_os("LIVE_COVERAGE_FILE")
            .filter(|p| !p.is_empty())
            .map(Into::into);
        Some(Live {
            client,
            fake_llm,
            run_id,
            coverage,
        })
    }

    /// A name unique to this run (and to this call): `live-<what>-<run>-<n>`.
    pub fn name(&self, what: &str) -> String {
        static N: AtomicUsize = AtomicUsize::new(0);
        format!(
            "live-{what}-{}-{}",
            self.run_id,
            N.fetch_add(1, Ordering::Relaxed)
        )
    }

    /// The per-run id (lowercase hex), for identifiers with a stricter alphabet (Python names).
    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    /// Appends `<tag>\t<op>` for every tag of `op` to the coverage file.
    fn record(&self, op: &str) {
        let tags = tags_of(op);
        let Some(path) = &self.coverage else { return };
        let mut lines = String::new();
        for tag in tags {
            lines.push_str(&format!("{tag}\t{op}\n"));
        }
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        file.write_all(lines.as_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }

    /// The value of a successful SDK call, recorded as covered; any error (HTTP status, decode,
    /// transport) fails the test with the error's details and records nothing.
    pub fn track<T>(&self, op: &str, result: Result<T, Error>) -> T {
        tags_of(op);
        match result {
            Ok(value) => {
                self.record(op);
                value
            }
            Err(e) => panic!("{op} failed: {e}\n{e:?}"),
        }
    }

    /// Collects every item of a paginated `into_stream()`; recorded once when every page succeeded.
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
        tags_of(op);
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
            "fake-embed",
            1536,
        )
        .with_embedding_endpoint(self.fake_llm.clone())
        .with_embedding_chunk_size(300)
    }

    /// A create-agent body on the fake LLM with `human` and `persona` memory blocks.
    pub fn agent_request(&self, name: &str) -> m::CreateAgentRequest {
        m::CreateAgentRequest::default()
            .with_name(name)
            .with_description("created by tests/tests/live.rs")
            .with_llm_config(self.llm_config())
            .with_embedding_config(self.embedding_config())
            .with_memory_blocks(vec![
                m::CreateBlock::new("The human is a Rust developer testing an SDK.", "human"),
                m::CreateBlock::new("I am a helpful live-test agent.", "persona"),
            ])
    }

    /// Waits until the wall clock is in a new second (see the cursor note in agents.rs).
    pub async fn distinct_second(&self) {
        tokio::time::sleep(Duration::from_millis(1050)).await;
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

/// A user message with text content.
pub fn user_text(text: &str) -> m::MessageCreate {
    m::MessageCreate::new(
        m::MessageCreateRole::User,
        m::MessageCreateContent::String(text.to_string()),
    )
}

/// A JSON object from `serde_json::json!` (panics on anything else).
pub fn object(value: serde_json::Value) -> serde_json::Map<String, serde_json::Value> {
    match value {
        serde_json::Value::Object(map) => map,
        other => panic!("expected a JSON object, got {other}"),
    }
}

/// The `message_type` name of a message, for assertions and messages.
pub fn kind(message: &m::LettaMessageUnion) -> &'static str {
    match message {
        m::LettaMessageUnion::SystemMessage(_) => "system_message",
        m::LettaMessageUnion::UserMessage(_) => "user_message",
        m::LettaMessageUnion::ReasoningMessage(_) => "reasoning_message",
        m::LettaMessageUnion::HiddenReasoningMessage(_) => "hidden_reasoning_message",
        m::LettaMessageUnion::ToolCallMessage(_) => "tool_call_message",
        m::LettaMessageUnion::ToolReturnMessage(_) => "tool_return_message",
        m::LettaMessageUnion::AssistantMessage(_) => "assistant_message",
        m::LettaMessageUnion::Unknown(_) => "unknown",
        _ => "unlisted", // a kind added to the SDK after this suite was written
    }
}

/// Text of an assistant message's content.
pub fn assistant_text(message: &m::AssistantMessage) -> String {
    match &message.content {
        m::AssistantMessageContent::String(s) => s.clone(),
        m::AssistantMessageContent::LettaAssistantMessageContentUnionList(parts) => {
            serde_json::to_string(parts).expect("content serializes")
        }
        other => panic!("assistant content of an unknown form: {other:?}"),
    }
}
