import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { eventHandler } from '../../shared/log-context';
import { BUSINESS_METRICS_NAMESPACE, businessMetricsOf } from '../../shared/stats/business-metrics';

// EMF: the metrics are log lines CloudWatch turns into metrics; no PutMetricData call, no SDK client.
const metrics = new Metrics({ namespace: BUSINESS_METRICS_NAMESPACE, serviceName: 'crm', defaultDimensions: { stage: process.env.STAGE ?? 'unknown' } });

/** Rule target on the CRM bus (domain events) and the default bus (SES "Email Sent"): business metrics as EMF. */
export const handler = eventHandler(async (event: unknown) => {
  const found = businessMetricsOf(event);
  for (const { name, value } of found) metrics.addMetric(name, MetricUnit.Count, value);
  // Tests and benchmarks run the local runtime silent; the metrics would only be noise there.
  if (process.env.CRM_LOG_LEVEL === 'silent') metrics.clearMetrics();
  else if (found.length) metrics.publishStoredMetrics();
  return { metrics: found.map((m) => m.name) };
});
