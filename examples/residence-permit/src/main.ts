import { isTesseraError } from '@tessera/shared';
import { formatReport } from './report.ts';
import { runResidencePermitExample } from './residence-permit.ts';

// `pnpm start`: runs the residence-permit example once and prints what each role did and saw.
try {
  const run = await runResidencePermitExample();
  process.stdout.write(formatReport(run));
} catch (error) {
  const reason = isTesseraError(error) ? `${error.code}: ${error.message}` : String(error);
  process.stderr.write(`The residence-permit example failed: ${reason}\n`);
  process.exitCode = 1;
}
