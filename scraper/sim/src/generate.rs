//! Synthetic worlds written in the `letterboxd-1m` dataset format, for scale tests: a checked
//! [`WorldSpec`] in, `films.csv.gz`, `ratings.csv.gz` and `world.json` out ([`write_world`]).
//!
//! Films have a long-tailed popularity (Zipf-like over a seeded permutation, so it is not index
//! order), a quality and eight latent factors; members have a bias, eight factors and a
//! log-normal activity. A rating is quality + bias + factors' dot product + noise, in half stars
//! (a third of members use whole stars only). Splits follow the dataset's protocol: a share of
//! members is `community`, every other member's rows are split 80/20 into `train` and `test`.
//! The same spec gives byte-identical files: every member draws from its own seeded generator and
//! rows are written in member order, one member in memory at a time.

use std::fmt;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::GzEncoder;
use letterboxd::dataset::Split;
use model::Genre;
use rand::Rng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::seed::rng_for;
use crate::synthetic::{ADJECTIVES, NOUNS, capitalise};

pub const DEFAULT_RATINGS_PER_MEMBER: f64 = 220.0;
pub const DEFAULT_COMMUNITY_SHARE: f64 = 0.4;
/// Fewer films than this leave no room for a member's minimum activity.
pub const MIN_FILMS: usize = 10;

const FACTORS: usize = 8;
/// Activity is log-normal with this spread, clamped to `MIN_ACTIVITY..=MAX_ACTIVITY`.
const ACTIVITY_SIGMA: f64 = 1.2;
const MIN_ACTIVITY: f64 = 5.0;
const MAX_ACTIVITY: f64 = 3_000.0;
/// Popularity weight of the film at rank r: 1 / (r + OFFSET)^EXPONENT.
const POPULARITY_OFFSET: f64 = 10.0;
const POPULARITY_EXPONENT: f64 = 1.1;
const TEST_SHARE: f64 = 0.2;
const LATEST_YEAR: u16 = 2025;
/// Ratings the busiest film would have on the whole of Letterboxd, for `lb_rating_count`.
const LETTERBOXD_RATINGS: f64 = 40_000_000.0;

/// Genre frequencies of the letterboxd-1m films.
const GENRE_WEIGHTS: [(Genre, f64); 19] = [
    (Genre::Drama, 3271.0),
    (Genre::Comedy, 2506.0),
    (Genre::Thriller, 1734.0),
    (Genre::Action, 1393.0),
    (Genre::Horror, 1250.0),
    (Genre::Romance, 1208.0),
    (Genre::Adventure, 1137.0),
    (Genre::Crime, 992.0),
    (Genre::ScienceFiction, 910.0),
    (Genre::Fantasy, 874.0),
    (Genre::Family, 843.0),
    (Genre::Animation, 731.0),
    (Genre::Mystery, 672.0),
    (Genre::History, 288.0),
    (Genre::Music, 281.0),
    (Genre::War, 185.0),
    (Genre::Documentary, 181.0),
    (Genre::TvMovie, 101.0),
    (Genre::Western, 88.0),
];

/// Original languages of the letterboxd-1m films (empty: unknown).
const LANGUAGE_WEIGHTS: [(&str, f64); 16] = [
    ("en", 5998.0),
    ("fr", 267.0),
    ("ja", 262.0),
    ("", 226.0),
    ("es", 97.0),
    ("it", 86.0),
    ("ko", 73.0),
    ("de", 58.0),
    ("hi", 47.0),
    ("zh", 45.0),
    ("pt", 45.0),
    ("sv", 31.0),
    ("pl", 23.0),
    ("ru", 23.0),
    ("da", 20.0),
    ("tr", 15.0),
];

/// The parameters of a world as given; [`WorldParams::check`] turns them into a [`WorldSpec`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorldParams {
    pub films: usize,
    pub members: usize,
    pub seed: u64,
    /// Mean number of ratings per member.
    pub ratings_per_member: f64,
    /// Share of members in the `community` split, strictly between 0 and 1.
    pub community_share: f64,
}

impl WorldParams {
    pub fn new(films: usize, members: usize, seed: u64) -> Self {
        Self {
            films,
            members,
            seed,
            ratings_per_member: DEFAULT_RATINGS_PER_MEMBER,
            community_share: DEFAULT_COMMUNITY_SHARE,
        }
    }

