//! `render`: the named IR into file texts, through minijinja templates fed with precomputed view models.

// No panic on any input: these passes read every document a user gives them, so a missing key or
// an index out of range is an error (or a fallback), never an `unwrap` or `[i]`.
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::unreachable,
    clippy::todo,
    clippy::unimplemented
)]

pub(crate) mod apis;
pub(crate) mod models;

use crate::printer::Print;
use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::ir::{Api, TypeKind};
use crate::naming::feature_name;
use crate::profile::Profile;
use crate::shape::tokens;
use crate::templates::Templates;

pub use crate::meta::Meta;

/// Which file a template renders into, before formatting.
pub struct Rendered {
    /// Relative path → unformatted text.
    pub files: BTreeMap<String, String>,
}

fn env(templates: &Templates) -> Result<Environment<'static>> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_auto_escape_callback(|_| AutoEscape::None);
    for (name, source) in templates.iter() {
        env.add_template_owned(name.clone(), source.clone())
            .map_err(|e| Error::Template {
                name: name.clone(),
                message: describe(&e),
            })?;
    }
    Ok(env)
}

fn describe(e: &minijinja::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!(": {s}"));
        source = s.source();
    }
    msg
}

fn render_one(env: &Environment<'_>, name: &str, ctx: Value) -> Result<String> {
    let tmpl = env.get_template(name).map_err(|e| Error::Template {
        name: name.into(),
        message: describe(&e),
    })?;
    tmpl.render(ctx).map_err(|e| Error::Template {
        name: name.into(),
        message: describe(&e),
    })
}

#[derive(Serialize)]
struct TagSummary {
    module: String,
    name_doc: String,
    api_type: String,
    feature: String,
    feature_lit: String,
    needs: Vec<String>,
    operation_count: usize,
}

/// The emitted `StreamEvent`: its variants come from the profile's `streaming.events`.
#[derive(Serialize, Default)]
struct StreamView {
    /// The tag property, as a string literal token.
    tag: String,
    variants: Vec<StreamVariantView>,
    /// `matches!` pattern of the variants that report failures (empty when none do).
    error_pattern: String,
}

#[derive(Serialize)]
struct StreamVariantView {
    name: String,
    ty: String,
    docs: String,
    /// Match pattern of the tag values that select it.
    pattern: String,
}

