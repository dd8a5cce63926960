//! Image URLs from the paths TMDB gives (`/kqjL17yufvn9OVLyXYpvtyrFfak.jpg`): the host and sizes
//! come from `/configuration`, and change rarely enough that TMDB's own defaults serve until it
//! has been asked.

use serde::{Deserialize, Serialize};

/// `/configuration`'s `images` part (the fields the catalog needs).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImageConfig {
    pub secure_base_url: String,
    #[serde(default)]
    pub poster_sizes: Vec<String>,
    #[serde(default)]
    pub logo_sizes: Vec<String>,
}

/// `/configuration`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Configuration {
    pub images: ImageConfig,
}

impl Default for ImageConfig {
    fn default() -> Self {
        let sizes = |list: &[&str]| list.iter().map(|size| (*size).to_owned()).collect();
        Self {
            secure_base_url: "https://image.tmdb.org/t/p/".to_owned(),
            poster_sizes: sizes(&["w92", "w154", "w185", "w342", "w500", "w780", "original"]),
            logo_sizes: sizes(&["w45", "w92", "w154", "w185", "w300", "w500", "original"]),
        }
    }
}

/// The poster sizes a front end uses: a card in a grid and a film's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PosterUrls {
    /// About 185 pixels wide.
    pub small: String,
    /// About 500 pixels wide.
    pub large: String,
}

impl ImageConfig {
    /// The URL of `path` at the smallest configured size at least `width` pixels wide
    /// (`original` when none is).
    pub fn poster_url(&self, path: &str, width: u32) -> Option<String> {
        self.url(path, &self.poster_sizes, width)
    }

    /// A provider's logo at about `width` pixels.
    pub fn logo_url(&self, path: &str, width: u32) -> Option<String> {
        self.url(path, &self.logo_sizes, width)
    }

    /// Both poster sizes, or `None` for a film without a poster.
    pub fn poster_urls(&self, path: Option<&str>) -> Option<PosterUrls> {
        let path = path?;
        Some(PosterUrls {
            small: self.poster_url(path, 185)?,
            large: self.poster_url(path, 500)?,
        })
    }

    fn url(&self, path: &str, sizes: &[String], width: u32) -> Option<String> {
        let path = path.trim();
        // A path is one file name; anything else (a full URL, a traversal) is not TMDB's.
        let name = path.strip_prefix('/')?;
        if name.is_empty() || name.contains(['/', '?', '#', '\\']) || name.contains("..") {
            return None;
        }
        let size = size_at_least(sizes, width);
        let base = self.secure_base_url.trim_end_matches('/');
        Some(format!("{base}/{size}/{name}"))
    }
}

/// The smallest `wNNN` size at least `width` wide, else `original`.
fn size_at_least(sizes: &[String], width: u32) -> &str {
    sizes
        .iter()
        .filter_map(|size| Some((size.strip_prefix('w')?.parse::<u32>().ok()?, size)))
        .filter(|&(w, _)| w >= width)
        .min_by_key(|&(w, _)| w)
        .map_or("original", |(_, size)| size.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn poster_urls_at_the_sizes_a_front_end_needs() {
        let config = ImageConfig::default();
        let urls = config.poster_urls(Some("/abc123.jpg")).unwrap();
        assert_eq!(urls.small, "https://image.tmdb.org/t/p/w185/abc123.jpg");
        assert_eq!(urls.large, "https://image.tmdb.org/t/p/w500/abc123.jpg");
        assert_eq!(config.poster_urls(None), None);
    }

    #[test]
    fn sizes_round_up_and_fall_back_to_original() {
        let config = ImageConfig {
            secure_base_url: "http://127.0.0.1:9/t/p".to_owned(),
            poster_sizes: vec!["w92".into(), "w342".into(), "original".into()],
            logo_sizes: vec![],
        };
        assert_eq!(
            config.poster_url("/p.jpg", 185).unwrap(),
            "http://127.0.0.1:9/t/p/w342/p.jpg"
        );
        assert_eq!(
            config.poster_url("/p.jpg", 500).unwrap(),
            "http://127.0.0.1:9/t/p/original/p.jpg"
        );
        assert_eq!(
            config.logo_url("/l.png", 45).unwrap(),
            "http://127.0.0.1:9/t/p/original/l.png"
        );
    }

    #[test]
    fn paths_that_are_not_tmdb_file_names_give_no_url() {
        let config = ImageConfig::default();
        assert_eq!(config.poster_url("", 185), None);
        assert_eq!(config.poster_url("abc.jpg", 185), None);
        assert_eq!(config.poster_url("/", 185), None);
        assert_eq!(config.poster_url("/../secret", 185), None);
        assert_eq!(config.poster_url("/a/b.jpg", 185), None);
    }
}
