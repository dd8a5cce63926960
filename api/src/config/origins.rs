//! `CORS_ALLOWED_ORIGINS`: which browser origins may call the API.

/// Origins in the form browsers send them (`https://app.example.com`, default ports dropped).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedOrigins {
    /// `*`: any origin, without credentials (a public read API).
    Any,
    /// Exactly these; empty means no cross-origin browser access.
    Only(Vec<String>),
    /// A page on this machine, at any port, over http or https: `localhost`, `127.0.0.1` or
    /// `[::1]`. Never parsed from the setting: the default of a server bound to loopback.
    Loopback,
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

impl AllowedOrigins {
    /// Whether a browser on `origin` (the `Origin` header as sent) may call the API.
    pub fn allows(&self, origin: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Only(origins) => origins.iter().any(|allowed| allowed == origin),
            Self::Loopback => url::Url::parse(origin).is_ok_and(|url| {
                matches!(url.scheme(), "http" | "https")
                    && matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
                    // The bare origin only: no path, user or query smuggled in.
                    && url.origin().ascii_serialization() == origin
            }),
        }
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
    fn loopback_lets_in_local_pages_at_any_port_only() {
        let local = AllowedOrigins::Loopback;
        for allowed in [
            "http://localhost:5173",
            "http://127.0.0.1:3000",
            "http://[::1]:8080",
            "https://localhost:8443",
            "http://localhost",
        ] {
            assert!(local.allows(allowed), "{allowed}");
        }
        for refused in [
            "http://localhost.example.com:5173",
            "http://127.0.0.2:5173",
            "http://evil.example.com",
            "null",
            "file://localhost",
            "http://localhost:5173/path",
        ] {
            assert!(!local.allows(refused), "{refused}");
        }
        let only = AllowedOrigins::Only(vec!["https://app.example.com".to_owned()]);
        assert!(only.allows("https://app.example.com"));
        assert!(!only.allows("http://localhost:5173"));
        assert!(AllowedOrigins::Any.allows("https://anything.example.com"));
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
