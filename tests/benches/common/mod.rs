//! Payloads shared by the decode and memory benches, built from the responses captured from a real
//! Letta 0.7.10 server (`tests/data/letta-0.7.10/`).
#![allow(dead_code)]

use serde_json::Value;

/// Every captured `LettaMessageUnion` object: `messages_list.json`, `letta_response.json`'s messages and
/// the message events of `stream.txt` (system, user, reasoning and assistant messages).
pub fn captured_messages() -> Vec<Value> {
    let mut out = Vec::new();
    let list: Vec<Value> =
        serde_json::from_str(&tests::data("letta-0.7.10/messages_list.json")).unwrap();
    out.extend(list);
    let response: Value =
        serde_json::from_str(&tests::data("letta-0.7.10/letta_response.json")).unwrap();
    out.extend(response["messages"].as_array().cloned().unwrap_or_default());
    out.extend(
        stream_events()
            .into_iter()
            .filter(|v| v["message_type"] != "usage_statistics"),
    );
    out
}

/// The JSON events of `stream.txt` (without `[DONE]`).
pub fn stream_events() -> Vec<Value> {
    tests::data("letta-0.7.10/stream.txt")
        .lines()
        .filter_map(|l| l.strip_prefix("data: "))
        .filter(|d| *d != "[DONE]")
        .map(|d| serde_json::from_str(d).unwrap())
        .collect()
}

/// `n` captured messages of mixed variants, cycling, each with its own id.
pub fn messages(n: usize) -> Vec<Value> {
    let base = captured_messages();
    (0..n)
        .map(|i| {
            let mut m = base[i % base.len()].clone();
            if let Some(obj) = m.as_object_mut() {
                obj.insert("id".into(), Value::from(format!("message-{i:08x}-bench")));
            }
            m
        })
        .collect()
}

/// A JSON array of `n` messages, as a server would send it.
pub fn messages_json(n: usize) -> Vec<u8> {
    serde_json::to_vec(&messages(n)).unwrap()
}

/// A JSON array of `n` copies of `agent_state.json`, each with its own id.
pub fn agents_json(n: usize) -> Vec<u8> {
    let agent: Value = serde_json::from_str(&tests::data("letta-0.7.10/agent_state.json")).unwrap();
    let list: Vec<Value> = (0..n)
        .map(|i| {
            let mut a = agent.clone();
            if let Some(obj) = a.as_object_mut() {
                obj.insert("id".into(), Value::from(format!("agent-{i:08x}-bench")));
            }
            a
        })
        .collect();
    serde_json::to_vec(&list).unwrap()
}

/// The SSE text of event `i` of a long stream: captured messages cycling, with a usage event every
/// 50 events and a comment ping every 100.
pub fn sse_event(i: usize, messages: &[Value], usage: &Value) -> String {
    let mut out = String::new();
    if i % 100 == 99 {
        out.push_str(": ping\n\n");
    }
    let ev = if i % 50 == 49 {
        usage.clone()
    } else {
        let mut m = messages[i % messages.len()].clone();
        if let Some(obj) = m.as_object_mut() {
            obj.insert("id".into(), Value::from(format!("message-{i:08x}-sse")));
        }
        m
    };
    out.push_str("data: ");
    out.push_str(&serde_json::to_string(&ev).unwrap());
    out.push_str("\n\n");
    out
}

/// The usage event of `stream.txt`.
pub fn usage_event() -> Value {
    stream_events()
        .into_iter()
        .find(|v| v["message_type"] == "usage_statistics")
        .unwrap()
}

/// A whole SSE body of `n` events ending with `data: [DONE]`.
pub fn sse_body(n: usize) -> Vec<u8> {
    let messages = captured_messages();
    let usage = usage_event();
    let mut body = String::new();
    for i in 0..n {
        body.push_str(&sse_event(i, &messages, &usage));
    }
    body.push_str("data: [DONE]\n\n");
    body.into_bytes()
}

/// Peak resident set size of this process so far (`VmHWM`), and the current one (`VmRSS`), in KiB.
pub fn rss_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Every captured Letta 0.16.8 `LettaMessageUnion` object: `messages_list.json` and the messages of
/// `letta_response.json` and `letta_response_tool.json` (system, user, assistant, tool call and tool
/// return messages).
pub fn captured_messages_016() -> Vec<Value> {
    let mut out: Vec<Value> =
        serde_json::from_str(&tests::data("letta-0.16.8/messages_list.json")).unwrap();
    for file in ["letta_response.json", "letta_response_tool.json"] {
        let response: Value =
            serde_json::from_str(&tests::data(&format!("letta-0.16.8/{file}"))).unwrap();
        out.extend(response["messages"].as_array().cloned().unwrap_or_default());
    }
    out
}

/// A JSON array of `n` captured 0.16.8 messages of mixed variants, cycling, each with its own id.
pub fn messages_016_json(n: usize) -> Vec<u8> {
    let base = captured_messages_016();
    let list: Vec<Value> = (0..n)
        .map(|i| {
            let mut m = base[i % base.len()].clone();
            if let Some(obj) = m.as_object_mut() {
                obj.insert("id".into(), Value::from(format!("message-{i:08x}-bench")));
            }
            m
        })
        .collect();
    serde_json::to_vec(&list).unwrap()
}
