/**
 * The fast path: `node --import tsx --import ./fast-path.mjs extract.mjs ...`.
 *
 * Registers fast-hooks.mjs, which answers `import ... from '@aws-amplify/backend'` with
 * backend-shim.mjs instead of the real package, so loading a project's resource.ts does not
 * load the AWS CDK (about 2 s) and works with only `@aws-amplify/data-schema` installed.
 */
import { register } from 'node:module';

register('./fast-hooks.mjs', import.meta.url);
