import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBERS, assertProblem, baseUrl, client, ratingsCsv, upload, type Schemas } from "./support.js";

test("POST /predictions: every reference form, unknown films listed, best mean first", async () => {
  // Three catalog films with every id the response carries, to name them every way.
  const recs = await client.POST("/recommendations", { body: { members: [MEMBERS[0]], limit: 3 } });
  assert.equal(recs.response.status, 200);
  const films = recs.data!.items;
  const [a, b, c] = [films[0]!, films[1]!, films[2]!];
  const references: Array<string | { tmdb: number }> = [a.key];
  const expected = new Set([a.key]);
  if (b.url) {
    references.push(b.url);
    expected.add(b.key);
  }
  if (c.ids.boxd_id) {
    references.push(`https://boxd.it/${c.ids.boxd_id}`);
    expected.add(c.key);
  }
  if (a.ids.letterboxd_id) references.push(`film:${a.ids.letterboxd_id}`);
  if (b.ids.tmdb_id && b.ids.tmdb_kind === "movie") {
    references.push(`tmdb:${b.ids.tmdb_id}`, { tmdb: b.ids.tmdb_id });
    expected.add(b.key);
  }
  references.push("a-film-nobody-made", "tmdb:movie:999999999");
  const { data, response } = await client.POST("/predictions", {
    body: { members: [MEMBERS[0], MEMBERS[1]], films: references },
  });
  assert.equal(response.status, 200);
  assert.ok(data);
  assert.deepEqual(new Set(data.items.map((i) => i.key)), expected);
  assert.deepEqual(
    data.unknown.map((u) => u.reference),
    ["a-film-nobody-made", "tmdb:movie:999999999"],
  );
  for (let i = 1; i < data.items.length; i++) {
    assert.ok(data.items[i - 1]!.predicted_rating >= data.items[i]!.predicted_rating);
  }
  for (const item of data.items) {
    assert.equal(item.member_predictions.length, 2);
    const mean = (item.member_predictions[0]!.predicted_rating + item.member_predictions[1]!.predicted_rating) / 2;
    assert.ok(Math.abs(mean - item.predicted_rating) < 1e-5);
  }
});

test("POST /predictions errors: invalid_body names every bad reference", async () => {
  const bad = await client.POST("/predictions", {
    body: { members: [MEMBERS[0]], films: ["two words", "tmdb:abc"] },
  });
  const problem = await assertProblem(bad, 400, "invalid_body");
  assert.match(problem.detail ?? "", /`two words`/);
  assert.match(problem.detail ?? "", /`tmdb:abc`/);
});

/** A list as Letterboxd exports it (`lists/<name>.csv`), its films as (title, year). */
function listCsv(name: string, films: Array<[string, number]>): string {
  const rows = films.map(([title, year], i) => `${i + 1},"${title.replaceAll('"', '""')}",${year},https://boxd.it/l${i},`);
  return [
    "Letterboxd list export v7",
    "Date,Name,Tags,URL,Description",
    `2026-01-05,${name},,https://letterboxd.com/sam/list/x/,`,
    "",
    "Position,Name,Year,URL,Description",
    ...rows,
    "",
  ].join("\n");
}

test("POST /predictions: an uploaded export's list, by name in any case; a wrong name is list_not_found", async () => {
  const rated: Array<[string, number]> = [
    ["Parasite", 2019],
    ["Heat", 1995],
    ["Alien", 1979],
    ["Arrival", 2016],
    ["Whiplash", 2014],
    ["Spirited Away", 2001],
  ];
  const created = await upload([
    ["ratings.csv", ratingsCsv(rated)],
    ["lists/festival-2026.csv", listCsv("Festival 2026", [["Heat", 1995], ["A Film Nobody Has Heard Of", 1901]])],
  ]);
  assert.equal(created.status, 201);
  const body = (await created.json()) as Schemas["ProfileUploadResponse"];
  assert.deepEqual(body.lists.map((l) => [l.name, l.films]), [["Festival 2026", 2]]);

  const { data, response } = await client.POST("/predictions", {
    body: { members: [body.id], list: { profile: body.id, name: "festival 2026" } },
  });
  assert.equal(response.status, 200);
  assert.equal(data!.items.length + data!.unknown.length, 2);
  assert.ok(data!.unknown.some((u) => u.reference === "https://boxd.it/l1"));

  const missing = await client.POST("/predictions", {
    body: { members: [MEMBERS[0]], list: { profile: body.id, name: "Festival 2025" } },
  });
  const problem = await assertProblem(missing, 404, "list_not_found");
  assert.match(problem.detail ?? "", /`Festival 2026`/);
  const username = await client.POST("/predictions", {
    body: { members: [MEMBERS[0]], list: { profile: MEMBERS[0], name: "Festival 2026" } },
  });
  await assertProblem(username, 400, "invalid_body");
});

test("POST /predictions with Accept: text/csv: the predicted films as a Letterboxd import CSV", async () => {
  const recs = await client.POST("/recommendations", { body: { members: [MEMBERS[0]], limit: 3 } });
  assert.equal(recs.response.status, 200);
  const films = recs.data!.items.map((i) => i.key);
  const response = await fetch(new URL("/predictions", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "text/csv" },
    body: JSON.stringify({ members: [MEMBERS[0]], films }),
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/csv/);
  assert.match(response.headers.get("content-disposition") ?? "", /reel-predictions-.*\.csv/);
  const lines = (await response.text()).trimEnd().split("\n");
  assert.equal(lines[0], "LetterboxdURI,tmdbID,imdbID,Title,Year");
  assert.equal(lines.length, 1 + films.length);
});
