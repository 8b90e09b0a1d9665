//! The event-stream decoder's cost per byte (`cargo bench -p generator --bench sse`): one 16 MB `data:` line
//! in 1-byte and 64 KiB chunks, and 16 MB of small events. Every byte is scanned once, so time grows
//! linearly with the bytes, whatever the chunking (the numbers are in BENCHMARKS.md).
// The runtime is written for the generated crates' edition 2021, which has no `if let` chains.
#![allow(dead_code, missing_docs, clippy::unwrap_used, clippy::collapsible_if)]

include!("../runtime/tests/harness.rs");

use stream::Parser;

const LINE_BYTES: usize = 16_000_000;

fn long_line() -> Vec<u8> {
    let mut body = b"data: ".to_vec();
    body.resize(LINE_BYTES, b'x');
    body.extend_from_slice(b"\n\ndata: [DONE]\n\n");
    body
}

fn small_events() -> Vec<u8> {
    let event = b"data: {\"message_type\":\"assistant_message\",\"content\":\"hello there\"}\n\n";
    event.repeat(LINE_BYTES / event.len())
}

fn decode(body: &[u8], chunk: usize) -> usize {
    let mut p = Parser::default();
    let mut n = 0;
    for c in body.chunks(chunk) {
        p.push(c);
        while let Some(ev) = p.next_event(false).unwrap() {
            n += ev.data.len();
        }
    }
    while let Some(ev) = p.next_event(true).unwrap() {
        n += ev.data.len();
    }
    n
}

#[divan::bench(args = [1, 65_536], sample_count = 5)]
fn one_16mb_line(bencher: divan::Bencher, chunk: usize) {
    let body = long_line();
    bencher
        .counter(divan::counter::BytesCount::new(body.len()))
        .bench(|| decode(divan::black_box(&body), chunk));
}

#[divan::bench(args = [1, 65_536], sample_count = 5)]
fn small_events_16mb(bencher: divan::Bencher, chunk: usize) {
    let body = small_events();
    bencher
        .counter(divan::counter::BytesCount::new(body.len()))
        .bench(|| decode(divan::black_box(&body), chunk));
}

fn main() {
    divan::main();
}
