import type { Catalogs } from '@tessera/shared';
import ar from './messages/ar.json' with { type: 'json' };
import de from './messages/de.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import fr from './messages/fr.json' with { type: 'json' };
import uk from './messages/uk.json' with { type: 'json' };

/** A key of the CLI's message catalogs; English is the reference every other catalog must match. */
export type CliMessageKey = keyof typeof en;

/**
 * The CLI's ICU MessageFormat catalogs by language. `checkCatalogs` in the test beside this file
 * keeps them in step with English; typing them here makes a missing key a type error too. The
 * translations await review by native speakers (docs/wallet.md).
 */
export const CLI_CATALOGS: Catalogs<CliMessageKey> = { en, de, fr, ar, uk };
