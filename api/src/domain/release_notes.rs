//! The release notes, parsed from the project's `CHANGELOG.md` (Keep a Changelog) at build time:
//! the file is compiled in, and a test fails if it stops parsing.

use std::sync::LazyLock;

/// The changelog as it was when the binary was built.
const CHANGELOG: &str = include_str!("../../../CHANGELOG.md");

/// One version (or `Unreleased`) with its date and its sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    /// `Unreleased` or a version number such as `0.1.0`.
    pub version: String,
    /// `YYYY-MM-DD`; none for `Unreleased`.
    pub date: Option<String>,
    /// The paragraph between the heading and the first section, if any.
    pub summary: Option<String>,
    pub sections: Vec<ReleaseSection>,
}

/// `Added`, `Changed`, `Deprecated`, `Removed`, `Fixed` or `Security`, with its items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseSection {
    pub kind: String,
    /// Each item as one line of Markdown.
    pub items: Vec<String>,
}

static RELEASES: LazyLock<Vec<Release>> = LazyLock::new(|| parse_changelog(CHANGELOG));

/// The releases, newest first, as the changelog lists them.
pub fn release_notes() -> &'static [Release] {
    &RELEASES
}

/// Parses Keep a Changelog Markdown: `## [version] - date` headings, `### Kind` sections, `- `
/// items whose indented continuation lines are joined with a space. Text before the first
/// version and link references are left out.
pub fn parse_changelog(text: &str) -> Vec<Release> {
    let mut releases: Vec<Release> = Vec::new();
    let mut in_item = false;
    for line in text.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            let (version, date) = match heading.split_once(" - ") {
                Some((v, d)) => (v, Some(d.trim().to_string())),
                None => (heading, None),
            };
            let version = version.trim().trim_start_matches('[').trim_end_matches(']');
            releases.push(Release {
                version: version.to_string(),
                date,
                summary: None,
                sections: Vec::new(),
            });
            in_item = false;
            continue;
        }
        let Some(release) = releases.last_mut() else {
            continue;
        };
        if let Some(kind) = line.strip_prefix("### ") {
            release.sections.push(ReleaseSection {
                kind: kind.trim().to_string(),
                items: Vec::new(),
            });
            in_item = false;
        } else if let Some(item) = line.strip_prefix("- ") {
            if let Some(section) = release.sections.last_mut() {
                section.items.push(item.trim().to_string());
                in_item = true;
            }
        } else if line.trim().is_empty() || line.starts_with('[') {
            in_item = false;
        } else if release.sections.is_empty() {
            let summary = release.summary.get_or_insert_with(String::new);
            if !summary.is_empty() {
                summary.push(' ');
            }
            summary.push_str(line.trim());
        } else if in_item
            && line.starts_with(' ')
            && let Some(last) = release
                .sections
                .last_mut()
                .and_then(|section| section.items.last_mut())
        {
            last.push(' ');
            last.push_str(line.trim());
        }
    }
    releases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_dates_sections_and_wrapped_items() {
        let text = "# Changelog\n\nIntro text.\n\n## [Unreleased]\n\n### Added\n- One thing\n  \
                    that wraps.\n- Another.\n\n### Fixed\n- A bug.\n\n## [0.1.0] - 2026-12-01\n\nThe first\n\
                    release.\n\n### Added\n- The first release.\n\n[0.1.0]: https://example.com\n";
        let releases = parse_changelog(text);
        assert_eq!(
            releases,
            [
                Release {
                    version: "Unreleased".into(),
                    date: None,
                    summary: None,
                    sections: vec![
                        ReleaseSection {
                            kind: "Added".into(),
                            items: vec!["One thing that wraps.".into(), "Another.".into()],
                        },
                        ReleaseSection {
                            kind: "Fixed".into(),
                            items: vec!["A bug.".into()],
                        },
                    ],
                },
                Release {
                    version: "0.1.0".into(),
                    date: Some("2026-12-01".into()),
                    summary: Some("The first release.".into()),
                    sections: vec![ReleaseSection {
                        kind: "Added".into(),
                        items: vec!["The first release.".into()],
                    }],
                },
            ]
        );
    }

    #[test]
    fn the_projects_changelog_parses() {
        let releases = release_notes();
        assert_eq!(releases[0].version, "Unreleased");
        assert!(
            releases
                .iter()
                .any(|r| r.version == "0.1.0" && r.date.as_deref() == Some("2026-12-01"))
        );
        for release in releases {
            assert!(!release.sections.is_empty(), "{}", release.version);
            for section in &release.sections {
                assert!(
                    !section.items.is_empty(),
                    "{} {}",
                    release.version,
                    section.kind
                );
            }
        }
    }
}
