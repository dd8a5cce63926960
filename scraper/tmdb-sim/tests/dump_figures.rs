//! `tmdb-sim --dump-figures`: the world's vote figures as CSV, without serving.

use std::process::Command;

#[test]
fn dump_figures_writes_one_row_a_film_and_exits() {
    let dir = tempfile::tempdir().unwrap();
    let films = dir.path().join("films.csv");
    std::fs::write(
        &films,
        "slug,title,year,runtime,genres,language,tmdb_popularity,content_type,image_url,lb_rating,lb_rating_count\n\
         heat,Heat,1995.0,170.0,Crime|Drama,en,30.5,movie,,4.1,250000\n\
         obscure,Obscure,2020.0,,,fr,,movie,,,\n",
    )
    .unwrap();
    let out = dir.path().join("figures.csv");
    let status = Command::new(env!("CARGO_BIN_EXE_tmdb-sim"))
        .arg("--films")
        .arg(&films)
        .arg("--dump-figures")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        [
            "slug",
            "tmdb_id",
            "vote_average",
            "vote_count",
            "popularity"
        ]
    );
    assert_eq!(rows.len(), 3, "{text}");
    assert_eq!((rows[1][0], rows[1][4]), ("heat", "30.5"));
    let vote_average: f64 = rows[1][2].parse().unwrap();
    assert!((1.0..=10.0).contains(&vote_average), "{text}");
    assert!(rows[1][3].parse::<u64>().unwrap() > 1_000, "{text}");
    assert_eq!(rows[2][0], "obscure");
    // The same seed, the same figures.
    let again = dir.path().join("again.csv");
    let status = Command::new(env!("CARGO_BIN_EXE_tmdb-sim"))
        .arg("--films")
        .arg(&films)
        .arg("--dump-figures")
        .arg(&again)
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
}
