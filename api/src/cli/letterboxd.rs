//! `reel letterboxd`: operator tools for pages, exports and profiles.

#[derive(Debug, clap::Subcommand)]
pub enum LetterboxdCommand {
    /// Print what the parsers read from a saved page.
    Parse,
    /// Print what the export reader reads from a Letterboxd data export.
    Export,
    /// Scrape a member from LETTERBOXD_BASE_URL and print the profile.
    Profile,
}

pub async fn run(command: LetterboxdCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reel letterboxd {command:?}` is not built yet")
}
