//! `reel import` on small generated datasets: what it loads, that a second run changes nothing,
//! and that a malformed row or a failure while writing leaves the store as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Parser;
use diesel::QueryableByName;
use diesel::sql_types::{BigInt, Text};
use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection};
use flate2::Compression;
use flate2::write::GzEncoder;
use model::{FilmKey, Profile, Rating, Username};
use reel::cli::{Cli, run};

use crate::support::TestDatabase;

const FILMS: &str = "\
slug,title,year,runtime,genres,language,tmdb_popularity,content_type,image_url,lb_rating,lb_rating_count
heat,Heat,1995.0,170.0,Crime|Drama,en,20.1,movie,film-poster/5/1/51000-heat-0-230-0-345-crop,3.9,300000
alien,Alien,1979.0,117.0,Horror|Science Fiction,en,30.2,movie,,4.1,500000
jaws,Jaws,1975.0,124.0,,en,,movie,,,
";

/// Two community members, one scored member with train and test rows.
const RATINGS: &str = "\
user,slug,rating,split
ann,heat,4.0,community
ann,alien,3.5,community
bob,jaws,5.0,community
cid,heat,2.0,train
cid,alien,4.5,test
cid,jaws,1.0,train
";

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    if name.ends_with(".gz") {
        let mut encoder =
            GzEncoder::new(std::fs::File::create(&path).unwrap(), Compression::fast());
        encoder.write_all(body.as_bytes()).unwrap();
        encoder.finish().unwrap();
    } else {
        std::fs::write(&path, body).unwrap();
    }
    path
}

