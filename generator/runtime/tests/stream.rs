//! Unit tests of the event-stream parser against the WHATWG rules ("Parsing an event stream"): a simple
//! reference parser of the rules, run on the whole input at once, is compared with the incremental parser
//! fed the same bytes in every split (short streams) and in random chunkings (a property test), for valid and
//! truncated streams with BOM, CR, LF, CRLF and their mixtures.

use proptest::prelude::*;

use crate::error::StreamError;
use crate::stream::{MAX_EVENT_BYTES, Parser, RawEvent};

/// The rules, applied to the whole input: one leading BOM skipped; lines end at CRLF, CR or LF; an
/// unterminated last line and an undispatched event are discarded at the end.
fn reference(input: &[u8]) -> Vec<RawEvent> {
    let input = input
        .strip_prefix(b"\xEF\xBB\xBF".as_slice())
        .unwrap_or(input);
    let mut lines: Vec<&[u8]> = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < input.len() {
        match input[i] {
            b'\r' => {
                lines.push(&input[start..i]);
                i += if input.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                start = i;
            }
            b'\n' => {
                lines.push(&input[start..i]);
                i += 1;
                start = i;
            }
            _ => i += 1,
        }
    }
    let (mut events, mut data, mut event) = (Vec::new(), String::new(), String::new());
    for line in lines {
        let line = std::str::from_utf8(line).expect("complete lines are UTF-8 in these tests");
        if line.is_empty() {
            if !data.is_empty() {
                if data.ends_with('\n') {
                    data.pop();
                }
                events.push(RawEvent {
                    event: std::mem::take(&mut event),
                    data: std::mem::take(&mut data),
                });
            } else {
                event.clear();
            }
            continue;
        }
        if line.starts_with(':') {
            continue;
        }
        let (field, value) = match line.find(':') {
            Some(at) => {
                let v = &line[at + 1..];
                (&line[..at], v.strip_prefix(' ').unwrap_or(v))
            }
            None => (line, ""),
        };
        match field {
            "data" => {
                data.push_str(value);
                data.push('\n');
            }
            "event" => event = value.to_string(),
            _ => {}
        }
    }
    events
}

/// Feeds `chunks` to the incremental parser and collects every event, then ends the input.
fn incremental(chunks: &[&[u8]]) -> Result<Vec<RawEvent>, StreamError> {
    let mut p = Parser::default();
    let mut out = Vec::new();
    for chunk in chunks {
        p.push(chunk);
        while let Some(ev) = p.next_event(false)? {
            out.push(ev);
        }
    }
    while let Some(ev) = p.next_event(true)? {
        out.push(ev);
    }
    Ok(out)
}

fn ev(event: &str, data: &str) -> RawEvent {
    RawEvent {
        event: event.into(),
        data: data.into(),
    }
}

/// Every split of `input` into two chunks, and into single bytes, gives the reference's events.
fn assert_every_split(input: &[u8], expected: &[RawEvent]) {
    assert_eq!(reference(input), expected, "reference on {input:?}");
    for at in 0..=input.len() {
        let (a, b) = input.split_at(at);
        assert_eq!(
            incremental(&[a, b]).unwrap(),
            expected,
            "split at {at} of {input:?}"
        );
    }
    let bytes: Vec<&[u8]> = input.chunks(1).collect();
    assert_eq!(
        incremental(&bytes).unwrap(),
        expected,
        "1-byte chunks of {input:?}"
    );
}

#[test]
fn a_leading_bom_is_skipped_once() {
    assert_every_split(
        b"\xEF\xBB\xBFdata: first\n\ndata: second\n\n",
        &[ev("", "first"), ev("", "second")],
    );
    // Only one: a second BOM is part of the first field name, which is then unknown.
    assert_every_split(
        b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\ndata: y\n\n",
        &[ev("", "y")],
    );
    // A BOM later in the stream is just a byte sequence of a line.
    assert_every_split(b"data: a\n\n\xEF\xBB\xBFdata: b\n\n", &[ev("", "a")]);
}

#[test]
fn line_ends_cr_lf_and_crlf_in_any_mixture() {
    let expected = [ev("", "a"), ev("x", "b\nc")];
    for input in [
        &b"data: a\n\nevent: x\ndata: b\ndata: c\n\n"[..],
        b"data: a\r\revent: x\rdata: b\rdata: c\r\r",
        b"data: a\r\n\r\nevent: x\r\ndata: b\r\ndata: c\r\n\r\n",
        b"data: a\r\n\nevent: x\rdata: b\r\ndata: c\n\r",
    ] {
        assert_every_split(input, &expected);
    }
}

