import assert from "node:assert/strict";
import { test } from "node:test";
import { MEMBERS, adminToken, assertProblem, baseUrl, client } from "./support.js";

test("GET /metrics is Prometheus text with the request and domain metrics", async () => {
  await client.POST("/recommendations", { body: { members: [MEMBERS[0]], limit: 1 } });
  const response = await fetch(new URL("/metrics", baseUrl));
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/plain/);
  const text = await response.text();
  for (const name of [
    "reel_http_requests_total",
    "reel_http_requests_duration_seconds_bucket",
    "reel_profile_cache_lookups_total",
    "reel_catalog_films",
    "reel_members_known",
  ]) {
    assert.ok(text.includes(name), `${name} in /metrics`);
  }
});

test("GET /metrics/usage is the daily series", async () => {
  const { data, response } = await client.GET("/metrics/usage", { params: { query: { days: 7 } } });
  assert.equal(response.status, 200);
  assert.ok(data);
  assert.ok(data.days.length >= 1);
  assert.ok(data.days.every((d) => d.uses >= d.members));
  const bad = await fetch(new URL("/metrics/usage?days=many", baseUrl));
  await assertProblem(bad, 400, "invalid_query");
});

test("GET /metrics/usage also gives the cumulative series, bounded by from and to", async () => {
  const { data, response } = await client.GET("/metrics/usage");
  assert.equal(response.status, 200);
  assert.ok(data);
  assert.ok(data.cumulative.length >= 1, "the tests before this one used the service");
  const series = data.cumulative;
  series.slice(1).forEach((current, i) => {
    const previous = series[i]!;
    assert.ok(current.day > previous.day);
    assert.ok(current.members >= previous.members && current.uses >= previous.uses, "running totals");
  });
  assert.equal(data.cumulative.at(-1)?.day, data.to);
  const to = data.to;
  const window = await client.GET("/metrics/usage", { params: { query: { from: to, to } } });
  assert.equal(window.response.status, 200);
  assert.deepEqual(window.data?.cumulative, [data.cumulative.at(-1)]);
  const inverted = await fetch(new URL("/metrics/usage?from=2026-12-02&to=2026-12-01", baseUrl));
  await assertProblem(inverted, 400, "invalid_query");
});

test("POST /admin/catalog/reload needs the bearer token", async () => {
  const anonymous = await client.POST("/admin/catalog/reload");
  await assertProblem(anonymous, 401, "unauthorized");
  const wrong = await client.POST("/admin/catalog/reload", { headers: { authorization: "Bearer nope" } });
  await assertProblem(wrong, 401, "unauthorized");
  if (adminToken) {
    const { data, response } = await client.POST("/admin/catalog/reload", {
      headers: { authorization: `Bearer ${adminToken}` },
    });
    assert.equal(response.status, 200);
    assert.ok((data?.films ?? 0) > 0);
  }
});

test("GET /openapi.json, /openapi.yaml and /docs are served", async () => {
  const json = await fetch(new URL("/openapi.json", baseUrl));
  assert.equal(json.status, 200);
  const document = (await json.json()) as { paths: Record<string, unknown> };
  assert.ok("/recommendations" in document.paths);
  const yaml = await fetch(new URL("/openapi.yaml", baseUrl));
  assert.equal(yaml.status, 200);
  assert.match(await yaml.text(), /^openapi: 3\./);
  const docs = await fetch(new URL("/docs/", baseUrl));
  assert.equal(docs.status, 200);
  assert.match(await docs.text(), /swagger-ui/);
});

test("limited operations say where the client stands, and a browser may read it", async () => {
  // A client of its own (the runner trusts 127.0.0.1 as a proxy), on a local front end's origin:
  // the runner binds loopback without CORS_ALLOWED_ORIGINS, which lets localhost in.
  const origin = "http://localhost:5173";
  const headers = { "x-forwarded-for": "198.51.100.78", origin };
  const statistics = () =>
    client.GET("/statistics", { params: { query: { member: MEMBERS[0] } }, headers });
  const remaining = (response: Response): number => {
    const current = response.headers.get("ratelimit") ?? "";
    const match = /^"([a-z0-9-]+)";r=(\d+);t=(\d+)$/.exec(current);
    assert.ok(match, `RateLimit: ${current}`);
    return Number(match[2]);
  };
  const first = await statistics();
  assert.equal(first.response.status, 200);
  const policy = first.response.headers.get("ratelimit-policy") ?? "";
  assert.match(policy, /^"[a-z0-9-]+";q=\d+;w=\d+(, "[a-z0-9-]+";q=\d+;w=\d+)*$/);
  const second = await statistics();
  assert.equal(second.response.status, 200);
  assert.equal(remaining(second.response), remaining(first.response) - 1);
  assert.equal(second.response.headers.get("access-control-allow-origin"), origin);
  const exposed = (second.response.headers.get("access-control-expose-headers") ?? "")
    .toLowerCase()
    .split(/,\s*/);
  for (const name of ["ratelimit", "ratelimit-policy", "retry-after", "x-request-id"]) {
    assert.ok(exposed.includes(name), `${name} exposed: ${exposed.join(", ")}`);
  }
});

test("a browser on an origin CORS does not let in is told which setting would", async () => {
  const refused = await fetch(new URL("/health/live", baseUrl), {
    headers: { origin: "https://elsewhere.example.com" },
  });
  const problem = await assertProblem(refused, 403, "origin_not_allowed");
  assert.match(problem.detail, /CORS_ALLOWED_ORIGINS/);
});

test("over the per-client limit: rate_limited with Retry-After", async () => {
  // The runner trusts 127.0.0.1 as a proxy, so this test is a client of its own.
  const headers = { "x-forwarded-for": "198.51.100.77" };
  let last: Response | undefined;
  for (let i = 0; i < 40; i++) {
    last = await fetch(new URL("/statistics?member=two%20words", baseUrl), { headers });
    if (last.status === 429) break;
    await last.body?.cancel();
  }
  assert.ok(last);
  assert.ok(Number(last.headers.get("retry-after")) >= 1);
  assert.match(last.headers.get("ratelimit") ?? "", /;r=0;/);
  await assertProblem(last, 429, "rate_limited");
});
