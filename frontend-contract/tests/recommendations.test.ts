import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBERS, assertProblem, client } from "./support.js";

test("POST /recommendations for one member: films best first, each with a predicted rating", async () => {
  const { data, error, response } = await client.POST("/recommendations", {
    body: { members: [MEMBERS[0]], limit: 12 },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data);
  assert.equal(data.items.length, 12);
  assert.equal(data.members[0]?.member, MEMBERS[0]);
  assert.ok(["scraped", "cached"].includes(data.members[0]?.source ?? ""));
  assert.ok(["default", "personalized", "general"].includes(data.model));
  assert.ok(Number.isInteger(data.catalog_version));
  assert.ok(!Number.isNaN(Date.parse(data.computed_at)));
  let previous = Infinity;
  for (const item of data.items) {
    // Dataset films all have a slug; the key names the film back to the API.
    assert.equal(item.url, `https://letterboxd.com/film/${item.slug}/`);
    assert.equal(item.key, item.slug);
    assert.ok(Number.isInteger(item.id));
    assert.ok(["movie", "tv"].includes(item.content_type));
    assert.ok(Array.isArray(item.genres));
    assert.equal(item.source.name, "letterboxd");
    assert.equal(typeof item.title, "string");
    if (item.poster) {
      // One poster, two sizes: a card's and a page's.
      assert.equal(typeof item.posters?.small, "string");
      assert.equal(typeof item.posters?.large, "string");
    }
    assert.ok(item.predicted_rating >= 0.5 && item.predicted_rating <= 5);
    assert.ok(item.predicted_rating <= previous, "best first");
    assert.deepEqual(item.member_predictions, []);
    previous = item.predicted_rating;
  }
});

test("POST /recommendations for two members: each member's prediction and their mean", async () => {
  const { data, response } = await client.POST("/recommendations", {
    body: { members: [MEMBERS[0], MEMBERS[1]], limit: 5, filters: { highly_rated: true } },
  });
  assert.equal(response.status, 200);
  assert.ok(data);
  for (const item of data.items) {
    assert.deepEqual(
      item.member_predictions.map((p) => p.member),
      [MEMBERS[0], MEMBERS[1]],
    );
    const mean = item.member_predictions.reduce((sum, p) => sum + p.predicted_rating, 0) / 2;
    assert.ok(Math.abs(mean - item.predicted_rating) < 1e-4);
  }
});

test("POST /recommendations errors: invalid_member, invalid_body, member_not_found, no_candidates", async () => {
  const invalid = await client.POST("/recommendations", { body: { members: ["not a member"] } });
  await assertProblem(invalid, 400, "invalid_member");
  const limit = await client.POST("/recommendations", { body: { members: [MEMBERS[0]], limit: 0 } });
  await assertProblem(limit, 400, "invalid_body");
  const ghost = await client.POST("/recommendations", { body: { members: ["no_such_member_here"] } });
  await assertProblem(ghost, 404, "member_not_found");
  const none = await client.POST("/recommendations", {
    body: { members: [MEMBERS[0]], filters: { year_min: 1800, year_max: 1801 } },
  });
  await assertProblem(none, 422, "no_candidates");
});

test("a body over the limit is payload_too_large", async () => {
  const members = Array.from({ length: 40_000 }, (_, i) => `member${i}`);
  const response = await fetch(new URL("/recommendations", process.env["REEL_BASE_URL"]), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ members }),
  });
  await assertProblem(response, 413, "payload_too_large");
});

test("POST /recommendations: reasons name rated films and features per member, and explain: false drops them", async () => {
  const explained = await client.POST("/recommendations", { body: { members: [MEMBERS[2]], limit: 10 } });
  assert.equal(explained.response.status, 200);
  for (const item of explained.data!.items) {
    assert.ok(item.reasons.filter((r) => r.kind === "film").length <= 3);
    assert.ok(item.reasons.filter((r) => r.kind === "features").length <= 1);
    for (const reason of item.reasons) {
      assert.equal(reason.member, MEMBERS[2]);
      if (reason.kind === "film") assert.ok(reason.title.length > 0 && reason.effect !== 0);
      else assert.ok(reason.text.length > 0 && reason.effect > 0);
    }
  }
  const plain = await client.POST("/recommendations", {
    body: { members: [MEMBERS[2]], limit: 10, explain: false },
  });
  assert.equal(plain.response.status, 200);
  assert.ok(plain.data!.items.every((item) => item.reasons.length === 0));
  assert.deepEqual(
    plain.data!.items.map((i) => [i.key, i.predicted_rating]),
    explained.data!.items.map((i) => [i.key, i.predicted_rating]),
  );
});

