import type { Construct } from 'constructs';
import { DomainStack, type DomainStackProps } from './domain-stack';

/**
 * Sales (docs/pipeline.md, docs/leads.md): pipelines, deals, the forecast, leads and web forms.
 * Its functions are all routes: the rows of api/routes/{pipelines,deals,leads,forms}.ts.
 */
export class SalesStack extends DomainStack {
  constructor(scope: Construct, id: string, props: DomainStackProps) {
    super(scope, id, props, 'sales');
    this.wire({});
  }
}
