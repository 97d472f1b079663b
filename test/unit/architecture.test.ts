/**
 * The picture in docs/ARCHITECTURE.md cannot drift from the code: its "Parts and imports" table is
 * read here, and an import outside it fails. No import circle between files, type-only imports included
 * (import-graph.ts). Also the size rules a reader relies on: no source file over 400 lines, no function over 80.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { circlesOf, importCircles, sourceFiles } from './import-graph.js';

const root = join(import.meta.dirname, '../..');

interface Part {
  name: string;
  paths: string[];
  mayImport: Set<string>;
  packages: Set<string>;
}

/** The rows of the table under "## Parts and imports": part | where | may import | packages. */
function readParts(): Part[] {
  const doc = readFileSync(join(root, 'docs/ARCHITECTURE.md'), 'utf8');
  const section = doc.split(/^## /m).find((part) => part.startsWith('Parts and imports'));
  assert.ok(section, 'docs/ARCHITECTURE.md has a "## Parts and imports" section');
  const cells = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim());
  const names = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1] as string);
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
    .slice(1);
  return rows.map((line) => {
    const [name = '', where = '', may = '', packages = ''] = cells(line);
    return { name: name.replace(/\*/g, ''), paths: names(where), mayImport: new Set(names(may)), packages: new Set(names(packages)) };
  });
}

/** Every module specifier a file imports at run time (type-only imports are free: they vanish in the build). */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier)) {
      const bindings = node.importClause?.namedBindings;
      const onlyTypes =
        bindings &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((e) => e.isTypeOnly) &&
        !node.importClause?.name;
      if (!onlyTypes) found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && !node.isTypeOnly && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteral(arg)) found.push(arg.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function partOf(parts: Part[], file: string): Part | undefined {
  const path = relative(root, file);
  // The most specific path wins (a file named on its own before its folder).
  let best: Part | undefined;
  let bestLength = -1;
  for (const part of parts) {
    for (const prefix of part.paths) {
      if ((path === prefix || path.startsWith(prefix.endsWith('/') ? prefix : `${prefix}/`)) && prefix.length > bestLength) {
        best = part;
        bestLength = prefix.length;
      }
    }
  }
  return best;
}

function packageName(specifier: string): string {
  if (specifier.startsWith('node:')) return 'node:';
  const [scope, name] = specifier.split('/');
  return specifier.startsWith('@') ? `${scope}/${name}` : (scope as string);
}

test('every import stays inside the parts table of docs/ARCHITECTURE.md', () => {
  const parts = readParts();
  assert.ok(parts.length >= 5, 'the table names the parts');
  const outside: string[] = [];
  for (const file of [...sourceFiles(join(root, 'src')), ...sourceFiles(join(root, 'scripts')), ...sourceFiles(join(root, 'test'))]) {
    const part = partOf(parts, file);
    if (!part) {
      outside.push(`${relative(root, file)} belongs to no part`);
      continue;
    }
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) {
        const target = partOf(parts, resolve(dirname(file), specifier));
        if (!target) outside.push(`${relative(root, file)} imports ${specifier}, in no part`);
        else if (target !== part && !part.mayImport.has(target.name))
          outside.push(`${relative(root, file)} (${part.name}) imports ${specifier} (${target.name})`);
      } else if (!part.packages.has(packageName(specifier)) && !part.packages.has('*')) {
        outside.push(`${relative(root, file)} (${part.name}) imports the package ${specifier}`);
      }
    }
  }
  assert.deepEqual(outside, []);
});

test('the table fails an import outside it (the check itself works)', () => {
  const parts = readParts();
  const core = parts.find((part) => part.name === 'core');
  assert.ok(core, 'a part named core');
  assert.ok(!core.mayImport.has('views') && !core.packages.has('preact'), 'core may not import the views or preact');
  const views = partOf(parts, join(root, 'src/ui/app.tsx'));
  assert.ok(views && views !== core);
});

test('the page hook and relay pull in only the protocol channel and leaf modules (they run on every watched page)', () => {
  const isLeaf = (file: string) => runtimeImports(file).every((specifier) => !specifier.startsWith('.'));
  const pulled: string[] = [];
  for (const file of sourceFiles(join(root, 'src/content'))) {
    for (const specifier of runtimeImports(file)) {
      if (!specifier.startsWith('.')) {
        if (!specifier.startsWith('@noble/hashes/')) pulled.push(`${relative(root, file)} imports the package ${specifier}`);
        continue;
      }
      const target = resolve(dirname(file), specifier).replace(/\.js$/, '.ts');
      const path = relative(root, target);
      if (path.startsWith('src/content/') || path === 'src/protocol/channel.ts') continue;
      if (!path.startsWith('src/core/') || !isLeaf(target))
        pulled.push(`${relative(root, file)} imports ${path}, which is not a leaf module`);
    }
  }
  assert.deepEqual(pulled, []);
});

test('no import circle between files, type-only imports included (src, scripts, test)', () => {
  assert.deepEqual(importCircles(root, ['src', 'scripts', 'test']), []);
});

test('the parts table has no circle: scripts and tests share support, neither imports the other back', () => {
  const parts = readParts();
  const graph = new Map(parts.map((part) => [part.name, [...part.mayImport].filter((name) => name !== 'none')]));
  for (const [name, targets] of graph)
    for (const target of targets) assert.ok(graph.has(target), `${name} may import ${target}, a part the table does not name`);
  assert.deepEqual(circlesOf(graph), []);
  const scripts = parts.find((part) => part.name === 'scripts');
  assert.ok(scripts && !scripts.mayImport.has('tests') && scripts.mayImport.has('support'));
});

test('the circle check fails a planted circle of type-only imports (the check itself works)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tokenscope-circle-'));
  try {
    mkdirSync(join(dir, 'src/part'), { recursive: true });
    // a -> b by `import type`, b -> a by `export type ... from`: each vanishes in the build, the circle stays.
    writeFileSync(join(dir, 'src/a.ts'), "import type { B } from './part/b.js';\nexport interface A { b: B }\n");
    writeFileSync(join(dir, 'src/part/b.ts'), "export type { A } from '../a.js';\nexport interface B { n: number }\n");
    // c -> d by an `import('...')` type, d -> c by an inline `type` specifier: a second circle, of other forms.
    writeFileSync(join(dir, 'src/c.ts'), "export type D = import('./d.js').Dee;\nexport const c = 1;\n");
    writeFileSync(join(dir, 'src/d.ts'), "import { type D } from './c.js';\nexport interface Dee { d?: D }\n");
    // e imports a, nothing imports e: not in a circle.
    writeFileSync(join(dir, 'src/e.ts'), "import type { A } from './a.js';\nexport const e: A | null = null;\n");
    assert.deepEqual(importCircles(dir, ['src']).sort(), ['src/a.ts <-> src/part/b.ts', 'src/c.ts <-> src/d.ts']);
    rmSync(join(dir, 'src/part/b.ts'));
    writeFileSync(join(dir, 'src/part/b.ts'), 'export interface B { n: number }\n');
    assert.deepEqual(importCircles(dir, ['src']), ['src/c.ts <-> src/d.ts'], 'the broken circle is gone, the other stays');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no source file over 400 lines, no function over 80', () => {
  const tooLong: string[] = [];
  for (const file of sourceFiles(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n').length;
    if (lines > 400) tooLong.push(`${relative(root, file)}: ${lines} lines`);
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.end).line;
        if (end - start + 1 > 80) tooLong.push(`${relative(root, file)}:${start + 1}: a function of ${end - start + 1} lines`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  assert.deepEqual(tooLong, []);
});
