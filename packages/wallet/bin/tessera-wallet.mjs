#!/usr/bin/env node
// The `tessera-wallet` command. The wallet is written in TypeScript and runs without a build
// step: tsx compiles it on load (Node 20 cannot strip types itself).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/tessera-wallet.ts');