/// Builds the stream event view from the profile, checking every schema it names against the spec.
fn stream_view(api: &Api, profile: &Profile, profile_file: &str) -> Result<StreamView> {
    let streaming = &profile.streaming;
    let Some(tag) = &streaming.tag else {
        return Ok(StreamView {
            tag: tokens::lit("type").to_string(),
            ..StreamView::default()
        });
    };
    let bad = |i: usize, message: String| Error::Profile {
        file: profile_file.into(),
        message: format!("streaming.events[{i}].schema: {message}"),
    };
    let mut variants = Vec::new();
    let mut errors = Vec::new();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for (i, ev) in streaming.events.iter().enumerate() {
        let Some(t) = api
            .types
            .iter()
            .find(|t| t.parent.is_none() && t.source == ev.schema)
        else {
            return Err(bad(
                i,
                format!("the spec has no component schema `{}`", ev.schema),
            ));
        };
        let values: Vec<String> = match &t.kind {
            TypeKind::Tagged(tagged) if tagged.tag == *tag => tagged
                .variants
                .iter()
                .flat_map(|v| v.values.iter().cloned())
                .collect(),
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .find(|f| f.wire == *tag)
                .and_then(|f| match f.ty.non_null() {
                    crate::ir::Ty::Ref(c) => match api.kind_of(*c) {
                        TypeKind::Const(serde_json::Value::String(s)) => Some(vec![s.clone()]),
                        TypeKind::Enum(values) if values.len() == 1 => {
                            values.first().map(|v| vec![v.wire.clone()])
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        };
        if values.is_empty() {
            return Err(bad(
                i,
                format!(
                    "`{}` is neither a union discriminated by `{tag}` nor an object whose `{tag}` is a constant",
                    ev.schema
                ),
            ));
        }
        for v in &values {
            if let Some(prev) = taken.insert(v.clone(), ev.variant.clone()) {
                return Err(bad(
                    i,
                    format!(
                        "the tag value `{v}` of `{}` is already taken by variant `{prev}`",
                        ev.schema
                    ),
                ));
            }
        }
        let pattern = values
            .iter()
            .map(|s| format!("::std::option::Option::Some({})", tokens::lit(s)))
            .collect::<Vec<_>>()
            .join(" | ");
        let doc = ev.doc.clone().unwrap_or_else(|| {
            format!(
                "An event of schema `{}` (`{tag}`: {}).",
                ev.schema,
                values.join(", ")
            )
        });
        let name = tokens::ident(&ev.variant);
        if ev.error {
            errors.push(quote::quote!(Self::#name(_)).print());
        }
        variants.push(StreamVariantView {
            name: ev.variant.clone(),
            ty: format!("crate::models::{}", t.name),
            docs: crate::docs::doc_comment(Some(&doc)),
            pattern,
        });
    }
    Ok(StreamView {
        tag: tokens::lit(tag).to_string(),
        variants,
        error_pattern: errors.join(" | "),
    })
}

/// Every operation id the profile names must be one of the spec's (a typo would silently do nothing), and
/// the streams it names must be streams.
fn check_profile_operations(api: &Api, profile: &Profile, profile_file: &str) -> Result<()> {
    let named = profile
        .paging
        .cursors_by_operation
        .keys()
        .map(|op| ("paging.cursors_by_operation", op, false))
        .chain(
            profile
                .streaming
                .end_at_close
                .iter()
                .map(|op| ("streaming.end_at_close", op, true)),
        );
    for (key, op_id, must_stream) in named {
        let bad = |message: String| Error::Profile {
            file: profile_file.into(),
            message: format!("{key}: {message}"),
        };
        match api.operations.iter().find(|o| o.id == *op_id) {
            None => return Err(bad(format!("the spec has no operation `{op_id}`"))),
            Some(op)
                if must_stream
                    && !matches!(
                        op.response,
                        crate::ir::Response::Stream | crate::ir::Response::Dual(_)
                    ) =>
            {
                return Err(bad(format!(
                    "operation `{op_id}` does not answer with an event stream"
                )));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

#[derive(Serialize)]
struct CompatHeaderView {
    name: String,
    name_lit: String,
    value: String,
    value_lit: String,
    why: Vec<String>,
}

#[derive(Serialize)]
struct ExampleView {
    name: String,
    required_features: Vec<String>,
}

/// Renders every file of the emitted crate.
///
/// # Errors
///
/// A template that fails to load or render, or a profile that names what the spec lacks.
pub fn render(
    api: &Api,
    meta: &Meta,
    templates: &Templates,
    profile: &Profile,
    profile_file: &str,
) -> Result<Rendered> {
    let mut env = env(templates)?;
    let shape = crate::shape::Shape::of(api, profile);
    let mut files = BTreeMap::new();

    let model_files = models::files(api, &shape);
    for f in &model_files {
        let text = render_one(
            &env,
            "model.rs.j2",
            context! { types => Value::from(minijinja::value::Serde(&f.types)) },
        )?;
        files.insert(format!("src/models/{}.rs", f.module), text);
    }
    let modules: Vec<Value> = model_files
        .iter()
        .map(|f| context! { name => &f.module, cfg => &f.cfg })
        .collect();
    files.insert(
        "src/models/mod.rs".into(),
        render_one(
            &env,
            "models_mod.rs.j2",
            context! { modules, lib_name => &meta.lib_name, unused_models_feature => crate::shape::UNUSED_MODELS_FEATURE },
        )?,
    );

    check_profile_operations(api, profile, profile_file)?;
    let tag_views = apis::tags(api, &shape, profile);
    let summaries: Vec<TagSummary> = shape
        .apis
        .iter()
        .map(|a| TagSummary {
            module: a.module.clone(),
            name_doc: crate::docs::sanitize(&a.name).join(" ").replace('`', "'"),
            api_type: a.api_type.clone(),
            feature: a.feature.clone(),
            feature_lit: tokens::lit(&a.feature).to_string(),
            needs: a.needs.iter().map(|m| feature_name(m)).collect(),
            operation_count: a.ops.len(),
        })
        .collect();
    for v in &tag_views {
        files.insert(
            format!("src/apis/{}.rs", v.module),
            render_one(
                &env,
                "api.rs.j2",
                context! { tag => Value::from(minijinja::value::Serde(v)) },
            )?,
        );
    }
    let stream = stream_view(api, profile, profile_file)?;
    files.insert(
        "src/apis/mod.rs".into(),
        render_one(&env, "apis_mod.rs.j2", context! { tags => Value::from(minijinja::value::Serde(&summaries)), stream => Value::from(minijinja::value::Serde(&stream)) })?,
    );

    let validation =
        crate::shape::validation_error(api).map(|t| format!("crate::models::{}", api.name_of(t)));
    let default_base_url = profile
        .client
        .default_base_url
        .clone()
        .or_else(|| api.servers.first().cloned())
        .unwrap_or_else(|| "http://localhost".into());
    let compat_headers: Vec<CompatHeaderView> = profile
        .client
        .compat_headers
        .iter()
        .map(|h| CompatHeaderView {
            name: h.name.clone(),
            name_lit: tokens::lit(&h.name).to_string(),
            value: h.value.clone(),
            value_lit: tokens::lit(&h.value).to_string(),
            why: crate::docs::sanitize(&h.why),
        })
        .collect();
    let examples: Vec<ExampleView> = profile
        .docs
        .examples
        .iter()
        .map(|e| ExampleView {
            name: e.name.clone(),
            required_features: e.required_features.clone(),
        })
        .collect();
    let user_agent = format!("{}-rust/{}", meta.crate_name, meta.crate_version);
    let description = profile.krate.description.clone().unwrap_or_else(|| {
        format!(
            "Typed async Rust client for the {} (generated from its OpenAPI document)",
            api.title.trim()
        )
    });
    let mut common = context! {
        crate_name => &meta.crate_name,
        lib_name => &meta.lib_name,
        crate_version => &meta.crate_version,
        crate_version_lit => tokens::lit(&meta.crate_version).to_string(),
        crate_description_lit => toml_string(&description),
        crate_keywords => profile.krate.keywords.iter().map(|k| toml_string(k)).collect::<Vec<_>>(),
        spec_file => &meta.spec_file,
        spec_sha256 => &meta.spec_sha256,
        spec_sha256_short => &meta.spec_sha256[..meta.spec_sha256.len().min(12)],
        spec_sha256_lit => tokens::lit(&meta.spec_sha256).to_string(),
        generator_name => &meta.generator_name,
        generator_version => &meta.generator_version,
        generator_version_lit => tokens::lit(&meta.generator_version).to_string(),
        api_title => crate::docs::sanitize(&api.title).join(" "),
        api_version => crate::docs::sanitize(&api.version).join(" ").replace('`', "'"),
        api_version_lit => tokens::lit(&api.version).to_string(),
        tags => Value::from(minijinja::value::Serde(&summaries)),
        unused_models_feature => crate::shape::UNUSED_MODELS_FEATURE,
        type_count => api.types.iter().filter(|t| t.parent.is_none()).count(),
        operation_count => api.operations.len(),
        validation_error_type => validation,
        base_url_env => profile.base_url_env(),
        base_url_env_lit => tokens::lit(&profile.base_url_env()).to_string(),
        token_env => profile.token_env(),
        token_env_lit => tokens::lit(&profile.token_env()).to_string(),
        default_base_url => default_base_url.replace(['`', '\n', '\r'], "'"),
        default_base_url_lit => tokens::lit(&default_base_url).to_string(),
        user_agent => user_agent.replace(['`', '\n', '\r'], "'"),
        user_agent_lit => tokens::lit(&user_agent).to_string(),
        compat_headers => Value::from(minijinja::value::Serde(&compat_headers)),
        examples => Value::from(minijinja::value::Serde(&examples)),
        overlays => meta
            .overlays
            .iter()
            .map(|o| context! {
                file => o.file.replace(['`', '\n', '\r'], "'"),
                file_lit => tokens::lit(&o.file).to_string(),
                sha256 => &o.sha256,
                sha256_lit => tokens::lit(&o.sha256).to_string(),
            })
            .collect::<Vec<_>>(),
    };
    // The profile's own templates (crate docs, examples) see the same context.
    if let Some(text) = &profile.docs.crate_docs_text {
        let name = "profile:docs.crate_docs".to_string();
        env.add_template_owned(name.clone(), text.clone())
            .map_err(|e| Error::Template {
                name: name.clone(),
                message: describe(&e),
            })?;
        let docs = render_one(&env, &name, common.clone())?;
        let inner: Vec<String> = docs
            .trim_end()
            .lines()
            .map(|l| {
                if l.is_empty() {
                    "//!".to_string()
                } else {
                    format!("//! {l}")
                }
            })
            .collect();
        common = context! { crate_docs => readme_markdown(docs.trim_end()), crate_docs_inner => inner.join("\n"), ..common };
    } else {
        common = context! { crate_docs => (), crate_docs_inner => (), ..common };
    }
    files.insert(
        "src/lib.rs".into(),
        render_one(&env, "lib.rs.j2", common.clone())?,
    );
    files.insert(
        "Cargo.toml".into(),
        render_one(&env, "Cargo.toml.j2", common.clone())?,
    );
    files.insert(
        "README.md".into(),
        render_one(&env, "README.md.j2", common.clone())?,
    );
    for ex in &profile.docs.examples {
        let name = format!("profile:docs.examples.{}", ex.name);
        env.add_template_owned(name.clone(), ex.text.clone())
            .map_err(|e| Error::Template {
                name: name.clone(),
                message: describe(&e),
            })?;
        files.insert(
            format!("examples/{}.rs", ex.name),
            render_one(&env, &name, common.clone())?,
        );
    }
    files.insert(
        "src/spec.rs".into(),
        render_one(&env, "spec.rs.j2", common.clone())?,
    );
    for (name, text) in crate::runtime::RUNTIME_FILES {
        files.insert(format!("src/{name}.rs"), text.to_string());
    }
    Ok(Rendered { files })
}

/// Crate docs as a README shows them: rustdoc's hidden lines (`# ...`) inside Rust code blocks dropped,
/// and doctest fences (`no_run`, `ignore`, none) marked as Rust for highlighting.
fn readme_markdown(docs: &str) -> String {
    let mut out = Vec::new();
    let mut in_rust = false;
    let mut in_code = false;
    for line in docs.lines() {
        let trimmed = line.trim_start();
        if let Some(info) = trimmed.strip_prefix("```") {
            if in_code {
                in_code = false;
                in_rust = false;
                out.push(line.to_string());
                continue;
            }
            in_code = true;
            let words: Vec<&str> = info
                .split(',')
                .map(str::trim)
                .filter(|w| !w.is_empty())
                .collect();
            let doctest = [
                "rust",
                "no_run",
                "ignore",
                "should_panic",
                "compile_fail",
                "edition2021",
            ];
            in_rust = words.iter().all(|w| doctest.contains(w));
            out.push(if in_rust {
                "```rust".to_string()
            } else {
                line.to_string()
            });
            continue;
        }
        if in_rust && (trimmed == "#" || trimmed.starts_with("# ")) {
            continue;
        }
        out.push(line.to_string());
    }
    out.join("\n")
}

/// A TOML basic string literal.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
