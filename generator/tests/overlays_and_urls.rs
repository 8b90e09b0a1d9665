//! Overlays (`--overlay`, the `overlays/` folder beside a spec, `--check`, `diff`) and specs fetched from a
//! URL (`--spec http://…`, `--save-spec`, `diff` of URLs, timeouts and errors), through the real binary.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

const SPEC: &str = r#"openapi: 3.1.0
info: {title: Overlay fixture, version: '1'}
paths:
  /export:
    get:
      operationId: export_thing
      tags: [things]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: string}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
"#;

const FIX: &str = r#"overlay: 1.0.0
info: {title: the export answers a Thing, version: '1'}
actions:
  - target: "$.paths['/export'].get.responses['200'].content['application/json'].schema"
    remove: true
  - target: "$.paths['/export'].get.responses['200'].content['application/json']"
    update:
      schema: {$ref: '#/components/schemas/Thing'}
"#;

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("generator-overlay-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp dir");
    dir
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run generator")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn sha256(text: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A folder with `spec.yaml` and `fix.yaml`.
fn fixture(name: &str) -> PathBuf {
    let dir = tmp(name);
    std::fs::write(dir.join("spec.yaml"), SPEC).expect("spec");
    std::fs::write(dir.join("fix.yaml"), FIX).expect("overlay");
    dir
}

#[test]
fn an_overlay_changes_the_sdk_and_the_header_records_it() {
    let dir = fixture("apply");
    let plain = run(&dir, &["--spec", "spec.yaml", "--out", "plain"]);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain));
    let api = read(&dir.join("plain/src/apis/things.rs"));
    assert!(
        api.contains("::std::result::Result<::std::string::String, crate::Error>"),
        "{api}"
    );

    let fixed = run(
        &dir,
        &[
            "--spec",
            "spec.yaml",
            "--out",
            "fixed",
            "--overlay",
            "fix.yaml",
        ],
    );
    assert_eq!(fixed.status.code(), Some(0), "{}", text(&fixed));
    let api = read(&dir.join("fixed/src/apis/things.rs"));
    assert!(
        api.contains("::std::result::Result<crate::models::Thing, crate::Error>"),
        "{api}"
    );
    let line = format!("// With the overlay fix.yaml (sha256 {}).", sha256(FIX));
    assert!(api.contains(&line), "the header records the overlay: {api}");
    let spec_rs = read(&dir.join("fixed/src/spec.rs"));
    assert!(
        spec_rs.contains(&format!("(\"fix.yaml\", \"{}\")", sha256(FIX))),
        "{spec_rs}"
    );

    // --check honours the overlay: the same command is clean, the command without it is drift.
    let same = run(
        &dir,
        &[
            "--spec",
            "spec.yaml",
            "--out",
            "fixed",
            "--overlay",
            "fix.yaml",
            "--check",
        ],
    );
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));
    let without = run(&dir, &["--spec", "spec.yaml", "--out", "fixed", "--check"]);
    assert_eq!(without.status.code(), Some(1), "{}", text(&without));
    assert!(
        text(&without).contains("changed: src/apis/things.rs"),
        "{}",
        text(&without)
    );
}

