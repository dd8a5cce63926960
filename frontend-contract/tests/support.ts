// What every contract test shares: the live server's address, a typed client for it, the
// simulated Letterboxd's address, and the RFC 9457 problem shape every error answers with.
import assert from "node:assert/strict";
import { createReelClient, type components } from "../src/client.js";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set: the contract tests run against a live server ` +
        "(frontend-contract/run-contract-tests.sh starts one and sets it)",
    );
  }
  return value;
}

export const baseUrl = required("REEL_BASE_URL");
export const client = createReelClient(baseUrl);
/** The simulated Letterboxd the server scrapes (its `/-/faults` switches failures on). */
export const simUrl = process.env["LETTERBOXD_BASE_URL"];
export const adminToken = process.env["REEL_ADMIN_TOKEN"];

export type Problem = components["schemas"]["ProblemView"];
export type Schemas = components["schemas"];

/** Members of the shared dataset the simulated Letterboxd serves (41 to 46 ratings each). */
export const MEMBERS = ["clarisselou", "antikahraman", "yeu_jpg", "heipoint", "lolouiseaimee"] as const;

/**
 * Asserts an RFC 9457 problem with `status` and, when given, `code`: either a raw `Response`, or
 * what the typed client returns (it has already read the body into `error`).
 */
export async function assertProblem(
  result: Response | { response: Response; error?: unknown },
  status: number,
  code?: Problem["code"],
): Promise<Problem> {
  const response = result instanceof Response ? result : result.response;
  const body: unknown = result instanceof Response ? await result.json() : result.error;
  assert.equal(response.status, status, JSON.stringify(body));
  assert.match(response.headers.get("content-type") ?? "", /^application\/problem\+json\b/);
  assert.ok(body !== null && typeof body === "object", "a JSON object");
  const problem = body as Record<string, unknown>;
  assert.equal(typeof problem["type"], "string", "type");
  assert.equal(typeof problem["title"], "string", "title");
  assert.equal(problem["status"], status, "status matches the HTTP status");
  assert.match(String(problem["code"]), /^[a-z][a-z0-9_]*$/, "a stable snake_case code");
  assert.equal(problem["type"], `/problems/${String(problem["code"])}`);
  if ("detail" in problem) assert.equal(typeof problem["detail"], "string", "detail");
  const requestId = response.headers.get("x-request-id");
  assert.ok(requestId, "X-Request-Id is set");
  assert.equal(problem["request_id"], requestId, "the body names the request's id");
  if (code !== undefined) assert.equal(problem["code"], code);
  return problem as unknown as Problem;
}

/** Uploads export files (name, text) to `POST /profiles`. */
export async function upload(files: Array<[string, string]>): Promise<Response> {
  const form = new FormData();
  for (const [name, text] of files) form.append("file", new Blob([text]), name);
  return fetch(new URL("/profiles", baseUrl), { method: "POST", body: form });
}

/** A `ratings.csv` rating `count` films of the shared dataset by title and year. */
export function ratingsCsv(films: Array<[string, number]>): string {
  const rows = films.map(
    ([title, year], i) => `2025-01-0${(i % 9) + 1},"${title.replaceAll('"', '""')}",${year},https://boxd.it/t${i},4`,
  );
  return ["Date,Name,Year,Letterboxd URI,Rating", ...rows, ""].join("\n");
}
