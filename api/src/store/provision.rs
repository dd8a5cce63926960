//! Database URLs, and creating the service's database when the server does not have it yet.

use diesel::QueryableByName;
use diesel::sql_types::{Bool, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use url::Url;

use super::StoreError;

/// Database every PostgreSQL server has; used only to create the service's own.
const MAINTENANCE_DATABASE: &str = "postgres";

/// Parses a `postgres://` / `postgresql://` URL.
pub(crate) fn check_url(database_url: &str) -> Result<Url, StoreError> {
    let url = Url::parse(database_url)
        .map_err(|err| StoreError::InvalidUrl(format!("not a URL ({err})")))?;
    if !matches!(url.scheme(), "postgres" | "postgresql") {
        return Err(StoreError::InvalidUrl(format!(
            "scheme `{}` is not postgres:// or postgresql://",
            url.scheme()
        )));
    }
    Ok(url)
}

/// The database a URL names (`None` when it names none and the server picks the user's).
pub(crate) fn database_name(url: &Url) -> Result<Option<String>, StoreError> {
    let raw = url.path().trim_start_matches('/');
    if raw.is_empty() {
        return Ok(None);
    }
    let name = percent_decode(raw)?;
    Ok(Some(name))
}

/// The same server and credentials, another database.
pub(crate) fn with_database(url: &Url, database: &str) -> String {
    let mut other = url.clone();
    other.set_path(&format!("/{}", percent_encode(database)));
    other.to_string()
}

/// Connects to the URL's database and, when that fails because the database does not exist,
/// creates it through the maintenance database. Two replicas racing to create it is fine.
pub(crate) async fn ensure_database(database_url: &str) -> Result<(), StoreError> {
    let url = check_url(database_url)?;
    let Some(name) = database_name(&url)? else {
        return Ok(());
    };
    let first_error = match AsyncPgConnection::establish(database_url).await {
        Ok(_) => return Ok(()),
        Err(err) => err,
    };
    // The target is unreachable: if the server answers on its maintenance database, find out
    // whether ours is missing; otherwise the first error is the one worth reporting.
    let Ok(mut admin) =
        AsyncPgConnection::establish(&with_database(&url, MAINTENANCE_DATABASE)).await
    else {
        return Err(StoreError::Connect(first_error));
    };
    if database_exists(&mut admin, &name).await? {
        return Err(StoreError::Connect(first_error));
    }
    create_database(&mut admin, &name, None).await?;
    tracing::info!(database.name = %name, "created database");
    Ok(())
}

#[derive(QueryableByName)]
struct Exists {
    #[diesel(sql_type = Bool)]
    exists: bool,
}

pub(crate) async fn database_exists(
    conn: &mut AsyncPgConnection,
    name: &str,
) -> Result<bool, StoreError> {
    let row: Exists =
        diesel::sql_query("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1) AS exists")
            .bind::<Text, _>(name)
            .get_result(conn)
            .await?;
    Ok(row.exists)
}

/// `CREATE DATABASE` (optionally from a template); "already exists" counts as success, since a
/// concurrent creator got there first.
pub(crate) async fn create_database(
    conn: &mut AsyncPgConnection,
    name: &str,
    template: Option<&str>,
) -> Result<(), StoreError> {
    let mut sql = format!("CREATE DATABASE {}", quote_identifier(name));
    if let Some(template) = template {
        sql.push_str(&format!(" TEMPLATE {}", quote_identifier(template)));
    }
    match diesel::sql_query(sql).execute(conn).await {
        Ok(_) => Ok(()),
        Err(err) if is_duplicate_database(&err) => Ok(()),
        Err(err) => Err(err.into()),
    }
}

/// SQLSTATE 42P04 (duplicate_database), or the catalog's unique index when two sessions create the
/// same name at once.
fn is_duplicate_database(err: &diesel::result::Error) -> bool {
    match err {
        diesel::result::Error::DatabaseError(kind, info) => {
            matches!(kind, diesel::result::DatabaseErrorKind::UniqueViolation)
                || info.message().contains("already exists")
        }
        _ => false,
    }
}

/// Quotes an SQL identifier: database names cannot be bound as parameters.
pub(crate) fn quote_identifier(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn percent_decode(raw: &str) -> Result<String, StoreError> {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = raw
                .get(at + 1..at + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| {
                    StoreError::InvalidUrl("bad %-escape in the database name".into())
                })?;
            out.push(hex);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8(out).map_err(|_| StoreError::InvalidUrl("database name is not UTF-8".into()))
}

fn percent_encode(name: &str) -> String {
    name.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.') {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_replaces_the_database_name() {
        let url =
            check_url("postgres://postgres:pw@127.0.0.1:5432/my%20db?sslmode=disable").unwrap();
        assert_eq!(database_name(&url).unwrap().as_deref(), Some("my db"));
        assert_eq!(
            with_database(&url, "postgres"),
            "postgres://postgres:pw@127.0.0.1:5432/postgres?sslmode=disable"
        );
        assert_eq!(
            database_name(&check_url(&with_database(&url, "a b\"c")).unwrap())
                .unwrap()
                .as_deref(),
            Some("a b\"c")
        );
        assert_eq!(
            database_name(&check_url("postgres://h").unwrap()).unwrap(),
            None
        );
    }

    #[test]
    fn rejects_other_schemes() {
        assert!(check_url("mysql://h/db").is_err());
        assert!(check_url("not a url").is_err());
    }

    #[test]
    fn quotes_identifiers() {
        assert_eq!(quote_identifier("reel"), "\"reel\"");
        assert_eq!(quote_identifier("a\"b"), "\"a\"\"b\"");
    }
}
