// Bundles every page entry point static/js/*.js into static/dist/<name>.js with esbuild:
// ES modules, minified, with source maps, target es2020. Run by `npm run build`
// (scripts/setup.sh does). `node scripts/build-assets.mjs --watch` rebuilds on change.
import { readdir, rm, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const srcDir = path.join(root, "static", "js");
const outDir = path.join(root, "static", "dist");
const watch = process.argv.includes("--watch");

async function entryPoints() {
  let names;
  try {
    names = await readdir(srcDir, { withFileTypes: true });
  } catch (err) {
    if (err.code === "ENOENT") return [];
    throw err;
  }
  return names
    .filter((d) => d.isFile() && d.name.endsWith(".js"))
    .map((d) => path.join(srcDir, d.name))
    .sort();
}

const entries = await entryPoints();
// static/dist is generated only by this script: start clean so no stale bundle is served.
await rm(outDir, { recursive: true, force: true });
await mkdir(outDir, { recursive: true });
if (entries.length === 0) {
  console.log("build-assets: no entry points in static/js, nothing to bundle");
  process.exit(0);
}

/** @type {import('esbuild').BuildOptions} */
const options = {
  absWorkingDir: root,
  entryPoints: entries,
  outdir: outDir,
  entryNames: "[name]",
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2020",
  minify: true,
  sourcemap: true,
  metafile: true,
  define: { "process.env.NODE_ENV": '"production"' },
  logLevel: "warning",
};

if (watch) {
  const ctx = await esbuild.context({ ...options, logLevel: "info" });
  await ctx.watch();
  console.log(`build-assets: watching ${entries.length} entry point(s) in static/js`);
} else {
  let result;
  try {
    result = await esbuild.build(options);
  } catch {
    // esbuild has already printed the errors.
    console.error("build-assets: build failed");
    process.exit(1);
  }
  const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith(".js"));
  for (const [file, info] of outputs) {
    console.log(`build-assets: ${file} ${(info.bytes / 1024).toFixed(1)} KiB`);
  }
}
