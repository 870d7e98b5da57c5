/**
 * Builds a runnable JavaScript copy of @sotto/otr and @sotto/store from
 * source (TypeScript's transpileModule, no type checking), so that the crash
 * test can run the store in child processes it kills. The copy is laid out
 * like the repository, with node_modules/@sotto/otr pointing at the copied
 * otr package (and @noble, its dependency, linked to the installed one),
 * and does not depend on anyone's dist/ being current.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Transpiles packages/otr/src and packages/store/src into `out`; returns the store's entry point. */
export function compileStore(out: string): string {
  for (const name of ['otr', 'store']) {
    const root = join(PACKAGES, name);
    for (const file of sources(join(root, 'src'))) {
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      });
      const target = join(out, 'packages', name, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, outputText);
    }
    writeFileSync(join(out, 'packages', name, 'package.json'), JSON.stringify({ name: `@sotto/${name}`, type: 'module', exports: './src/index.js' }));
  }
  mkdirSync(join(out, 'node_modules', '@sotto'), { recursive: true });
  symlinkSync(join(out, 'packages', 'otr'), join(out, 'node_modules', '@sotto', 'otr'));
  // @sotto/otr's dependencies (the Ed448 arithmetic of OTRv4), as installed in the repository.
  symlinkSync(join(PACKAGES, '..', 'node_modules', '@noble'), join(out, 'node_modules', '@noble'));
  // @sotto/store's SQLite (the history database).
  symlinkSync(join(PACKAGES, '..', 'node_modules', 'node-sqlite3-wasm'), join(out, 'node_modules', 'node-sqlite3-wasm'));
  return join(out, 'packages', 'store', 'src', 'index.js');
}
