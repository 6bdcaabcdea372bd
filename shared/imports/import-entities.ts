import { contactImport, type ContactRowDeps } from './contact-import';
import { customerImport, type CustomerRowDeps } from './customer-row-writer';
import { dealImport, type DealRowDeps } from './deal-import';
import { leadImport, type LeadRowDeps } from './lead-import';
import { productImport, type ProductRowDeps } from './product-import';
import type { ImportEntity } from './import-job';
import type { EntityImport } from './import-rows';

/** What the writes of every importable entity need together. */
export type ImportWriteDeps = CustomerRowDeps & ContactRowDeps & LeadRowDeps & ProductRowDeps & DealRowDeps;

/** Each importable entity's adapter: the run reads, checks and writes rows through it. */
const IMPORTS: Readonly<Record<ImportEntity, EntityImport<never, ImportWriteDeps>>> = {
  customers: customerImport as unknown as EntityImport<never, ImportWriteDeps>,
  contacts: contactImport as unknown as EntityImport<never, ImportWriteDeps>,
  leads: leadImport as unknown as EntityImport<never, ImportWriteDeps>,
  products: productImport as unknown as EntityImport<never, ImportWriteDeps>,
  deals: dealImport as unknown as EntityImport<never, ImportWriteDeps>,
};

/** The adapter of an import's entity; its rows are opaque to the run. */
export const entityImport = (entity: ImportEntity): EntityImport<unknown, ImportWriteDeps> => IMPORTS[entity] as unknown as EntityImport<unknown, ImportWriteDeps>;
