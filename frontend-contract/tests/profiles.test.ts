import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBERS, assertProblem, baseUrl, client, ratingsCsv, upload, type Schemas } from "./support.js";

const FILMS: Array<[string, number]> = [
  ["Parasite", 2019],
  ["Heat", 1995],
  ["Alien", 1979],
  ["Arrival", 2016],
  ["Whiplash", 2014],
  ["Spirited Away", 2001],
  ["A Film Nobody Has Heard Of", 1901],
];

test("POST /profiles reads an export; its id works with a scraped member until DELETE", async () => {
  const created = await upload([["ratings.csv", ratingsCsv(FILMS)]]);
  assert.equal(created.status, 201);
  const body = (await created.json()) as Schemas["ProfileUploadResponse"];
  assert.ok(body.counts.ratings >= 5, JSON.stringify(body));
  assert.ok(body.unmatched.some((row) => row.name === "A Film Nobody Has Heard Of" && row.file === "ratings.csv"));
  assert.ok(Date.parse(body.expires_at) > Date.now());

  const recs = await client.POST("/recommendations", { body: { members: [body.id, MEMBERS[0]], limit: 3 } });
  assert.equal(recs.response.status, 200);
  assert.equal(recs.data?.members[0]?.source, "upload");

  const deleted = await client.DELETE("/profiles/{id}", { params: { path: { id: body.id } } });
  assert.equal(deleted.response.status, 204);
  assert.equal(created.headers.get("location"), `/profiles/${body.id}`);
  const again = await client.DELETE("/profiles/{id}", { params: { path: { id: body.id } } });
  await assertProblem(again, 404, "profile_not_found");
  const gone = await client.GET("/statistics", { params: { query: { member: body.id } } });
  await assertProblem(gone, 404, "profile_not_found");
});

test("POST /profiles errors: upload_invalid names the file and line; too few ratings", async () => {
  const bad = await upload([
    ["ratings.csv", "Date,Name,Year,Letterboxd URI,Rating\n2025-01-01,Heat,1995,https://boxd.it/x,9\n"],
  ]);
  const problem = await assertProblem(bad, 422, "upload_invalid");
  assert.match(problem.detail, /ratings\.csv/);
  assert.match(problem.detail, /\b2\b/);
  const short = await upload([["ratings.csv", ratingsCsv(FILMS.slice(0, 2))]]);
  const { id } = (await short.json()) as { id: string };
  const recs = await fetch(new URL("/recommendations", baseUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ members: [id] }),
  });
  await assertProblem(recs, 422, "not_enough_ratings");
});
