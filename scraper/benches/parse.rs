//! Parse throughput on the real saved pages: the 72-film grid and the film page.
//! `cargo bench -p letterboxd --bench parse`; criterion prints time per page (pages/s = 1/time)
//! and MiB/s from the page size.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use letterboxd::parse::{parse_film, parse_grid, parse_members};

#[path = "../tests/integration/support/paths.rs"]
mod paths;
use paths::fixture;

fn parse(c: &mut Criterion) {
    let grid = fixture("current/user_samtestacct_films_page1.html");
    let film = fixture("current/film_the-zone-of-interest.html");
    let members = fixture("current/members_popular_this_week_page1.html");
    // Benchmark only pages that parse: a markup regression must not make the figures look fast.
    assert!(parse_grid(&grid).is_ok_and(|page| page.films.len() == 72));
    assert!(parse_film(&film).is_ok());
    assert!(parse_members(&members).is_ok_and(|page| page.usernames.len() == 30));
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(grid.len() as u64));
    group.bench_function("grid_72_films", |b| b.iter(|| parse_grid(black_box(&grid))));
    group.throughput(Throughput::Bytes(film.len() as u64));
    group.bench_function("film_page", |b| b.iter(|| parse_film(black_box(&film))));
    group.throughput(Throughput::Bytes(members.len() as u64));
    group.bench_function("members_page", |b| {
        b.iter(|| parse_members(black_box(&members)))
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
