// Locates the npm packages that deploy/k8s/check installs into <repo>/.stack/k8s-check/node_modules (git-ignored),
// so that nothing is installed inside deploy/k8s itself. PHONEKEY_K8S_NODE_MODULES overrides the location.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const toolsDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const k8sDir = resolve(toolsDir, '..');
export const repoRoot = resolve(k8sDir, '..', '..');
export const nodeModules = resolve(process.env.PHONEKEY_K8S_NODE_MODULES || join(repoRoot, '.stack', 'k8s-check', 'node_modules'));

function missing(name) {
  return new Error(`${name} not found in ${nodeModules}; run deploy/k8s/check once (it installs the tools)`);
}

/** A CommonJS package (yaml, ajv). */
export function requirePackage(name) {
  if (!existsSync(join(nodeModules, name))) throw missing(name);
  return createRequire(join(nodeModules, '..', 'package.json'))(name);
}

/** An ES module file inside a package, e.g. esm('kubernetes-models', 'apps/v1/index.js'). */
export async function esm(pkg, file) {
  const path = join(nodeModules, pkg, file);
  if (!existsSync(path)) throw missing(`${pkg}/${file}`);
  return import(pathToFileURL(path).href);
}

/** The path of a file inside a package (type declarations for the strict field check). */
export function packageFile(pkg, file) {
  return join(nodeModules, pkg, file);
}
