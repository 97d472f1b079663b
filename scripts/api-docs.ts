/**
 * docs/API.md, the library's reference page, made from the TSDoc of what `src/lib/index.ts` exports (what
 * `import ... from 'tokenscope'` gives, as the shipped `.d.ts` declare it). `npm run docs:api` writes it;
 * test/unit/api-docs.test.ts fails when the page is stale or an export has no summary or no `@see` link.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const root = join(import.meta.dirname, '..');
export const API_PAGE = join(root, 'docs/API.md');
const ENTRY = join(root, 'src/lib/index.ts');

export type ExportKind = 'function' | 'class' | 'constant' | 'type';

export interface ApiExport {
  name: string;
  kind: ExportKind;
  /** The declaration as an editor shows it (signature, class head, constant's type, or the type itself). */
  declaration: string;
  summary: string;
  /** Each `@see`, as written (a Markdown link). */
  see: string[];
  examples: string[];
  /** An interface's members: name (with `?` when optional), type, summary. */
  members: Array<{ name: string; type: string; summary: string }>;
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();

function declarationKind(declaration: ts.Declaration): ExportKind {
  if (ts.isFunctionDeclaration(declaration)) return 'function';
  if (ts.isClassDeclaration(declaration)) return 'class';
  if (ts.isVariableDeclaration(declaration)) return 'constant';
  return 'type';
}

function declarationText(checker: ts.TypeChecker, symbol: ts.Symbol, declaration: ts.Declaration, name: string): string {
  const printer = ts.createPrinter({ removeComments: true });
  if (ts.isFunctionDeclaration(declaration)) {
    const signature = checker.getSignatureFromDeclaration(declaration);
    const text = signature ? checker.signatureToString(signature, undefined, ts.TypeFormatFlags.NoTruncation) : '()';
    return `function ${name}${text}`;
  }
  if (ts.isClassDeclaration(declaration)) {
    const heritage = (declaration.heritageClauses ?? []).map((clause) => clause.getText()).join(' ');
    return oneLine(`class ${name} ${heritage}`);
  }
  if (ts.isVariableDeclaration(declaration)) {
    const type = declaration.type
      ? declaration.type.getText()
      : checker.typeToString(checker.getBaseTypeOfLiteralType(checker.getTypeOfSymbol(symbol)), undefined, ts.TypeFormatFlags.NoTruncation);
    return `const ${name}: ${type}`;
  }
  if (ts.isInterfaceDeclaration(declaration)) {
    const heritage = (declaration.heritageClauses ?? []).map((clause) => ` ${clause.getText()}`).join('');
    return `interface ${name}${oneLine(heritage) ? ` ${oneLine(heritage)}` : ''}`;
  }
  return printer.printNode(ts.EmitHint.Unspecified, declaration, declaration.getSourceFile()).replace(/^export /, '');
}

function membersOf(checker: ts.TypeChecker, declaration: ts.Declaration): ApiExport['members'] {
  if (!ts.isInterfaceDeclaration(declaration)) return [];
  const printer = ts.createPrinter({ removeComments: true });
  return declaration.members.flatMap((member) => {
    if (!ts.isPropertySignature(member) && !ts.isMethodSignature(member)) return [];
    const symbol = member.name ? checker.getSymbolAtLocation(member.name) : undefined;
    const summary = symbol ? oneLine(ts.displayPartsToString(symbol.getDocumentationComment(checker))) : '';
    const name = `${member.name.getText()}${member.questionToken ? '?' : ''}`;
    const printed = (node: ts.Node) => oneLine(printer.printNode(ts.EmitHint.Unspecified, node, node.getSourceFile()));
    const type = ts.isPropertySignature(member) ? (member.type ? printed(member.type) : 'unknown') : printed(member).replace(/;$/, '');
    return [{ name, type, summary }];
  });
}

/** What the library exports, each with its TSDoc, in name order. */
export function libraryExports(): ApiExport[] {
  const { config } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const program = ts.createProgram([ENTRY], { ...options, noEmit: true });
  const checker = program.getTypeChecker();
  const entry = program.getSourceFile(ENTRY);
  const moduleSymbol = entry && checker.getSymbolAtLocation(entry);
  if (!moduleSymbol) throw new Error(`cannot read ${ENTRY}`);
  return checker
    .getExportsOfModule(moduleSymbol)
    .map((exported) => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const declaration = symbol.declarations?.[0];
      if (!declaration) throw new Error(`${exported.name} has no declaration`);
      const tags = symbol.getJsDocTags(checker);
      const tagTexts = (name: string) => tags.filter((tag) => tag.name === name).map((tag) => ts.displayPartsToString(tag.text).trim());
      return {
        name: exported.name,
        kind: declarationKind(declaration),
        declaration: declarationText(checker, symbol, declaration, exported.name),
        summary: ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim(),
        see: tagTexts('see'),
        examples: tagTexts('example'),
        members: membersOf(checker, declaration),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

const HEADINGS: Record<ExportKind, string> = { function: 'Functions', class: 'Classes', constant: 'Constants', type: 'Types' };

/** docs/API.md's text. */
export function renderApiReference(exported: readonly ApiExport[] = libraryExports()): string {
  const out = [
    '# Library API',
    '',
    "What `import { ... } from 'tokenscope'` gives: the same functions the CLI and the extension run, pure (no Node",
    'or DOM API). Made by `npm run docs:api` from the TSDoc in the source (`src/lib/index.ts` and what it',
    're-exports); do not edit it by hand: `test/unit/api-docs.test.ts` fails when it is stale.',
    '',
  ];
  for (const kind of ['function', 'class', 'constant', 'type'] as const) {
    const ofKind = exported.filter((item) => item.kind === kind);
    if (ofKind.length === 0) continue;
    out.push(`## ${HEADINGS[kind]}`, '');
    for (const item of ofKind) {
      out.push(`### \`${item.name}\``, '', '```ts', item.declaration, '```', '', item.summary, '');
      if (item.members.length > 0) {
        out.push('| member | type | |', '|---|---|---|');
        for (const member of item.members) out.push(`| \`${member.name}\` | \`${cell(member.type)}\` | ${cell(member.summary)} |`);
        out.push('');
      }
      for (const example of item.examples) out.push('Example:', '', example, '');
      if (item.see.length > 0) out.push('See:', '', ...item.see.map((see) => `- ${see}`), '');
    }
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  writeFileSync(API_PAGE, renderApiReference());
  console.log(`wrote ${API_PAGE}`);
}
