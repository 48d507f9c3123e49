import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The worker evaluates every module the workflow bundle imports once per workflow it creates
 * (a new one, or one evicted from its cache). zod builds its schemas when a module is evaluated,
 * and doing that for every workflow cost about 150 ms of CPU and several MB each: a plan of 400
 * activities took minutes to start. So no module a workflow imports at load may import zod; the
 * command schemas are required on the first change (domain/changes.ts). This walks the value
 * imports (type-only ones are erased) from the bundle's entry.
 */
const SRC = path.join(__dirname, '../../src');

function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest);
  const found: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      const typeOnly =
        clause?.isTypeOnly ||
        (clause && !clause.name && clause.namedBindings && ts.isNamedImports(clause.namedBindings) && clause.namedBindings.elements.every((e) => e.isTypeOnly));
      if (!typeOnly) found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && !statement.isTypeOnly) {
      found.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return found;
}

function resolve(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
}

/** Every path of value imports from `entry` to a module named `target`, as chains of files. */
function chainsTo(entry: string, target: string): string[][] {
  const chains: string[][] = [];
  const seen = new Set<string>();
  const walk = (file: string, chain: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const specifier of valueImports(file)) {
      if (specifier === target) chains.push([...chain, path.relative(SRC, file)]);
      const next = resolve(file, specifier);
      if (next) walk(next, [...chain, path.relative(SRC, file)]);
    }
  };
  walk(entry, []);
  return chains;
}

describe('the workflow bundle', () => {
  it('imports no zod when a workflow is created', () => {
    expect(chainsTo(path.join(SRC, 'workflows/index.ts'), 'zod')).toEqual([]);
  });

  it('is checked by a walk that does find zod where it is imported', () => {
    expect(chainsTo(path.join(SRC, 'domain/commands.ts'), 'zod')).toContainEqual(['domain/commands.ts']);
  });
});