async fn import(database: &TestDatabase, films: &Path, ratings: &Path) -> anyhow::Result<()> {
    let cli = Cli::try_parse_from([
        "reel".as_ref(),
        "import".as_ref(),
        "--films".as_ref(),
        films.as_os_str(),
        "--ratings".as_ref(),
        ratings.as_os_str(),
        "--database-url".as_ref(),
        database.database_url().as_ref(),
    ])
    .unwrap();
    run(cli.command).await
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Row {
    #[diesel(sql_type = Text)]
    row: String,
}

/// Every row of the tables an import writes, as text: equal dumps mean an unchanged store.
async fn dump(database: &TestDatabase) -> Vec<String> {
    let mut conn = AsyncPgConnection::establish(database.database_url())
        .await
        .unwrap();
    let mut rows = Vec::new();
    for query in [
        "SELECT f::text AS row FROM films f ORDER BY slug",
        "SELECT m::text AS row FROM members m ORDER BY id",
        "SELECT r::text AS row FROM ratings r ORDER BY member_id, film_key",
        "SELECT c::text AS row FROM catalog_version c",
    ] {
        let found: Vec<Row> = diesel::sql_query(query).load(&mut conn).await.unwrap();
        rows.extend(found.into_iter().map(|row| row.row));
    }
    rows
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

async fn count(database: &TestDatabase, query: &str) -> i64 {
    let mut conn = AsyncPgConnection::establish(database.database_url())
        .await
        .unwrap();
    let row: Count = diesel::sql_query(query)
        .get_result(&mut conn)
        .await
        .unwrap();
    row.n
}

fn user(raw: &str) -> Username {
    Username::parse(raw).unwrap()
}

#[tokio::test]
async fn loads_films_members_and_community_plus_train_ratings() {
    let database = TestDatabase::new().await;
    let dir = tempfile::tempdir().unwrap();
    let films = write(dir.path(), "films.csv.gz", FILMS);
    let ratings = write(dir.path(), "ratings.csv", RATINGS);
    import(&database, &films, &ratings).await.unwrap();

    let store = database.store();
    assert_eq!(store.load_catalog_films().await.unwrap().len(), 3);
    assert_eq!(store.count_members().await.unwrap(), 3);
    assert_eq!(
        store.count_ratings().await.unwrap(),
        5,
        "community 3 + train 2"
    );
    assert_eq!(store.catalog_version().await.unwrap(), 1);
    let cid = store.load_profile(&user("cid")).await.unwrap().unwrap();
    let half = |n| Rating::from_half_stars(n).unwrap();
    assert_eq!(
        cid.ratings,
        vec![
            (FilmKey::parse("heat").unwrap(), half(4)),
            (FilmKey::parse("jaws").unwrap(), half(2)),
        ],
        "the test row (alien) is never imported"
    );
    let heat = store
        .find_film(&FilmKey::parse("heat").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(heat.letterboxd_id, Some(51000));
    assert_eq!(heat.lb_rating_count, Some(300_000));
    // Imported members have not used the service.
    assert_eq!(
        store.find_member(&user("ann")).await.unwrap().unwrap().uses,
        0
    );
}

#[tokio::test]
async fn a_second_import_changes_nothing() {
    let database = TestDatabase::new().await;
    let dir = tempfile::tempdir().unwrap();
    let films = write(dir.path(), "films.csv", FILMS);
    let ratings = write(dir.path(), "ratings.csv.gz", RATINGS);
    import(&database, &films, &ratings).await.unwrap();
    let first = dump(&database).await;
    import(&database, &films, &ratings).await.unwrap();
    assert_eq!(dump(&database).await, first);
}

#[tokio::test]
async fn a_scored_member_keeps_only_the_datasets_train_rows() {
    let database = TestDatabase::new().await;
    let store = database.store();
    // The member's live diary had the held-out film and another: the dataset replaces both.
    let cid = user("cid");
    let live = Profile {
        ratings: vec![
            (
                FilmKey::parse("alien").unwrap(),
                Rating::from_half_stars(9).unwrap(),
            ),
            (
                FilmKey::parse("heat").unwrap(),
                Rating::from_half_stars(10).unwrap(),
            ),
        ],
        ..Profile::default()
    };
    store.replace_profile(&cid, &live).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let films = write(dir.path(), "films.csv", FILMS);
    let ratings = write(dir.path(), "ratings.csv", RATINGS);
    import(&database, &films, &ratings).await.unwrap();
    let stored = store.load_profile(&cid).await.unwrap().unwrap();
    let slugs: Vec<&str> = stored.ratings.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(slugs, ["heat", "jaws"]);
    assert_eq!(stored.ratings[0].1.half_stars(), 4);
}

#[tokio::test]
async fn a_malformed_row_is_named_and_nothing_is_imported() {
    let database = TestDatabase::new().await;
    let dir = tempfile::tempdir().unwrap();
    let films = write(dir.path(), "films.csv", FILMS);
    let good = write(dir.path(), "ratings.csv", RATINGS);
    import(&database, &films, &good).await.unwrap();
    let before = dump(&database).await;

    // A changed film and new ratings, then a bad rating on line 4 of the file.
    let changed_films = FILMS.replace("Heat,1995.0", "Heat (1995),1995.0");
    let films = write(dir.path(), "films2.csv", &changed_films);
    let bad = write(
        dir.path(),
        "bad-ratings.csv",
        "user,slug,rating,split\ndan,heat,3.0,community\ndan,jaws,2.0,community\neve,heat,4.2,community\n",
    );
    let err = format!("{:#}", import(&database, &films, &bad).await.unwrap_err());
    assert!(err.contains("bad-ratings.csv:4"), "{err}");
    assert!(err.contains("4.2"), "{err}");
    assert_eq!(dump(&database).await, before);
}

#[tokio::test]
async fn a_failure_while_writing_rolls_everything_back() {
    let database = TestDatabase::new().await;
    // Make the database refuse one rating, after the films and members are already written in
    // the same transaction.
    let mut conn = AsyncPgConnection::establish(database.database_url())
        .await
        .unwrap();
    conn.batch_execute(
        "CREATE FUNCTION refuse_jaws() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN IF NEW.film_key = 'jaws' THEN RAISE EXCEPTION 'refused'; END IF; RETURN NEW; END $$; \
         CREATE TRIGGER refuse_jaws BEFORE INSERT ON ratings \
         FOR EACH ROW EXECUTE FUNCTION refuse_jaws();",
    )
    .await
    .unwrap();
    let before = dump(&database).await;
    let dir = tempfile::tempdir().unwrap();
    let films = write(dir.path(), "films.csv", FILMS);
    let ratings = write(dir.path(), "ratings.csv", RATINGS);
    let err = format!(
        "{:#}",
        import(&database, &films, &ratings).await.unwrap_err()
    );
    assert!(err.contains("store is unchanged"), "{err}");
    assert_eq!(dump(&database).await, before);
    assert_eq!(count(&database, "SELECT count(*) AS n FROM films").await, 0);
    assert_eq!(
        count(&database, "SELECT count(*) AS n FROM members").await,
        0
    );
}
