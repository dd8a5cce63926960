//! The streaming services a description can name ("on netflix", "free on tubi"), each with the
//! TMDB watch-provider ids the API's `available_on` takes. TMDB's ids are stable; a service TMDB
//! lists under two ids (Prime Video has one for the US and one elsewhere) carries both.

/// A streaming service: its canonical name (what responses and the language model use) and its
/// TMDB watch-provider ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamingService {
    pub name: &'static str,
    pub providers: &'static [u32],
}

const fn service(name: &'static str, providers: &'static [u32]) -> StreamingService {
    StreamingService { name, providers }
}

/// Every service a description can name, by canonical name.
pub const SERVICES: &[StreamingService] = &[
    service("netflix", &[8, 1796]),
    service("prime_video", &[9, 119]),
    service("disney_plus", &[337]),
    service("max", &[1899, 384]),
    service("hulu", &[15]),
    service("apple_tv_plus", &[350]),
    service("paramount_plus", &[531]),
    service("peacock", &[386, 387]),
    service("mubi", &[11]),
    service("tubi", &[73]),
    service("pluto_tv", &[300]),
    service("criterion_channel", &[258]),
    service("kanopy", &[191]),
    service("shudder", &[99]),
    service("crunchyroll", &[283]),
    service("bbc_iplayer", &[38]),
    service("itvx", &[41]),
    service("channel_4", &[103]),
    service("now", &[39]),
    service("hoopla", &[212]),
    service("plex", &[538]),
    service("roku_channel", &[207]),
    service("freevee", &[613]),
    service("starz", &[43]),
    service("amc_plus", &[526]),
    service("britbox", &[151]),
    service("curiosity_stream", &[190]),
    service("crave", &[230]),
];

/// The service named `name` (canonical, as in [`SERVICES`]).
pub fn streaming_service(name: &str) -> Option<StreamingService> {
    SERVICES.iter().copied().find(|s| s.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_provider_ids_are_unique() {
        let mut names: Vec<&str> = SERVICES.iter().map(|s| s.name).collect();
        let mut ids: Vec<u32> = SERVICES.iter().flat_map(|s| s.providers.to_vec()).collect();
        let (n, i) = (names.len(), ids.len());
        names.sort_unstable();
        names.dedup();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!((names.len(), ids.len()), (n, i));
        assert_eq!(streaming_service("netflix").unwrap().providers, [8, 1796]);
        assert_eq!(streaming_service("Netflix"), None);
    }
}
