import type { Catalogs } from '@tessera/shared';
import ar from './messages/ar.json' with { type: 'json' };
import de from './messages/de.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import fr from './messages/fr.json' with { type: 'json' };
import it from './messages/it.json' with { type: 'json' };

/** A key of the staff page's catalogs; English is the reference the others must match. */
export type StaffMessageKey = keyof typeof en;

/**
 * The staff page's ICU MessageFormat catalogs by language. `checkCatalogs` in the test beside
 * this file keeps them in step with English. Claim labels are not here: they come from each
 * credential type's display metadata (ten languages).
 */
export const STAFF_CATALOGS: Catalogs<StaffMessageKey> = { en, de, fr, it, ar };
