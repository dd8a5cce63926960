//! Who a request is about: a Letterboxd member by username (or pasted profile URL), or an uploaded
//! export by the id `POST /profiles` returned.

use std::fmt;

use model::Username;
use uuid::Uuid;

/// The most members one request may combine.
pub const MAX_MEMBERS: usize = 8;

/// The id of an uploaded Letterboxd export. A UUID can never be a username (usernames have no
/// `-`), so one string field serves both kinds of member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UploadId(pub Uuid);

impl fmt::Display for UploadId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum MemberRef {
    Username(Username),
    Upload(UploadId),
}

impl MemberRef {
    pub fn parse(raw: &str) -> Result<Self, MemberRefError> {
        let trimmed = raw.trim();
        if let Ok(id) = Uuid::try_parse(trimmed) {
            return Ok(MemberRef::Upload(UploadId(id)));
        }
        Username::parse(trimmed)
            .map(MemberRef::Username)
            .map_err(|_| MemberRefError::Invalid(excerpt(raw)))
    }
}

/// What a problem detail echoes of a member as sent: enough to recognise it, never a 100 KB body.
fn excerpt(raw: &str) -> String {
    const SHOWN_CHARS: usize = 64;
    match raw.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &raw[..at]),
        None => raw.to_owned(),
    }
}

impl fmt::Display for MemberRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MemberRef::Username(name) => name.fmt(f),
            MemberRef::Upload(id) => id.fmt(f),
        }
    }
}

/// Why the members of a request were rejected; all map to `invalid_member`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MemberRefError {
    #[error("`{0}` is neither a Letterboxd username or profile URL nor an uploaded profile id")]
    Invalid(String),
    #[error("name between 1 and {MAX_MEMBERS} members; {0} were given")]
    Count(usize),
    #[error("`{0}` is named twice")]
    Duplicate(String),
}

/// Parses the `members` of a request: 1..=[`MAX_MEMBERS`] distinct members, in request order.
/// `Name` and a pasted `https://letterboxd.com/name/` are the same member, hence a duplicate.
pub fn parse_members(raw: &[String]) -> Result<Vec<MemberRef>, MemberRefError> {
    if !(1..=MAX_MEMBERS).contains(&raw.len()) {
        return Err(MemberRefError::Count(raw.len()));
    }
    let mut members: Vec<MemberRef> = Vec::with_capacity(raw.len());
    for text in raw {
        let member = MemberRef::parse(text)?;
        if members.contains(&member) {
            return Err(MemberRefError::Duplicate(excerpt(text)));
        }
        members.push(member);
    }
    Ok(members)
}

/// Parses the `members` of a comparison like [`parse_members`], but a member may be named more
/// than once: comparing a member with themself is a fair question (100 on every score).
pub fn parse_compared_members(raw: &[String]) -> Result<Vec<MemberRef>, MemberRefError> {
    if !(1..=MAX_MEMBERS).contains(&raw.len()) {
        return Err(MemberRefError::Count(raw.len()));
    }
    raw.iter().map(|text| MemberRef::parse(text)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(raw: &[&str]) -> Vec<String> {
        raw.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn usernames_urls_and_upload_ids() {
        let id = "3f2b8c1e-4d5a-4e6f-9a7b-0c1d2e3f4a5b";
        let members = parse_members(&strings(&[
            "Dave",
            "https://letterboxd.com/Schaffrillas/films/",
            id,
        ]))
        .unwrap();
        assert_eq!(
            members[0],
            MemberRef::Username(Username::parse("dave").unwrap())
        );
        assert_eq!(members[1].to_string(), "schaffrillas");
        assert_eq!(
            members[2],
            MemberRef::Upload(UploadId(Uuid::parse_str(id).unwrap()))
        );
        assert_eq!(members[2].to_string(), id);
    }

    #[test]
    fn a_long_invalid_member_is_echoed_truncated() {
        let long = format!("é{}", "x".repeat(100_000));
        let Err(MemberRefError::Invalid(shown)) = MemberRef::parse(&long) else {
            panic!("a 100 KB name is no username");
        };
        assert_eq!(shown, format!("é{}…", "x".repeat(63)));
        let short = MemberRef::parse("not a name").unwrap_err();
        assert_eq!(short, MemberRefError::Invalid("not a name".into()));
    }

    #[test]
    fn rejects_bad_members_counts_and_duplicates() {
        assert_eq!(
            parse_members(&strings(&["not a name"])),
            Err(MemberRefError::Invalid("not a name".into()))
        );
        assert_eq!(parse_members(&[]), Err(MemberRefError::Count(0)));
        let nine: Vec<String> = (0..9).map(|i| format!("member{i}")).collect();
        assert_eq!(parse_members(&nine), Err(MemberRefError::Count(9)));
        assert_eq!(
            parse_members(&strings(&["dave", "https://letterboxd.com/DAVE/"])),
            Err(MemberRefError::Duplicate(
                "https://letterboxd.com/DAVE/".into()
            ))
        );
    }
}