test("POST /recommendations with a description: the filters applied, where each came from, the words not read", async () => {
  const { data, error, response } = await client.POST("/recommendations", {
    body: {
      members: [MEMBERS[0]],
      limit: 5,
      filters: { highly_rated: true },
      description: "a 90s drama, no horror, on zorblax",
    },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data);
  const applied = data.applied_filters;
  assert.equal(applied.filters.year_min, 1990);
  assert.equal(applied.filters.year_max, 1999);
  assert.deepEqual(applied.filters.genres, ["Drama"]);
  assert.deepEqual(applied.filters.exclude_genres, ["Horror"]);
  assert.ok(applied.filters.highly_rated);
  // The CI server configures no language model: the embedded parser reads, with no fallback.
  assert.deepEqual(applied.description, {
    parser: "embedded",
    fallback: null,
    ignored: ["zorblax"],
    services_without_country: [],
  });
  assert.deepEqual(
    applied.sources.find((s) => s.filter === "highly_rated"),
    { filter: "highly_rated", source: "request" },
  );
  assert.deepEqual(
    applied.sources.find((s) => s.filter === "years"),
    { filter: "years", source: "description" },
  );
  for (const item of data.items) {
    assert.ok(item.year !== null && item.year !== undefined && item.year >= 1990 && item.year <= 1999);
    assert.ok(!item.genres.includes("Horror"));
  }
});

test("POST /recommendations: a description over 300 characters is invalid_body", async () => {
  const result = await client.POST("/recommendations", {
    body: { members: [MEMBERS[0]], description: "a".repeat(301) },
  });
  await assertProblem(result, 400, "invalid_body");
});

test("POST /recommendations with Accept: text/csv: a Letterboxd import CSV of the same films in the same order", async () => {
  const body = { members: [MEMBERS[0]], limit: 5 };
  const json = await client.POST("/recommendations", { body });
  assert.equal(json.response.status, 200);
  assert.ok(json.data);
  const { data, response } = await client.POST("/recommendations", {
    body,
    headers: { Accept: "text/csv" },
    parseAs: "text",
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/csv/);
  assert.match(response.headers.get("content-disposition") ?? "", /^attachment; filename="reel-recommendations-.*\.csv"$/);
  assert.equal(typeof data, "string");
  const lines = (data ?? "").trimEnd().split("\n");
  assert.equal(lines[0], "LetterboxdURI,tmdbID,imdbID,Title,Year");
  assert.equal(lines.length, json.data.items.length + 1);
  json.data.items.forEach((item, i) => {
    assert.ok(lines[i + 1]!.startsWith(`${item.url},`));
  });
});

test("POST /recommendations: a streaming service named without a country narrows nothing, and says so", async () => {
  const { data, error, response } = await client.POST("/recommendations", {
    body: { members: [MEMBERS[0]], limit: 3, description: "something on netflix" },
  });
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data);
  assert.deepEqual(data.applied_filters.description, {
    parser: "embedded",
    fallback: null,
    ignored: [],
    services_without_country: ["netflix"],
  });
  assert.ok(!data.applied_filters.sources.some((s) => s.filter === "available_on"));
});

test("POST /recommendations with model: general is that model or 503 model_not_loaded", async () => {
  const result = await client.POST("/recommendations", {
    body: { members: [MEMBERS[0]], limit: 5, model: "general" },
  });
  if (result.response.status === 200) {
    assert.equal(result.data?.model, "general");
  } else {
    // Never silently another model: the server says the general model is not trained yet.
    await assertProblem(result, 503, "model_not_loaded");
    assert.ok(result.response.headers.get("retry-after"));
  }
});
