//! The intermediate representation: what emitters read. Built once by `resolve`, named by `naming`, then
//! frozen. Nothing here refers to `openapiv3` types.

use serde_json::Value;

/// Index of a type in [`Api::types`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// The whole API.
#[derive(Debug, Clone)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The `servers` URLs, in document order.
    pub servers: Vec<String>,
    /// Every named type: component schemas first (sorted by name), then inline types.
    pub types: Vec<TypeDef>,
    /// Every operation, sorted by path then method.
    pub operations: Vec<Operation>,
    /// Tags sorted by name; each lists indexes into `operations`.
    pub tags: Vec<Tag>,
}

/// One named Rust type.
#[derive(Debug, Clone)]
pub struct TypeDef {
    /// The Rust name (set by `naming`).
    pub name: String,
    /// The model file (module under `src/models/`) it is emitted in (set by `naming`): each component's
    /// file holds the inline types it owns.
    pub file: String,
    /// The name the spec gives (component name) or a path-like hint for inline schemas.
    pub source: String,
    /// JSON pointer of the schema.
    pub pointer: String,
    /// For inline types, the component (or operation) they were found in: decides the emitted file.
    pub parent: Option<TypeId>,
    /// Title and description, unsanitized.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// The shape.
    pub kind: TypeKind,
}

/// The shape of a named type.
#[derive(Debug, Clone)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum (with an unknown fallback when emitted).
    Enum(Vec<EnumValue>),
    /// An integer enum (a newtype with associated constants when emitted).
    IntEnum(Vec<IntValue>),
    /// A single fixed value (`const`): a unit type that (de)serializes as exactly that value.
    Const(Value),
    /// A `oneOf` whose members are told apart by a tag property.
    Tagged(Tagged),
    /// Any other union: tried in order.
    Untagged(Vec<Variant>),
    /// A name for another type expression (`type X = Vec<Y>`).
    Alias(Ty),
}

/// A struct's fields.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Properties in document order.
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema: the type of the extra values.
    pub additional: Option<Ty>,
}

/// One struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust field name (set by `naming`).
    pub name: String,
    /// The property's type; `Ty::Nullable` when null is allowed.
    pub ty: Ty,
    /// Listed in `required`.
    pub required: bool,
    /// The spec's `default`.
    pub default: Option<Value>,
    /// The function that gives the default, for fields with a non-null `default` (set by `naming`, unique
    /// in the field's model file).
    pub default_fn: String,
    /// Title/description.
    pub doc: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// JSON pointer of the property schema.
    pub pointer: String,
}

/// One value of a string enum.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// The wire string.
    pub wire: String,
    /// The Rust variant name (set by `naming`).
    pub name: String,
}

/// One value of an integer enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntValue {
    /// The value.
    pub value: i64,
    /// The Rust constant name (set by `naming`: `VALUE_3`, `VALUE_MINUS_1`).
    pub name: String,
}

/// A discriminated union.
#[derive(Debug, Clone)]
pub struct Tagged {
    /// The tag property.
    pub tag: String,
    /// Variants in document order.
    pub variants: Vec<TaggedVariant>,
}

/// One member of a discriminated union.
#[derive(Debug, Clone)]
pub struct TaggedVariant {
    /// Tag values that select this member (the first is canonical).
    pub values: Vec<String>,
    /// Rust variant name (set by `naming`).
    pub name: String,
    /// The member type.
    pub ty: TypeId,
}

/// One member of an untagged union.
#[derive(Debug, Clone)]
pub struct Variant {
    /// Rust variant name (set by `naming`).
    pub name: String,
    /// The member type.
    pub ty: Ty,
}

/// A type expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Ty {
    /// `string`.
    String,
    /// `string` + `format: date-time`.
    DateTime,
    /// `string` + `format: binary`: file contents.
    Binary,
    /// `integer`; `true` for 32-bit formats.
    Integer {
        /// `format: int32`.
        int32: bool,
    },
    /// `number`.
    Number,
    /// `boolean`.
    Boolean,
    /// Anything (free-form JSON).
    Any,
    /// `array`.
    Array(Box<Ty>),
    /// `additionalProperties` map with string keys.
    Map(Box<Ty>),
    /// A named type.
    Ref(TypeId),
    /// Null is allowed (from an `anyOf`/`oneOf` null branch, a type array or 3.0 `nullable`).
    Nullable(Box<Ty>),
}

impl Ty {
    /// Wraps in `Nullable` unless it already is.
    pub fn nullable(self) -> Ty {
        match self {
            Ty::Nullable(_) => self,
            other => Ty::Nullable(Box::new(other)),
        }
    }

    /// The type without its outer `Nullable`.
    pub fn non_null(&self) -> &Ty {
        match self {
            Ty::Nullable(inner) => inner,
            other => other,
        }
    }

    /// Calls `f` on every named type this expression mentions.
    pub fn visit_refs(&self, f: &mut dyn FnMut(TypeId)) {
        match self {
            Ty::Ref(id) => f(*id),
            Ty::Array(t) | Ty::Map(t) | Ty::Nullable(t) => t.visit_refs(f),
            _ => {}
        }
    }
}

/// An API operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// `operationId` (or one made from method and path when absent).
    pub id: String,
    /// Rust method name (set by `naming`).
    pub method_name: String,
    /// Rust builder type name (set by `naming`).
    pub builder_name: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template, exactly as in the spec.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// Tags, duplicates removed, first occurrence order; `default` when the spec gives none.
    pub tags: Vec<String>,
    /// Parameters: path ones in template order, then the others in document order.
    pub params: Vec<Param>,
    /// The request body.
    pub body: Option<Body>,
    /// What a success returns.
    pub response: Response,
    /// Error bodies documented per status code.
    pub errors: Vec<(String, Ty)>,
    /// JSON pointer of the operation.
    pub pointer: String,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A `{name}` segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie.
    Cookie,
}