#[test]
fn a_cr_ends_the_line_at_once() {
    // The event is complete as soon as its blank line's CR arrives: no waiting for a possible LF.
    let mut p = Parser::default();
    p.push(b"data: now\r\r");
    assert_eq!(p.next_event(false).unwrap(), Some(ev("", "now")));
    // The LF of a CRLF split across chunks is skipped, not taken for an empty line.
    let mut p = Parser::default();
    p.push(b"data: a\r");
    assert_eq!(p.next_event(false).unwrap(), None);
    p.push(b"\ndata: b\r\n\r\n");
    assert_eq!(p.next_event(false).unwrap(), Some(ev("", "a\nb")));
}

#[test]
fn an_incomplete_last_event_is_discarded() {
    assert_every_split(b"data: whole\n\ndata: partial\n", &[ev("", "whole")]);
    assert_every_split(b"data: whole\n\ndata: partial", &[ev("", "whole")]);
    assert_every_split(b"data: whole\n\nevent: e\ndata: x\r", &[ev("", "whole")]);
}

#[test]
fn comments_fields_and_data_lines_follow_the_rules() {
    assert_every_split(
        b": keep-alive\nid: 7\nretry: 100\ndata\ndata:no space\ndata:  two spaces\nunknown: x\n\n",
        &[ev("", "\nno space\n two spaces")],
    );
    // An event without data lines is not dispatched, and its type does not leak into the next one.
    assert_every_split(b"event: ping\n\ndata: x\n\n", &[ev("", "x")]);
    assert_every_split(b"data: \xC3\xA4\n\n", &[ev("", "ä")]);
}

#[test]
fn the_last_event_id_is_kept_unless_it_has_a_nul() {
    let mut p = Parser::default();
    p.push(b"id: 41\ndata: a\n\nid: 4\x002\ndata: b\n\n");
    while p.next_event(false).unwrap().is_some() {}
    assert_eq!(p.last_id.as_deref(), Some("41"));
}

#[test]
fn invalid_utf8_in_a_line_is_an_error() {
    let err = incremental(&[b"data: \xFF\n\n"]).unwrap_err();
    assert!(matches!(err, StreamError::Malformed(_)), "{err:?}");
}

#[test]
fn a_line_over_the_limit_fails_in_any_chunking() {
    let mut big = b"data: ".to_vec();
    big.resize(MAX_EVENT_BYTES + 16, b'x');
    for size in [64 * 1024, 1 << 20] {
        let chunks: Vec<&[u8]> = big.chunks(size).collect();
        let err = incremental(&chunks).unwrap_err();
        assert!(matches!(err, StreamError::TooLarge { .. }), "{err:?}");
    }
    // Many complete events adding up to more than the limit are fine.
    let event = format!("data: {}\n\n", "y".repeat(1 << 20));
    let many = event.repeat(20);
    let chunks: Vec<&[u8]> = many.as_bytes().chunks(256 * 1024).collect();
    assert_eq!(incremental(&chunks).unwrap().len(), 20);
}

/// Pieces streams are made of, from the rules' corner cases.
fn line() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "data: x",
        "data:y",
        "data",
        "data: ",
        "data:  z",
        "event: e",
        "event:",
        ": comment",
        ":",
        "id: 1",
        "retry: 5",
        "field",
        "",
        "",
        "",
        "data: ä€",
        "data: [DONE]",
        "event: error",
    ])
}

fn stream() -> impl Strategy<Value = Vec<u8>> {
    (
        any::<bool>(),
        prop::collection::vec(
            (line(), prop::sample::select(vec!["\n", "\r", "\r\n"])),
            0..24,
        ),
        any::<bool>(),
        any::<prop::sample::Index>(),
    )
        .prop_map(|(bom, lines, truncate, cut)| {
            let mut out = Vec::new();
            if bom {
                out.extend_from_slice(b"\xEF\xBB\xBF");
            }
            for (l, end) in lines {
                out.extend_from_slice(l.as_bytes());
                out.extend_from_slice(end.as_bytes());
            }
            if truncate && !out.is_empty() {
                // Cut on a character boundary: the incremental parser gets the same bytes either way, and
                // the reference reads only complete lines.
                let mut at = cut.index(out.len());
                while std::str::from_utf8(&out[..at]).is_err() && at > 0 {
                    at -= 1;
                }
                out.truncate(at);
            }
            out
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn random_chunkings_match_the_reference(input in stream(), cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..8)) {
        let mut points: Vec<usize> = cuts.iter().map(|c| c.index(input.len() + 1)).collect();
        points.sort_unstable();
        let mut chunks = Vec::new();
        let mut last = 0;
        for p in points {
            chunks.push(&input[last..p]);
            last = p;
        }
        chunks.push(&input[last..]);
        prop_assert_eq!(incremental(&chunks).unwrap(), reference(&input));
    }
}