    pub fn check(self) -> Result<WorldSpec, SpecError> {
        if self.films < MIN_FILMS {
            return Err(SpecError::TooFewFilms(self.films));
        }
        if self.members == 0 {
            return Err(SpecError::NoMembers);
        }
        if !(self.community_share > 0.0 && self.community_share < 1.0) {
            return Err(SpecError::CommunityShare(self.community_share));
        }
        let most = max_activity(self.films);
        let mean = self.ratings_per_member;
        if !(mean > MIN_ACTIVITY && mean < most) {
            return Err(SpecError::RatingsPerMember { mean, most });
        }
        Ok(WorldSpec {
            films: self.films,
            members: self.members,
            seed: self.seed,
            ratings_per_member: mean,
            community_share: self.community_share,
            activity_mu: activity_mu(mean, most),
        })
    }
}

/// A world's parameters, checked: only [`WorldParams::check`] makes one.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WorldSpec {
    films: usize,
    members: usize,
    seed: u64,
    ratings_per_member: f64,
    community_share: f64,
    /// Location of the log-normal activity whose clamped mean is `ratings_per_member`.
    #[serde(skip)]
    activity_mu: f64,
}

impl WorldSpec {
    pub fn films(&self) -> usize {
        self.films
    }

    pub fn members(&self) -> usize {
        self.members
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn ratings_per_member(&self) -> f64 {
        self.ratings_per_member
    }

    pub fn community_share(&self) -> f64 {
        self.community_share
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum SpecError {
    TooFewFilms(usize),
    NoMembers,
    CommunityShare(f64),
    RatingsPerMember { mean: f64, most: f64 },
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::TooFewFilms(films) => {
                write!(f, "a world needs at least {MIN_FILMS} films, not {films}")
            }
            SpecError::NoMembers => write!(f, "a world needs at least one member"),
            SpecError::CommunityShare(share) => {
                write!(f, "community share {share} is not between 0 and 1")
            }
            SpecError::RatingsPerMember { mean, most } => write!(
                f,
                "ratings per member {mean} is not between {MIN_ACTIVITY} and {most} (the most one member rates in this world)"
            ),
        }
    }
}

impl std::error::Error for SpecError {}

/// What a written world holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct WorldCounts {
    pub films: usize,
    pub members: usize,
    pub community_members: usize,
    pub community_ratings: u64,
    pub train_ratings: u64,
    pub test_ratings: u64,
}

impl WorldCounts {
    pub fn ratings(&self) -> u64 {
        self.community_ratings + self.train_ratings + self.test_ratings
    }

    fn add(&mut self, split: Split) {
        match split {
            Split::Community => self.community_ratings += 1,
            Split::Train => self.train_ratings += 1,
            Split::Test => self.test_ratings += 1,
        }
    }
}

/// Writes `films.csv.gz`, `ratings.csv.gz` and `world.json` of `spec` into `dir` (created when
/// missing), ratings first so the films' community means and counts come from them.
pub fn write_world(spec: &WorldSpec, dir: &Path) -> io::Result<WorldCounts> {
    std::fs::create_dir_all(dir)?;
    let films = Films::draw(spec);
    let (counts, tally) = write_ratings(spec, &films, &dir.join("ratings.csv.gz"))?;
    write_films(spec, &films, &tally, &dir.join("films.csv.gz"))?;
    let mut json = serde_json::to_vec_pretty(&Summary { spec, counts })?;
    json.push(b'\n');
    std::fs::write(dir.join("world.json"), json)?;
    Ok(counts)
}

/// Every member's rows in member order, one member in memory at a time.
fn write_ratings(
    spec: &WorldSpec,
    films: &Films,
    path: &Path,
) -> io::Result<(WorldCounts, FilmTally)> {
    let mut counts = WorldCounts {
        films: spec.films,
        members: spec.members,
        ..WorldCounts::default()
    };
    let mut tally = FilmTally::new(spec.films);
    let mut out = gz_csv(path)?;
    out.write_record(["user", "slug", "rating", "split"])?;
    let mut taken = vec![u32::MAX; spec.films];
    for index in 0..spec.members {
        let member = draw_member(spec, films, index, &mut taken);
        counts.community_members += usize::from(member.community);
        for row in &member.rows {
            tally.add(row);
            counts.add(row.split);
            out.write_record([
                member.name.as_str(),
                films.slugs[row.film as usize].as_str(),
                stars_text(row.half_stars),
                split_text(row.split),
            ])?;
        }
    }
    finish(out)?;
    Ok((counts, tally))
}

