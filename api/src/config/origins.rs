//! `CORS_ALLOWED_ORIGINS`: which browser origins may call the API.

/// Origins in the form browsers send them (`https://app.example.com`, default ports dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedOrigins {
    /// `*`: any origin, without credentials (a public read API).
    Any,
    /// Exactly these; empty means no cross-origin browser access.
    Only(Vec<String>),
}

impl AllowedOrigins {
    /// Parses a comma-separated list; blanks between commas are ignored.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let items: Vec<&str> = raw
            .split(',')
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .collect();
        if items == ["*"] {
            return Ok(Self::Any);
        }
        items
            .into_iter()
            .map(origin)
            .collect::<Result<Vec<_>, _>>()
            .map(Self::Only)
    }
}

fn origin(item: &str) -> Result<String, String> {
    let problem = || {
        format!(
            "`{item}` is not an origin: expected scheme://host[:port] such as https://app.example.com, or `*` alone"
        )
    };
    let url = url::Url::parse(item).map_err(|_| problem())?;
    let bare = url.path() == "/"
        && url.query().is_none()
        && url.fragment().is_none()
        && url.username().is_empty()
        && url.password().is_none();
    if !matches!(url.scheme(), "http" | "https") || !url.has_host() || !bare {
        return Err(problem());
    }
    Ok(url.origin().ascii_serialization())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_is_normalised_to_what_browsers_send() {
        assert_eq!(
            AllowedOrigins::parse(
                " https://app.example.com/ , http://localhost:5173,https://x.org:443"
            ),
            Ok(AllowedOrigins::Only(vec![
                "https://app.example.com".to_owned(),
                "http://localhost:5173".to_owned(),
                "https://x.org".to_owned(),
            ]))
        );
        assert_eq!(AllowedOrigins::parse(""), Ok(AllowedOrigins::Only(vec![])));
        assert_eq!(AllowedOrigins::parse("*"), Ok(AllowedOrigins::Any));
    }

    #[test]
    fn paths_wildcards_in_lists_and_other_schemes_are_refused() {
        for bad in [
            "https://app.example.com/path",
            "*,https://a.org",
            "ftp://a.org",
            "app.example.com",
            "https://user@a.org",
        ] {
            let err = AllowedOrigins::parse(bad).unwrap_err();
            assert!(err.contains("is not an origin"), "{bad}: {err}");
        }
    }
}
