import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBERS, assertProblem, client } from "./support.js";

test("POST /compatibility: two dataset members, scores 0-100, charts and lists", async () => {
  const { data, response } = await client.POST("/compatibility", {
    body: { members: [MEMBERS[0], MEMBERS[1]] },
  });
  assert.equal(response.status, 200);
  assert.ok(data);
  assert.deepEqual(
    data.members.map((m) => m.member),
    [MEMBERS[0], MEMBERS[1]],
  );
  for (const member of data.members) assert.equal(member.genres.length, 19);
  assert.equal(data.pairs.length, 1);
  const pair = data.pairs[0]!;
  assert.deepEqual(pair.members, [MEMBERS[0], MEMBERS[1]]);
  for (const score of [pair.scores.film, pair.scores.genre, pair.scores.era]) {
    if (score !== null && score !== undefined) assert.ok(score >= 0 && score <= 100, String(score));
  }
  const ratings = pair.scores.ratings;
  assert.ok(ratings.confidence >= 0 && ratings.confidence < 1);
  assert.equal(ratings.score === null || ratings.score === undefined, ratings.reason !== null && ratings.reason !== undefined);
  assert.ok(pair.polarizing.length <= 12 && pair.shared_favourites.length <= 12);
  assert.equal(pair.cross_recommendations.length, 2);
  for (const list of pair.cross_recommendations) {
    for (const film of list.films) assert.ok(film.rating >= 4.5 && film.title.length > 0);
  }
});

test("POST /compatibility: every pair of five members, in request order", async () => {
  const { data, response } = await client.POST("/compatibility", { body: { members: [...MEMBERS] } });
  assert.equal(response.status, 200);
  assert.equal(data?.pairs.length, 10);
  assert.deepEqual(data?.pairs[0]?.members, [MEMBERS[0], MEMBERS[1]]);
  assert.deepEqual(data?.pairs[9]?.members, [MEMBERS[3], MEMBERS[4]]);
});

test("POST /compatibility errors: invalid_body (one member), invalid_member", async () => {
  const one = await client.POST("/compatibility", { body: { members: [MEMBERS[0]] } });
  await assertProblem(one, 400, "invalid_body");
  const bad = await client.POST("/compatibility", { body: { members: [MEMBERS[0], "two words"] } });
  await assertProblem(bad, 400, "invalid_member");
});