fn write_films(spec: &WorldSpec, films: &Films, tally: &FilmTally, path: &Path) -> io::Result<()> {
    let mut out = gz_csv(path)?;
    out.write_record([
        "slug",
        "title",
        "year",
        "runtime",
        "genres",
        "language",
        "tmdb_popularity",
        "content_type",
        "image_url",
        "lb_rating",
        "lb_rating_count",
    ])?;
    for index in 0..spec.films {
        out.write_record(films.row(spec, index, tally))?;
    }
    finish(out)
}

/// `world.json`.
#[derive(Serialize)]
struct Summary<'a> {
    spec: &'a WorldSpec,
    counts: WorldCounts,
}

type GzCsv = csv::Writer<GzEncoder<BufWriter<File>>>;

fn gz_csv(path: &Path) -> io::Result<GzCsv> {
    let file = BufWriter::with_capacity(1 << 20, File::create(path)?);
    // flate2's header carries no timestamp, so equal rows give equal bytes.
    Ok(csv::Writer::from_writer(GzEncoder::new(
        file,
        Compression::default(),
    )))
}

fn finish(writer: GzCsv) -> io::Result<()> {
    let gz = writer.into_inner().map_err(|err| err.into_error())?;
    gz.finish()?.flush()
}

/// Every film's traits, drawn once; rows are written from them.
struct Films {
    slugs: Vec<String>,
    titles: Vec<String>,
    ranks: Vec<u32>,
    quality: Vec<f32>,
    factors: Vec<[f32; FACTORS]>,
    popularity: Alias,
    total_weight: f64,
}

impl Films {
    fn draw(spec: &WorldSpec) -> Self {
        let mut order: Vec<u32> = (0..spec.films as u32).collect();
        order.shuffle(&mut rng_for(spec.seed, "popularity", 0));
        let mut ranks = vec![0u32; spec.films];
        for (rank, &film) in order.iter().enumerate() {
            ranks[film as usize] = rank as u32;
        }
        let weights: Vec<f64> = ranks.iter().map(|&rank| popularity_weight(rank)).collect();
        let total_weight = weights.iter().sum();
        let mut films = Films {
            slugs: Vec::with_capacity(spec.films),
            titles: Vec::with_capacity(spec.films),
            ranks,
            quality: Vec::with_capacity(spec.films),
            factors: Vec::with_capacity(spec.films),
            popularity: Alias::new(&weights),
            total_weight,
        };
        for index in 0..spec.films {
            let mut rng = rng_for(spec.seed, "film", index as u64);
            let title = title(&mut rng);
            films.slugs.push(slug(&title, index));
            films.titles.push(title);
            // Popular films are a little better liked.
            let percentile = 1.0 - f64::from(films.ranks[index]) / spec.films as f64;
            let quality = 3.15 + 0.45 * normal(&mut rng) + 0.3 * percentile;
            films.quality.push(quality as f32);
            films.factors.push(factors(&mut rng));
        }
        films
    }

    /// The traits drawn after the ratings' ones (a film's generator `film/extra`), so adding a
    /// column never changes the ratings.
    fn row(&self, spec: &WorldSpec, index: usize, tally: &FilmTally) -> [String; 11] {
        let mut rng = rng_for(spec.seed, "film/extra", index as u64);
        let rank = f64::from(self.ranks[index]);
        let sparse = rng.random_bool(0.035);
        let year = (!sparse).then(|| release_year(&mut rng));
        let runtime = (!sparse).then(|| (100.0 + 20.0 * normal(&mut rng)).clamp(60.0, 240.0));
        let genre_count = pick(&mut rng, &[(1, 25.0), (2, 40.0), (3, 35.0)]);
        let genres = pick_distinct(&mut rng, &GENRE_WEIGHTS, genre_count);
        let language = pick(&mut rng, &LANGUAGE_WEIGHTS);
        let content_type = if rng.random_bool(0.02) { "tv" } else { "movie" };
        let tmdb = 300.0 * (POPULARITY_OFFSET / (rank + POPULARITY_OFFSET)).powf(0.8);
        let tmdb = (tmdb * (0.5 * normal(&mut rng)).exp()).max(0.001);
        let share = popularity_weight(self.ranks[index]) / self.total_weight;
        let elsewhere = LETTERBOXD_RATINGS * share * (0.3 * normal(&mut rng)).exp();
        let lb_count = u64::from(tally.rated[index]) + (elsewhere.round() as u64).max(1);
        let lb_rating = match tally.community_count[index] {
            0 => String::new(),
            n => decimal(
                tally.community_half_stars[index] as f64 / 2.0 / f64::from(n),
                3,
            ),
        };
        let slug = &self.slugs[index];
        [
            slug.clone(),
            self.titles[index].clone(),
            year.map_or_else(String::new, |year| format!("{year}.0")),
            runtime.map_or_else(String::new, |minutes| format!("{}.0", minutes.round())),
            genres
                .iter()
                .map(|genre| genre.name())
                .collect::<Vec<_>>()
                .join("|"),
            language.to_owned(),
            decimal(tmdb, 3),
            content_type.to_owned(),
            poster_path(100_000 + index as u64, slug),
            lb_rating,
            lb_count.to_string(),
        ]
    }
}

