import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBERS, assertProblem, client } from "./support.js";

test("GET /statistics: spreads, percentiles against earlier members, labels, genres, eras, distributions", async () => {
  await client.GET("/statistics", { params: { query: { member: MEMBERS[2] } } });
  const { data, response } = await client.GET("/statistics", {
    params: { query: { member: MEMBERS[3] } },
  });
  assert.equal(response.status, 200);
  assert.ok(data);
  assert.equal(data.member.member, MEMBERS[3]);
  assert.ok(data.ratings >= 5);
  assert.ok(data.percentiles.compared_with >= 1, "compared with the member before");
  assert.equal(data.genres.length, 19);
  assert.deepEqual(
    data.eras.map((e) => e.era),
    ["silent", "sound", "colour", "modern"],
  );
  assert.equal(data.distribution.member.counts.length, 10);
  const density = data.distribution.member.density.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(density - 1) < 1e-9);
  if (data.rating_style) assert.ok(data.rating_style.description.length > 0);
  // A scrape reads the member's diary pages too: the figures come from their watch dates.
  const diary = data.diary;
  assert.ok(diary, "a scraped member's diary figures");
  assert.ok(diary.watches > 0 && diary.rewatches <= diary.watches);
  assert.ok(diary.first_watch <= diary.latest_watch);
  const perYear = diary.per_year.reduce((sum, year) => sum + year.films, 0);
  const perMonth = diary.per_month.reduce((sum, month) => sum + month.films, 0);
  assert.equal(perYear, diary.watches, "every watch counted in its year");
  assert.equal(perMonth, diary.watches, "every watch counted in its month");
});

test("GET /statistics errors: invalid_query, invalid_member", async () => {
  const missing = await fetch(new URL("/statistics", process.env["REEL_BASE_URL"]));
  await assertProblem(missing, 400, "invalid_query");
  const bad = await client.GET("/statistics", { params: { query: { member: "two words" } } });
  await assertProblem(bad, 400, "invalid_member");
});

test("GET /statistics: top and bottom rated films with film cards", async () => {
  const { data, response } = await client.GET("/statistics", {
    params: { query: { member: MEMBERS[1] } },
  });
  assert.equal(response.status, 200);
  assert.ok(data);
  const { top, bottom } = data.rated_films;
  assert.ok(top.length > 0 && top.length <= 10);
  assert.ok(bottom.length > 0 && bottom.length <= 10);
  for (let i = 1; i < top.length; i++) assert.ok(top[i - 1]!.rating >= top[i]!.rating);
  for (let i = 1; i < bottom.length; i++) assert.ok(bottom[i - 1]!.rating <= bottom[i]!.rating);
  for (const film of [...top, ...bottom]) {
    assert.ok(film.title.length > 0 && film.key.length > 0);
    if (film.community_average !== null && film.community_average !== undefined) {
      assert.ok(Math.abs(film.rating - film.community_average - (film.difference ?? NaN)) < 1e-3);
    }
  }
});
