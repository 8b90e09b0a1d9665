//! Determinism: the same spec gives byte-identical output across runs in one process, across processes
//! (the `generator` binary, when built), and whatever the order of the spec's paths and schemas.

use tests::gen_support;

use std::collections::BTreeMap;
use std::process::Command;

use generator::Options;

fn generate(text: &str) -> BTreeMap<String, String> {
    generator::generate(text, &Options::default())
        .unwrap_or_else(|e| panic!("spec/openapi.json: {e}"))
        .files
}

/// The first file that differs between two outputs, with its first differing hunk.
fn first_difference(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Option<String> {
    let ak: Vec<&String> = a.keys().collect();
    let bk: Vec<&String> = b.keys().collect();
    if ak != bk {
        let only_a: Vec<&&String> = ak.iter().filter(|k| !b.contains_key(**k)).collect();
        let only_b: Vec<&&String> = bk.iter().filter(|k| !a.contains_key(**k)).collect();
        return Some(format!(
            "file sets differ: only in first {only_a:?}, only in second {only_b:?}"
        ));
    }
    a.iter().find(|(k, v)| b[*k] != **v).map(|(k, v)| {
        format!(
            "{k} differs:\n{}",
            generator::write::first_hunk(k, v, &b[k])
        )
    })
}

#[test]
fn repeated_runs_in_one_process_are_identical() {
    let text = tests::spec_text();
    let first = generate(&text);
    for _ in 0..2 {
        let again = generate(&text);
        if let Some(d) = first_difference(&first, &again) {
            panic!("two runs differ: {d}");
        }
    }
    // Also with the fixtures: every golden fixture twice.
    for (name, path) in gen_support::golden_fixtures() {
        let text = gen_support::read_text(&path);
        let opts = gen_support::options("det", &name);
        let a = generator::generate(&text, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        let b = generator::generate(&text, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
        if let Some(d) = first_difference(&a.files, &b.files) {
            panic!("{name}: two runs differ: {d}");
        }
        assert_eq!(
            a.warnings, b.warnings,
            "{name}: warnings differ between runs"
        );
    }
}

/// Reads every file under `dir` as relative path → text.
fn read_tree(dir: &std::path::Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .flatten()
        {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(rel) = p.strip_prefix(dir) {
                let text =
                    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                out.insert(rel.to_string_lossy().replace('\\', "/"), text);
            }
        }
    }
    out
}

#[test]
fn separate_processes_write_identical_trees() {
    let Some(bin) = gen_support::generator_bin() else {
        eprintln!("skipped: target/debug/generator is not built (cargo build -p generator)");
        return;
    };
    let root = gen_support::build_root().join("determinism");
    let mut trees = Vec::new();
    for run in ["run1", "run2"] {
        let out = root.join(run);
        let _ = std::fs::remove_dir_all(&out);
        let status = Command::new(&bin)
            .current_dir(tests::repo_root())
            .args(["--spec", "spec/letta-0.7.10/openapi.json", "--out"])
            .arg(&out)
            .output()
            .expect("run generator");
        assert!(
            status.status.success(),
            "generator failed: {}",
            String::from_utf8_lossy(&status.stderr)
        );
        trees.push(read_tree(&out));
    }
    if let Some(d) = first_difference(&trees[0], &trees[1]) {
        panic!("two processes wrote different trees: {d}");
    }
    // And the same bytes as the library in this process.
    let library = generator::generate(&tests::spec_text(), &tests::pinned_options("letta-0.7.10"))
        .expect("generate")
        .files;
    if let Some(d) = first_difference(&trees[0], &library) {
        panic!("the binary and the library differ: {d}");
    }
}

/// A small deterministic PRNG (xorshift64*), so the shuffles are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Rebuilds the object at `pointer` with its keys in shuffled order.
fn shuffle_object(doc: &mut serde_json::Value, pointer: &str, rng: &mut Rng) {
    let obj = doc
        .pointer_mut(pointer)
        .and_then(serde_json::Value::as_object_mut)
        .unwrap_or_else(|| panic!("{pointer} is an object"));
    let mut entries: Vec<(String, serde_json::Value)> = std::mem::take(obj).into_iter().collect();
    let before: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
    rng.shuffle(&mut entries);
    assert_ne!(
        before,
        entries.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>(),
        "{pointer}: the shuffle changed the order"
    );
    let order: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
    obj.extend(entries);
    assert_eq!(
        obj.keys().cloned().collect::<Vec<_>>(),
        order,
        "serde_json must preserve insertion order (the `preserve_order` feature)"
    );
}

/// Replaces the spec's sha256 (full and abbreviated), which changes with the text, by a placeholder.
fn without_sha(files: &BTreeMap<String, String>, text: &str) -> BTreeMap<String, String> {
    let sha = generator::sha256_hex(text);
    files
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.replace(&sha, "<sha256>").replace(&sha[..12], "<sha256>"),
            )
        })
        .collect()
}

#[test]
fn shuffled_paths_and_schemas_give_the_same_output() {
    let text = tests::spec_text();
    let reference = without_sha(&generate(&text), &text);
    for seed in [1_u64, 0x9E37_79B9_7F4A_7C15, 42] {
        let mut doc: serde_json::Value = serde_json::from_str(&text).expect("spec is JSON");
        let mut rng = Rng(seed);
        shuffle_object(&mut doc, "/paths", &mut rng);
        shuffle_object(&mut doc, "/components/schemas", &mut rng);
        let shuffled = serde_json::to_string_pretty(&doc).expect("serialize");
        assert_ne!(shuffled, text);
        let out = without_sha(&generate(&shuffled), &shuffled);
        if let Some(d) = first_difference(&reference, &out) {
            panic!("seed {seed:#x}: shuffled spec gives different output: {d}");
        }
    }
}
