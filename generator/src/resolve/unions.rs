//! A pass over the resolved types: untagged unions of one plain string and string enums.
//!
//! The generated string enums are open (a value they do not know decodes into `Unknown(String)`), so a
//! union `string | SomeEnum` says nothing an open `SomeEnum` does not, and as an untagged union its
//! `String` member would take every value, the known ones too. Such a union becomes a name for its enum
//! (`TypeKind::Alias`), so its name, its file and every reference to it stay as they are. A union of a
//! string and several enums stays a union, with the enum members first.

use crate::ir::{Ty, TypeDef, TypeKind};

/// What one member of an untagged union is, for this pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Member {
    /// Exactly `Ty::String`.
    String,
    /// A reference (through aliases) to a string enum.
    Enum,
    /// Anything else.
    Other,
}

/// Rewrites every untagged union whose members are one `Ty::String` and string enums: with one enum, the
/// union becomes an alias of that member; with several, the enum members move before the string (each
/// group keeps its order).
pub(super) fn merge_string_enum_unions(types: &mut [TypeDef]) {
    // Decided on the whole arena first (members refer to other types), then applied.
    let rewrites: Vec<(usize, TypeKind)> = types
        .iter()
        .enumerate()
        .filter_map(|(i, t)| Some((i, rewrite(types, &t.kind)?)))
        .collect();
    for (i, kind) in rewrites {
        let Some(t) = types.get_mut(i) else {
            continue;
        };
        if matches!(kind, TypeKind::Alias(_)) {
            let note = "Any string: the spec unites a plain string with this enum, which keeps a value \
                        it does not know as `Unknown`.";
            t.doc = Some(match t.doc.take() {
                Some(d) => format!("{d}\n\n{note}"),
                None => note.to_string(),
            });
        }
        t.kind = kind;
    }
}

/// The new kind of a union of one `Ty::String` and string enums (None for any other kind).
fn rewrite(types: &[TypeDef], kind: &TypeKind) -> Option<TypeKind> {
    let TypeKind::Untagged(variants) = kind else {
        return None;
    };
    let classes: Vec<Member> = variants.iter().map(|v| classify(types, &v.ty)).collect();
    let strings = classes.iter().filter(|c| **c == Member::String).count();
    let enums = classes.iter().filter(|c| **c == Member::Enum).count();
    if strings != 1 || enums == 0 || strings + enums != classes.len() {
        return None;
    }
    if enums == 1 {
        let member = variants.iter().find(|v| v.ty != Ty::String)?;
        return Some(TypeKind::Alias(member.ty.clone()));
    }
    // A stable sort: the enums keep their order, then the string.
    let mut variants = variants.clone();
    variants.sort_by_key(|v| v.ty == Ty::String);
    Some(TypeKind::Untagged(variants))
}

/// The class of member type `ty`: references are followed through aliases (at most a few hops, so a
/// cycle of aliases cannot loop).
fn classify(types: &[TypeDef], ty: &Ty) -> Member {
    if *ty == Ty::String {
        return Member::String;
    }
    let mut ty = ty;
    for _ in 0..16 {
        let Ty::Ref(id) = ty else {
            return Member::Other;
        };
        match types.get(id.0).map(|t| &t.kind) {
            Some(TypeKind::Enum(_)) => return Member::Enum,
            Some(TypeKind::Alias(inner)) => ty = inner,
            _ => return Member::Other,
        }
    }
    Member::Other
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::panic)] // in tests a failure is an assertion
mod tests {
    use super::*;
    use crate::ir::{EnumValue, TypeId, Variant};

    fn def(kind: TypeKind) -> TypeDef {
        TypeDef {
            name: String::new(),
            file: String::new(),
            source: String::new(),
            pointer: String::new(),
            parent: None,
            doc: None,
            deprecated: false,
            kind,
        }
    }

    fn en(values: &[&str]) -> TypeDef {
        def(TypeKind::Enum(
            values
                .iter()
                .map(|v| EnumValue {
                    wire: (*v).to_string(),
                    name: String::new(),
                })
                .collect(),
        ))
    }

    fn union(tys: &[Ty]) -> TypeDef {
        def(TypeKind::Untagged(
            tys.iter()
                .map(|ty| Variant {
                    name: String::new(),
                    ty: ty.clone(),
                })
                .collect(),
        ))
    }

    fn member_tys(t: &TypeDef) -> Vec<Ty> {
        match &t.kind {
            TypeKind::Untagged(vs) => vs.iter().map(|v| v.ty.clone()).collect(),
            other => panic!("not a union: {other:?}"),
        }
    }

    #[test]
    fn a_string_and_one_enum_become_the_enum() {
        let mut types = vec![
            en(&["a", "b"]),
            def(TypeKind::Alias(Ty::Ref(TypeId(0)))),
            union(&[Ty::String, Ty::Ref(TypeId(0))]),
            union(&[Ty::Ref(TypeId(1)), Ty::String]),
        ];
        merge_string_enum_unions(&mut types);
        assert!(matches!(
            &types[2].kind,
            TypeKind::Alias(Ty::Ref(TypeId(0)))
        ));
        assert!(matches!(
            &types[3].kind,
            TypeKind::Alias(Ty::Ref(TypeId(1)))
        ));
        assert!(
            types[2]
                .doc
                .as_deref()
                .is_some_and(|d| d.starts_with("Any string"))
        );
    }

    #[test]
    fn several_enums_go_before_the_string() {
        let mut types = vec![
            en(&["a"]),
            en(&["b"]),
            union(&[Ty::Ref(TypeId(1)), Ty::String, Ty::Ref(TypeId(0))]),
        ];
        merge_string_enum_unions(&mut types);
        assert_eq!(
            member_tys(&types[2]),
            [Ty::Ref(TypeId(1)), Ty::Ref(TypeId(0)), Ty::String]
        );
    }

    #[test]
    fn other_unions_are_left_alone() {
        let mut types = vec![
            en(&["a"]),
            union(&[Ty::String, Ty::Ref(TypeId(0)), Ty::Integer { int32: false }]),
            union(&[Ty::String, Ty::String, Ty::Ref(TypeId(0))]),
            union(&[Ty::Ref(TypeId(0)), Ty::Ref(TypeId(0))]),
            union(&[Ty::String.nullable(), Ty::Ref(TypeId(0))]),
            union(&[Ty::String, Ty::DateTime]),
        ];
        let before: Vec<Vec<Ty>> = types[1..].iter().map(member_tys).collect();
        merge_string_enum_unions(&mut types);
        let after: Vec<Vec<Ty>> = types[1..].iter().map(member_tys).collect();
        assert_eq!(before, after);
    }
}
