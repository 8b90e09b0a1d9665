//! Memory: peak resident set size of generation runs, and a long server-sent event stream read through
//! the SDK whose resident memory stays flat (the body is decoded as it arrives, never buffered whole).
//!
//! `cargo bench -p tests --bench memory` (prints a report; no timing, no assertions on numbers).
#![allow(missing_docs, clippy::unwrap_used)]

mod common;

use std::time::Duration;

use futures_util::StreamExt;
use letta_api_0_7::apis::StreamEvent;
use letta_api_0_7::models::{LettaStreamingRequest, MessageCreate, MessageCreateRole};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Events in the long stream (about 830 bytes each).
const EVENTS: usize = 300_000;
/// Events per HTTP chunk written by the server.
const PER_CHUNK: usize = 64;

fn main() {
    // Only the bench run does work: `cargo test --benches` runs this binary too.
    if !std::env::args().any(|a| a == "--bench") {
        println!("memory: run with `cargo bench -p tests --bench memory`");
        return;
    }
    generation();
    streaming();
}

fn generation() {
    let (base, _) = common::rss_kib();
    println!("generation peak RSS (VmHWM of this process; {base} KiB before any work):");
    let main = tests::spec_text();
    let out = generator::generate(&main, &tests::pinned_options("letta-0.7.10")).unwrap();
    let files = out.files.len();
    drop(out);
    println!(
        "  spec/letta-0.7.10/openapi.json: {files} files, VmHWM {} KiB",
        common::rss_kib().0
    );
    let largest = tests::shared_dir().and_then(|d| {
        std::fs::read_dir(d.join("specs/history"))
            .ok()?
            .filter_map(|e| e.ok())
            .max_by_key(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
            .map(|e| e.path())
    });
    match largest {
        Some(path) => {
            let text = std::fs::read_to_string(&path).unwrap();
            let out = generator::generate(&text, &generator::Options::default()).unwrap();
            println!(
                "  {}: {} files, VmHWM {} KiB",
                path.file_name().unwrap_or_default().to_string_lossy(),
                out.files.len(),
                common::rss_kib().0
            );
        }
        None => println!("  history spec skipped: ../shared/specs/history/ not found"),
    }
}

/// Serves one endless-looking SSE response, generated as it is written (the server holds no body).
async fn serve_stream(listener: TcpListener, events: Vec<String>) {
    let (mut sock, _) = listener.accept().await.unwrap();
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    let head_end = loop {
        if let Some(p) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break p + 4;
        }
        let n = sock.read(&mut tmp).await.unwrap();
        assert!(n > 0, "request ended early");
        buf.extend_from_slice(&tmp[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut tmp).await.unwrap();
        assert!(n > 0, "request body ended early");
        buf.extend_from_slice(&tmp[..n]);
    }
    sock.write_all(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n",
    )
    .await
    .unwrap();
    let mut chunk = String::new();
    for start in (0..EVENTS).step_by(PER_CHUNK) {
        chunk.clear();
        for i in start..(start + PER_CHUNK).min(EVENTS) {
            chunk.push_str(&events[i % events.len()]);
        }
        if start + PER_CHUNK >= EVENTS {
            chunk.push_str("data: [DONE]\n\n");
        }
        let framed = format!("{:x}\r\n{chunk}\r\n", chunk.len());
        if sock.write_all(framed.as_bytes()).await.is_err() {
            return;
        }
    }
    let _ = sock.write_all(b"0\r\n\r\n").await;
}

fn streaming() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let messages = common::captured_messages();
    let usage = common::usage_event();
    let events: Vec<String> = (0..1000)
        .map(|i| common::sse_event(i, &messages, &usage))
        .collect();
    let event_bytes: usize = events.iter().map(String::len).sum::<usize>() / events.len();
    rt.block_on(async move {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let server = tokio::spawn(serve_stream(listener, events));
        let client = letta_api_0_7::Client::builder()
            .base_url(url)
            .stream_idle_timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        let request = LettaStreamingRequest::new(vec![MessageCreate::new(
            MessageCreateRole::User,
            String::from("hi"),
        )]);
        let started = std::time::Instant::now();
        let mut stream = client
            .agents()
            .create_agent_message_stream("agent-1", request)
            .send()
            .await
            .unwrap();
        println!(
            "long stream: {EVENTS} events of ~{event_bytes} bytes (~{} MiB) through create_agent_message_stream",
            (EVENTS * event_bytes) >> 20
        );
        println!("  {:>9}  {:>10}  {:>10}", "events", "VmRSS KiB", "MiB read");
        let mut n = 0usize;
        let mut samples = Vec::new();
        while let Some(ev) = stream.next().await {
            match ev.unwrap() {
                StreamEvent::Message(_) | StreamEvent::Usage(_) => n += 1,
                StreamEvent::Unknown(v) => panic!("unknown event {v}"),
                other => panic!("unexpected event {other:?}"),
            }
            if n.is_multiple_of(EVENTS / 10) {
                let rss = common::rss_kib().1;
                samples.push(rss);
                println!("  {n:>9}  {rss:>10}  {:>10}", (n * event_bytes) >> 20);
            }
        }
        let secs = started.elapsed().as_secs_f64();
        server.await.unwrap();
        assert_eq!(n, EVENTS);
        let (min, max) = (
            samples.iter().min().copied().unwrap_or(0),
            samples.iter().max().copied().unwrap_or(0),
        );
        println!(
            "  VmRSS over the stream: {min}..{max} KiB (spread {} KiB) while ~{} MiB passed; {:.0} events/s",
            max - min,
            (EVENTS * event_bytes) >> 20,
            n as f64 / secs
        );
    });
}
