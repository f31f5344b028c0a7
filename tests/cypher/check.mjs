// Parse Cypher scripts with Neo4j's own front end (@neo4j-cypher/language-support: Neo4j's ANTLR
// grammar plus its semantic analysis) and report the first error of each file with its line.
// Usage: node check.mjs FILE.cypher...
// Prints "FILE: ok" or "FILE:LINE:COL: message" per file; exit 0 if every file is free of
// errors, 1 if any has one (or is empty), 2 on usage errors or an unreadable file.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// The package's ESM build uses extensionless imports Node cannot resolve; its CommonJS build works.
const { lintCypherQuery } = createRequire(import.meta.url)('@neo4j-cypher/language-support');

const ERROR = 1; // LSP DiagnosticSeverity.Error (warnings, 2, are printed but do not fail)

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check.mjs FILE.cypher...');
  process.exit(2);
}

let status = 0;
for (const file of files) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    console.error(`${file}: cannot read: ${err.message}`);
    process.exit(2);
  }
  if (text.trim() === '') {
    // An empty script proves nothing: refuse it, so a broken exporter cannot pass vacuously.
    console.error(`${file}: empty script`);
    status = 1;
    continue;
  }
  const diagnostics = lintCypherQuery(text, {});
  const at = (d) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}`;
  for (const w of diagnostics.filter((d) => d.severity !== ERROR).slice(0, 3)) {
    console.error(`${at(w)}: warning: ${w.message.split('\n')[0]}`);
  }
  const errors = diagnostics.filter((d) => d.severity === ERROR);
  if (errors.length > 0) {
    console.error(`${at(errors[0])}: ${errors[0].message.split('\n')[0]} (${errors.length} error(s))`);
    status = 1;
  } else {
    console.log(`${file}: ok`);
  }
}
process.exit(status);
