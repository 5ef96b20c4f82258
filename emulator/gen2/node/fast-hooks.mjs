/**
 * Module resolve hook of the fast path (see fast-path.mjs).
 *
 * `@aws-amplify/backend` becomes backend-shim.mjs. The shim's own imports of Amplify packages
 * are resolved as if the project had imported them (from the project's folder, then from inside
 * its `@aws-amplify/backend` install), so the shim uses the project's installed versions.
 */
import { pathToFileURL } from 'node:url';

const SHIM_URL = new URL('./backend-shim.mjs', import.meta.url).href;
const PROJECT_PARENT = pathToFileURL(`${process.cwd()}/amplify/noop.mjs`).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === '@aws-amplify/backend') {
    return { url: SHIM_URL, shortCircuit: true };
  }
  if (context.parentURL === SHIM_URL) {
    try {
      return await nextResolve(specifier, { ...context, parentURL: PROJECT_PARENT });
    } catch (error) {
      const backend = await nextResolve('@aws-amplify/backend', { ...context, parentURL: PROJECT_PARENT });
      return nextResolve(specifier, { ...context, parentURL: backend.url });
    }
  }
  return nextResolve(specifier, context);
}
