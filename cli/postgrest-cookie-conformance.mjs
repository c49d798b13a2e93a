#!/usr/bin/env node
// The package ships its TypeScript as written: tsx compiles it as it loads (cli/main.ts says the rest),
// with the package's own tsconfig.json, not one it finds in the caller's folder; every process of the run
// inherits that choice.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

process.env.TSX_TSCONFIG_PATH = fileURLToPath(new URL('../tsconfig.json', import.meta.url));
register();
await import('./main.ts');