#[test]
fn overlays_beside_the_spec_apply_by_default() {
    let dir = fixture("beside");
    std::fs::create_dir_all(dir.join("pinned/overlays")).expect("folder");
    std::fs::write(dir.join("pinned/openapi.yaml"), SPEC).expect("spec");
    std::fs::write(dir.join("pinned/overlays/10-fix.yaml"), FIX).expect("overlay");
    std::fs::write(dir.join("pinned/overlays/README.md"), "not an overlay").expect("readme");
    let out = run(&dir, &["--spec", "pinned/openapi.yaml", "--out", "sdk"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let api = read(&dir.join("sdk/src/apis/things.rs"));
    assert!(api.contains("crate::models::Thing, crate::Error>"), "{api}");
    assert!(
        api.contains("// With the overlay pinned/overlays/10-fix.yaml (sha256"),
        "{api}"
    );

    let raw = run(
        &dir,
        &[
            "--spec",
            "pinned/openapi.yaml",
            "--out",
            "raw",
            "--no-default-overlays",
        ],
    );
    assert_eq!(raw.status.code(), Some(0), "{}", text(&raw));
    let api = read(&dir.join("raw/src/apis/things.rs"));
    assert!(
        !api.contains("With the overlay") && api.contains("::std::string::String, crate::Error>")
    );
}

#[test]
fn a_bad_overlay_names_the_file_and_action_and_writes_nothing() {
    let dir = fixture("bad");
    let cases: &[(&str, &str)] = &[
        (
            "actions:\n  - target: $.paths['/nope'].get\n    remove: true\n",
            "bad.yaml: actions[0] (target `$.paths['/nope'].get`): selects nothing",
        ),
        (
            "actions:\n  - target: $.info\n    update: {title: t}\n  - target: '$.paths[?'\n    remove: true\n",
            "bad.yaml: actions[1]: `target` is not a valid RFC 9535 JSONPath query",
        ),
        (
            "actions:\n  - target: $.info.title\n    update: {x: 1}\n",
            "bad.yaml: actions[0] (target `$.info.title`): #/info/title is a string",
        ),
        (
            "actions:\n  - target: $.paths\n    update: {'/export': 3}\n",
            "cannot merge a number into an object",
        ),
        (
            "actions:\n  - target: $\n    update: {openapi: '2.0'}\n",
            "the overlaid document is no longer an OpenAPI document",
        ),
    ];
    for (actions, want) in cases {
        let overlay = format!("overlay: 1.0.0\ninfo: {{title: t, version: '1'}}\n{actions}");
        std::fs::write(dir.join("bad.yaml"), overlay).expect("overlay");
        let out = run(
            &dir,
            &[
                "--spec",
                "spec.yaml",
                "--out",
                "sdk",
                "--overlay",
                "bad.yaml",
            ],
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(
            text(&out).contains(want),
            "want {want:?} in: {}",
            text(&out)
        );
        assert!(!dir.join("sdk").exists(), "nothing is written");
    }
    let missing = run(
        &dir,
        &[
            "--spec",
            "spec.yaml",
            "--out",
            "sdk",
            "--overlay",
            "nope.yaml",
        ],
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(text(&missing).contains("nope.yaml"), "{}", text(&missing));
}

#[test]
fn diff_applies_overlays_to_each_side() {
    let dir = fixture("diff");
    let same = run(&dir, &["diff", "spec.yaml", "spec.yaml"]);
    assert_eq!(same.status.code(), Some(0), "{}", text(&same));
    let changed = run(
        &dir,
        &[
            "diff",
            "spec.yaml",
            "spec.yaml",
            "--new-overlay",
            "fix.yaml",
        ],
    );
    assert_eq!(changed.status.code(), Some(1), "{}", text(&changed));
    assert!(
        text(&changed).contains("export_thing"),
        "{}",
        text(&changed)
    );
    let both = run(
        &dir,
        &[
            "diff",
            "spec.yaml",
            "spec.yaml",
            "--old-overlay",
            "fix.yaml",
            "--new-overlay",
            "fix.yaml",
        ],
    );
    assert_eq!(both.status.code(), Some(0), "{}", text(&both));
}

/// A one-connection-at-a-time HTTP server on a free port, answering every request with `status` and
/// `body` (or, with `stall`, accepting and never answering). Runs until the test process ends.
fn serve(status: &'static str, body: String, stall: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://{}/openapi.json",
        listener.local_addr().expect("addr")
    );
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            if stall {
                held.push(stream);
                continue;
            }
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-type: application/yaml\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(body.as_bytes());
        }
    });
    url
}

