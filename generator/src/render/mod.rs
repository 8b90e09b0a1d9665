//! `render`: the named IR into file texts, through minijinja templates fed with precomputed view models.

mod apis;
mod models;
mod tokens;

use std::collections::BTreeMap;

use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value, context};
use serde::Serialize;

use crate::Templates;
use crate::error::{Error, Result};
use crate::ir::{Api, TypeKind};

/// Facts about the generation run that reach the output (never timestamps or paths of this machine).
#[derive(Debug, Clone, Serialize)]
pub struct Meta {
    /// Crate (package) name.
    pub crate_name: String,
    /// Library name.
    pub lib_name: String,
    /// Crate version.
    pub crate_version: String,
    /// Spec file name as shown in headers.
    pub spec_file: String,
    /// sha256 of the spec text.
    pub spec_sha256: String,
    /// Generator name.
    pub generator_name: String,
    /// Generator version.
    pub generator_version: String,
}

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

#[derive(Serialize, Default)]
struct StreamView {
    tag: String,
    message: Option<String>,
    message_pattern: String,
    usage: Option<String>,
    usage_pattern: String,
}

/// Names of the schemas the stream event type is built from, when the spec has them.
const STREAM_MESSAGE_UNION: &str = "LettaMessageUnion";
const STREAM_USAGE: &str = "LettaUsageStatistics";
const STREAM_TAG: &str = "message_type";

fn stream_view(api: &Api) -> StreamView {
    let find = |source: &str| {
        api.types
            .iter()
            .position(|t| t.parent.is_none() && t.source == source)
    };
    let mut v = StreamView {
        tag: tokens::lit(STREAM_TAG).to_string(),
        ..StreamView::default()
    };
    if let Some(i) = find(STREAM_MESSAGE_UNION) {
        let t = &api.types[i];
        v.message = Some(format!("crate::models::{}", t.name));
        v.message_pattern = match &t.kind {
            TypeKind::Tagged(tagged) if tagged.tag == STREAM_TAG => tagged
                .variants
                .iter()
                .flat_map(|var| {
                    var.values
                        .iter()
                        .map(|s| format!("::std::option::Option::Some({})", tokens::lit(s)))
                })
                .collect::<Vec<_>>()
                .join(" | "),
            _ => "::std::option::Option::Some(_)".into(),
        };
    }
    if let Some(i) = find(STREAM_USAGE) {
        let t = &api.types[i];
        let tag_value = match &t.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .find(|f| f.wire == STREAM_TAG)
                .and_then(|f| match f.ty.non_null() {
                    crate::ir::Ty::Ref(c) => match &api.types[c.0].kind {
                        TypeKind::Const(serde_json::Value::String(s)) => Some(s.clone()),
                        _ => None,
                    },
                    _ => None,
                }),
            _ => None,
        };
        if let Some(tag_value) = tag_value {
            v.usage = Some(format!("crate::models::{}", t.name));
            v.usage_pattern = format!("::std::option::Option::Some({})", tokens::lit(&tag_value));
        }
    }
    v
}

/// The Cargo feature that gates an API module: the module's name, except that `default` (the module of
/// untagged operations) is Cargo's own feature list, so its feature is `untagged`.
pub fn feature_name(module: &str) -> String {
    if module == "default" {
        "untagged".into()
    } else {
        module.to_string()
    }
}

/// Renders every file of the emitted crate.
pub fn render(api: &Api, meta: &Meta, templates: &Templates) -> Result<Rendered> {
    let env = env(templates)?;
    let usage = models::Usage::of(api);
    let mut files = BTreeMap::new();

    let model_files = models::files(api, &usage);
    for f in &model_files {
        let text = render_one(
            &env,
            "model.rs.j2",
            context! { types => Value::from(minijinja::value::Serde(&f.types)) },
        )?;
        files.insert(format!("src/models/{}.rs", f.module), text);
    }
    let modules: Vec<String> = model_files.iter().map(|f| f.module.clone()).collect();
    files.insert(
        "src/models/mod.rs".into(),
        render_one(&env, "models_mod.rs.j2", context! { modules })?,
    );

    let tag_views = apis::tags(api, &usage);
    let summaries: Vec<TagSummary> = tag_views
        .iter()
        .zip(&api.tags)
        .map(|(v, t)| TagSummary {
            module: v.module.clone(),
            name_doc: crate::docs::sanitize(&v.name).join(" ").replace('`', "'"),
            api_type: t.api_type.clone(),
            feature: feature_name(&v.module),
            feature_lit: tokens::lit(&feature_name(&v.module)).to_string(),
            needs: v.needs.iter().map(|m| feature_name(m)).collect(),
            operation_count: t.operations.len(),
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
    files.insert(
        "src/apis/mod.rs".into(),
        render_one(&env, "apis_mod.rs.j2", context! { tags => Value::from(minijinja::value::Serde(&summaries)), stream => Value::from(minijinja::value::Serde(stream_view(api))) })?,
    );

    let validation = api
        .types
        .iter()
        .find(|t| t.parent.is_none() && t.source == "HTTPValidationError")
        .map(|t| format!("crate::models::{}", t.name));
    let common = context! {
        crate_name => &meta.crate_name,
        lib_name => &meta.lib_name,
        crate_version => &meta.crate_version,
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
        type_count => api.types.iter().filter(|t| t.parent.is_none()).count(),
        operation_count => api.operations.len(),
        validation_error_type => validation,
    };
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
    files.insert(
        "examples/quickstart.rs".into(),
        render_one(&env, "examples/quickstart.rs.j2", common.clone())?,
    );
    for name in crate::RUNTIME_FILES {
        let text = render_one(&env, &format!("runtime/{name}.rs.j2"), common.clone())?;
        files.insert(format!("src/{name}.rs"), text);
    }
    Ok(Rendered { files })
}
