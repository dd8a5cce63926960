//! The service's FAQ: written for this service, served by `GET /faq`.

/// One question and its answer; `id` is a stable anchor a client can link to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FaqEntry {
    pub id: &'static str,
    pub question: &'static str,
    pub answer: &'static str,
}

/// Every entry, in reading order.
pub const FAQ: &[FaqEntry] = &[
    FaqEntry {
        id: "what-is-reel",
        question: "What does this service do?",
        answer: "It reads a Letterboxd member's film diary (their ratings, what they watched and \
                 their watchlist) and recommends films they have not seen, picks from one or several \
                 watchlists, and computes statistics on how the member rates compared with every \
                 member the service has seen.",
    },
    FaqEntry {
        id: "models",
        question: "Which models make the recommendations?",
        answer: "Three, chosen with `model`: `default`, the service's best model, a community \
                 fold-in (the member placed among every stored member's tastes) with a neighbour \
                 correction and a residual forest on film features; `personalized`, a forest \
                 trained on this member's ratings alone, as the original service did; and \
                 `general`, a model trained offline on every stored member's ratings, which the \
                 member is folded into. A member needs at least 5 ratings.",
    },
    FaqEntry {
        id: "data-sources",
        question: "Where does the data come from?",
        answer: "From three places. A member's diary comes from the Letterboxd data export they \
                 upload (`POST /profiles`), or else from their public Letterboxd pages, read by a \
                 polite scraper: a few requests a second at most, an identifying User-Agent with a \
                 contact, a pause whenever Letterboxd asks it to slow down, and a cache so a \
                 profile is read once and reused. Films come from Letterboxd and from TMDB (The \
                 Movie Database). This product uses the TMDB API but is not endorsed or certified \
                 by TMDB.",
    },
    FaqEntry {
        id: "uploaded-exports",
        question: "What happens to an uploaded export?",
        answer: "The ratings, watched films and watchlist read from it are stored in the \
                 service's PostgreSQL database for 24 hours under a random id, which is all that \
                 names it; after that it is gone. `DELETE /profiles/{id}` deletes it at once. \
                 Nothing else from the archive is kept.",
    },
    FaqEntry {
        id: "blocked-username",
        question: "Why can a username not be read, or be refused?",
        answer: "A profile set to private on Letterboxd is refused (`profile_private`), and a name \
                 Letterboxd does not know is `member_not_found`. When Letterboxd challenges or \
                 blocks the scraper, the service stops asking for a while instead of hammering it \
                 and answers `upstream_blocked`; when too many profiles wait to be read it answers \
                 `scrape_queue_full`. In every one of these cases, uploading the member's export \
                 works: it needs no scraping.",
    },
    FaqEntry {
        id: "descriptions",
        question: "How is a description such as \"a 90s french horror film\" read?",
        answer: "By a parser built into the service, in English, with no network and no key: it \
                 knows genres and their synonyms, negations, decades and years, runtimes, \
                 popularity, languages and countries. The filters it reads are listed in the \
                 response with where each came from, with the words it did not understand; a \
                 filter set in the request wins over the description's.",
    },
    FaqEntry {
        id: "export-to-letterboxd",
        question: "Can I take the recommendations to Letterboxd?",
        answer: "Yes: ask `POST /recommendations` or `POST /watchlist` with `Accept: text/csv` and \
                 import the CSV into a Letterboxd list (letterboxd.com/import).",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::TMDB_ATTRIBUTION;

    #[test]
    fn ids_are_unique_and_the_tmdb_notice_is_quoted_word_for_word() {
        let mut ids: Vec<&str> = FAQ.iter().map(|e| e.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), FAQ.len());
        let sources = FAQ.iter().find(|e| e.id == "data-sources").unwrap();
        let one_line = sources
            .answer
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        assert!(
            one_line.contains(TMDB_ATTRIBUTION),
            "the TMDB notice word for word"
        );
    }
}
