import assert from "node:assert/strict";
import { test } from "node:test";
import { client } from "./support.js";

test("GET /health/live answers 200 with a JSON body and a request id", async () => {
  const { data, error, response } = await client.GET("/health/live");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json\b/);
  assert.equal(error, undefined);
  assert.ok(data !== null && typeof data === "object", "a JSON object");
  assert.ok(response.headers.get("x-request-id"), "X-Request-Id is set");
});

test("GET /health/ready answers 200 with a JSON body once the server is ready", async () => {
  // run-contract-tests.sh waits for readiness before running the tests.
  const { data, error, response } = await client.GET("/health/ready");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^application\/json\b/);
  assert.equal(error, undefined);
  assert.ok(data !== null && typeof data === "object", "a JSON object");
  // The contract server imports the dataset, trains no general model and computes no statistics
  // (its first-run setup is off): readiness says so.
  assert.ok((data.catalog_films ?? 0) > 0);
  assert.equal(data.setup, "inactive");
  assert.deepEqual(
    data.missing.map((m) => m.what),
    ["general_model", "member_statistics"],
  );
});
