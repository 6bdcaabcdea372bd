import { customerCreatedV1 } from './customer-created.v1';

/** Every contract by detail-type: the outbox relay validates against it before publishing. */
export const EVENT_CONTRACTS = {
  [customerCreatedV1.detailType]: customerCreatedV1,
} as const;

export type KnownDetailType = keyof typeof EVENT_CONTRACTS;

export function contractFor(detailType: string) {
  return (EVENT_CONTRACTS as Record<string, (typeof EVENT_CONTRACTS)[KnownDetailType] | undefined>)[detailType];
}

export { customerCreatedV1 };