/// Per-film sums over the written ratings.
struct FilmTally {
    rated: Vec<u32>,
    community_count: Vec<u32>,
    community_half_stars: Vec<u64>,
}

impl FilmTally {
    fn new(films: usize) -> Self {
        Self {
            rated: vec![0; films],
            community_count: vec![0; films],
            community_half_stars: vec![0; films],
        }
    }

    fn add(&mut self, row: &Row) {
        let film = row.film as usize;
        self.rated[film] += 1;
        if row.split == Split::Community {
            self.community_count[film] += 1;
            self.community_half_stars[film] += u64::from(row.half_stars);
        }
    }
}

/// One member's ratings, as written.
struct MemberRows {
    name: String,
    community: bool,
    rows: Vec<Row>,
}

#[derive(Debug, Clone, Copy)]
struct Row {
    film: u32,
    half_stars: u8,
    split: Split,
}

/// Member `index`: name, split, tastes and ratings from its own generator. `taken` is scratch
/// space of one slot per film (the last member that drew it), so no set is built per member.
fn draw_member(spec: &WorldSpec, films: &Films, index: usize, taken: &mut [u32]) -> MemberRows {
    let mut rng = rng_for(spec.seed, "member", index as u64);
    let name = member_name(&mut rng, index);
    let community = rng.random_bool(spec.community_share);
    let bias = 0.1 + 0.4 * normal(&mut rng);
    let tastes = factors(&mut rng);
    let whole_stars = rng.random_bool(1.0 / 3.0);
    let most = max_activity(spec.films);
    let wanted = (spec.activity_mu + ACTIVITY_SIGMA * normal(&mut rng)).exp();
    let count = wanted.clamp(MIN_ACTIVITY, most).round() as usize;

    let picks = draw_films(&mut rng, films, count, index as u32, taken);
    let mut rows: Vec<Row> = picks
        .into_iter()
        .map(|film| {
            let f = film as usize;
            let taste: f32 = tastes
                .iter()
                .zip(&films.factors[f])
                .map(|(a, b)| a * b)
                .sum();
            let stars = f64::from(films.quality[f] + taste) + bias + 0.6 * normal(&mut rng);
            let half_stars = if whole_stars {
                2 * stars.round().clamp(1.0, 5.0) as u8
            } else {
                (stars * 2.0).round().clamp(1.0, 10.0) as u8
            };
            Row {
                film,
                half_stars,
                split: Split::Community,
            }
        })
        .collect();
    rows.sort_by_key(|row| row.film);
    if !community {
        for row in &mut rows {
            row.split = Split::Train;
        }
        if rows.len() >= 2 {
            let tests = ((rows.len() as f64 * TEST_SHARE).round() as usize).max(1);
            for at in rand::seq::index::sample(&mut rng, rows.len(), tests) {
                rows[at].split = Split::Test;
            }
        }
    }
    MemberRows {
        name,
        community,
        rows,
    }
}

/// `count` distinct films by popularity: alias draws with rejection of repeats, and when a
/// member has drawn nearly every film the rejections would take long, the rest uniformly among
/// the films left.
fn draw_films(
    rng: &mut ChaCha8Rng,
    films: &Films,
    count: usize,
    member: u32,
    taken: &mut [u32],
) -> Vec<u32> {
    let mut picks = Vec::with_capacity(count);
    let mut tries = 0;
    while picks.len() < count && tries < 20 * count + 100 {
        tries += 1;
        let film = films.popularity.draw(rng);
        if taken[film as usize] != member {
            taken[film as usize] = member;
            picks.push(film);
        }
    }
    if picks.len() < count {
        let mut left: Vec<u32> = (0..taken.len() as u32)
            .filter(|&film| taken[film as usize] != member)
            .collect();
        let (chosen, _) = left.partial_shuffle(rng, count - picks.len());
        for &mut film in chosen {
            taken[film as usize] = member;
            picks.push(film);
        }
    }
    picks
}

