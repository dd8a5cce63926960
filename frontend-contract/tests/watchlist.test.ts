import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBERS, assertProblem, client, ratingsCsv, upload } from "./support.js";

test("POST /watchlist random picks are reproducible with their seed", async () => {
  const first = await client.POST("/watchlist", { body: { members: [MEMBERS[4]], count: 4 } });
  assert.equal(first.response.status, 200);
  assert.ok(first.data);
  assert.equal(first.data.mode, "random");
  assert.equal(first.data.rank_by, null);
  assert.ok(first.data.seed !== null && first.data.seed !== undefined);
  const again = await client.POST("/watchlist", {
    body: { members: [MEMBERS[4]], count: 4, seed: first.data.seed },
  });
  assert.deepEqual(
    again.data?.picks.map((p) => p.key),
    first.data.picks.map((p) => p.key),
  );
});

test("POST /watchlist ranked picks come with predictions, best first", async () => {
  const { data, response } = await client.POST("/watchlist", {
    body: { members: [MEMBERS[4]], mode: "ranked", count: 5, rank_by: "predicted_rating" },
  });
  assert.equal(response.status, 200);
  assert.ok(data);
  assert.equal(data.rank_by, "predicted_rating");
  const ratings = data.picks.map((p) => p.predicted_rating).filter((r) => r !== null && r !== undefined);
  for (const pick of data.picks) assert.ok(pick.reasons.length <= 3);
  assert.ok(ratings.length > 0);
  for (let i = 1; i < ratings.length; i++) assert.ok(ratings[i - 1]! >= ratings[i]!);
  // The default order is the match ranking, which needs the general model: the response says
  // which order it used.
  const byDefault = await client.POST("/watchlist", {
    body: { members: [MEMBERS[4]], mode: "ranked", count: 5 },
  });
  assert.equal(byDefault.response.status, 200);
  assert.ok(byDefault.data?.rank_by === "match" || byDefault.data?.rank_by === "predicted_rating");
});

test("POST /watchlist errors: watchlist_empty, no_overlap", async () => {
  // An uploaded export with ratings and no watchlist.
  const created = await upload([["ratings.csv", ratingsCsv([["Parasite", 2019], ["Heat", 1995]])]]);
  assert.equal(created.status, 201);
  const { id } = (await created.json()) as { id: string };
  const empty = await client.POST("/watchlist", { body: { members: [MEMBERS[4], id] } });
  await assertProblem(empty, 422, "watchlist_empty");
  // An export whose watchlist holds one catalog film the member's watchlist lacks.
  const theirs = await client.POST("/watchlist", {
    body: { members: [MEMBERS[4]], count: 96, overlap: false, seed: 1 },
  });
  const taken = new Set(theirs.data?.picks.map((p) => p.key));
  const [title, year] = taken.has("heat-1995") ? ["Alien", 1979] : ["Heat", 1995];
  const lonely = await upload([
    ["watchlist.csv", `Date,Name,Year,Letterboxd URI\n2025-01-01,${title},${year},https://boxd.it/zz\n`],
  ]);
  assert.equal(lonely.status, 201);
  const other = (await lonely.json()) as { id: string };
  const none = await client.POST("/watchlist", { body: { members: [MEMBERS[4], other.id] } });
  await assertProblem(none, 422, "no_overlap");
});

test("POST /watchlist with min_members, filters and a description: each pick says whose watchlists hold it", async () => {
  const { data, error, response } = await client.POST("/watchlist", {
    body: {
      members: [MEMBERS[4]],
      min_members: 1,
      count: 10,
      filters: { exclude_genres: ["Horror"] },
      description: "no documentaries under 3 hours",
    },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data);
  assert.equal(data.min_members, 1);
  for (const pick of data.picks) assert.deepEqual(pick.members, [MEMBERS[4]]);
  // The request's exclude_genres wins over the description's; the runtime comes from the description.
  assert.deepEqual(data.applied_filters.filters.exclude_genres, ["Horror"]);
  assert.equal(data.applied_filters.filters.runtime_max, 180);
  // No language model on the CI server: the embedded parser read the description.
  assert.equal(data.applied_filters.description?.parser, "embedded");
  assert.equal(data.applied_filters.description?.fallback, null);
  assert.deepEqual(data.applied_filters.sources, [
    { filter: "exclude_genres", source: "request" },
    { filter: "runtimes", source: "description" },
  ]);
});

test("POST /watchlist: min_members above the number of members is invalid_body", async () => {
  const result = await client.POST("/watchlist", { body: { members: [MEMBERS[4]], min_members: 2 } });
  await assertProblem(result, 400, "invalid_body");
});
