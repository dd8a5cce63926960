// Fails with one clear line when what the other scripts need is missing, instead of letting
// openapi-typescript or tsc fail on a path the reader has to work out.
//   node scripts/require-openapi.mjs            ../openapi.yaml must exist
//   node scripts/require-openapi.mjs --schema   and so must the committed src/schema.d.ts
import { existsSync } from "node:fs";

const root = new URL("../", import.meta.url);
const spec = new URL("../openapi.yaml", root);
const schema = new URL("src/schema.d.ts", root);

if (!existsSync(spec)) {
  console.error(
    "frontend-contract: ../openapi.yaml not found. It is generated from the code " +
      "(`reel openapi > openapi.yaml` at the repository root); until it exists there are no " +
      "types to generate, check or test against.",
  );
  process.exit(1);
}
if (process.argv.includes("--schema") && !existsSync(schema)) {
  console.error(
    "frontend-contract: src/schema.d.ts not found: run `npm run generate` and commit the result.",
  );
  process.exit(1);
}
