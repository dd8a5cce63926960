// Fails when the committed src/schema.d.ts is not exactly what openapi-typescript makes from
// ../openapi.yaml now: the types were not regenerated after the API changed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const require_openapi = spawnSync(process.execPath, [join(root, "scripts/require-openapi.mjs")], {
  stdio: "inherit",
});
if (require_openapi.status !== 0) process.exit(1);

const committed = join(root, "src/schema.d.ts");
const scratch = mkdtempSync(join(tmpdir(), "reel-schema-"));
const fresh = join(scratch, "schema.d.ts");
try {
  const generate = spawnSync(
    join(root, "node_modules/.bin/openapi-typescript"),
    [join(root, "../openapi.yaml"), "--default-non-nullable=false", "-o", fresh],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (generate.status !== 0) {
    console.error("frontend-contract: openapi-typescript failed on ../openapi.yaml");
    process.exit(1);
  }
  if (!existsSync(committed)) {
    console.error("frontend-contract: src/schema.d.ts is missing: run `npm run generate` and commit it.");
    process.exit(1);
  }
  const want = readFileSync(fresh, "utf8").split("\n");
  const have = readFileSync(committed, "utf8").split("\n");
  const line = want.findIndex((text, index) => text !== have[index]);
  if (line !== -1 || want.length !== have.length) {
    const at = line === -1 ? Math.min(want.length, have.length) : line;
    console.error(
      `frontend-contract: src/schema.d.ts is stale (first difference at line ${at + 1}); ` +
        "run `npm run generate` and commit it.",
    );
    console.error(`  committed: ${JSON.stringify(have[at] ?? "<end of file>")}`);
    console.error(`  generated: ${JSON.stringify(want[at] ?? "<end of file>")}`);
    process.exit(1);
  }
  console.log("frontend-contract: src/schema.d.ts matches ../openapi.yaml");
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