/// Walker's alias method: one uniform index and one coin per draw, whatever the weights.
struct Alias {
    keep: Vec<f64>,
    alias: Vec<u32>,
}

impl Alias {
    fn new(weights: &[f64]) -> Self {
        let n = weights.len();
        let total: f64 = weights.iter().sum();
        let mut scaled: Vec<f64> = weights.iter().map(|w| w * n as f64 / total).collect();
        let mut keep = vec![1.0; n];
        let mut alias: Vec<u32> = (0..n as u32).collect();
        let (mut small, mut large): (Vec<usize>, Vec<usize>) =
            (0..n).partition(|&i| scaled[i] < 1.0);
        while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
            small.pop();
            keep[s] = scaled[s];
            alias[s] = l as u32;
            scaled[l] -= 1.0 - scaled[s];
            if scaled[l] < 1.0 {
                large.pop();
                small.push(l);
            }
        }
        // Whatever is left is 1 up to rounding.
        Self { keep, alias }
    }

    fn draw(&self, rng: &mut impl Rng) -> u32 {
        let slot = rng.random_range(0..self.keep.len());
        if rng.random::<f64>() < self.keep[slot] {
            slot as u32
        } else {
            self.alias[slot]
        }
    }
}

fn popularity_weight(rank: u32) -> f64 {
    (f64::from(rank) + POPULARITY_OFFSET).powf(-POPULARITY_EXPONENT)
}

fn max_activity(films: usize) -> f64 {
    MAX_ACTIVITY.min(films as f64)
}

/// The `mu` for which `clamp(exp(mu + sigma z), MIN_ACTIVITY, most)` has mean `mean`, by
/// bisection (the clamped mean grows with `mu`) over a numerical integral on z.
fn activity_mu(mean: f64, most: f64) -> f64 {
    let clamped_mean = |mu: f64| {
        let (mut sum, mut mass) = (0.0, 0.0);
        for step in -1600..=1600 {
            let z = f64::from(step) / 200.0;
            let density = (-0.5 * z * z).exp();
            sum += density * (mu + ACTIVITY_SIGMA * z).exp().clamp(MIN_ACTIVITY, most);
            mass += density;
        }
        sum / mass
    };
    let (mut low, mut high) = (-10.0, 20.0);
    for _ in 0..100 {
        let mid = 0.5 * (low + high);
        if clamped_mean(mid) < mean {
            low = mid;
        } else {
            high = mid;
        }
    }
    0.5 * (low + high)
}

/// A standard normal draw (Box-Muller).
fn normal(rng: &mut impl Rng) -> f64 {
    let u = 1.0 - rng.random::<f64>();
    let v: f64 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
}

/// Latent tastes: their dot product has a spread of about half a star.
fn factors(rng: &mut impl Rng) -> [f32; FACTORS] {
    std::array::from_fn(|_| (0.4 * normal(rng)) as f32)
}

/// Mostly recent: an exponential age for 85% of films, uniform back to 1920 for the rest.
fn release_year(rng: &mut impl Rng) -> u16 {
    let oldest = 1920.0;
    let latest = f64::from(LATEST_YEAR);
    let year = if rng.random_bool(0.85) {
        latest - (-12.0 * (1.0 - rng.random::<f64>()).ln()).floor()
    } else {
        rng.random_range(oldest..=latest).floor()
    };
    year.max(oldest) as u16
}

fn pick<T: Copy>(rng: &mut impl Rng, weighted: &[(T, f64)]) -> T {
    let total: f64 = weighted.iter().map(|(_, w)| w).sum();
    let mut at = rng.random::<f64>() * total;
    for &(value, weight) in weighted {
        if at < weight {
            return value;
        }
        at -= weight;
    }
    weighted[weighted.len() - 1].0
}

fn pick_distinct<T: Copy + PartialEq>(
    rng: &mut impl Rng,
    weighted: &[(T, f64)],
    count: usize,
) -> Vec<T> {
    let mut chosen: Vec<T> = Vec::with_capacity(count);
    while chosen.len() < count.min(weighted.len()) {
        let value = pick(rng, weighted);
        if !chosen.contains(&value) {
            chosen.push(value);
        }
    }
    chosen
}

fn word<'a>(rng: &mut impl Rng, words: &[&'a str]) -> &'a str {
    words[rng.random_range(0..words.len())]
}

