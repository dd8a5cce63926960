import assert from "node:assert/strict";
import { test } from "node:test";
import { baseUrl, client } from "./support.js";

test("GET /faq: questions and answers, with an ETag that revalidates", async () => {
  const { data, error, response } = await client.GET("/faq");
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data);
  const ids = data.entries.map((e) => e.id);
  for (const id of ["models", "data-sources", "uploaded-exports", "blocked-username"]) {
    assert.ok(ids.includes(id), id);
  }
  for (const entry of data.entries) {
    assert.ok(entry.question.endsWith("?"));
    assert.ok(entry.answer.length > 0);
  }
  const tag = response.headers.get("etag");
  assert.ok(tag);
  const again = await fetch(`${baseUrl}/faq`, { headers: { "If-None-Match": tag } });
  assert.equal(again.status, 304);
});

test("GET /release-notes: the changelog's versions, dates and sections", async () => {
  const { data, error, response } = await client.GET("/release-notes");
  assert.equal(response.status, 200, JSON.stringify(error));
  assert.ok(data);
  assert.equal(data.releases[0]?.version, "Unreleased");
  const first = data.releases.find((r) => r.version === "0.1.0");
  assert.equal(first?.date, "2026-12-01");
  for (const release of data.releases) {
    for (const section of release.sections) {
      assert.ok(section.kind.length > 0);
      assert.ok(section.items.length > 0);
    }
  }
  assert.ok(response.headers.get("etag"));
});
