// The typed client for the reel API. Paths, parameters, bodies and responses all come from
// ./schema.d.ts, which `npm run generate` makes from ../openapi.yaml: never edit either by hand.
import createClient, { type Client, type ClientOptions } from "openapi-fetch";
import type { paths } from "./schema.js";

export type { components, operations, paths } from "./schema.js";

// JSON is what every operation answers by default; the few that can also answer CSV
// (`Accept: text/csv`) are read with `parseAs: "text"`.
export type ReelClient = Client<paths, "application/json">;

/** A client for the reel API at `baseUrl` (e.g. `https://reel.example.com`). */
export function createReelClient(
  baseUrl: string,
  options: Omit<ClientOptions, "baseUrl"> = {},
): ReelClient {
  return createClient<paths, "application/json">({ ...options, baseUrl });
}