/// A title from the synthetic world's words; some carry a comma, quotes or an apostrophe, as
/// real ones do, so the CSV must quote them.
fn title(rng: &mut impl Rng) -> String {
    let adjective = capitalise(word(rng, ADJECTIVES));
    let noun = capitalise(word(rng, NOUNS));
    let other = capitalise(word(rng, NOUNS));
    match pick(
        rng,
        &[
            (0, 30.0),
            (1, 15.0),
            (2, 10.0),
            (3, 25.0),
            (4, 6.0),
            (5, 4.0),
            (6, 5.0),
            (7, 5.0),
        ],
    ) {
        0 => format!("The {adjective} {noun}"),
        1 => format!("{noun} of the {adjective} {other}"),
        2 => format!("{noun} & {other}"),
        3 => format!("{adjective} {noun}"),
        4 => format!("{noun}, {adjective} {other}"),
        5 => format!("The \"{adjective}\" {noun}"),
        6 => format!("The {noun}'s {other}"),
        _ => format!("{adjective} {noun}: Part {}", rng.random_range(2..=4)),
    }
}

/// The title's words in lowercase joined by `-`, then the index, which makes it unique.
fn slug(title: &str, index: usize) -> String {
    let mut slug = String::with_capacity(title.len() + 8);
    for part in title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
    {
        slug.push_str(&part.to_ascii_lowercase());
        slug.push('-');
    }
    slug.push_str(&index.to_string());
    slug
}

/// Lowercase words and the index (words hold no digits, so names are unique).
fn member_name(rng: &mut impl Rng, index: usize) -> String {
    let adjective = word(rng, ADJECTIVES);
    let noun = word(rng, NOUNS);
    let joint = if rng.random_bool(0.5) { "_" } else { "" };
    format!("{adjective}{joint}{noun}{index}")
}

/// The dataset's `image_url`: a path below the image host, the id's digits as directories.
fn poster_path(id: u64, slug: &str) -> String {
    let digits: Vec<String> = id.to_string().chars().map(String::from).collect();
    format!(
        "film-poster/{}/{id}-{slug}-0-230-0-345-crop",
        digits.join("/")
    )
}

fn stars_text(half_stars: u8) -> &'static str {
    const TEXT: [&str; 11] = [
        "0.0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5", "4.0", "4.5", "5.0",
    ];
    TEXT[usize::from(half_stars.min(10))]
}

fn split_text(split: Split) -> &'static str {
    match split {
        Split::Community => "community",
        Split::Train => "train",
        Split::Test => "test",
    }
}

/// `value` rounded to `places` decimals, written as short as it reads back (`4.0`, `3.556`).
fn decimal(value: f64, places: i32) -> String {
    let scale = 10f64.powi(places);
    let rounded = (value * scale).round() / scale;
    let text = rounded.to_string();
    if text.contains('.') {
        text
    } else {
        format!("{text}.0")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_mu_hits_the_mean() {
        let mu = activity_mu(220.0, 3_000.0);
        let mut rng = rng_for(1, "test", 0);
        let n = 200_000;
        let total: f64 = (0..n)
            .map(|_| {
                (mu + ACTIVITY_SIGMA * normal(&mut rng))
                    .exp()
                    .clamp(MIN_ACTIVITY, 3_000.0)
                    .round()
            })
            .sum();
        let mean = total / f64::from(n);
        assert!((mean - 220.0).abs() < 5.0, "mean activity {mean}");
    }

    #[test]
    fn alias_draws_follow_the_weights() {
        let alias = Alias::new(&[1.0, 3.0, 0.0, 6.0]);
        let mut rng = rng_for(2, "test", 0);
        let mut counts = [0u32; 4];
        for _ in 0..100_000 {
            counts[alias.draw(&mut rng) as usize] += 1;
        }
        assert_eq!(counts[2], 0);
        for (got, want) in counts.iter().zip([0.1, 0.3, 0.0, 0.6]) {
            let share = f64::from(*got) / 100_000.0;
            assert!((share - want).abs() < 0.01, "{counts:?}");
        }
    }

    #[test]
    fn slugs_names_and_numbers_are_in_the_dataset_form() {
        assert_eq!(
            slug("The \"Quiet\" Harbor, Part 2", 17),
            "the-quiet-harbor-part-2-17"
        );
        assert_eq!(decimal(4.0, 3), "4.0");
        assert_eq!(decimal(3.55555, 3), "3.556");
        assert_eq!(stars_text(7), "3.5");
        assert_eq!(
            poster_path(100_017, "heat-17"),
            "film-poster/1/0/0/0/1/7/100017-heat-17-0-230-0-345-crop"
        );
    }
}
