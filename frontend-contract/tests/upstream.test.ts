// Letterboxd misbehaving, as a client of the API sees it. Each test makes one member that no
// other test asks for misbehave on the simulated Letterboxd, so the rest of the suite is
// untouched. Every change to the simulator's fault plan is in this file: node runs the tests of
// one file one after another, so no two read-modify-writes of the plan interleave.
import assert from "node:assert/strict";
import { test } from "node:test";
import { assertProblem, client, simUrl } from "./support.js";

type Knobs = {
  challenge?: boolean;
  server_errors?: number;
  latency_ms?: number;
  rate_limited?: number;
  retry_after_secs?: number;
};
type Plan = { private_members: string[]; paths: Array<{ prefix: string; knobs: Knobs }> };

const skip = simUrl === undefined;

async function changePlan(change: (plan: Plan) => void): Promise<void> {
  const faults = new URL("/-/faults", simUrl);
  const plan = (await (await fetch(faults)).json()) as Plan;
  change(plan);
  const put = await fetch(faults, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(plan),
  });
  assert.equal(put.status, 204);
}

/** Every page of `member` on the simulated Letterboxd misbehaves as `knobs` say. */
function misbehave(member: string, knobs: Knobs): Promise<void> {
  return changePlan((plan) => {
    plan.paths = [...plan.paths, { prefix: `/${member}/`, knobs }];
  });
}

test("a private profile is profile_private", { skip }, async () => {
  const member = "wastekid";
  await changePlan((plan) => {
    plan.private_members = [...plan.private_members, member];
  });
  const result = await client.GET("/statistics", { params: { query: { member } } });
  await assertProblem(result, 403, "profile_private");
});

test("a bot challenge is upstream_blocked, pointing at the export upload", { skip }, async () => {
  const member = "ainsleyyay";
  await misbehave(member, { challenge: true });
  const result = await client.GET("/statistics", { params: { query: { member } } });
  const problem = await assertProblem(result, 503, "upstream_blocked");
  assert.match(problem.detail ?? "", /export/i, "tells the client to upload the export");
});

test("Letterboxd failing every attempt is upstream_unavailable", { skip }, async () => {
  const member = "anne_f_";
  await misbehave(member, { server_errors: 1 });
  const result = await client.POST("/recommendations", { body: { members: [member] } });
  await assertProblem(result, 502, "upstream_unavailable");
});

test("Letterboxd answering 429 to every attempt is upstream_rate_limited with its wait", { skip }, async () => {
  const member = "aintcolored";
  // `Retry-After: 0` on every attempt: the retries run out at once, and the shortest wait a
  // client is told is 1 s.
  await misbehave(member, { rate_limited: 1, retry_after_secs: 0 });
  const result = await client.GET("/statistics", { params: { query: { member } } });
  const problem = await assertProblem(result, 503, "upstream_rate_limited");
  assert.equal(result.response.headers.get("retry-after"), "1");
  assert.match(problem.detail ?? "", /export/i, "tells the client to upload the export");
});

test("a request past the server's deadline is a timeout problem", { skip }, async () => {
  // The runner starts the server with REQUEST_TIMEOUT=30s; this member's pages take longer.
  const member = "b_horseman";
  await misbehave(member, { latency_ms: 45_000 });
  const started = Date.now();
  const result = await client.GET("/statistics", { params: { query: { member } } });
  await assertProblem(result, 504, "timeout");
  assert.ok(Date.now() - started < 44_000, "answered at the deadline, not after the upstream");
});
