//! Spec diff: placeholder until implemented.

/// Arguments of `generator diff`.
#[derive(Debug, clap::Args)]
pub struct DiffArgs {
    /// The old spec.
    pub old: std::path::PathBuf,
    /// The new spec.
    pub new: std::path::PathBuf,
}

/// Runs `generator diff`.
///
/// # Errors
///
/// Always, for now.
pub fn run_cli(_args: &DiffArgs) -> Result<std::process::ExitCode, String> {
    Err("not implemented yet".into())
}