/// One parameter.
#[derive(Debug, Clone)]
pub struct Param {
    /// Name on the wire.
    pub wire: String,
    /// Rust name (set by `naming`).
    pub name: String,
    /// Location.
    pub location: ParamLocation,
    /// Required (path parameters always are).
    pub required: bool,
    /// Type; `Nullable` allowed.
    pub ty: Ty,
    /// Description.
    pub doc: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// The spec's default.
    pub default: Option<Value>,
}

/// How the request body is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json`.
    Json,
    /// `multipart/form-data`.
    Multipart,
    /// `application/octet-stream` or another binary type (`image/png`, `*/*`, …): the bytes as they are.
    Binary,
    /// `text/plain`, `text/x-markdown` or another `text/*` type: a string sent as it is.
    Text,
    /// `application/x-www-form-urlencoded`: the body object's properties as form fields.
    Form,
}

/// How one property of a form body is written (the spec's `encoding` entry for it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormField {
    /// The property's wire name.
    pub name: String,
    /// `style`: `form` (the default), `spaceDelimited`, `pipeDelimited` or `deepObject`.
    pub style: String,
    /// `explode`: arrays as repeated fields and objects as one field per property.
    pub explode: bool,
}

/// A request body.
#[derive(Debug, Clone)]
pub struct Body {
    /// Encoding.
    pub kind: BodyKind,
    /// The media type string.
    pub media_type: String,
    /// Type of the body.
    pub ty: Ty,
    /// `required: true`.
    pub required: bool,
    /// Description.
    pub doc: Option<String>,
    /// The other media types of the same kind the operation accepts (the user picks one with a
    /// `Content-Type` header).
    pub alternatives: Vec<String>,
    /// For [`BodyKind::Form`]: the properties whose `encoding` the spec gives.
    pub form: Vec<FormField>,
    /// Media types of other kinds the operation also accepts (a form beside JSON, say): the typed
    /// builder sends [`Body::media_type`]; these are sent by hand with `Client::execute`.
    pub other_kinds: Vec<String>,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// No body (204, or no content).
    Empty,
    /// A JSON body of this type.
    Json(Ty),
    /// A `text/event-stream`.
    Stream,
    /// Either a JSON body of this type or a `text/event-stream`, as the request asks: the operation gets
    /// both a `.send()` and a `.stream()` path.
    Dual(Ty),
    /// `text/*`.
    Text,
    /// Any other media type: raw bytes.
    Bytes,
}

/// A tag and its operations.
#[derive(Debug, Clone)]
pub struct Tag {
    /// The tag as written in the spec.
    pub name: String,
    /// Rust module name (set by `naming`).
    pub module: String,
    /// Rust API struct name (set by `naming`).
    pub api_type: String,
    /// Description from the top-level `tags` list.
    pub doc: Option<String>,
    /// Indexes into [`Api::operations`].
    pub operations: Vec<usize>,
}

/// Counts used by tests to prove nothing was lost between the document and the IR.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Census {
    /// `Ty::Nullable` occurrences (fields, parameters, items, bodies, responses, aliases, variants).
    pub nullable: usize,
    /// `TypeKind::Const` types.
    pub consts: usize,
}

impl Api {
    /// The type `id` names; `None` for an id that is not in this API (ids from another `Api`).
    pub fn get(&self, id: TypeId) -> Option<&TypeDef> {
        self.types.get(id.0)
    }

    /// The Rust name of type `id` (empty for an id that is not in this API).
    pub fn name_of(&self, id: TypeId) -> &str {
        self.get(id).map_or("", |t| t.name.as_str())
    }

    /// True when `id` is a component schema (`#/components/schemas/NAME`), not an inline type.
    pub fn is_component(&self, id: TypeId) -> bool {
        self.get(id).is_some_and(|t| {
            t.parent.is_none() && t.pointer == crate::normalize::schema_pointer(&t.source)
        })
    }

    /// The kind of type `id` (any JSON value for an id that is not in this API).
    pub fn kind_of(&self, id: TypeId) -> &TypeKind {
        self.get(id).map_or(&ANY_KIND, |t| &t.kind)
    }
}

/// What an unknown type id stands for: any JSON value.
static ANY_KIND: TypeKind = TypeKind::Alias(Ty::Any);

impl Api {
    /// Counts nullable positions and const types.
    pub fn census(&self) -> Census {
        fn nulls(t: &Ty) -> usize {
            match t {
                Ty::Nullable(inner) => 1 + nulls(inner),
                Ty::Array(inner) | Ty::Map(inner) => nulls(inner),
                _ => 0,
            }
        }
        let mut c = Census::default();
        for t in &self.types {
            match &t.kind {
                TypeKind::Struct(s) => {
                    c.nullable += s.fields.iter().map(|f| nulls(&f.ty)).sum::<usize>();
                    c.nullable += s.additional.as_ref().map_or(0, nulls);
                }
                TypeKind::Untagged(vs) => {
                    c.nullable += vs.iter().map(|v| nulls(&v.ty)).sum::<usize>()
                }
                TypeKind::Alias(ty) => c.nullable += nulls(ty),
                TypeKind::Const(_) => c.consts += 1,
                _ => {}
            }
        }
        for op in &self.operations {
            c.nullable += op.params.iter().map(|p| nulls(&p.ty)).sum::<usize>();
            c.nullable += op.body.as_ref().map_or(0, |b| nulls(&b.ty));
            if let Response::Json(ty) | Response::Dual(ty) = &op.response {
                c.nullable += nulls(ty);
            }
        }
        c
    }
}
