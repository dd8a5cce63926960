import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";
import { assertProblem, baseUrl } from "./support.js";

// An unknown route is by definition not in the spec, so this one goes through plain fetch.
test("an unknown route answers 404 application/problem+json", async () => {
  const response = await fetch(new URL(`/no-such-route/${randomUUID()}`, baseUrl), {
    headers: { accept: "application/json" },
  });
  const problem = await assertProblem(response, 404);
  assert.ok(problem.title.length > 0, "a title");
});

test("a problem names the request id the client sent, for support to find its logs", async () => {
  const id = `contract-${randomUUID()}`;
  const response = await fetch(new URL(`/no-such-route/${randomUUID()}`, baseUrl), {
    headers: { accept: "application/json", "x-request-id": id },
  });
  const problem = await assertProblem(response, 404);
  assert.equal(problem.request_id, id);
});

test("oversized headers answer 431 headers_too_large naming the request", async () => {
  const id = `contract-${randomUUID()}`;
  const response = await fetch(new URL("/health/live", baseUrl), {
    headers: { accept: "application/json", "x-request-id": id, "x-big": "a".repeat(40 * 1024) },
  });
  const problem = await assertProblem(response, 431, "headers_too_large");
  assert.equal(problem.request_id, id);
});