#[test]
fn a_spec_is_fetched_from_a_url_and_saved_only_when_asked() {
    let dir = tmp("url");
    let url = serve("200 OK", SPEC.to_string(), false);
    let out = run(&dir, &["--spec", &url, "--out", "sdk"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let lib = read(&dir.join("sdk/src/lib.rs"));
    assert!(
        lib.contains(&format!("from {url} (sha256 {})", sha256(SPEC))),
        "{lib}"
    );
    let entries: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(entries, ["sdk"], "the fetched document is written nowhere");

    // The URL with an overlay, and --save-spec, which writes the fetched text as it came.
    let saved = run(
        &dir,
        &[
            "--spec",
            &url,
            "--out",
            "sdk2",
            "--overlay",
            "../fix.yaml",
            "--save-spec",
            "openapi.yaml",
        ],
    );
    assert_eq!(
        saved.status.code(),
        Some(2),
        "a missing overlay is an error: {}",
        text(&saved)
    );
    assert!(
        !dir.join("openapi.yaml").exists(),
        "nothing is saved by a failed run"
    );
    std::fs::write(dir.join("fix.yaml"), FIX).expect("overlay");
    let saved = run(
        &dir,
        &[
            "--spec",
            &url,
            "--out",
            "sdk2",
            "--overlay",
            "fix.yaml",
            "--save-spec",
            "openapi.yaml",
        ],
    );
    assert_eq!(saved.status.code(), Some(0), "{}", text(&saved));
    assert_eq!(read(&dir.join("openapi.yaml")), SPEC);
    assert!(
        read(&dir.join("sdk2/src/apis/things.rs")).contains("crate::models::Thing, crate::Error>")
    );

    // --save-spec with a file spec is refused (it would copy a file the user has).
    let refused = run(
        &dir,
        &[
            "--spec",
            "openapi.yaml",
            "--out",
            "sdk3",
            "--save-spec",
            "x.yaml",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused).contains("--save-spec saves a spec fetched from a URL"),
        "{}",
        text(&refused)
    );

    // diff accepts URLs on either side.
    let diff = run(&dir, &["diff", &url, "openapi.yaml"]);
    assert_eq!(diff.status.code(), Some(0), "{}", text(&diff));
}

#[test]
fn url_failures_are_clear_errors() {
    let dir = tmp("url-errors");
    let not_found = serve("404 Not Found", "{\"detail\":\"Not Found\"}".into(), false);
    let out = run(&dir, &["--spec", &not_found, "--out", "sdk"]);
    assert_eq!(out.status.code(), Some(2));
    let msg = text(&out);
    assert!(
        msg.contains(&not_found) && msg.contains("404") && msg.contains("/openapi.json"),
        "{msg}"
    );

    let not_a_spec = serve("200 OK", "<html>hello</html>".into(), false);
    let out = run(&dir, &["--spec", &not_a_spec, "--out", "sdk"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains(&not_a_spec), "{}", text(&out));

    // A closed port: bind, learn the port, close.
    let port = TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port();
    let closed = format!("http://127.0.0.1:{port}/openapi.json");
    let out = run(&dir, &["--spec", &closed, "--out", "sdk"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out).contains("connection refused"), "{}", text(&out));

    let stalled = serve("200 OK", String::new(), true);
    let started = std::time::Instant::now();
    let out = run(
        &dir,
        &["--spec", &stalled, "--out", "sdk", "--timeout", "0.5"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out).contains("no complete answer within 0.5 s"),
        "{}",
        text(&out)
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the timeout is honoured"
    );

    let out = run(
        &dir,
        &["--spec", &stalled, "--out", "sdk", "--timeout", "0"],
    );
    assert!(
        text(&out).contains("--timeout 0: expected a positive number"),
        "{}",
        text(&out)
    );
    assert!(
        !dir.join("sdk").exists(),
        "nothing is written by any of these"
    );
}
