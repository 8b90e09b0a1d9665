//! The diff report: classified changes, the suggested version bump, and the text and JSON renderings.

use std::fmt::Write as _;

use serde::Serialize;

/// How a change affects code written against the SDK generated from the old spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Code that compiled and worked against the old SDK may stop compiling or decoding.
    Breaking,
    /// Something new; existing code keeps working.
    Additive,
    /// Worth knowing (deprecations, moved paths) but changes nothing for existing code.
    Note,
}

impl Severity {
    /// The line prefix used in the text report (`breaking`, `additive`, `note`).
    pub fn label(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Additive => "additive",
            Severity::Note => "note",
        }
    }
}

/// One classified change.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Change {
    /// A stable machine-readable slug (`operation_removed`, `field_removed`, `enum_value_added`, …).
    pub kind: String,
    /// What changed: `operation create_agent (POST /v1/agents/)` or `schema AgentState`.
    pub location: String,
    /// What happened to it, in a sentence fragment (`field `tools` removed (response)`).
    pub message: String,
}

impl Change {
    /// The report line without its severity prefix: `location: message`.
    pub fn line(&self) -> String {
        format!("{}: {}", self.location, self.message)
    }
}

/// The version bump the SDK crate needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    /// Nothing changed that users can see.
    None,
    /// Bug-fix level.
    Patch,
    /// New features (or, before 1.0, breaking changes).
    Minor,
    /// Breaking changes after 1.0.
    Major,
}

impl Bump {
    /// `none`, `patch`, `minor` or `major`.
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// Applies the bump to `version` (`MAJOR.MINOR.PATCH`, pre-release and build suffixes dropped);
    /// `None` when the version cannot be read.
    pub fn apply(self, version: &str) -> Option<String> {
        let (major, minor, patch) = parse_version(version)?;
        Some(match self {
            Bump::None => format!("{major}.{minor}.{patch}"),
            Bump::Patch => format!("{major}.{minor}.{}", patch + 1),
            Bump::Minor => format!("{major}.{}.0", minor + 1),
            Bump::Major => format!("{}.0.0", major + 1),
        })
    }
}

fn parse_version(version: &str) -> Option<(u64, u64, u64)> {
    let core = version.trim().split(['-', '+']).next()?;
    let mut parts = core.split('.').map(|p| p.parse::<u64>().ok());
    let major = parts.next()??;
    let minor = parts.next().unwrap_or(Some(0))?;
    let patch = parts.next().unwrap_or(Some(0))?;
    Some((major, minor, patch))
}

/// What one side of the comparison holds (shown in the text report's header).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Side {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// Number of operations.
    pub operations: usize,
    /// Number of component schemas.
    pub schemas: usize,
}

/// The result of comparing two specs. Every list is sorted by location, then message, then kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The old spec.
    pub old: Side,
    /// The new spec.
    pub new: Side,
    /// Changes that break code written against the old SDK.
    pub breaking: Vec<Change>,
    /// Changes that only add.
    pub additive: Vec<Change>,
    /// Deprecations and other remarks.
    pub notes: Vec<Change>,
}

/// The JSON form: exactly these four keys, in this order.
#[derive(Serialize)]
struct JsonReport<'a> {
    breaking: &'a [Change],
    additive: &'a [Change],
    notes: &'a [Change],
    suggested_bump: &'static str,
}

impl Report {
    /// Sorts and files `changes` into the three groups.
    pub(crate) fn from_changes(old: Side, new: Side, changes: Vec<(Severity, Change)>) -> Self {
        let mut report = Report {
            old,
            new,
            ..Report::default()
        };
        let mut changes = changes;
        changes.sort_by(|a, b| {
            (a.0, &a.1.location, &a.1.message, &a.1.kind).cmp(&(
                b.0,
                &b.1.location,
                &b.1.message,
                &b.1.kind,
            ))
        });
        changes.dedup();
        for (severity, change) in changes {
            match severity {
                Severity::Breaking => report.breaking.push(change),
                Severity::Additive => report.additive.push(change),
                Severity::Note => report.notes.push(change),
            }
        }
        report
    }

    /// True when at least one change is breaking.
    pub fn is_breaking(&self) -> bool {
        !self.breaking.is_empty()
    }

    /// The bump for an SDK crate currently at `crate_version`: before 1.0, breaking → minor and anything
    /// else → patch; from 1.0, breaking → major, additive → minor, notes only → patch. No change → none.
    pub fn suggested_bump(&self, crate_version: &str) -> Bump {
        let pre_1 = parse_version(crate_version).is_none_or(|(major, _, _)| major == 0);
        if !self.breaking.is_empty() {
            if pre_1 { Bump::Minor } else { Bump::Major }
        } else if !self.additive.is_empty() {
            if pre_1 { Bump::Patch } else { Bump::Minor }
        } else if !self.notes.is_empty() {
            Bump::Patch
        } else {
            Bump::None
        }
    }

    /// The stable JSON document: `{"breaking":[…],"additive":[…],"notes":[…],"suggested_bump":"…"}`,
    /// each change an object with `kind`, `location` and `message`. Pretty-printed, newline-terminated.
    pub fn to_json(&self, crate_version: &str) -> String {
        let doc = JsonReport {
            breaking: &self.breaking,
            additive: &self.additive,
            notes: &self.notes,
            suggested_bump: self.suggested_bump(crate_version).as_str(),
        };
        let mut text = serde_json::to_string_pretty(&doc).unwrap_or_else(|_| "{}".into());
        text.push('\n');
        text
    }

    /// The readable report: a header, then Breaking / Additive / Notes with one line per change, then the
    /// counts and the suggested bump for an SDK crate at `crate_version`.
    pub fn to_text(&self, crate_version: &str) -> String {
        let mut out = String::new();
        let side = |s: &Side| {
            format!(
                "{} {} ({} operations, {} schemas)",
                s.title, s.version, s.operations, s.schemas
            )
        };
        let _ = writeln!(out, "old: {}", side(&self.old));
        let _ = writeln!(out, "new: {}", side(&self.new));
        for (title, severity, list) in [
            ("Breaking", Severity::Breaking, &self.breaking),
            ("Additive", Severity::Additive, &self.additive),
            ("Notes", Severity::Note, &self.notes),
        ] {
            let _ = writeln!(out, "\n{title} ({}):", list.len());
            if list.is_empty() {
                let _ = writeln!(out, "  (none)");
            }
            for change in list {
                let _ = writeln!(out, "{}: {}", severity.label(), change.line());
            }
        }
        let bump = self.suggested_bump(crate_version);
        let next = bump
            .apply(crate_version)
            .map(|v| format!(" ({crate_version} → {v})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\nSummary: {} breaking, {} additive, {} notes; suggested SDK version bump: {}{next}",
            self.breaking.len(),
            self.additive.len(),
            self.notes.len(),
            bump.as_str()
        );
        out
    }
}
