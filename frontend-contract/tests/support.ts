// What every contract test shares: the live server's address, a typed client for it, and the
// RFC 9457 problem shape every error answers with.
import assert from "node:assert/strict";
import { createReelClient } from "../src/client.js";

function serverUrl(): string {
  const url = process.env["REEL_BASE_URL"];
  if (!url) {
    throw new Error(
      "REEL_BASE_URL is not set: the contract tests run against a live server " +
        "(frontend-contract/run-contract-tests.sh starts one and sets it)",
    );
  }
  return url;
}

export const baseUrl = serverUrl();
export const client = createReelClient(baseUrl);

/**
 * An error body. Checked field by field at run time; switch the annotation to the generated
 * `components["schemas"][...]` type once openapi.yaml names the problem schema.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  code: string;
}

/** Asserts `response` is an RFC 9457 problem with `status` and a stable snake_case code. */
export async function assertProblem(response: Response, status: number): Promise<Problem> {
  assert.equal(response.status, status);
  assert.match(response.headers.get("content-type") ?? "", /^application\/problem\+json\b/);
  const body: unknown = await response.json();
  assert.ok(body !== null && typeof body === "object", "a JSON object");
  const problem = body as Record<string, unknown>;
  assert.equal(typeof problem["type"], "string", "type");
  assert.equal(typeof problem["title"], "string", "title");
  assert.equal(problem["status"], status, "status matches the HTTP status");
  assert.match(String(problem["code"]), /^[a-z][a-z0-9_]*$/, "a stable snake_case code");
  if ("detail" in problem) assert.equal(typeof problem["detail"], "string", "detail");
  return problem as unknown as Problem;
}
