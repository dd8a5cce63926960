import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBERS, assertProblem, client } from "./support.js";

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
